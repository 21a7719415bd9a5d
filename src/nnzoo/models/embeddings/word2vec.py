"""word2vec (Mikolov et al. 2013): CBOW and skip-gram, hierarchical softmax and negative sampling.

Each word w has an input vector v_w (a row of syn0, the word vectors learnt) and the output
layer has vectors v' (rows of syn1). The hidden layer h is

    CBOW:       h = (1/|C|) Σ_{c∈C} v_c    (the context C predicts the centre word w)
    skip-gram:  h = v_c                    (for each context word c; each pair trains once)

and the output layer is either

    hierarchical softmax:  prob(w) = Π_k σ((1 - 2 code_k) v'_{n_k}·h) along the path of inner
                           nodes n_k from the root of a Huffman tree of word counts to w
                           (code_k = 0 when the path goes to the left child, else 1), or
    negative sampling:     E = -log σ(v'_{w}·h) - Σ_{j∈W_neg} log σ(-v'_j·h), with W_neg
                           `negative` words drawn from P(j) ∝ count_j^0.75,

σ the logistic sigmoid 1 / (1 + exp(-x)), trained by stochastic gradient descent, one
(h, target) at a time. As in the C tool and gensim: frequent words are subsampled (word w of
frequency f_w = count_w / N kept with probability (sqrt(f_w / s) + 1) s / f_w, s = `sample`),
the window is shrunk at random (b uniform in 0..window-1, then window - b words each side),
the learning rate falls linearly from `alpha` to `min_alpha` over the whole training, and
words rarer than `min_count` are dropped from the sentences before the windows are taken.

The inner loop is compiled with numba on first use and cached (`_w2v_kernels`); `workers`
threads train disjoint parts of the corpus at once on the shared weights. One worker with a
seed is exactly reproducible; several are not (their updates interleave), as in gensim.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

import numpy as np

from nnzoo.data.text import Corpus
from nnzoo.models.embeddings.vectors import WordVectors
from nnzoo.random import Stream, as_stream


def huffman(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Huffman tree of `counts` (V,), built as the C tool does: repeatedly join the two
    nodes of least count; inner node V + a (a = 0..V-2) is row a of syn1, the root is
    V - 2. Returns points (V, L) (inner nodes on the path from the root to each word, as
    syn1 rows), codes (V, L) uint8 (0 = the path goes on to the first-joined child, 1 =
    the second) and lengths (V,), L the longest code."""
    counts = np.asarray(counts, np.int64)
    V = len(counts)
    if V < 2:
        raise ValueError("a Huffman tree needs at least two words")
    order = np.argsort(-counts, kind="stable")  # the two-queue method needs them sorted
    count = np.concatenate([counts[order], np.full(V - 1, np.iinfo(np.int64).max)])
    parent = np.zeros(2 * V - 1, np.int64)
    bit = np.zeros(2 * V - 1, np.uint8)
    leaf, inner = V - 1, V  # leaves from the rarest up; inner nodes in order of creation
    for a in range(V - 1):
        pair = []
        for _ in range(2):  # the least of the next leaf and the next inner node
            if leaf >= 0 and count[leaf] < count[inner]:
                pair.append(leaf)
                leaf -= 1
            else:
                pair.append(inner)
                inner += 1
        count[V + a] = count[pair[0]] + count[pair[1]]
        parent[pair] = V + a
        bit[pair[1]] = 1
    paths = []
    for w in range(V):
        node, path = w, []
        while node != 2 * V - 2:  # up to the root
            path.append((parent[node] - V, bit[node]))
            node = parent[node]
        paths.append(path[::-1])
    L = max(len(p) for p in paths)
    points, codes = np.zeros((V, L), np.int32), np.zeros((V, L), np.uint8)
    lengths = np.zeros(V, np.int32)
    for rank, path in enumerate(paths):
        w = order[rank]
        lengths[w] = len(path)
        points[w, :len(path)] = [p for p, _ in path]
        codes[w, :len(path)] = [c for _, c in path]
    return points, codes, lengths


def noise_table(counts: np.ndarray, power: float = 0.75) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table of P(j) ∝ count_j^power: (threshold (V,) int64, alias (V,) int32)
    such that drawing a column j uniformly from 0..V-1, then keeping j with probability
    threshold[j] / 2^32 and taking alias[j] otherwise, draws from P exactly (up to 2^-32).
    Two lookups in arrays of V entries, which stay in the cache, where a binary search over
    the cumulative weights takes log2(V) steps and the C tool's 10^8-entry table does not
    fit in it. Built by Vose's method: columns of P(j) V below 1 are topped up from one above.
    """
    p = np.asarray(counts, np.float64) ** power
    scaled = p / p.sum() * len(p)  # (V,) mean 1
    alias = np.arange(len(p), dtype=np.int32)
    small = [j for j in range(len(p)) if scaled[j] < 1]
    large = [j for j in range(len(p)) if scaled[j] >= 1]
    while small and large:
        j, k = small.pop(), large[-1]
        alias[j] = k  # column j: itself with probability scaled[j], else k
        scaled[k] -= 1 - scaled[j]
        if scaled[k] < 1:
            small.append(large.pop())
    for j in small + large:  # left over (rounding): full columns
        scaled[j] = 1
    threshold = np.minimum(np.rint(scaled * 2 ** 32), 2 ** 32).astype(np.int64)
    return threshold, alias


def keep_probability(counts: np.ndarray, sample: float) -> np.ndarray:
    """(V,) float32 probability of keeping each occurrence of a word: with f = count / N,
    (sqrt(f / sample) + 1) sample / f, at most 1 (sample = 0: keep every word)."""
    counts = np.asarray(counts, np.float64)
    if sample <= 0:
        return np.ones(len(counts), np.float32)
    f = counts / counts.sum()
    return np.minimum((np.sqrt(f / sample) + 1) * sample / f, 1.0).astype(np.float32)


class Word2Vec:
    """word2vec, trained by `fit(sentences)`; the word vectors are `.wv` (a `WordVectors`,
    its vocabulary sorted by descending count, so `restrict=k` means the k most frequent).

    Defaults are the C tool's and gensim's (gensim's alpha also for CBOW).
    """

    def __init__(self, vector_size: int = 100, *, arch: str = "skipgram", output: str = "ns",
                 window: int = 5, negative: int = 5, sample: float = 1e-3, min_count: int = 5,
                 alpha: float = 0.025, min_alpha: float = 0.0001, epochs: int = 5,
                 workers: int = 1, rng: Stream | int | None = None,
                 log: Callable[[str], None] | None = None):
        if arch not in ("cbow", "skipgram") or output not in ("hs", "ns"):
            raise ValueError(f"arch is 'cbow' or 'skipgram' and output 'hs' or 'ns', got "
                             f"{arch!r} and {output!r}")
        if min(vector_size, window, epochs, workers, min_count) < 1 or negative < 0 or \
                (output == "ns" and negative < 1):
            raise ValueError("vector_size, window, epochs, workers, min_count (and negative, "
                             "for negative sampling) must be at least 1")
        self.vector_size, self.arch, self.output = vector_size, arch, output
        self.window, self.negative, self.sample, self.min_count = window, negative, sample, \
            min_count
        self.alpha, self.min_alpha, self.epochs, self.workers = alpha, min_alpha, epochs, workers
        self.rng, self.log = as_stream(rng), log or (lambda msg: None)

    def _vocabulary(self, corpus: Corpus) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """Words with count >= min_count, by descending count; the corpus without the others:
        (words, counts (V,), ids (N',), starts (S + 1,))."""
        counts = corpus.counts
        kept = np.flatnonzero(counts >= self.min_count)
        kept = kept[np.argsort(-counts[kept], kind="stable")]
        if len(kept) < 2:
            raise ValueError(f"fewer than two words occur at least min_count = "
                             f"{self.min_count} times; lower min_count or give more text")
        new_id = np.full(len(counts), -1, np.int64)
        new_id[kept] = np.arange(len(kept))
        mapped = new_id[corpus.ids]  # (N,)
        mask = mapped >= 0
        starts = np.concatenate([[0], np.cumsum(mask)])[corpus.starts]  # (S + 1,)
        return ([corpus.vocab[i] for i in kept], counts[kept],
                mapped[mask].astype(np.int32), starts.astype(np.int64))

    def fit(self, sentences: Corpus | Iterable[list[str]]) -> Word2Vec:
        """Train on `sentences` (a `Corpus`, or lists of words); sets `.wv`, `counts_`,
        `syn1_` (the output layer) and `words_per_second_` (tokens read per second of
        training, over all epochs)."""
        corpus = sentences if isinstance(sentences, Corpus) else Corpus.from_sentences(sentences)
        words, counts, ids, starts = self._vocabulary(corpus)
        V, d, gen = len(words), self.vector_size, self.rng.numpy
        # initial weights as in the C tool: v_w uniform in [-0.5, 0.5) / d, v' = 0
        syn0 = ((gen.random((V, d), np.float32) - 0.5) / d).astype(np.float32)  # (V, d)
        if self.output == "hs":
            points, codes, lengths = huffman(counts)  # (V, L), (V, L), (V,)
            syn1 = np.zeros((V - 1, d), np.float32)  # (V-1, d) one row per inner node
            table = np.zeros(1, np.int64), np.zeros(1, np.int32)
        else:
            points, codes = np.zeros((V, 1), np.int32), np.zeros((V, 1), np.uint8)
            lengths = np.zeros(V, np.int32)
            syn1 = np.zeros((V, d), np.float32)  # (V, d) one row per word
            table = noise_table(counts)  # (V,), (V,)
        keep = keep_probability(counts, self.sample)  # (V,)
        # the workers' parts: consecutive sentences, about as many tokens each
        S = len(starts) - 1
        cuts = np.searchsorted(starts, np.linspace(0, starts[-1], self.workers + 1))
        cuts = np.clip(cuts, 0, S)
        cuts[0], cuts[-1] = 0, S
        from nnzoo.models.embeddings import _w2v_kernels as k

        if not k.train_part.signatures:
            self.log("compiling word2vec's inner loop with numba (once: then it is cached) ...")
        sg, hs = self.arch == "skipgram", self.output == "hs"
        k.train_part(syn0, syn1, ids, starts, cuts[0], cuts[0], keep, *table, points, codes,
                     lengths, sg, hs, self.window, self.negative, 0.0, 0.0, 1)  # compiles

        def part(w: int, a0: float, a1: float, seed: int, out: list[int]) -> None:
            out[w] = k.train_part(syn0, syn1, ids, starts, cuts[w], cuts[w + 1], keep, *table,
                                  points, codes, lengths, sg, hs, self.window, self.negative,
                                  a0, a1, seed)

        trained, seconds = 0, 0.0
        for epoch in range(self.epochs):
            # linear decay over the whole training: alpha at the start and end of this epoch
            a0, a1 = (self.alpha - (self.alpha - self.min_alpha) * e / self.epochs
                      for e in (epoch, epoch + 1))
            seeds = [int(s) for s in gen.integers(1, 2 ** 63, self.workers)]
            done = [0] * self.workers
            t0 = time.perf_counter()
            if self.workers == 1:
                part(0, a0, a1, seeds[0], done)
            else:
                threads = [threading.Thread(target=part, args=(w, a0, a1, seeds[w], done))
                           for w in range(self.workers)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
            seconds += time.perf_counter() - t0
            trained += sum(done)
            self.log(f"epoch {epoch + 1}/{self.epochs}: {sum(done):,} tokens, "
                     f"{trained / seconds:,.0f} words/s")
        self.wv = WordVectors(words, syn0)
        self.counts_, self.syn1_ = counts, syn1
        self.words_per_second_ = trained / max(seconds, 1e-9)
        return self
