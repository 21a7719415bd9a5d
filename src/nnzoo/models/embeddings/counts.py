"""The co-occurrence matrix of a text and its singular value decomposition (the course's
first word vectors).

`cooccurrence(tokens, window)` counts, for every two words i and j of the vocabulary,

    X[i, j] = #{(p, q) : 0 < |p - q| <= window, tokens[p] = word i, tokens[q] = word j},

the ordered pairs of positions at most `window` apart: word j is in the window of word i.
X is symmetric (the pair (q, p) counts for X[j, i]). `window` is the reach on each side,
as in word2vec: window = 1 counts the words side by side, which is the course's
"2-word window" (a window two words wide; its table of "There was a crooked man" has
a : crooked = 6, the six "a crooked" in the rhyme). A word next to itself ("very very")
counts twice on the diagonal, once from each side.

`tokens` is one stream of words: the window runs across the ends of lines and sentences,
as in the course's table (it counts "stile" next to the "He" that begins the next line).
To stop the window at sentence ends, count each sentence with the same `words` and add
the matrices.

`svd_embeddings(X, dim)`: X = U S V^T (U, V orthogonal, S diagonal with s_1 >= s_2 >= ...
>= 0); "columns 1 to n of row k of U then provide an n-dimensional vector representing the
k-th word" (the course). With `power` p the vectors are U_n S_n^p instead: p = 0 (the
default) is the course's U, p = 1 scales each column by its singular value. Each column's
sign (which the SVD leaves free) is chosen so that its entry of largest magnitude is
positive (scikit-learn's `svd_flip` convention), so the vectors do not depend on the LAPACK
build's choice of signs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def cooccurrence(tokens: Sequence[str], window: int = 1,
                 words: Sequence[str] | None = None) -> tuple[list[str], np.ndarray]:
    """(words, X): the vocabulary (sorted alphabetically, or `words` in the order given) and
    the (V, V) int64 counts X[i, j] of word j within `window` positions of word i.

    Tokens that are not in `words` take up their position but are not counted. Dense:
    for small vocabularies (V^2 numbers).
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 (the reach on each side), got {window}")
    words = sorted(set(tokens)) if words is None else list(words)
    index = {w: i for i, w in enumerate(words)}
    if len(index) != len(words):
        raise ValueError("a word appears twice in words")
    ids = np.array([index.get(t, -1) for t in tokens], dtype=np.int64)  # (N,), -1: not counted
    X = np.zeros((len(words), len(words)), dtype=np.int64)
    for d in range(1, window + 1):  # the pairs (p, p + d); their mirror images below
        left, right = ids[:-d], ids[d:]
        keep = (left >= 0) & (right >= 0)
        np.add.at(X, (left[keep], right[keep]), 1)
    return words, X + X.T


def svd_embeddings(X: np.ndarray, dim: int, power: float = 0.0) -> np.ndarray:
    """(V, dim): the first `dim` columns of U in X = U S V^T, times S^power (0: U itself).

    Columns in order of decreasing singular value; each column's largest-magnitude entry
    is positive.
    """
    X = np.asarray(X, dtype=np.float64)
    if not 1 <= dim <= min(X.shape):
        raise ValueError(f"dim must be between 1 and {min(X.shape)}, got {dim}")
    U, s, _ = np.linalg.svd(X, full_matrices=False)  # U (V, r), s (r,) decreasing
    U, s = U[:, :dim], s[:dim]
    biggest = np.argmax(np.abs(U), axis=0)  # (dim,): row of each column's largest |entry|
    U = U * np.sign(U[biggest, np.arange(dim)])
    return U * s ** power


def cosines(A: np.ndarray) -> np.ndarray:
    """(V, V): the cosine between every two rows of A (V, n) (0 for a row of zeros)."""
    A = np.asarray(A, dtype=np.float64)
    unit = A / np.maximum(np.linalg.norm(A, axis=1, keepdims=True), 1e-300)  # (V, n)
    return unit @ unit.T


def context_agreement(X: np.ndarray, xy: np.ndarray) -> float:
    """How far the places xy (V, n) keep words used alike pointing alike: Spearman's rho,
    over every pair of words i < j, between cos(X[i], X[j]) (how alike their contexts are:
    1 for the same neighbours in the same proportions, 0 for none in common) and
    cos(xy[i], xy[j]). 1: the same order of pairs; about 0 for places unrelated to X."""
    from nnzoo.models.embeddings.evaluate import spearman

    i, j = np.triu_indices(len(X), 1)  # every pair once
    return spearman(cosines(X)[i, j], cosines(xy)[i, j])
