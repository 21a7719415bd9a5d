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
