"""Our word2vec against gensim's on the same corpus with the same settings.

    python benchmarks/word2vec_vs_gensim.py [--workers 2] [--epochs 5] [--arch skipgram cbow]

The corpus is nnzoo's "english" (about 3 million tokens; `nnzoo data fetch english`); both
train with 100 dimensions, window 5, 5 negative samples, sample 1e-3, min_count 5, alpha
0.025 falling linearly to 0.0001, 5 epochs, on `--workers` threads; skip-gram and CBOW with
negative sampling. Words/s = epochs x corpus tokens / training wall time (vocabulary building
and numba's compilation not counted), the same formula for both. The CPU time of the
training (all threads) is printed too: on a shared machine it says more than the wall time.
Analogy accuracy: the Google analogy set from the gensim wheel (lowercased), by 3CosAdd
over the 30,000 most frequent words, the same function for both; a question counts when its
four words are in the vocabulary. Goal: ours at least as fast as gensim, accuracy within 2
points of it.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from nnzoo.data import load
from nnzoo.models.embeddings.vectors import WordVectors
from nnzoo.models.embeddings.word2vec import Word2Vec

SETTINGS = dict(vector_size=100, window=5, negative=5, sample=1e-3, min_count=5, alpha=0.025,
                min_alpha=0.0001)


def google_analogies() -> list[tuple[str, str, str, str]]:
    import gensim

    path = Path(gensim.__file__).parent / "test" / "test_data" / "questions-words.txt"
    lines = path.read_text().lower().splitlines()
    return [tuple(ln.split()) for ln in lines if ln and not ln.startswith(":")]


def accuracy(wv: WordVectors, questions, restrict: int = 30000) -> tuple[int, int]:
    """3CosAdd: (correct, covered) over the questions whose words are all in the first
    `restrict` words; the answer is the nearest unit vector to b̂ - â + ĉ, a, b, c excluded."""
    index = {w: i for i, w in enumerate(wv.words[:restrict])}
    q = np.array([[index[w] for w in qu] for qu in questions if all(w in index for w in qu)])
    unit = wv.unit[:restrict]  # (V', d)
    correct = 0
    for batch in np.array_split(q, max(1, len(q) // 512)):
        target = unit[batch[:, 1]] - unit[batch[:, 0]] + unit[batch[:, 2]]  # (B, d)
        cos = target @ unit.T  # (B, V')
        rows = np.arange(len(batch))[:, None]
        cos[rows, batch[:, :3]] = -np.inf
        correct += int((cos.argmax(1) == batch[:, 3]).sum())
    return correct, len(q)


def timed(fn):
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def ours(corpus, arch, workers, epochs, seed):
    Word2Vec(min_count=1).fit([["compile", "numba", "first"]] * 3)  # not in the timing
    model, wall, cpu = timed(lambda: Word2Vec(arch=arch, output="ns", epochs=epochs,
                                              workers=workers, rng=seed, **SETTINGS).fit(corpus))
    return model, wall, cpu


def theirs(sentences, arch, workers, epochs, seed):
    from gensim.models import Word2Vec as GensimWord2Vec

    s = dict(SETTINGS)
    model = GensimWord2Vec(vector_size=s.pop("vector_size"), sg=int(arch == "skipgram"), hs=0,
                           workers=workers, epochs=epochs, seed=seed, **s)
    model.build_vocab(sentences)
    _, wall, cpu = timed(lambda: model.train(sentences, total_examples=model.corpus_count,
                                             epochs=epochs))
    return WordVectors(model.wv.index_to_key, model.wv.vectors), wall, cpu


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--arch", nargs="+", default=["skipgram", "cbow"])
    args = p.parse_args()
    corpus = load("english")
    sentences = list(corpus)
    questions = google_analogies()
    n = len(corpus) * args.epochs
    print(f"{corpus}; {args.workers} workers, {args.epochs} epochs; load average before: "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'arch':9} {'':7} {'words/s':>10} {'CPU words/s':>12} {'analogies':>18}")
    for arch in args.arch:
        rows = {}
        model, wall, cpu = ours(corpus, arch, args.workers, args.epochs, args.seed)
        rows["nnzoo"] = model.wv, wall, cpu
        rows["gensim"] = theirs(sentences, arch, args.workers, args.epochs, args.seed)
        for who, (wv, wall, cpu) in rows.items():
            correct, covered = accuracy(wv, questions)
            print(f"{arch:9} {who:7} {n / wall:10,.0f} {n / cpu:12,.0f} "
                  f"{100 * correct / covered:6.1f}% of {covered:,}")
        (_, w_ours, c_ours), (_, w_gs, c_gs) = rows["nnzoo"], rows["gensim"]
        print(f"{arch:9} ratio   {w_gs / w_ours:10.2f}x {c_gs / c_ours:11.2f}x  "
              f"(ours / gensim; > 1: ours faster)   load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
