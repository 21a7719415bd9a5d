"""Our training loop against a minimal hand-written PyTorch loop, and against
scikit-learn's MLPClassifier, on the 8x8 digits (the data set's fixed split, as
backprop-variations uses it: the first 1,500 images train, the last 297 test).

    python benchmarks/mlp_digits.py [--repeats 3]

Prints the time of `nnzoo.training.supervised.fit` and of the bare loop for the same network, data,
batches and optimiser (goal: ratio <= 1.1), and scikit-learn's accuracy and fit time
beside ours.
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from nnzoo.data import load
from nnzoo.models.mlp import MLP
from nnzoo.training.supervised import Data, fit

EPOCHS, BATCH, LR, HIDDEN = 60, 32, 0.1, 128


def make(seed: int):
    torch.manual_seed(seed)
    net = MLP([64, HIDDEN, 10], activation="relu", output="linear")
    return net, torch.optim.SGD(net.parameters(), lr=LR, momentum=0.9)


def ours(Xtr, ytr, seed):
    net, opt = make(seed)
    fit(net, opt, F.cross_entropy, Data(Xtr, ytr), epochs=EPOCHS, batch_size=BATCH,
        eval_every=EPOCHS, rng=torch.Generator().manual_seed(seed))
    return net


def bare(Xtr, ytr, seed):
    net, opt = make(seed)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(EPOCHS):
        order = torch.randperm(len(Xtr), generator=gen)
        for i in range(0, len(Xtr), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(net(Xtr[idx]), ytr[idx]).backward()
            opt.step()
    return net


def accuracy(net, X, y) -> float:
    net.eval()
    with torch.no_grad():
        return (net(X).argmax(1) == y).float().mean().item()


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    Xtr, ytr, Xte, yte = load("digits").tensors()  # (N, 1, 8, 8) pixels / 255
    Xtr, Xte = Xtr.flatten(1), Xte.flatten(1)  # (N, 64)
    rows = {"nnzoo.training.supervised.fit": [], "bare PyTorch loop": []}
    for seed in range(args.repeats):  # alternate, so that drift hits both alike
        for name, fn in (("nnzoo.training.supervised.fit", ours), ("bare PyTorch loop", bare)):
            net, secs = timed(fn, Xtr, ytr, seed)
            rows[name].append((secs, accuracy(net, Xte, yte)))
    from sklearn.neural_network import MLPClassifier

    sk = []
    for seed in range(args.repeats):
        clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), max_iter=500, random_state=seed)
        _, secs = timed(clf.fit, Xtr.numpy(), ytr.numpy())
        sk.append((secs, clf.score(Xte.numpy(), yte.numpy())))
    rows["scikit-learn MLPClassifier"] = sk
    print(f"{'':28s} {'median s':>9s} {'test acc':>9s}")
    med = {}
    for name, r in rows.items():
        secs = sorted(s for s, _ in r)[len(r) // 2]
        accs = [a for _, a in r]
        med[name] = secs
        print(f"{name:28s} {secs:9.2f} {sum(accs) / len(accs):9.4f}")
    ratio = med["nnzoo.training.supervised.fit"] / med["bare PyTorch loop"]
    print(f"\nnnzoo / bare PyTorch time ratio: {ratio:.2f} (goal <= 1.1)")


if __name__ == "__main__":
    main()
