"""Symbol sequences from formal languages, for next-symbol prediction: a^n b^n, a^n b^n c^n,
the Reber grammar and the embedded Reber grammar; the long time lag task; written dates and
their ISO forms. Generated on the fly.

Every sequence comes with, for each position t, the set of symbols the language allows at
t + 1 after the symbols so far (`legal`, a boolean mask over the alphabet), and whether that
set has one member (`deterministic`). A network predicting the next symbol is then judged
as the course judges it: does it predict only legal symbols, and the deterministic ones
exactly?
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Sequence:
    """One string of symbols (indices into `alphabet`) and, for each of its positions t,
    what may come next: `legal[t]` (V,) over the alphabet, `target[t]` the symbol that does.
    The input is symbols[:-1], the target symbols[1:]."""

    alphabet: str
    symbols: np.ndarray  # (T + 1,) int
    legal: np.ndarray  # (T, V) bool: legal[t] = what may follow symbols[:t + 1]

    @property
    def inputs(self) -> np.ndarray:
        return self.symbols[:-1]

    @property
    def targets(self) -> np.ndarray:
        return self.symbols[1:]

    @property
    def deterministic(self) -> np.ndarray:
        """(T,) bool: positions whose next symbol the language fixes."""
        return self.legal.sum(axis=1) == 1

    def __str__(self) -> str:
        return "".join(self.alphabet[s] for s in self.symbols)


PAD = -100  # the target of padding positions (torch's cross_entropy ignore_index)


def one_hot(symbols: np.ndarray, size: int) -> np.ndarray:
    """(T,) indices -> (T, size) float32 one-hot rows."""
    return np.eye(size, dtype=np.float32)[symbols]


def counting(n: int, letters: str = "ab") -> Sequence:
    """a^n b^n (letters "ab") or a^n b^n c^n ("abc"), followed by the first a of the next
    string, as the strings follow one another in the course's stream. The number of a's is not
    known until the first b: while reading a's, another a or the first b may follow; from the
    first b on everything is fixed (the remaining b's, the c's, and the next string's a)."""
    if n < 1:
        raise ValueError(f"expected n >= 1, got {n}")
    V = len(letters)
    symbols = np.repeat(np.arange(V), n)
    symbols = np.append(symbols, 0)  # the next string's first a ends this one
    legal = np.zeros((len(symbols) - 1, V), dtype=bool)
    for t in range(len(symbols) - 1):
        legal[t, symbols[t + 1]] = True
        if t < n:  # after one or more a's: another a or the first b
            legal[t, 0] = True
            legal[t, 1] = True
    return Sequence(letters, symbols, legal)


def counting_stream(ns, letters: str = "ab") -> Sequence:
    """The strings a^n b^n (or a^n b^n c^n) for n in `ns`, one after another, as one sequence
    (each string's last symbol predicts the next string's first a)."""
    parts = [counting(n, letters) for n in ns]
    symbols = np.concatenate([p.symbols[:-1] for p in parts] + [[0]])
    legal = np.concatenate([p.legal for p in parts])
    return Sequence(letters, symbols, legal)


# The Reber grammar (Reber 1967; Cleeremans, Servan-Schreiber & McClelland 1989): a string
# starts with B, walks the graph below emitting one letter per edge, and ends with E.
REBER_ALPHABET = "BTPSXVE"
REBER_GRAPH = {  # node: ((letter, next node), ...); node 0 follows the B, node 5 emits E
    0: (("T", 1), ("P", 2)),
    1: (("S", 1), ("X", 3)),
    2: (("T", 2), ("V", 4)),
    3: (("X", 2), ("S", 5)),
    4: (("P", 3), ("V", 5)),
    5: (("E", None),),
}


def _reber_walk(rng: np.random.Generator) -> tuple[list[str], list[set[str]], list[int]]:
    """One Reber string from B to E, the set of legal letters after each of its letters but
    the last, and the graph's node after each of them (-1 after E)."""
    letters, allowed, nodes = ["B"], [], []
    node = 0
    while node is not None:
        edges = REBER_GRAPH[node]
        allowed.append({letter for letter, _ in edges})
        nodes.append(node)
        letter, node = edges[rng.integers(len(edges))]
        letters.append(letter)
    return letters, allowed, nodes


def _sequence(alphabet: str, letters: list[str], allowed: list[set[str]]) -> Sequence:
    symbols = np.array([alphabet.index(c) for c in letters])
    legal = np.zeros((len(letters) - 1, len(alphabet)), dtype=bool)
    for t, ok in enumerate(allowed):
        legal[t, [alphabet.index(c) for c in ok]] = True
    return Sequence(alphabet, symbols, legal)


def reber(rng: np.random.Generator) -> tuple[Sequence, np.ndarray]:
    """A Reber string, and the grammar's node (0-5) the walk is in after each input symbol
    (the state the hidden units should learn to tell apart)."""
    letters, allowed, nodes = _reber_walk(rng)
    return _sequence(REBER_ALPHABET, letters, allowed), np.array(nodes)


def embedded_reber(rng: np.random.Generator, min_inner: int = 0) -> Sequence:
    """B, then T or P, then a Reber string, then the same T or P again, then E. The second
    symbol is repeated at the second-to-last position, after a Reber string of any length:
    predicting it needs a memory across the whole inner string (the long-range symbol).
    min_inner > 0 draws inner strings until one has at least that many letters (a longer
    time lag; the strings are then Reber strings conditioned on their length)."""
    inner, allowed, _ = _reber_walk(rng)
    while len(inner) < min_inner:
        inner, allowed, _ = _reber_walk(rng)
    outer = "TP"[rng.integers(2)]
    letters = ["B", outer] + inner + [outer, "E"]
    allowed = [{"T", "P"}, {"B"}] + allowed + [{outer}, {"E"}]
    return _sequence(REBER_ALPHABET, letters, allowed)


def long_range_position(seq: Sequence) -> int:
    """The position t at which an embedded Reber string's long-range symbol is predicted
    (input: the inner string's E; target: the repeated T or P)."""
    return len(seq.symbols) - 3


def long_lag(n: int, lag: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The long time lag task with signal and noise on the same input line (Bengio, Simard &
    Frasconi 1994; Hochreiter & Schmidhuber 1997, experiment 3): n sequences of lag + 1 steps
    of two inputs, a marker and a value. At the first step the marker is 1 and the value,
    -1 or +1, is the signal; at each of the `lag` steps after it the marker is 0 and the
    value is -1 or +1 at random. After the last step the network must say what the signal
    was. -> (inputs (n, lag + 1, 2) float32, targets (n, lag + 1) int64: PAD except at the
    last position, which holds the signal's class, 0 for -1 and 1 for +1)."""
    if lag < 1:
        raise ValueError(f"expected lag >= 1, got {lag}")
    inputs = np.zeros((n, lag + 1, 2), dtype=np.float32)
    inputs[:, 0, 0] = 1  # the marker
    inputs[:, :, 1] = 2 * rng.integers(2, size=(n, lag + 1)) - 1  # the signal, then noise
    targets = np.full((n, lag + 1), PAD, dtype=np.int64)
    targets[:, -1] = inputs[:, 0, 1] > 0
    return inputs, targets


@dataclass
class Batch:
    """Sequences of different lengths padded into arrays, for a network reading (B, T, V)
    one-hot inputs. Padding positions have target PAD (ignored by cross_entropy's
    ignore_index) and mask False."""

    inputs: np.ndarray  # (B, T, V) float32 one-hot, zeros after the end
    targets: np.ndarray  # (B, T) int64, PAD after the end
    legal: np.ndarray  # (B, T, V) bool
    mask: np.ndarray  # (B, T) bool: a real position

    @property
    def deterministic(self) -> np.ndarray:
        """(B, T) bool: real positions whose next symbol the language fixes."""
        return self.mask & (self.legal.sum(axis=2) == 1)

    def judge(self, predicted: np.ndarray) -> dict[str, np.ndarray]:
        """For predicted next symbols (..., B, T) (e.g. the argmax of the network's outputs;
        leading dimensions for several networks): per sequence, whether every prediction
        was legal ("legal") and whether every deterministic one was right
        ("deterministic"), each (..., B) bool."""
        legal = np.take_along_axis(np.broadcast_to(self.legal, predicted.shape
                                                   + self.legal.shape[-1:]),
                                   predicted[..., None], axis=-1)[..., 0]
        right = predicted == self.targets
        return {"legal": (legal | ~self.mask).all(axis=-1),
                "deterministic": (right | ~self.deterministic).all(axis=-1)}


def batch(seqs: list[Sequence]) -> Batch:
    """Pad sequences (of one alphabet) into a Batch."""
    V, T = len(seqs[0].alphabet), max(len(s.inputs) for s in seqs)
    inputs = np.zeros((len(seqs), T, V), dtype=np.float32)
    targets = np.full((len(seqs), T), PAD, dtype=np.int64)
    legal = np.zeros((len(seqs), T, V), dtype=bool)
    mask = np.zeros((len(seqs), T), dtype=bool)
    for k, s in enumerate(seqs):
        n = len(s.inputs)
        inputs[k, :n], targets[k, :n] = one_hot(s.inputs, V), s.targets
        legal[k, :n], mask[k, :n] = s.legal, True
    return Batch(inputs, targets, legal, mask)


# ------------------------------------------------------------------ dates, for attention
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
DATE_FORMATS = ("{d} {month} {y}", "{month} {d}, {y}", "{dd}/{mm}/{y}", "{mon} {d} {y}")
DATE_INPUT = " ,/0123456789abcdefghijklmnopqrstuvwxyz"  # the input alphabet (0 is padding)
DATE_OUTPUT = "^-0123456789"  # the output alphabet; ^ starts the decoder


def date_pairs(n: int, rng: np.random.Generator, first_year: int = 1950,
               years: int = 100, exclude: set[str] = frozenset()) -> list[tuple[str, str]]:
    """n (written date, ISO date) pairs, e.g. ("7 september 1994", "1994-09-07"), each a
    uniformly random day of the years first_year .. first_year + years - 1 written in one of
    DATE_FORMATS; written dates in `exclude` are drawn again (to keep test dates unseen)."""
    import datetime

    start = datetime.date(first_year, 1, 1).toordinal()
    days = datetime.date(first_year + years, 1, 1).toordinal() - start
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n:
        day = datetime.date.fromordinal(start + int(rng.integers(days)))
        month = MONTHS[day.month - 1]
        written = DATE_FORMATS[rng.integers(len(DATE_FORMATS))].format(
            d=day.day, dd=f"{day.day:02d}", mm=f"{day.month:02d}", y=day.year, month=month,
            mon=month[:3])
        if written not in exclude:
            pairs.append((written, day.isoformat()))
    return pairs


def date_sources(written: str) -> list[frozenset[int] | None]:
    """For each of the 10 characters of a written date's ISO form (YYYY-MM-DD), the positions
    of the written characters it comes from: each year digit from that digit; the month's
    two digits from the month's name (all of its letters) or from the same digit of "mm";
    the day's two digits from the same digit of the day, or from its one digit ("7" gives
    both the 0 and the 7 of "07"). The hyphens come from nowhere (None)."""
    import re

    year = re.search(r"\d{4}", written).start()
    if "/" in written:  # dd/mm/yyyy
        month, day = [{3}, {4}], [{0}, {1}]
    else:
        word = re.search(r"[a-z]+", written).span()
        month = [set(range(*word))] * 2
        d = next(m.span() for m in re.finditer(r"\d+", written) if m.end() - m.start() <= 2)
        day = [{d[0]}, {d[1] - 1}]
    sources = [{year + k} for k in range(4)] + [None] + month + [None] + day
    return [None if s is None else frozenset(s) for s in sources]


def encode(strings: list[str], alphabet: str, pad_to: int | None = None) -> np.ndarray:
    """Strings -> (N, T) int64 indices into alphabet, shifted by one so that 0 pads."""
    T = pad_to or max(len(s) for s in strings)
    out = np.zeros((len(strings), T), dtype=np.int64)
    for i, s in enumerate(strings):
        out[i, :len(s)] = [alphabet.index(c) + 1 for c in s]
    return out


def decode(indices, alphabet: str) -> str:
    """The inverse of `encode` for one row (padding dropped)."""
    return "".join(alphabet[i - 1] for i in indices if i > 0)
