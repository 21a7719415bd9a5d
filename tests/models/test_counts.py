import numpy as np
import pytest

from nnzoo.models.embeddings.counts import cooccurrence, svd_embeddings


def test_counts_by_hand_on_a_short_sentence():
    # "the cat saw the dog": positions 0..4
    tokens = "the cat saw the dog".split()
    words, X = cooccurrence(tokens, window=1)
    assert words == ["cat", "dog", "saw", "the"]
    i = {w: k for k, w in enumerate(words)}
    # neighbours side by side: the-cat, cat-saw, saw-the, the-dog (each counted both ways)
    expected = np.zeros((4, 4), int)
    for a, b in [("the", "cat"), ("cat", "saw"), ("saw", "the"), ("the", "dog")]:
        expected[i[a], i[b]] += 1
        expected[i[b], i[a]] += 1
    assert np.array_equal(X, expected) and X.dtype == np.int64
    # window 2 adds the pairs two apart: the-saw (0, 2), cat-the (1, 3), saw-dog (2, 4)
    _, X2 = cooccurrence(tokens, window=2)
    assert X2[i["the"], i["saw"]] == 2 and X2[i["cat"], i["the"]] == 2
    assert X2[i["saw"], i["dog"]] == 1 and X2[i["cat"], i["dog"]] == 0  # 3 apart
    assert X2.sum() == 2 * (4 + 3)  # 4 pairs one apart, 3 two apart, both ways


def test_repeated_words_count_on_the_diagonal_from_each_side():
    words, X = cooccurrence(["very", "very", "big"], window=1)
    assert words == ["big", "very"] and X.tolist() == [[0, 1], [1, 2]]


def test_words_fix_the_order_and_others_take_up_room_without_counting():
    words, X = cooccurrence("a x b".split(), window=1, words=["b", "a"])
    assert words == ["b", "a"] and X.sum() == 0  # x separates a and b
    _, X = cooccurrence("a x b".split(), window=2, words=["b", "a"])
    assert X.tolist() == [[0, 1], [1, 0]]
    with pytest.raises(ValueError, match="window must be at least 1"):
        cooccurrence(["a"], window=0)


def test_symmetric_and_equal_to_a_count_over_all_pairs_of_positions():
    rng = np.random.default_rng(0)
    tokens = [str(w) for w in rng.integers(0, 7, size=200)]
    for window in (1, 3, 5):
        words, X = cooccurrence(tokens, window)
        assert np.array_equal(X, X.T)
        brute = np.zeros_like(X)
        for p in range(len(tokens)):
            for q in range(len(tokens)):
                if p != q and abs(p - q) <= window:
                    brute[words.index(tokens[p]), words.index(tokens[q])] += 1
        assert np.array_equal(X, brute)


def test_svd_embeddings_by_hand():
    # X = [[2, 1], [1, 2]]: s = 3 with u = (1, 1)/sqrt 2, s = 1 with u = (1, -1)/sqrt 2
    X = np.array([[2.0, 1.0], [1.0, 2.0]])
    r = 1 / np.sqrt(2)
    assert np.allclose(svd_embeddings(X, 1), [[r], [r]])
    assert np.allclose(svd_embeddings(X, 1, power=1), [[3 * r], [3 * r]])
    U = svd_embeddings(X, 2)
    assert np.allclose(U[:, 1] * np.sign(U[0, 1]), [r, -r])
    with pytest.raises(ValueError, match="dim must be between 1 and 2"):
        svd_embeddings(X, 3)


def test_svd_embeddings_reconstruct_x_and_keep_the_largest_singular_directions():
    rng = np.random.default_rng(1)
    _, X = cooccurrence([str(w) for w in rng.integers(0, 9, size=300)], window=2)
    X = X.astype(float)
    s = np.linalg.svd(X, compute_uv=False)
    V = len(X)
    U = svd_embeddings(X, V)
    assert np.allclose(U.T @ U, np.eye(V))  # orthonormal columns
    US = svd_embeddings(X, V, power=1)
    assert np.allclose(US, U * s)
    # X = U S V^T with V^T = S^-1 U^T X having orthonormal rows: the decomposition holds
    Vt = (U.T @ X) / s[:, None]
    assert np.allclose(Vt @ Vt.T, np.eye(V)) and np.allclose(U * s @ Vt, X)
    for k in (1, 2, 4):  # Eckart-Young: U_k U_k^T X is the best rank-k approximation
        Uk = svd_embeddings(X, k)
        err = np.linalg.norm(X - Uk @ Uk.T @ X) ** 2
        assert err == pytest.approx((s[k:] ** 2).sum(), rel=1e-9, abs=1e-9)
        assert np.all(np.abs(Uk).max(0) == Uk.max(0))  # largest entry positive


def test_context_agreement_orders_pairs_by_their_contexts():
    from nnzoo.data.rhymes import CROOKED_MAN, words
    from nnzoo.models.embeddings.counts import context_agreement, cosines

    # by hand: rows 0 and 1 share every neighbour, row 2 shares none with them
    X = np.array([[0, 2, 0, 1], [2, 0, 0, 1], [0, 0, 3, 0], [1, 1, 0, 0]])
    assert np.allclose(cosines(X)[0, 1], 0.2) and cosines(X)[0, 2] == 0
    assert context_agreement(X, X) == pytest.approx(1)
    assert context_agreement(X, -X) == pytest.approx(1)  # cosines ignore a common sign
    # the rhyme: its first two columns of U keep the contexts' order, columns 3-4, the
    # last two or random places do not
    _, X = cooccurrence(words(CROOKED_MAN), 1)
    U = np.linalg.svd(X.astype(float))[0]
    assert context_agreement(X, svd_embeddings(X, 2)) == pytest.approx(0.509, abs=1e-3)
    assert context_agreement(X, U[:, 2:4]) < 0.3 and context_agreement(X, U[:, -2:]) < 0
    rng = np.random.default_rng(0)
    chance = [context_agreement(X, rng.normal(size=(25, 2))) for _ in range(100)]
    assert abs(np.mean(chance)) < 0.05 and max(chance) < 0.3
