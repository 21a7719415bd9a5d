"""Analogy accuracy with coverage, and Spearman's rho: by hand, and equal to gensim's
evaluate_word_analogies / evaluate_word_pairs on the same vectors."""

import numpy as np
import pytest

from nnzoo.models.embeddings.evaluate import Score, analogies, ranks, similarity, spearman
from nnzoo.models.embeddings.vectors import WordVectors


def small():
    # king - man + woman = queen exactly, in unit vectors (as in test_word_vectors)
    words = ["man", "woman", "king", "queen", "apple"]
    v = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 1], [-1, -1, 0.2]], np.float32)
    return WordVectors(words, v * np.array([[1], [2], [3], [4], [5]], np.float32))


def test_analogies_by_hand():
    questions = {"royal": [("man", "king", "woman", "queen"),  # right: queen is nearest
                           ("man", "king", "woman", "apple"),  # wrong answer expected
                           ("man", "king", "woman", "prince")],  # not covered
                 "fruit": [("apple", "man", "king", "woman")]}
    s = analogies(small(), questions)
    assert s == {"royal": Score(1, 2, 3), "fruit": Score(0, 1, 1), "total": Score(1, 3, 4)}
    assert s["royal"].accuracy == 0.5 and s["total"].coverage == 0.75
    # restricted to the three most frequent words no question has all four words
    assert analogies(small(), questions, restrict=3)["total"] == Score(0, 0, 4)
    assert np.isnan(Score(0, 0, 4).accuracy)


def test_ranks_and_spearman_by_hand():
    assert ranks(np.array([10.0, 30, 20, 20])).tolist() == [1, 4, 2.5, 2.5]
    assert spearman([1, 2, 3], [5, 6, 7]) == pytest.approx(1)
    assert spearman([1, 2, 3], [7, 6, 5]) == pytest.approx(-1)
    # ranks (1, 2, 3) against (1, 3, 2): 1 - 6 sum d^2 / (n (n^2 - 1)) = 1 - 12/24
    assert spearman([1, 2, 3], [0.1, 0.9, 0.5]) == pytest.approx(0.5)


def test_similarity_by_hand():
    wv = small()
    # cosines: man-king 1/sqrt 2 (rank 3), king-queen 1/2 (rank 2), man-apple < 0 (rank 1);
    # human scores rank them 2, 3, 1: d = (1, -1, 0), rho = 1 - 6 * 2 / (3 * 8) = 0.5
    pairs = [("man", "king", 9.0), ("king", "queen", 9.5), ("man", "apple", 1.0),
             ("man", "prince", 5.0)]
    rho, covered, total = similarity(wv, pairs)
    assert (covered, total) == (3, 4) and rho == pytest.approx(0.5)
    assert similarity(wv, pairs, restrict=2)[1:] == (0, 4)


def planted(seed=0, V=400, d=20):
    """Random vectors in which some analogies hold: for each section an offset o, and pairs
    (x, x + o); the words come in frequency order, some beyond a restriction of 300."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(V, d)).astype(np.float32)
    words = [f"w{i}" for i in range(V)]
    questions = {}
    for s, noise in enumerate((0.05, 0.3, 1.5)):  # easy, middling, mostly wrong
        offset = rng.normal(size=d) * 3
        firsts = rng.choice(V, size=12, replace=False)
        seconds = []
        for x in firsts:  # the second word of each pair: a free slot, near x + offset
            y = int(rng.integers(V))
            while y in firsts or y in seconds:
                y = int(rng.integers(V))
            vectors[y] = vectors[x] + offset + noise * rng.normal(size=d)
            seconds.append(y)
        pairs = list(zip(firsts, seconds))
        questions[f"section-{s}"] = [(words[a], words[b], words[c], words[e])
                                     for a, b in pairs for c, e in pairs if a != c]
    return WordVectors(words, vectors), questions


def test_analogies_equal_gensims(tmp_path):
    gensim = pytest.importorskip("gensim")
    wv, questions = planted()
    kv = gensim.models.KeyedVectors(wv.dim)
    kv.add_vectors(wv.words, wv.vectors)
    path = tmp_path / "questions.txt"
    path.write_text("".join(f": {s}\n" + "".join(" ".join(q) + "\n" for q in qs)
                            for s, qs in questions.items()))
    ours = analogies(wv, questions, restrict=300)
    _, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=300)
    theirs = {s["section"]: (len(s["correct"]), len(s["correct"]) + len(s["incorrect"]))
              for s in sections}
    for s in questions:
        assert (ours[s].correct, ours[s].covered) == theirs[s], s
    assert (ours["total"].correct, ours["total"].covered) == theirs["Total accuracy"]
    assert ours["section-0"].accuracy > 0.8  # the planted answers are found
    assert 0 < ours["total"].correct < ours["total"].covered  # and some are missed
    assert 0 < ours["total"].covered < ours["total"].total  # the restriction bites


def test_similarity_equals_gensims(tmp_path):
    gensim = pytest.importorskip("gensim")
    wv, _ = planted(seed=1)
    rng = np.random.default_rng(2)
    pairs = []
    for _ in range(60):
        i, j = rng.integers(len(wv), size=2)
        # scores follow the cosines loosely, rounded so that some tie
        score = round(5 + 5 * wv.similarity(wv.words[i], wv.words[j]) + rng.normal(), 0)
        pairs.append((wv.words[i], wv.words[j], score))
    pairs.append(("w1", "nowhere", 3.0))
    kv = gensim.models.KeyedVectors(wv.dim)
    kv.add_vectors(wv.words, wv.vectors)
    path = tmp_path / "pairs.tsv"
    path.write_text("# a comment\n" + "".join(f"{a}\t{b}\t{s}\n" for a, b, s in pairs))
    rho, covered, total = similarity(wv, pairs)
    _, (g_rho, _), oov_percent = kv.evaluate_word_pairs(str(path))
    assert rho == pytest.approx(g_rho, abs=1e-6) and rho > 0.3
    assert (covered, total) == (60, 61) and oov_percent == pytest.approx(100 / 61)
    assert len({s for _, _, s in pairs}) < 30  # ties were there to average
