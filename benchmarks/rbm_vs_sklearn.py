"""Our RBM against scikit-learn's BernoulliRBM on the 8x8 digits (the data set's fixed split:
the first 1,500 images train, the last 297 are held out), 100 hidden units, learning rate
0.06, batches of 10, 20 epochs, both on one thread (the fastest for matrices this small).

    python benchmarks/rbm_vs_sklearn.py [--repeats 3]

Prints each one's fit time (median of the repeats; wall-clock, and the process's CPU time,
which other load on a shared machine inflates less), the CPU time per mini-batch update, and
the pseudo-likelihood of the held-out digits, sum_i log p(v_i | v_-i), computed exactly, by
one formula (nnzoo's), from each model's weights; scikit-learn's own estimate (score_samples:
one random unit, times 64) is printed beside it. scikit-learn trains by persistent CD; ours
by CD-1 (the default) and by persistent CD, through the fused loop (fused=True). Goal: equal
or better pseudo-likelihood in at most half scikit-learn's time.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from sklearn.neural_network import BernoulliRBM
from threadpoolctl import threadpool_limits

from nnzoo.data import load
from nnzoo.models.energy import RBM

HIDDEN, LR, BATCH, EPOCHS = 100, 0.06, 10, 20


def ours(X, seed, persistent):
    # the fused loop: the readable step's updates in distribution, made fast
    return RBM(64, HIDDEN, lr=LR, batch_size=BATCH, epochs=EPOCHS, persistent=persistent,
               rng=seed, fused=True).fit(X)


def theirs(X, seed):
    return BernoulliRBM(n_components=HIDDEN, learning_rate=LR, batch_size=BATCH,
                        n_iter=EPOCHS, random_state=seed).fit(X.numpy())


def as_ours(sk: BernoulliRBM) -> RBM:
    """scikit-learn's weights in our RBM, to score both with one formula."""
    rbm = RBM(64, HIDDEN).initialize()
    rbm.W_ = torch.as_tensor(sk.components_.T, dtype=torch.float32).contiguous()  # (D, H)
    rbm.b_ = torch.as_tensor(sk.intercept_visible_, dtype=torch.float32)
    rbm.c_ = torch.as_tensor(sk.intercept_hidden_, dtype=torch.float32)
    return rbm


def timed(fn, *args):
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args)
    return out, (time.perf_counter() - t, time.process_time() - c)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    Xtr, _, Xte, _ = load("digits").tensors()  # (N, 1, 8, 8) pixels / 255
    Xtr, Xte = Xtr.flatten(1), Xte.flatten(1)  # (N, 64)
    rows: dict[str, list] = {"nnzoo RBM, CD-1": [], "nnzoo RBM, persistent CD": [],
                             "scikit-learn BernoulliRBM (persistent CD)": []}
    torch.set_num_threads(1)
    with threadpool_limits(1):
        for seed in range(args.repeats):  # alternate, so that drift hits all alike
            for name in rows:
                if name.startswith("scikit"):
                    sk, secs = timed(theirs, Xtr, seed)
                    own = float(np.mean(sk.score_samples(Xte.numpy())))
                    model = as_ours(sk)
                else:
                    model, secs = timed(ours, Xtr, seed, "persistent" in name)
                    own = None
                pl = model.pseudo_likelihood(Xte).mean().item()
                rows[name].append((secs, pl, own))
    print(f"8x8 digits: {len(Xtr)} training, {len(Xte)} held out; {HIDDEN} hidden units, "
          f"lr {LR}, batches of {BATCH}, {EPOCHS} epochs; {args.repeats} repeats")
    updates = EPOCHS * -(-len(Xtr) // BATCH)
    print(f"{'':44s} {'fit time':>9s} {'CPU time':>9s} {'CPU/update':>11s} "
          f"{'pseudo-likelihood':>18s}")
    med = {name: [statistics.median(x[0][i] for x in r) for i in (0, 1)]
           for name, r in rows.items()}
    for name, r in rows.items():
        (secs, cpu), pl = med[name], statistics.mean(x[1] for x in r)
        own = [x[2] for x in r if x[2] is not None]
        extra = f"  (its own estimate {statistics.mean(own):.2f})" if own else ""
        print(f"{name:44s} {secs:8.3f}s {cpu:8.3f}s {cpu / updates * 1e6:8.1f} us "
              f"{pl:18.2f}{extra}")
    sk = "scikit-learn BernoulliRBM (persistent CD)"
    sk_pl = statistics.mean(x[1] for x in rows[sk])
    for name in list(rows)[:2]:
        pl = statistics.mean(x[1] for x in rows[name])
        print(f"{name}: time ratio ours/scikit-learn {med[name][0] / med[sk][0]:.2f} "
              f"(CPU time {med[name][1] / med[sk][1]:.2f}; goal <= 0.5), "
              f"pseudo-likelihood {pl - sk_pl:+.2f} nats against scikit-learn's (goal >= 0)")


if __name__ == "__main__":
    main()
