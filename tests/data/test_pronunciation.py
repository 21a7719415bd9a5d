import hashlib
import itertools
from dataclasses import replace

import numpy as np
import pytest

from nnzoo.data import DATASETS, load
from nnzoo.data.pronunciation import (
    BOUNDARY,
    CHUNKS,
    LETTERS,
    PHONEMES,
    Aligner,
    align_words,
    convert_cmudict,
    decode,
    encode,
    parse_cmudict,
    pronounce,
    sample,
    window_text,
    windows,
)
from nnzoo.errors import DataError

DICT = """\
'bout B AW1 T
a AH0
a(2) EY1
a.m. EY2 EH1 M
able EY1 B AH0 L
aalborg AO1 L B AO0 R G # place, danish
box B AA1 K S
x-ray EH1 K S R EY2
phone F OW1 N
phone(2) F OW0 N IY0
"""


def test_the_dictionary_keeps_first_pronunciations_of_letter_words_without_stress():
    pairs, dropped = parse_cmudict(DICT)
    assert pairs == [("a", ("AH",)), ("able", ("EY", "B", "AH", "L")),
                     ("aalborg", ("AO", "L", "B", "AO", "R", "G")), ("box", ("B", "AA", "K", "S")),
                     ("phone", ("F", "OW", "N"))]
    assert dropped == {"alternative pronunciations": 2, "words with non-letters": 3}
    assert len(PHONEMES) == 39 and len(set(PHONEMES)) == 39


def test_unknown_phonemes_are_a_data_error():
    with pytest.raises(DataError, match=r"line 2 .* unknown phonemes QQ"):
        parse_cmudict("cat K AE1 T\ndog D QQ1 G\n")


def test_arrays_give_back_the_pairs():
    pairs = parse_cmudict(DICT)[0]
    arrays = convert_cmudict(DICT.encode("utf-8"))
    assert arrays["letters"].dtype == np.uint8 and arrays["letters"].max() < 26
    assert arrays["letter_ends"].tolist() == [1, 5, 12, 15, 20]
    assert decode(arrays) == pairs == decode(encode(pairs))


def test_cmudict_is_fetched_checked_converted_and_read_as_pairs(tmp_path, monkeypatch):
    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "cache"))
    raw = DICT.encode("utf-8")
    local = replace(DATASETS["cmudict"], download=lambda dest: raw,
                    sha256=hashlib.sha256(raw).hexdigest())
    monkeypatch.setitem(DATASETS, "cmudict", local)
    assert load("cmudict") == parse_cmudict(DICT)[0]
    assert (tmp_path / "cache" / "cmudict" / "letters.npy").exists()
    assert load("cmudict", fetch=False)[-1] == ("phone", ("F", "OW", "N"))  # from the cache


def test_the_embedded_sample():
    words = sample()
    assert len(words) == 150 and ("cat", ("K", "AE", "T")) in words


def test_windows_pad_the_word_edges():
    X = windows(["cat", "a"], 3)  # (4, 3)
    c, a, t = 2, 0, 19
    assert X.tolist() == [[BOUNDARY, c, a], [c, a, t], [a, t, BOUNDARY],
                          [BOUNDARY, a, BOUNDARY]]
    assert [window_text(x) for x in windows(["cat"], 5)] == ["..cat", ".cat.", "cat.."]


# --------------------------------------------------------------------------- alignment
def table(entries: dict[tuple[str, str], float], floor: float = 1e-6) -> np.ndarray:
    """log p(c | l) with the given entries and `floor` elsewhere (rows not normalised: the
    dynamic programme does not need them to be)."""
    p = np.full((26, len(CHUNKS)), floor)
    for (letter, chunk), value in entries.items():
        p[LETTERS.index(letter), CHUNKS.index(chunk)] = value
    return np.log(p)


def aligner_with(log_p: np.ndarray) -> Aligner:
    a = Aligner()
    a.log_p_, a.counts_ = log_p, np.ones_like(log_p)
    return a


HAND = {("c", "K"): 0.5, ("a", "AE"): 0.5, ("t", "T"): 0.5,
        ("p", "F"): 0.4, ("p", "_"): 0.3, ("h", "_"): 0.5, ("h", "F"): 0.2, ("o", "OW"): 0.6,
        ("n", "N"): 0.7, ("e", "_"): 0.6,
        ("b", "B"): 0.8, ("o", "AA"): 0.3, ("x", "K+S"): 0.5, ("x", "K"): 0.2, ("x", "S"): 0.2}


def test_the_dynamic_programme_on_worked_examples():
    a = aligner_with(table(HAND))
    words = [("cat", ("K", "AE", "T")), ("phone", ("F", "OW", "N")),
             ("box", ("B", "AA", "K", "S")), ("mr", ("M", "IH", "S", "T", "ER"))]
    assert a.align(words) == [("K", "AE", "T"),
                              # p -> F, h -> _ (0.4 x 0.5) beats p -> _, h -> F (0.3 x 0.2)
                              ("F", "_", "OW", "N", "_"),
                              # 3 letters, 4 phonemes: x says K+S (0.5 beats 1e-6 x 0.2 ...)
                              ("B", "AA", "K+S"),
                              None]  # 5 phonemes cannot come from 2 letters
    # the summed log-likelihood: log(.5^3) + log(.4 .5 .6 .7 .6) + log(.8 .3 .5)
    expected = np.log(0.5 ** 3) + np.log(0.4 * 0.5 * 0.6 * 0.7 * 0.6) + np.log(0.8 * 0.3 * 0.5)
    assert a._viterbi(words, a.log_p_)[1] == pytest.approx(expected, rel=1e-12)


def brute_force(word, phones, log_p):
    """The best split of `phones` into one chunk of 0..2 phonemes per letter, by trying all."""
    best, best_ll = None, -np.inf
    for sizes in itertools.product((0, 1, 2), repeat=len(word)):
        if sum(sizes) != len(phones):
            continue
        j, chunks = 0, []
        for size in sizes:
            chunks.append("+".join(phones[j:j + size]) or "_")
            j += size
        ll = sum(log_p[LETTERS.index(c), CHUNKS.index(k)] for c, k in zip(word, chunks))
        if ll > best_ll:
            best, best_ll = tuple(chunks), ll
    return best, best_ll


def test_the_dynamic_programme_finds_the_best_of_all_alignments():
    rng = np.random.default_rng(0)
    log_p = np.log(rng.dirichlet(np.ones(len(CHUNKS)), size=26))  # (26, K): no ties
    words = []
    for _ in range(60):  # words of different lengths (letters not repeated), in one batch
        n = int(rng.integers(1, 7))
        m = int(rng.integers(1, 2 * n + 1))
        words.append(("".join(rng.choice(list(LETTERS), n, replace=False)),
                      tuple(rng.choice(PHONEMES, m))))
    a = aligner_with(log_p)
    found, total = a._viterbi(words, log_p, batch=16)
    expected = [brute_force(w, ps, log_p) for w, ps in words]
    assert [None if c is None else tuple(CHUNKS[k] for k in c) for c in found] == \
        [e for e, _ in expected]
    assert total == pytest.approx(sum(ll for _, ll in expected), rel=1e-9)


def test_hard_em_raises_the_likelihood_and_learns_the_x_of_box():
    a = Aligner(iterations=10).fit(sample())
    ll = a.loglik_
    assert all(later >= earlier for earlier, later in zip(ll, ll[1:]))
    assert ll[-1] > ll[0] + 100  # far better than the co-occurrence start
    assert a.align([("box", ("B", "AA", "K", "S"))]) == [("B", "AA", "K+S")]
    assert a.unaligned_ == 0 and a.symbols_[0] == "_" and "K+S" in a.symbols_
    shares = a.shares()
    assert 0.1 < shares["silent"] < 0.4 and 0 < shares["two"] < 0.05


def test_held_out_words_keep_to_the_symbols_the_fit_used():
    a = Aligner().fit(sample())
    unseen = [("ox", ("AA", "K", "S")), ("zzz", ("Z", "Z", "Z", "Z", "Z", "Z"))]
    assert a.align(unseen, only_seen=True) == [("AA", "K+S"), None]  # Z+Z never used
    aligned = align_words(a, unseen, only_seen=True)
    assert aligned.words == ["ox"] and aligned.unaligned == 1
    assert pronounce(aligned.chunks[0]) == aligned.phonemes[0] == ("AA", "K", "S")
