"""word2vec: the Huffman tree, hierarchical softmax, negative sampling against autograd, the
noise and subsampling distributions, the compiled loop against a Python reference,
reproducibility, and that it learns."""

import numpy as np
import pytest
import torch

from nnzoo.models.embeddings import _w2v_kernels as kernels
from nnzoo.models.embeddings._w2v_kernels import lcg_next
from nnzoo.models.embeddings.word2vec import Word2Vec, huffman, keep_probability, noise_table

U64 = 1 << 64


def test_huffman_codes_by_hand():
    """counts 5, 3, 2, 1, 1: join 1+1 = 2, then 2+2 = 4, 3+4 = 7, 5+7 = 12, so the code
    lengths are 1, 2, 3, 4, 4; the root (syn1 row V-2 = 3) starts every path."""
    points, codes, lengths = huffman(np.array([5, 3, 2, 1, 1]))
    assert lengths.tolist() == [1, 2, 3, 4, 4]
    assert (points[:, 0] == 3).all()
    words = ["".join(map(str, codes[w, :lengths[w]])) for w in range(5)]
    assert all(not b.startswith(a) for a in words for b in words if a != b)  # prefix-free
    assert sum(2.0 ** -len(c) for c in words) == 1.0  # a full binary tree (Kraft equality)


def test_huffman_frequent_words_get_short_codes():
    counts = np.random.default_rng(0).zipf(1.5, 300) + 4
    _, codes, lengths = huffman(counts)
    order = np.argsort(-counts, kind="stable")
    assert (np.diff(lengths[order]) >= 0).all()  # a rarer word never has a shorter code
    words = {"".join(map(str, codes[w, :lengths[w]])) for w in range(300)}
    assert len(words) == 300
    assert sum(2.0 ** -lengths) == pytest.approx(1.0, abs=1e-12)


def hs_prob(h, syn1, points, codes, lengths, w):
    """prob(w) = Π_k σ((1 - 2 code_k) v'_{n_k}·h), float64 torch."""
    n, c = points[w, :lengths[w]], torch.as_tensor(codes[w, :lengths[w]], dtype=h.dtype)
    return torch.sigmoid((1 - 2 * c) * (syn1[n] @ h)).prod()


def test_hierarchical_softmax_probabilities_sum_to_one():
    counts = np.array([50, 20, 20, 9, 7, 3, 1])
    points, codes, lengths = huffman(counts)
    g = torch.Generator().manual_seed(0)
    syn1 = torch.randn(len(counts) - 1, 5, dtype=torch.float64, generator=g)
    h = torch.randn(5, dtype=torch.float64, generator=g)
    total = sum(hs_prob(h, syn1, points, codes, lengths, w) for w in range(len(counts)))
    assert float(total) == pytest.approx(1.0, abs=1e-12)


def ns_reference(h, targets, syn1, alpha):
    """The update the kernel makes, in torch: for each target j in turn (targets[0] = j*),
    g = alpha (t_j - σ(v'_j·h)); neu1e += g v'_j; v'_j += g h. Returns (neu1e, new syn1)."""
    syn1, neu1e = syn1.clone(), torch.zeros_like(h)
    for k, j in enumerate(targets):
        g = alpha * ((1.0 if k == 0 else 0.0) - torch.sigmoid(syn1[j] @ h))
        neu1e += g * syn1[j]
        syn1[j] += g * h
    return neu1e, syn1


def test_negative_sampling_update_is_minus_alpha_times_the_gradient():
    """E = -log σ(v'_{j*}·h) - Σ_{j∈W_neg} log σ(-v'_j·h): with distinct targets, the
    sequential update equals one gradient step, -alpha dE/dh and v' - alpha dE/dv'."""
    g = torch.Generator().manual_seed(1)
    h = torch.randn(6, dtype=torch.float64, generator=g).requires_grad_()
    syn1 = torch.randn(9, 6, dtype=torch.float64, generator=g).requires_grad_()
    targets, alpha = [4, 0, 7, 2], 0.3
    E = (-torch.log(torch.sigmoid(syn1[4] @ h))
         - torch.log(torch.sigmoid(-syn1[[0, 7, 2]] @ h)).sum())
    dh, dsyn1 = torch.autograd.grad(E, (h, syn1))
    neu1e, new = ns_reference(h.detach(), targets, syn1.detach(), alpha)
    torch.testing.assert_close(neu1e, -alpha * dh)
    torch.testing.assert_close(new, syn1.detach() - alpha * dsyn1)
    # the compiled step does the same in float32
    h32, syn1_32 = h.detach().float().numpy(), syn1.detach().float().numpy().copy()
    out = np.zeros(6, np.float32)
    kernels.ns_step(h32, np.array(targets, np.int64), len(targets), syn1_32, alpha, out)
    np.testing.assert_allclose(out, neu1e.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(syn1_32, new.numpy(), rtol=1e-5, atol=1e-6)


def test_hierarchical_softmax_update_is_minus_alpha_times_the_gradient():
    points, codes, lengths = huffman(np.array([9, 6, 4, 3, 1]))
    g = torch.Generator().manual_seed(2)
    h = torch.randn(4, dtype=torch.float64, generator=g).requires_grad_()
    syn1 = torch.randn(4, 4, dtype=torch.float64, generator=g).requires_grad_()
    w, alpha = 4, 0.2
    E = -torch.log(hs_prob(h, syn1, points, codes, lengths, w))
    dh, dsyn1 = torch.autograd.grad(E, (h, syn1))
    h32, syn1_32 = h.detach().float().numpy(), syn1.detach().float().numpy().copy()
    out = np.zeros(4, np.float32)
    kernels.hs_step(h32, points[w], codes[w], lengths[w], syn1_32, alpha, out)
    np.testing.assert_allclose(out, (-alpha * dh).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(syn1_32, (syn1 - alpha * dsyn1).detach().numpy(),
                               rtol=1e-5, atol=1e-6)


def alias_draw(threshold, alias, state):
    """Walker's alias method in Python, from the kernel's generator: (word, last state)."""
    state = lcg_next(state)
    j = (state >> 32) * len(alias) >> 32
    state = lcg_next(state)
    return (j if (state >> 32) < threshold[j] else int(alias[j])), state


def test_noise_distribution_is_the_unigram_to_the_three_quarters():
    counts = np.array([1000, 300, 100, 10, 5, 1])
    threshold, alias = noise_table(counts)
    p = counts ** 0.75 / (counts ** 0.75).sum()
    # exactly: P(j) = (threshold[j] / 2^32 + Σ_{k: alias[k] = j} (1 - threshold[k] / 2^32)) / V
    keep = threshold / 2 ** 32
    exact = (keep + np.bincount(alias, 1 - keep, minlength=6)) / 6
    np.testing.assert_allclose(exact, p, atol=1e-9)
    state, seen = np.uint64(7), np.zeros(6)
    for _ in range(40000):
        j, new = kernels.draw_noise(threshold, alias, state)
        assert (j, int(new) % U64) == alias_draw(threshold, alias, int(state))
        state = np.uint64(int(new) % U64)  # (numba may box it as signed)
        seen[j] += 1
    expected = 40000 * p
    assert (np.abs(seen - expected) < 5 * np.sqrt(expected) + 1).all()  # 5 standard deviations


def test_subsampling_probability_by_hand():
    """keep = (sqrt(f / s) + 1) s / f with f = count / N, at most 1."""
    keep = keep_probability(np.array([990, 10]), sample=1e-3)
    f = 0.99
    assert keep[0] == pytest.approx((np.sqrt(f / 1e-3) + 1) * 1e-3 / f, rel=1e-6)  # ~0.033
    assert keep[1] == pytest.approx((np.sqrt(0.01 / 1e-3) + 1) * 1e-3 / 0.01)  # 0.416
    assert (keep_probability(np.array([990, 10]), 0) == 1).all()
    assert keep_probability(np.array([10 ** 5, 1]), 1e-3)[1] == 1  # f = 1e-5: always kept


def reference_epoch(syn0, syn1, sents, keep, noise, points, codes, lengths, sg, hs, window,
                    negative, alpha, seed):
    """The kernel's loop in Python, drawing from the same generator, float64 torch."""
    state = seed

    def nxt():
        nonlocal state
        state = lcg_next(state)
        return state

    def out(h, word):
        nonlocal state
        if hs:
            n, c = points[word, :lengths[word]], torch.as_tensor(codes[word, :lengths[word]])
            neu1e = torch.zeros_like(h)
            for node, bit in zip(n, c):
                g = alpha * (1 - float(bit) - torch.sigmoid(syn1[node] @ h))
                neu1e += g * syn1[node]
                syn1[node] += g * h
            return neu1e
        draws = []
        for _ in range(negative):
            j, state = alias_draw(*noise, state)
            draws.append(j)
        targets = [word] + [j for j in draws if j != word]
        neu1e, syn1[:] = ns_reference(h, targets, syn1, alpha)
        return neu1e

    for sent in sents:
        draws = [nxt() for _ in sent]  # one draw per word, kept or not
        sent = [w for w, r in zip(sent, draws) if keep[w] >= 1 or keep[w] > (r >> 11) * 2.0 ** -53]
        for pos, word in enumerate(sent):
            b = (nxt() >> 16) % window
            ctx = [c for c in range(max(0, pos - window + b), min(len(sent), pos + window - b + 1))
                   if c != pos]
            if sg:
                for c in ctx:
                    syn0[sent[c]] += out(syn0[sent[c]].clone(), word)
            elif ctx:
                neu1e = out(syn0[[sent[c] for c in ctx]].mean(0), word)
                for c in ctx:
                    syn0[sent[c]] += neu1e


@pytest.mark.parametrize("sg,hs", [(True, False), (False, False), (True, True), (False, True)])
def test_compiled_loop_matches_the_python_reference(sg, hs):
    rng = np.random.default_rng(3)
    V, d = 6, 4
    counts = np.array([9, 7, 5, 4, 2, 1])
    sents = [[0, 1, 2, 0, 3], [4, 0, 1, 5, 2, 2], [1, 3]]
    ids = np.array([w for s in sents for w in s], np.int32)
    starts = np.array([0, 5, 11, 13], np.int64)
    syn0 = rng.uniform(-0.5, 0.5, (V, d)).astype(np.float32)
    syn1 = rng.uniform(-0.5, 0.5, (V - 1 if hs else V, d)).astype(np.float32)
    keep = np.array([0.5, 0.9, 1, 1, 1, 1], np.float32)
    noise = noise_table(counts)
    points, codes, lengths = huffman(counts)
    ref0, ref1 = torch.tensor(syn0, dtype=torch.float64), torch.tensor(syn1, dtype=torch.float64)
    reference_epoch(ref0, ref1, sents, keep, noise, points, codes, lengths, sg, hs, 2, 3, 0.1, 11)
    done = kernels.train_part(syn0, syn1, ids, starts, 0, 3, keep, *noise, points, codes,
                              lengths, sg, hs, 2, 3, 0.1, 0.1, 11)
    assert done == 13
    np.testing.assert_allclose(syn0, ref0.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(syn1, ref1.numpy(), rtol=1e-4, atol=1e-5)


def topics(n=400, seed=0):
    """Sentences of 8 words, each from one of two disjoint vocabularies."""
    rng = np.random.default_rng(seed)
    a, b = [f"a{i}" for i in range(10)], [f"b{i}" for i in range(10)]
    return [list(rng.choice(a if rng.random() < 0.5 else b, 8)) for _ in range(n)], a, b


@pytest.mark.parametrize("arch,output", [("skipgram", "ns"), ("cbow", "hs")])
def test_two_topics_end_up_nearer_within_than_across(arch, output):
    sents, a, b = topics()
    wv = Word2Vec(20, arch=arch, output=output, epochs=5, rng=0, sample=0).fit(sents).wv
    within = np.mean([wv.similarity(x, y) for t in (a, b) for x in t for y in t if x != y])
    across = np.mean([wv.similarity(x, y) for x in a for y in b])
    assert within > across + 0.3


def test_a_seed_makes_one_worker_reproducible_and_the_vocabulary_is_by_count():
    sents, _, _ = topics(100)
    sents += [["a0"] * 8] * 10
    m1 = Word2Vec(10, epochs=2, rng=5).fit(sents)
    m2 = Word2Vec(10, epochs=2, rng=5).fit(sents)
    m3 = Word2Vec(10, epochs=2, rng=6).fit(sents)
    assert np.array_equal(m1.wv.vectors, m2.wv.vectors)
    assert not np.array_equal(m1.wv.vectors, m3.wv.vectors)
    assert m1.wv.words[0] == "a0" and (np.diff(m1.counts_) <= 0).all()


def test_two_workers_train_and_rare_words_are_dropped():
    sents, a, b = topics()
    m = Word2Vec(10, epochs=1, workers=2, rng=0, min_count=5).fit(sents + [["hapax"]])
    assert "hapax" not in m.wv and len(m.wv) == 20 and np.isfinite(m.wv.vectors).all()


def test_gensim_reads_our_vectors(tmp_path):
    from gensim.models import KeyedVectors

    wv = Word2Vec(8, epochs=1, rng=0).fit(topics(50)[0]).wv
    wv.save(tmp_path / "v.txt")
    kv = KeyedVectors.load_word2vec_format(tmp_path / "v.txt")
    np.testing.assert_allclose(kv[wv.words], wv.vectors, rtol=1e-6)


def test_the_kernels_cache_in_nnzoos_folder_and_leave_numbas_setting_alone():
    import os

    from numba.core import config

    from nnzoo.data.cache import cache_dir

    assert config.CACHE_DIR == os.environ.get("NUMBA_CACHE_DIR", "")  # as numba read it
    for kernel in (kernels.train_part, kernels.ns_step, kernels.sigmoid):
        assert kernel._cache._cache_path.startswith(str(cache_dir() / "numba"))
