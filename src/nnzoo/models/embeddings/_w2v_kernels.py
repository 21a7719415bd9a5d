"""word2vec's inner loop, compiled with numba on first use (never at import: importing this
module imports numba, and each function compiles at its first call; `word2vec` imports this
module only when it trains). The compiled code is cached in the folder `numba` of nnzoo's
cache ($NNZOO_DATA, default ~/.cache/nnzoo), never inside the installed package, so that
later runs start at once.

In the style of the original C tool: per (input, output) pair, a dot product and two
"axpy" updates on float32 rows of the two weight matrices, the exact logistic sigmoid,
a per-thread linear congruential generator (the C tool's: x <- x * 25214903917 + 11 mod 2^64)
so that a run with a seed is reproducible, and `nogil`, so that several Python threads
train at once on shared weights without locks ("Hogwild", as the C tool and gensim do).

Names: syn0 (V, d) input vectors v_w (the word vectors), syn1 (V, d) output vectors v'_j
for negative sampling or (V-1, d) inner-node vectors v'_n for hierarchical softmax,
h (d,) the hidden layer, neu1e (d,) the accumulated -alpha dE/dh.
"""

from __future__ import annotations

import numba
import numpy as np
from numba.core import config

from nnzoo.data.cache import cache_dir

LCG_A, LCG_C = np.uint64(25214903917), np.uint64(11)


def lcg_next(state: int) -> int:
    """The generator's next state, in Python (what the tests compare the kernel with)."""
    return (state * 25214903917 + 11) % (1 << 64)


# compiled on first use; cached in nnzoo's cache folder by `_cache_in` at the end
jit = numba.njit(nogil=True, fastmath=True)

@jit
def sigmoid(x):
    # σ(x) = 1 / (1 + exp(-x)), the logistic sigmoid
    return 1.0 / (1.0 + np.exp(-x))

@jit
def ns_step(h, targets, n_targets, syn1, alpha, neu1e):
    """Negative sampling for one hidden layer h: targets[0] = j*, the rest W_neg.

    E = -log σ(v'_{j*}·h) - Σ_{j∈W_neg} log σ(-v'_j·h)
    -dE/d(v'_j·h) = t_j - σ(v'_j·h), with t_{j*} = 1 and t_j = 0 for j ∈ W_neg, so
    neu1e += g v'_j and v'_j += g h with g = alpha (t_j - σ(v'_j·h)), one target after
    the other (each v'_j is used before its own update)."""
    d = h.shape[0]
    for k in range(n_targets):
        j = targets[k]
        label = np.float32(1.0) if k == 0 else np.float32(0.0)
        f = np.float32(0.0)
        for i in range(d):  # v'_j·h
            f += h[i] * syn1[j, i]
        g = np.float32((label - sigmoid(f)) * alpha)
        for i in range(d):
            neu1e[i] += g * syn1[j, i]
            syn1[j, i] += g * h[i]

@jit
def hs_step(h, points, codes, length, syn1, alpha, neu1e):
    """Hierarchical softmax for one hidden layer h and the word whose Huffman path has
    inner nodes points[:length] and branch bits codes[:length]:

    prob(w) = Π_k σ((1 - 2 code_k) v'_{n_k}·h),   E = -log prob(w)
    -dE/d(v'_n·h) = 1 - code - σ(v'_n·h)  ->  g = alpha (1 - code - σ(v'_n·h))."""
    d = h.shape[0]
    for k in range(length):
        n = points[k]
        f = np.float32(0.0)
        for i in range(d):  # v'_n·h
            f += h[i] * syn1[n, i]
        g = np.float32((np.float32(1.0) - codes[k] - sigmoid(f)) * alpha)
        for i in range(d):
            neu1e[i] += g * syn1[n, i]
            syn1[n, i] += g * h[i]

@jit
def draw_noise(threshold, alias, state):
    """A word from the noise distribution by Walker's alias method: a column j uniform in
    0..V-1 from the state's top 32 bits r (j = floor(r V / 2^32)), then the next state's
    top 32 bits r' keep j when r' < threshold[j], else it is alias[j]; and the last state."""
    state = state * LCG_A + LCG_C
    j = ((state >> np.uint64(32)) * np.uint64(alias.shape[0])) >> np.uint64(32)
    state = state * LCG_A + LCG_C
    if np.int64(state >> np.uint64(32)) < threshold[j]:
        return np.int64(j), state
    return np.int64(alias[j]), state

@jit
def output(h, word, syn1, hs, points, codes, lengths, threshold, alias, negative, targets,
           alpha, neu1e, state):
    """The output layer's update for hidden layer h and target `word`; the next state."""
    if hs:
        hs_step(h, points[word], codes[word], lengths[word], syn1, alpha, neu1e)
        return state
    targets[0] = word
    m = 1
    for _ in range(negative):  # W_neg: draws equal to the target word are dropped
        j, state = draw_noise(threshold, alias, state)
        if j != word:
            targets[m] = j
            m += 1
    ns_step(h, targets, m, syn1, alpha, neu1e)
    return state

@jit
def train_part(syn0, syn1, ids, starts, s_lo, s_hi, keep, threshold, alias, points, codes,
               lengths, sg, hs, window, negative, alpha0, alpha1, seed):
    """Train on sentences s_lo..s_hi-1 once; alpha falls linearly from alpha0 to alpha1
    over them. Returns the number of tokens read (before subsampling)."""
    d = syn0.shape[1]
    state = np.uint64(seed)
    total = starts[s_hi] - starts[s_lo]
    longest = 1
    for s in range(s_lo, s_hi):
        longest = max(longest, starts[s + 1] - starts[s])
    sent = np.empty(longest, np.int32)  # the kept words of one sentence
    h = np.empty(d, np.float32)  # (d,) hidden layer
    neu1e = np.empty(d, np.float32)  # (d,) -alpha dE/dh accumulated
    targets = np.empty(negative + 1, np.int64)
    done = 0
    for s in range(s_lo, s_hi):
        alpha = alpha0 + (alpha1 - alpha0) * done / max(total, 1)
        # subsampling: keep word w with probability keep[w] (1 for rare words)
        n = 0
        for t in range(starts[s], starts[s + 1]):
            w = ids[t]
            state = state * LCG_A + LCG_C
            if keep[w] >= 1.0 or keep[w] > (state >> np.uint64(11)) * 2.0 ** -53:
                sent[n] = w
                n += 1
        done += starts[s + 1] - starts[s]
        for pos in range(n):
            word = sent[pos]
            # dynamic window: b uniform in 0..window-1, context = window - b each side
            state = state * LCG_A + LCG_C
            b = np.int64((state >> np.uint64(16)) % np.uint64(window))
            lo, hi = max(0, pos - window + b), min(n, pos + window - b + 1)
            if sg:  # skip-gram: h = v_c of each context word c predicts the centre word
                for c in range(lo, hi):  # (the C tool's order: the same pairs as v_word
                    if c == pos:         #  predicting each c)
                        continue
                    inp = sent[c]
                    for i in range(d):
                        h[i] = syn0[inp, i]
                    neu1e[:] = 0.0
                    state = output(h, word, syn1, hs, points, codes, lengths, threshold, alias,
                                   negative, targets, alpha, neu1e, state)
                    for i in range(d):  # v_c += -alpha dE/dh
                        syn0[inp, i] += neu1e[i]
            elif hi - lo > 1:  # CBOW: h = mean of the context's input vectors
                h[:] = 0.0
                for c in range(lo, hi):
                    if c != pos:
                        inp = sent[c]  # (a local: the loop below then reads no index)
                        for i in range(d):
                            h[i] += syn0[inp, i]
                inv = np.float32(1.0) / np.float32(hi - lo - 1)  # one division, not d
                for i in range(d):
                    h[i] *= inv
                neu1e[:] = 0.0
                state = output(h, word, syn1, hs, points, codes, lengths, threshold, alias,
                               negative, targets, alpha, neu1e, state)
                # every context word gets the whole -alpha dE/dh, as in the C tool and
                # gensim (not divided by the window's size)
                for c in range(lo, hi):
                    if c != pos:
                        inp = sent[c]
                        for i in range(d):
                            syn0[inp, i] += neu1e[i]
    return done



def _cache_in(folder: str, kernels) -> None:
    """What cache=True does (`enable_caching`), with each kernel's cache in `folder`: numba
    reads config.CACHE_DIR when a function's cache is set up, so it is set for that moment
    only and put back whatever happens; a user's own NUMBA_CACHE_DIR stays theirs."""
    before = config.CACHE_DIR
    config.CACHE_DIR = folder
    try:
        for kernel in kernels:
            kernel.enable_caching()
    finally:
        config.CACHE_DIR = before


_cache_in(str(cache_dir() / "numba"), (sigmoid, ns_step, hs_step, draw_noise, output, train_part))
