"""Test sets for word vectors, as shipped inside the gensim wheel (gensim/test/test_data/):

- questions-words.txt: the Google analogy set (Mikolov et al. 2013), 19,544 questions
  "a b c d" (a is to b as c is to d) in 14 sections, each headed by a line ": name"
  (capital-common-countries ... gram9-plural-verbs);
- wordsim353.tsv: WordSim-353 (Finkelstein et al. 2002), 353 pairs "w1<TAB>w2<TAB>score"
  (human judgements of relatedness, 0..10), after two "#" comment lines;
- simlex999.txt: SimLex-999 (Hill, Reichart and Korhonen 2015), 999 pairs in the same
  layout (judgements of similarity, 0..10).

Read back as a `WordTests`, all words lowercased. The wheel for Windows stores the three
files with "\\r\\n" line ends, the others with "\\n": the bytes are taken with "\\n" line ends
(the registered SHA-256s are of those), so every platform's wheel gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnzoo.data.sources import pip_download, zip_member
from nnzoo.errors import DataError

WHEEL = "gensim==4.4.0"
FOLDER = "gensim/test/test_data/"
FILES = ("questions-words.txt", "wordsim353.tsv", "simlex999.txt")
SHA256 = ("8c29b3332afc46f3fb8be04cb5297bf96f39aa7131272dff57869b4485b22a36",
          "f92a022fc2537793a15bc3a8c162ebcd74990e033a228bb6388cb71e4c0b1e1d",
          "d5e0501971478a511430ee880bd0121e94ac701ba86d90544d83e6d2ba3db05d")

Pair = tuple[str, str, float]


@dataclass
class WordTests:
    """analogies: {section: [(a, b, c, d), ...]} in the file's order (a : b :: c : d);
    wordsim353, simlex999: [(w1, w2, human score), ...]. All words lowercase."""

    analogies: dict[str, list[tuple[str, str, str, str]]]
    wordsim353: list[Pair]
    simlex999: list[Pair]

    def __repr__(self) -> str:
        n = sum(len(q) for q in self.analogies.values())
        return (f"WordTests({n:,} analogy questions in {len(self.analogies)} sections, "
                f"WordSim-353: {len(self.wordsim353)} pairs, SimLex-999: "
                f"{len(self.simlex999)} pairs)")


def download(dest: Path) -> tuple[bytes, bytes, bytes]:
    """pip download the gensim wheel; the three files' bytes with "\\n" line ends."""
    wheel = pip_download(WHEEL, dest)
    return tuple(zip_member(wheel, FOLDER + f).replace(b"\r\n", b"\n") for f in FILES)


def _lines(raw: bytes, name: str) -> list[tuple[int, str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{name} is not UTF-8 text: {e}") from None
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def parse_analogies(raw: bytes, name: str = FILES[0]) -> dict[str, list[tuple[str, ...]]]:
    """questions-words.txt -> {section: [(a, b, c, d), ...]}, lowercased."""
    sections: dict[str, list[tuple[str, ...]]] = {}
    current = None
    for n, line in _lines(raw, name):
        if line.startswith(":"):
            current = line[1:].strip()
            sections.setdefault(current, [])
            continue
        words = line.lower().split()
        if current is None or len(words) != 4:
            raise DataError(f"{name} line {n}: expected four words after a ': section' "
                            f"line, got {line[:60]!r}")
        sections[current].append(tuple(words))
    return sections


def parse_pairs(raw: bytes, name: str) -> list[Pair]:
    """"w1<TAB>w2<TAB>score" lines ("#" lines are comments) -> [(w1, w2, score)], lowercased."""
    pairs = []
    for n, line in _lines(raw, name):
        if line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            w1, w2, score = parts
            pairs.append((w1.strip().lower(), w2.strip().lower(), float(score)))
        except ValueError:
            raise DataError(f"{name} line {n}: expected 'word<TAB>word<TAB>score', got "
                            f"{line[:60]!r}") from None
    return pairs


def convert(raw: tuple[bytes, bytes, bytes]) -> dict[str, np.ndarray]:
    """The three files -> arrays: questions (N, 4) str, section (N,) int (an index into
    sections), and per similarity set its (M, 2) words and (M,) scores."""
    analogies = parse_analogies(raw[0])
    questions = [q for qs in analogies.values() for q in qs]
    arrays = {"questions": np.array(questions, dtype=str).reshape(-1, 4),
              "section": np.repeat(np.arange(len(analogies)),
                                   [len(qs) for qs in analogies.values()]).astype(np.int64),
              "sections": np.array(list(analogies), dtype=str)}
    for key, data, name in (("wordsim353", raw[1], FILES[1]), ("simlex999", raw[2], FILES[2])):
        pairs = parse_pairs(data, name)
        arrays[f"{key}_words"] = np.array([p[:2] for p in pairs], dtype=str).reshape(-1, 2)
        arrays[f"{key}_scores"] = np.array([p[2] for p in pairs], dtype=np.float64)
    return arrays


def read(arrays: dict[str, np.ndarray], meta: dict) -> WordTests:
    """The cached arrays -> WordTests."""
    sections = [str(s) for s in arrays["sections"]]
    analogies: dict[str, list[tuple[str, str, str, str]]] = {s: [] for s in sections}
    for q, k in zip(arrays["questions"].tolist(), arrays["section"].tolist()):
        analogies[sections[k]].append(tuple(q))

    def pairs(key: str) -> list[Pair]:
        return [(a, b, float(s)) for (a, b), s in zip(arrays[f"{key}_words"].tolist(),
                                                      arrays[f"{key}_scores"].tolist())]

    return WordTests(analogies, pairs("wordsim353"), pairs("simlex999"))
