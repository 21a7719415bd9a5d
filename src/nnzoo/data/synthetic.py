"""Small data sets generated on the fly: no files, no downloads."""

from __future__ import annotations

import numpy as np


def twin_spirals(n: int = 97, turns: float = 3.0, radius: float = 6.5):
    """The two interleaved spirals of Lang & Witbrock (1988): n points each.

    Point i of the first spiral is at angle i pi/16 and radius 6.5 (104 - i)/104
    (with the classic n = 97, three turns); the second spiral is the first turned
    through 180 degrees. Returns X (2n, 2) float32 and y (2n,) int64 (1: first spiral).
    """
    i = np.arange(n)
    u = i * 96 / (n - 1)  # = i for the classic n = 97
    angle = u * np.pi / 16 * turns / 3  # i pi / 16: three turns
    r = radius * (104 - u) / 104
    first = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    X = np.vstack([first, -first]).astype(np.float32)
    y = np.concatenate([np.ones(n), np.zeros(n)]).astype(np.int64)
    return X, y


# The square of the plane that the twin spirals' pictures show: every point lies inside it.
SPIRAL_LIMS = (-7.0, 7.0)


# The four input patterns of a two-input gate, and the targets of the gates the course uses.
TRUTH_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
GATE_TARGETS = {"and": np.array([0, 0, 0, 1]), "or": np.array([0, 1, 1, 1]),
                "nor": np.array([1, 0, 0, 0]), "xor": np.array([0, 1, 1, 0])}


def separable_points(n: int, margin: float, rng: np.random.Generator):
    """n points in [-1, 1]^2 labelled by a random line, none within `margin` of it.
    Returns X (n, 2), y (n,) of 0/1 and the line (w, b) with unit normal w."""
    angle = rng.uniform(0, 2 * np.pi)
    w = np.array([np.cos(angle), np.sin(angle)])  # unit normal of the line
    b = rng.uniform(-0.3, 0.3)
    X = np.empty((0, 2))
    while len(X) < n:
        P = rng.uniform(-1, 1, size=(4 * n, 2))
        X = np.vstack([X, P[np.abs(P @ w + b) >= margin]])  # distance to the line >= margin
    X = X[:n]
    return X, (X @ w + b > 0).astype(int), (w, b)


def noisy_sine(n: int, noise: float, rng: np.random.Generator):
    """n points t = sin(2 pi x) + noise, x ~ U(-1, 1) sorted, noise ~ N(0, noise^2).
    Returns x (n,) and t (n,), float64."""
    x = np.sort(rng.uniform(-1, 1, n))
    t = np.sin(2 * np.pi * x) + noise * rng.standard_normal(n)
    return x, t


def circle_points(n: int, margin: float, rng: np.random.Generator):
    """n points in [-1, 1]^2, label 1 inside the circle r = 0.6, none within `margin` of it.
    Returns X (n, 2) float64 and y (n,) float32 of 0/1."""
    X = np.empty((0, 2))
    while len(X) < n:
        P = rng.uniform(-1, 1, size=(4 * n, 2))
        X = np.vstack([X, P[np.abs(np.hypot(*P.T) - 0.6) >= margin]])  # |r - 0.6| >= margin
    X = X[:n]
    return X, (np.hypot(*X.T) < 0.6).astype(np.float32)


# Letters drawn on a 10 x 10 grid ('#' on, '.' off), thick strokes so that about half the
# pixels are on and the letters differ in many of them (Hopfield patterns recall better when
# they overlap little).
LETTERS = {
    "A": ["...####...", "..######..", ".###..###.", "###....###", "###....###",
          "##########", "##########", "###....###", "###....###", "###....###"],
    "C": ["..#######.", ".#########", "###.......", "###.......", "###.......",
          "###.......", "###.......", "###.......", ".#########", "..#######."],
    "H": ["###....###", "###....###", "###....###", "###....###", "##########",
          "##########", "###....###", "###....###", "###....###", "###....###"],
    "T": ["##########", "##########", "##########", "...####...", "...####...",
          "...####...", "...####...", "...####...", "...####...", "...####..."],
    "X": ["###....###", ".###..###.", "..######..", "...####...", "...####...",
          "...####...", "...####...", "..######..", ".###..###.", "###....###"],
    "Z": ["##########", "##########", "......###.", ".....###..", "....###...",
          "...###....", "..###.....", ".###......", "##########", "##########"],
}


def letters(names: str = "ACHTXZ") -> np.ndarray:
    """The letters `names` as +-1 patterns (P, 100): +1 where the letter is drawn."""
    return np.array([[1 if c == "#" else -1 for row in LETTERS[n] for c in row]
                     for n in names], dtype=np.int64)


def bars_and_stripes(size: int = 3) -> np.ndarray:
    """Every bars-and-stripes image of size x size (MacKay 2003): each row all on or all off
    (stripes), or each column (bars); 2^(size+1) - 2 distinct images (blank and full appear
    once), as rows of 0/1 (2^(size+1) - 2, size^2), numbered as binary numbers."""
    rows = (np.arange(2**size)[:, None] >> np.arange(size - 1, -1, -1)) & 1  # (2^s, s)
    stripes = np.repeat(rows, size, axis=1)  # row r of the image = bit r
    bars = np.tile(rows, size)  # column c of the image = bit c
    images = np.unique(np.vstack([stripes, bars]), axis=0)
    return images.astype(np.int64)
