"""How good are word vectors: analogy questions and human similarity judgements.

`analogies(wv, questions, restrict)`: a question "a : b :: c : d" is answered by 3CosAdd
(see `vectors`): the word, other than a, b and c, among the `restrict` first words of the
vocabulary (the most frequent, in word2vec's order) whose unit vector is nearest in cosine
to b̂ - â + ĉ; it is correct when that word is d. A question is *covered* when its four
words are all among those `restrict` words; accuracy is over the covered questions, and
coverage (covered / total) is reported next to it. This is what gensim's
`KeyedVectors.evaluate_word_analogies(path, restrict_vocab=restrict)` computes, for a
vocabulary in lower case (the test sets are lowercased when loaded).

`similarity(wv, pairs)`: Spearman's rank correlation between the human scores and the
cosines of the covered pairs (both words in the vocabulary), ties given their average rank,
as gensim's `evaluate_word_pairs` (which uses scipy's `spearmanr`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np

from nnzoo.models.embeddings.vectors import WordVectors


class Score(NamedTuple):
    """correct answers, covered questions (all words in the vocabulary), all questions."""

    correct: int
    covered: int
    total: int

    @property
    def accuracy(self) -> float:
        """correct / covered (nan when nothing is covered)."""
        return self.correct / self.covered if self.covered else float("nan")

    @property
    def coverage(self) -> float:
        return self.covered / self.total if self.total else float("nan")


def analogies(wv: WordVectors, questions: Mapping[str, Sequence[Sequence[str]]],
              restrict: int | None = 30000, batch: int = 1024) -> dict[str, Score]:
    """{section: Score, ..., "total": Score} for questions {section: [(a, b, c, d), ...]},
    answered by 3CosAdd among the first `restrict` words (None: all)."""
    n = len(wv) if restrict is None else min(restrict, len(wv))
    index = {w: i for i, w in enumerate(wv.words[:n])}
    unit = wv.unit[:n]  # (n, d)
    scores = {}
    for section, qs in questions.items():
        ids = np.array([[index[w] for w in q] for q in qs if all(w in index for w in q)],
                       dtype=np.int64).reshape(-1, 4)  # (covered, 4): a, b, c, d
        correct = 0
        for start in range(0, len(ids), batch):
            a, b, c, d = ids[start:start + batch].T
            query = unit[b] - unit[a] + unit[c]  # (B, d): b̂ - â + ĉ
            cos = query @ unit.T  # (B, n), cosines times |query| (the same order)
            rows = np.arange(len(a))
            cos[rows, a] = cos[rows, b] = cos[rows, c] = -np.inf  # not the words asked
            correct += int((cos.argmax(1) == d).sum())
        scores[section] = Score(correct, len(ids), len(qs))
    scores["total"] = Score(*(sum(s[k] for s in scores.values()) for k in range(3)))
    return scores


def ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of x's entries, tied entries sharing their average rank."""
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    last = np.cumsum(counts)  # the rank of each distinct value's last copy
    return (last - (counts - 1) / 2)[inverse.reshape(-1)]


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho: the Pearson correlation of the ranks."""
    rx, ry = ranks(np.asarray(x, np.float64)), ranks(np.asarray(y, np.float64))
    rx, ry = rx - rx.mean(), ry - ry.mean()
    denominator = np.sqrt((rx ** 2).sum() * (ry ** 2).sum())
    return float((rx * ry).sum() / denominator) if denominator > 0 else float("nan")


def similarity(wv: WordVectors, pairs: Sequence[tuple[str, str, float]],
               restrict: int | None = None) -> tuple[float, int, int]:
    """(Spearman rho between human scores and cosines, covered pairs, all pairs) for pairs
    [(w1, w2, score)]; covered: both words among the first `restrict` words (None: all)."""
    n = len(wv) if restrict is None else min(restrict, len(wv))
    index = {w: i for i, w in enumerate(wv.words[:n])}
    covered = [(index[a], index[b], s) for a, b, s in pairs if a in index and b in index]
    if len(covered) < 2:
        return float("nan"), len(covered), len(pairs)
    i, j, human = (np.array(col) for col in zip(*covered))
    cos = (wv.unit[i] * wv.unit[j]).sum(1)  # (covered,)
    return spearman(human, cos), len(covered), len(pairs)
