"""dropout: while training, each hidden unit is dropped (set to 0) with probability p, the
survivors scaled by 1/(1 - p), so that every pattern goes through its own thinned network;
at test time the whole network is used (nnzoo.nn.layers.Dropout). It keeps a network that
is big enough to learn its training set by heart from doing so as readily.

The test: a 64-256-256-10 ReLU network on the first 300 of the 8x8 digits, a fifth of whose
training labels are replaced by random digits, so that fitting every training label means
learning noise. The same network from the same initial weights, with the same mini-batches
and epochs, is trained twice, without dropout and with p = 0.5; the test set is the data
set's fixed split (its last 297 images, their labels untouched).

The picture: (a) the standard network and (b) thinned networks that dropout sampled,
the masks its Dropout layers drew at the last training step (each pattern of a mini-batch
draws its own), on the first units of each layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.errors import UserError
from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run


@dataclass
class DropoutConfig:
    dropout: UnitFloat = 0.5
    """Probability p of dropping a hidden unit, for the second network (the course's half)."""
    n_train: PositiveInt = 300
    """Training images: the first n of the data set's 1,500 (a small training set)."""
    label_noise: UnitFloat = 0.2
    """Fraction of the training images whose label is replaced by a random digit (0: none)."""
    hidden: PositiveInt = 256
    """Units in each hidden layer."""
    layers: PositiveInt = 2
    """Hidden layers."""
    activation: Literal["relu", "tanh", "sigmoid"] = "relu"
    """Transfer function of the hidden units."""
    lr: PositiveFloat = 0.02
    """Learning rate eta."""
    momentum: UnitFloat = 0.9
    """Momentum alpha."""
    epochs: PositiveInt = 150
    """Epochs for both networks."""
    batch_size: PositiveInt = 32
    """Mini-batch size."""
    eval_every: PositiveInt = 5
    """Measure training and test error every this many epochs."""
    shown: PositiveInt = 12
    """Units of each layer drawn in the picture of the thinned networks."""

    def __post_init__(self):
        if self.dropout == 0:
            raise UserError("expected --dropout above 0 (the network to compare with trains "
                            "without it already), got 0; try --dropout 0.5")
        if not 1 <= self.n_train <= 1500:
            raise UserError(f"expected --n-train between 1 and 1500 (the digits' training "
                            f"images), got {self.n_train}")


@experiment(
    "dropout", kind="supervised", config=DropoutConfig, seconds=3,
    claim="dropout reduces over-fitting: on 300 8x8 digits, a fifth of their labels "
          "replaced at random, a 64-256-256-10 network trained without dropout learns every "
          "training label, noise included; trained with dropout p = 0.5 (same weights to "
          "start, same mini-batches, same epochs) it ends with a lower test error",
    expects="without dropout training error <= 1% (on the noisy labels); with dropout p = 0.5 "
            "test error at least 2 points below it (the test set: the last 297 images)",
    data="scikit-learn's 8x8 digits (bundled with scikit-learn)",
    smoke={"epochs": 2, "hidden": 16, "n_train": 100},
)
def run(cfg: DropoutConfig, run: Run) -> Result:
    import torch

    from nnzoo.data import load

    Xtr, ytr, Xte, yte = load("digits").tensors(run.device)  # (N, 1, 8, 8) pixels / 255
    X, Xte = Xtr[:cfg.n_train].flatten(1), Xte.flatten(1)  # (n, 64), (297, 64)
    g = run.rng("labels").torch
    noisy = torch.rand(cfg.n_train, generator=g) < cfg.label_noise  # (n,)
    drawn = torch.randint(10, (cfg.n_train,), generator=g)  # (n,) a random digit for each
    t = torch.where(noisy, drawn, ytr[:cfg.n_train].cpu()).to(run.device)  # (n,)
    wrong = noisy & (drawn != ytr[:cfg.n_train].cpu())  # the labels made wrong
    run.log(f"{int(wrong.sum())} of {cfg.n_train} training labels are wrong")
    nets = run.parts(2, label="nets", desc="without and with dropout")
    for i in nets:
        p = (0.0, cfg.dropout)[i]
        nets.done(_train(cfg, run, p, (X, t, Xte, yte), wrong.to(run.device)))
        r = nets.results[-1]
        run.log(f"p = {p:g}: training error {r['train_err'][-1]:.1%} (on the noisy labels), "
                f"test error {r['test_err'][-1]:.1%}; learned {r['wrong_learned']:.0%} of the "
                f"wrong labels")
    plain, drop = nets.results
    run.save_figure(_thinned_nets_figure(cfg, drop["kept"]), "thinned_nets")
    run.save_figure(_errors_figure(cfg, plain, drop), "overfitting")
    fits = plain["train_err"][-1] <= 0.01
    lower = drop["test_err"][-1] <= plain["test_err"][-1] - 0.02
    return Result(fits and lower,
                  f"without dropout: training error {plain['train_err'][-1]:.1%}, test error "
                  f"{plain['test_err'][-1]:.1%}; with dropout p = {cfg.dropout:g}: "
                  f"{drop['train_err'][-1]:.1%}, {drop['test_err'][-1]:.1%}",
                  {"train_err_plain": plain["train_err"][-1], "test_err_plain":
                   plain["test_err"][-1], "train_err_dropout": drop["train_err"][-1],
                   "test_err_dropout": drop["test_err"][-1],
                   "wrong_learned_plain": plain["wrong_learned"],
                   "wrong_learned_dropout": drop["wrong_learned"]})


def _train(cfg: DropoutConfig, run: Run, p: float, data, wrong) -> dict:
    """Train the network with dropout p; its error curves, the fraction of the wrong labels it
    learned, and the masks its Dropout layers drew at the last training step."""
    import torch.nn.functional as F

    from nnzoo.models.mlp import MLP
    from nnzoo.nn.optim import Momentum
    from nnzoo.training.supervised import Data, fit, predict

    with run.seeded("init"):  # the same stream for both: the same initial weights
        net = MLP([64, *[cfg.hidden] * cfg.layers, 10], activation=cfg.activation,
                  output="linear", dropout=p).to(run.device)
    opt = Momentum(net.parameters(), lr=cfg.lr, alpha=cfg.momentum)
    # -log Prob(i) of the softmax, PyTorch's fused kernel (proved equal to nnzoo.nn.nll)
    history = fit(net, opt, F.cross_entropy, Data(*data), epochs=cfg.epochs,
                  batch_size=cfg.batch_size, eval_every=cfg.eval_every,
                  rng=run.rng("shuffle").torch, run=run, label=f"dropout {p:g}")
    X, t = data[0], data[1]
    learned = (predict(net, X).argmax(dim=1) == t)[wrong]  # (wrong,) predicts the wrong label
    kept = [k[:3].cpu() for k in net.kept_units() if k is not None]  # [(3, H)] per layer
    return {"epochs": history.epochs, "kept": kept,
            "train_err": [1 - a for a in history.series("train_acc")],
            "test_err": [1 - a for a in history.series("val_acc")],
            "wrong_learned": learned.float().mean().item() if learned.numel() else 0.0}


def _thinned_nets_figure(cfg: DropoutConfig, kept: list):
    from nnzoo.viz import figure, network

    n_in, n_h, n_out = min(cfg.shown, 64), min(cfg.shown, cfg.hidden), 10
    sizes = [n_in, *[n_h] * cfg.layers, n_out]
    fig, axes = figure(1, 1 + len(kept[0]), size=3.2)
    network(sizes, ax=axes[0, 0])
    axes[0, 0].set_title("(a) standard neural net", fontsize=9)
    for b in range(len(kept[0])):  # pattern b of the last mini-batch: its thinned net
        network(sizes, [None, *[k[b, :n_h] for k in kept], None], ax=axes[0, 1 + b])
        axes[0, 1 + b].set_title(f"(b) thinned net, pattern {b + 1}", fontsize=9)
    fig.set_figheight(2.2)
    fig.suptitle(f"dropout p = {cfg.dropout:g} at the last training step: the masks its Dropout "
                 f"layers drew (first {n_h} of {cfg.hidden} hidden units, {n_in} of 64 inputs)",
                 fontsize=9)
    return fig


def _errors_figure(cfg: DropoutConfig, plain: dict, drop: dict):
    from nnzoo.viz import figure

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    for r, color, name in ((plain, "tab:red", "no dropout"),
                           (drop, "tab:blue", f"dropout p = {cfg.dropout:g}")):
        ax.plot(r["epochs"], r["test_err"], color=color, lw=1.5,
                label=f"{name}: test ({r['test_err'][-1]:.1%})")
        ax.plot(r["epochs"], r["train_err"], color=color, lw=1.2, ls="--",
                label=f"{name}: training ({r['train_err'][-1]:.1%})")
    ax.set(xlabel="epoch", ylabel="error", ylim=(0, None),
           title=f"{cfg.n_train} digits, {cfg.label_noise:.0%} of their labels replaced at random")
    ax.legend(fontsize=8)
    return fig
