"""The grammar generators produce only legal strings, and say exactly what may come next."""

import functools
import re

import numpy as np
import pytest

from nnzoo.data.sequences import (
    PAD,
    REBER_ALPHABET,
    batch,
    counting,
    counting_stream,
    date_pairs,
    date_sources,
    embedded_reber,
    long_range_position,
    one_hot,
    reber,
)

# The Reber grammar as a regular expression (independent of the generator's graph table).
# node 3 = after TS*X, node 4 = after PT*V; from 3: X T* V to 4, or S to the end;
# from 4: P to 3, or V to the end
REBER_EXACT = re.compile(r"^B(TS*X(XT*VP)*(S|XT*VV)|PT*V(P(XT*VP)*(S|XT*VV)|V))E$")


def test_anbn_by_hand():
    s = counting(3)
    assert str(s) == "aaabbba"
    #            after: a     a     a     b   b   b
    assert s.legal.tolist() == [[1, 1], [1, 1], [1, 1], [0, 1], [0, 1], [1, 0]]
    assert s.deterministic.tolist() == [False, False, False, True, True, True]
    assert (s.targets == s.symbols[1:]).all() and len(s.inputs) == 6


def test_anbncn_fixes_everything_from_the_first_b():
    s = counting(2, "abc")
    assert str(s) == "aabbcca"
    assert s.deterministic.tolist() == [False, False, True, True, True, True]
    stream = counting_stream([1, 2], "abc")
    assert str(stream) == "abcaabbcca" and stream.legal.shape == (9, 3)
    assert stream.legal[np.arange(9), stream.targets].all()  # the next symbol is always legal


def test_reber_strings_are_grammatical_and_their_legal_sets_are_the_grammars():
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(200):
        s, nodes = reber(rng)
        text = str(s)
        seen.add(text)
        assert REBER_EXACT.match(text), text
        assert s.legal[np.arange(len(s.targets)), s.targets].all()
        assert len(nodes) == len(s.inputs) and nodes[0] == 0 and nodes[-1] == 5
        # the grammar fixes the next letter only at the end (S or V leads to E) and nowhere else
        assert s.deterministic.tolist() == [False] * (len(s.inputs) - 1) + [True]
        # a letter is legal next exactly when appending it keeps a prefix of some string
        for t in range(len(s.inputs)):
            for v, letter in enumerate(REBER_ALPHABET):
                prefix = text[:t + 1] + letter
                assert s.legal[t, v] == _is_reber_prefix(prefix), prefix
    assert {"BTXSE", "BPVVE"} <= seen


@functools.cache
def _is_reber_prefix(prefix):
    # a prefix can be completed to a Reber string: try every continuation of up to 4
    # letters (from any node of the grammar the end is at most 4 letters away)
    frontier = {prefix}
    for _ in range(4):
        if any(REBER_EXACT.match(p) for p in frontier):
            return True
        frontier = {p + c for p in frontier for c in REBER_ALPHABET}
        frontier = {p for p in frontier if _may_grow(p)}
    return any(REBER_EXACT.match(p) for p in frontier)


def _may_grow(p):
    # prune strings already ungrammatical: some string of the grammar starts with p up to
    # a cheap check (no letter after E, one B at the start)
    return p.count("E") <= 1 and p.count("B") == 1 and (p.find("E") in (-1, len(p) - 1))


def test_embedded_reber_repeats_its_second_symbol_before_the_end():
    rng = np.random.default_rng(1)
    for _ in range(300):
        s = embedded_reber(rng)
        text = str(s)
        assert text[0] == "B" and text[1] in "TP" and text[-2] == text[1] and text[-1] == "E"
        assert REBER_EXACT.match(text[2:-2]), text
        t = long_range_position(s)
        assert text[t] == "E" and s.targets[t] == REBER_ALPHABET.index(text[1])
        assert s.deterministic[t] and s.legal[t].sum() == 1
        assert s.legal[np.arange(len(s.targets)), s.targets].all()


def test_one_hot_and_bad_n():
    assert one_hot(np.array([2, 0]), 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    with pytest.raises(ValueError, match="n >= 1"):
        counting(0)


def test_batches_pad_and_judge_predictions():
    b = batch([counting(1), counting(2)])  # "aba" and "aabba"
    assert b.inputs.shape == (2, 4, 2) and b.mask.tolist() == [[1, 1, 0, 0], [1, 1, 1, 1]]
    assert b.targets[0].tolist() == [1, 0, PAD, PAD]
    right = np.where(b.mask, b.targets, 0)
    assert b.judge(right)["deterministic"].all() and b.judge(right)["legal"].all()
    wrong = right.copy()
    wrong[1, 0] = 1  # "a" -> "b": legal (the count is unknown), not deterministic
    wrong[1, 3] = 1  # after the last b, "b" instead of the next string's "a": illegal
    judged = b.judge(wrong)
    assert judged["legal"].tolist() == [True, False]
    assert judged["deterministic"].tolist() == [True, False]
    two_nets = np.stack([right, wrong])  # (R, B, T)
    assert b.judge(two_nets)["legal"].tolist() == [[True, True], [True, False]]


def test_date_sources_by_hand():
    assert date_sources("07/09/1994") == [{6}, {7}, {8}, {9}, None, {3}, {4}, None, {0}, {1}]
    month = set(range(2, 11))  # "september" in "7 september 1994"
    assert date_sources("7 september 1994") == [{12}, {13}, {14}, {15}, None, month, month,
                                                 None, {0}, {0}]
    assert date_sources("sep 17 1994")[5:] == [{0, 1, 2}, {0, 1, 2}, None, {4}, {5}]
    assert date_sources("may 3, 2001")[:4] == [{7}, {8}, {9}, {10}]


def test_every_iso_digit_comes_from_the_same_digit_or_its_month_name():
    """Read back through its sources, each written date gives its own ISO date."""
    from nnzoo.data.sequences import MONTHS

    for written, iso in date_pairs(300, np.random.default_rng(0)):
        for out, source in zip(iso, date_sources(written)):
            if source is None:
                assert out == "-"
                continue
            read = "".join(written[j] for j in sorted(source))
            if read.isalpha():  # a month's name: its number is the ISO month
                assert iso[5:7] == f"{[m[:len(read)] for m in MONTHS].index(read) + 1:02d}"
            else:
                assert read == out or (read != "0" and out == "0" and len(read) == 1)


def test_long_lag_hides_the_signal_among_noise_on_its_own_line():
    from nnzoo.data.sequences import long_lag

    x, t = long_lag(500, 7, np.random.default_rng(0))
    assert x.shape == (500, 8, 2) and t.shape == (500, 8)
    assert (x[:, 0, 0] == 1).all() and (x[:, 1:, 0] == 0).all()  # the marker: first step only
    assert set(np.unique(x[:, :, 1])) == {-1.0, 1.0}
    assert (t[:, :-1] == PAD).all() and (t[:, -1] == (x[:, 0, 1] > 0)).all()
    # the answer is the first value, not a later one: the noise is independent of it
    for k in range(1, 8):
        assert abs(np.mean((x[:, k, 1] > 0) == t[:, -1]) - 0.5) < 0.1
    assert 0.4 < t[:, -1].mean() < 0.6
    with pytest.raises(ValueError, match="lag >= 1"):
        long_lag(3, 0, np.random.default_rng(0))
