"""Time to 99% MNIST test accuracy: our mnist-cnn against the PyTorch MNIST example.

    python benchmarks/mnist_time_to_99.py [--evals-per-epoch 4] [--max-epochs 6] [--seed 0]

Both recipes train in the same loop on the same tensors (the whole of MNIST in memory,
mini-batches sliced from a shuffled index) and are evaluated on the 10,000 test images
after every 1/evals-per-epoch of an epoch; the clock stops during evaluation. The peer is
the recipe of PyTorch's examples/mnist: two 3x3 convolutions (32, 64), max pooling,
dropout 0.25, fully connected 128, dropout 0.5, log-softmax; Adadelta lr 1.0, decayed by
0.7 every epoch; batch 64; inputs normalised by (0.1307, 0.3081). Ours is `mnist-cnn` at
its default settings (NetConv 16/32 5x5 with batch norm, Adam with a one-cycle schedule
over 2 epochs, batch 128). Goal: ours reaches 99% at least 5 times sooner.
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F
from torch import nn

from nnzoo import registry
from nnzoo.data import load
from nnzoo.models.cnn import build_cnn
from nnzoo.training.classifiers import adam_one_cycle


class PyTorchExampleNet(nn.Module):
    """The network of PyTorch's examples/mnist/main.py."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(self.dropout1(x), 1)
        x = self.dropout2(F.relu(self.fc1(x)))
        return F.log_softmax(self.fc2(x), dim=1)


def example_recipe(X):
    steps_per_epoch = -(-len(X) // 64)
    net = PyTorchExampleNet()
    opt = torch.optim.Adadelta(net.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=steps_per_epoch, gamma=0.7)
    return net, opt, sched, F.nll_loss, lambda a: (a - 0.1307) / 0.3081, 64, None


def our_recipe(X):
    cfg = registry.get("mnist-cnn").make_config()  # its defaults
    net = registry.build(build_cnn, cfg, in_shape=(1, 28, 28), classes=10)
    opt, sched = adam_one_cycle(net, lr=cfg.lr, epochs=cfg.epochs, batch_size=cfg.batch_size,
                                n_train=len(X))  # as the experiment
    mean, std = X.mean(), X.std()  # as the experiment: the training images' statistics
    return net, opt, sched, F.cross_entropy, lambda a: (a - mean) / std, cfg.batch_size, \
        cfg.epochs


def time_to_99(recipe, X, y, Xt, yt, evals_per_epoch, max_epochs, seed):
    """Train until the test accuracy reaches 99%: (seconds of training, epochs, accuracy)."""
    torch.manual_seed(seed)
    n = len(X)
    net, opt, sched, loss_fn, normalise, batch, epochs = recipe(X)
    Xn, Xtn = normalise(X), normalise(Xt)
    epochs = min(epochs or max_epochs, max_epochs)
    steps_per_epoch = -(-n // batch)
    eval_at = {round(steps_per_epoch * k / evals_per_epoch) for k in range(1, evals_per_epoch + 1)}
    gen, clock, acc = torch.Generator().manual_seed(seed), 0.0, 0.0
    for epoch in range(epochs):
        order = torch.randperm(n, generator=gen)
        start = time.perf_counter()
        for step in range(1, steps_per_epoch + 1):
            idx = order[(step - 1) * batch:step * batch]
            loss = loss_fn(net(Xn[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            if step in eval_at:
                clock += time.perf_counter() - start
                net.eval()
                with torch.no_grad():
                    right = sum((net(Xtn[i:i + 1000]).argmax(1) == yt[i:i + 1000]).sum().item()
                                for i in range(0, len(Xt), 1000))
                net.train()
                acc = right / len(Xt)
                print(f"    epoch {epoch + step / steps_per_epoch:5.2f}  {clock:7.1f} s  "
                      f"test accuracy {acc:.2%}", flush=True)
                if acc >= 0.99:
                    return clock, epoch + step / steps_per_epoch, acc
                start = time.perf_counter()
    return None, epochs, acc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--evals-per-epoch", type=int, default=4)
    parser.add_argument("--max-epochs", type=int, default=6,
                        help="give up on the example recipe after this many epochs (its "
                             "own default is 14)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    X, y, Xt, yt = load("mnist", log=print).tensors()
    print(f"MNIST {tuple(X.shape)}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads")
    times = {}
    for name, recipe in [("nnzoo mnist-cnn", our_recipe),
                         ("PyTorch examples/mnist", example_recipe)]:
        print(f"{name}:")
        t, epochs, acc = time_to_99(recipe, X, y, Xt, yt, args.evals_per_epoch,
                                    args.max_epochs, args.seed)
        times[name] = t
        print(f"  {name}: " + (f"99% after {epochs:.2f} epochs, {t:.1f} s of training"
                               if t is not None else
                               f"did not reach 99% in {epochs} epochs (last {acc:.2%})"))
    ours, theirs = times["nnzoo mnist-cnn"], times["PyTorch examples/mnist"]
    print()
    print(f"{'recipe':28s}{'time to 99% (s)':>18s}")
    for name, t in times.items():
        print(f"{name:28s}{'not reached' if t is None else f'{t:.1f}':>18s}")
    if ours is not None and theirs is not None:
        print(f"speed-up (example / ours): {theirs / ours:.1f}x (goal >= 5)")
    else:
        print("speed-up: undefined (a recipe did not reach 99%)")


if __name__ == "__main__":
    main()
