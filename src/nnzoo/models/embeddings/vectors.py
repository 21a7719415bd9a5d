"""A vocabulary with one vector per word: cosine neighbours, analogies, the word2vec format.

Similarity is the cosine of the angle between two vectors,

    cos(a, b) = a·b / (||a|| ||b||),

and an analogy "a is to b as c is to ?" is answered by 3CosAdd (Mikolov et al. 2013): the
word d, other than a, b and c, whose unit vector is nearest in cosine to

    b̂ - â + ĉ    (e.g. king - man + woman ≈ queen)

where x̂ = x / ||x||. The word2vec text format is a first line "V d", then one line per word:
the word and its d numbers, separated by spaces (what gensim's
`KeyedVectors.load_word2vec_format(path)` reads).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nnzoo.errors import DataError, UserError, user_path

EXAMPLE = "king - man + woman"


def parse_expression(expr: str) -> tuple[list[str], list[str]]:
    """Words joined by + and - (a leading sign allowed), lowercased as the corpus is, into
    (positive, negative): "Paris - France + Italy" -> (["paris", "italy"], ["france"]).
    Words are as nnzoo.data.text cuts them (letters with inner apostrophes, or digits), so
    "-" is never part of a word."""
    from nnzoo.data.text import WORD

    def bad(why: str) -> UserError:
        return UserError(f"cannot read the expression {expr!r}: {why}; write words joined by "
                         f"+ and -, e.g. {EXAMPLE!r}")

    positive: list[str] = []
    negative: list[str] = []
    sign, last = "+", None  # last: the previous token, "op" or "word"
    for token in re.findall(r"[+-]|[^\s+-]+", expr):
        if token in "+-":
            if last == "op":
                raise bad("two signs in a row")
            sign, last = token, "op"
            continue
        if last == "word":
            raise bad(f"no + or - before {token!r}")
        if not WORD.fullmatch(token.lower()):
            raise bad(f"{token!r} is not a word (letters, or digits)")
        (positive if sign == "+" else negative).append(token.lower())
        sign, last = "+", "word"
    if last is None:
        raise bad("it has no words")
    if last == "op":
        raise bad("it ends with a sign")
    return positive, negative


class WordVectors:
    """`words[i]` has the vector `vectors[i]` (V, d) (float32)."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray):
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or len(words) != len(vectors):
            raise ValueError(f"expected one row of vectors per word, got {len(words)} words "
                             f"and vectors of shape {vectors.shape}")
        self.words = list(words)
        self.vectors = vectors  # (V, d)
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("a word appears twice in the vocabulary")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.unit = vectors / np.maximum(norms, 1e-12)  # (V, d): x̂ = x / ||x||

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self._id(word)]

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def _id(self, word: str) -> int:
        try:
            return self.index[word]
        except KeyError:
            raise UserError(f"{word!r} is not in the vocabulary of {len(self):,} words; "
                            f"choose a word of the corpus (rare words are dropped by "
                            f"min_count)") from None

    def similarity(self, a: str, b: str) -> float:
        """cos(a, b)."""
        return float(self.unit[self._id(a)] @ self.unit[self._id(b)])

    def most_similar(self, positive: Sequence[str] = (), negative: Sequence[str] = (),
                     topn: int = 10, restrict: int | None = None) -> list[tuple[str, float]]:
        """The `topn` words nearest in cosine to Σ positive x̂ - Σ negative x̂ (3CosAdd),
        leaving out the words asked about; `restrict`: only the first (most frequent) words.
        """
        if not positive and not negative:
            raise UserError("most_similar needs at least one word")
        ids = [self._id(w) for w in (*positive, *negative)]
        query = self.unit[ids[:len(positive)]].sum(0) - self.unit[ids[len(positive):]].sum(0)
        query /= max(float(np.linalg.norm(query)), 1e-12)  # (d,)
        cos = self.unit[:restrict] @ query  # (V,)
        asked = {i for i in ids if i < len(cos)}
        cos[list(asked)] = -np.inf
        k = min(topn, len(cos) - len(asked))
        best = np.argpartition(-cos, k - 1)[:k] if k > 0 else np.array([], int)
        best = best[np.argsort(-cos[best], kind="stable")]
        return [(self.words[i], float(cos[i])) for i in best]

    def analogy(self, a: str, b: str, c: str, topn: int = 1) -> list[tuple[str, float]]:
        """a : b :: c : ?  ->  the words nearest to b̂ - â + ĉ."""
        return self.most_similar(positive=[b, c], negative=[a], topn=topn)

    def save(self, path: str | Path) -> None:
        """The word2vec text format: "V d", then "word x1 ... xd" per line (UTF-8)."""
        if any(not w or any(ch.isspace() for ch in w) for w in self.words):
            raise ValueError("the word2vec text format cannot hold empty words or words "
                             "with spaces")
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f"{len(self)} {self.dim}\n")
            for w, v in zip(self.words, self.vectors):
                # str of a float32: the shortest decimal that reads back as the same float32
                f.write(w + " " + " ".join(map(str, v)) + "\n")
        tmp.replace(path)

    @staticmethod
    def check_file(path: str | Path, option: str = "--vectors") -> None:
        """A UserError unless `path` begins as the word2vec text format does (a line 'V d',
        then 'word x1 ... xd'): a config's check, before any run folder exists."""
        try:
            with open(user_path(path), encoding="utf-8") as f:
                V, d = (int(n) for n in f.readline().split())
                parts = f.readline().rstrip("\n").rstrip(" ").split(" ")
                if V < 1 or d < 1 or len(parts) != d + 1:
                    raise ValueError(f"its first word has {len(parts) - 1} numbers, not {d}")
                np.array(parts[1:], dtype=np.float32)
        except (OSError, UnicodeDecodeError, ValueError) as e:
            why = e.strerror if isinstance(e, OSError) and e.strerror else \
                "not UTF-8" if isinstance(e, UnicodeDecodeError) else str(e)
            raise UserError(f"{option} {path}: not word vectors in the word2vec text format "
                            f"(a line 'V d', then 'word x1 ... xd' per word): {why}") from None

    @classmethod
    def load(cls, path: str | Path) -> WordVectors:
        """Read the word2vec text format (ours, gensim's, or the original C tool's)."""
        path = Path(path)
        try:
            with open(path, encoding="utf-8") as f:
                V, d = (int(n) for n in f.readline().split())
                words, rows = [], np.empty((V, d), np.float32)
                for i in range(V):
                    parts = f.readline().rstrip("\n").rstrip(" ").split(" ")
                    if len(parts) != d + 1:
                        raise ValueError(f"line {i + 2} has {len(parts) - 1} numbers, not {d}")
                    words.append(parts[0])
                    rows[i] = np.array(parts[1:], dtype=np.float32)
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise DataError(f"cannot read {path} as word vectors in the word2vec text format "
                            f"(a line 'V d', then 'word x1 ... xd' per word): {e}") from None
        return cls(words, rows)
