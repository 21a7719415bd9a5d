"""boltzmann: a small Boltzmann machine learns the 3 x 3 bars-and-stripes: the 14 images
whose rows are each all on or all off, or whose columns are. Nine visible units show an
image and six hidden units, all connected to all, let the machine capture what no set of
pairwise weights between the pixels can (a pixel's neighbours agree either along its row
or along its column, never both: a third-order regularity).

Learning follows Ackley, Hinton & Sejnowski (1985): Delta w_ij = eta (<x_i x_j>_clamped -
<x_i x_j>_free), the first statistics with the visible units held at the images and the
hidden ones sampled, the second from 200 persistent chains running freely, each unit set to
1 with probability 1/(1 + e^{-Delta E_i / T}) at T = 1. The learning rate falls linearly
to 0 over the updates (the sampled gradient is noisy; a constant rate leaves the weights
wandering around the optimum).

With 15 units the model's distribution is computed exactly by enumerating its 2^15 states:
p(v) = sum_h exp(-E(v, h)) / Z. The run checks the Kullback-Leibler divergence
KL(data || model) = 1/14 sum_{v in data} log((1/14) / p(v)) (0 for a perfect model, log 512
/ 14 = 1.82 nats for a uniform one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from nnzoo.registry import NonNegativeInt, PositiveFloat, PositiveInt, build, experiment
from nnzoo.runs import Result, Run

KL_BOUND = 0.1


@dataclass
class BoltzmannConfig:
    n_hidden: NonNegativeInt = 6
    """Hidden units (the 9 visible units show a 3 x 3 image)."""
    lr: PositiveFloat = 0.2
    """The first update's learning rate eta; it falls linearly to 0 by the last."""
    epochs: PositiveInt = 5000
    """Updates of the weights, each from the statistics of all 14 images."""
    sweeps: PositiveInt = 2
    """Gibbs sweeps through the free units in each phase of an update."""
    chains: PositiveInt = 200
    """Persistent free-running chains (and clamped samples) per update."""
    chunk: PositiveInt = 500
    """Updates between checkpoints (and points of the learning curve)."""

    not_the_default: ClassVar[dict[str, str]] = {
        "n_hidden": "the machine's size, which the library leaves to its user",
        "lr": "a larger first rate, since it falls linearly to 0 over the updates",
        "epochs": "bars-and-stripes needs more updates than the library's general default"}


@experiment(
    "boltzmann", kind="unsupervised", config=BoltzmannConfig, seconds=9,
    claim="a Boltzmann machine with 6 hidden units learns the 3 x 3 bars-and-stripes by "
          "clamped-minus-free statistics: its exact distribution over the 512 images comes "
          "close to the data's",
    expects=f"after 5000 updates, KL(data || model) < {KL_BOUND} nats, computed exactly by "
            f"enumerating the 2^15 states (a uniform model has 1.82)",
    smoke={"epochs": 100, "chunk": 50, "chains": 50},
)
def run(cfg: BoltzmannConfig, run: Run) -> Result:
    import torch

    from nnzoo.data.synthetic import bars_and_stripes
    from nnzoo.models.energy import BoltzmannMachine
    from nnzoo.training.supervised import torch_threads

    V = torch.as_tensor(bars_and_stripes(3), dtype=torch.float64)  # (14, 9)
    bm = build(BoltzmannMachine, cfg, n_visible=9, rng=run.rng("machine")).initialize()
    chunks = run.parts(-(-cfg.epochs // cfg.chunk), label="updates", desc="updates",
                       keep={"machine": bm})
    for k in chunks:
        with torch_threads(1):  # 15 units: one thread is fastest
            for e in range(k * cfg.chunk, min((k + 1) * cfg.chunk, cfg.epochs)):
                bm.lr = cfg.lr * (1 - e / cfg.epochs)  # eta falls linearly to 0
                bm.partial_fit(V)
        kl = _kl(bm, V)
        run.check_loss(kl, bm.n_updates_, "lower --lr")
        run.log_metrics(bm.n_updates_, kl=kl)
        chunks.done({"updates": bm.n_updates_, "kl": kl})
    kl = chunks.results[-1]["kl"]
    v, p = bm.visible_distribution()
    data = _index(V)
    mass = p[data].sum().item()
    run.log(f"KL(data || model) = {kl:.4f} nats; the model puts {mass:.1%} of its "
            f"probability on the 14 images (least {p[data].min().item():.4f}, most "
            f"{p[data].max().item():.4f}; the data 1/14 = {1 / 14:.4f} each)")
    run.save_figure(_figure(p, data, V, chunks.results), "distribution")
    from nnzoo.viz.images import image_grid

    run.save_figure(image_grid(V.reshape(-1, 3, 3), [f"p = {q:.3f}" for q in p[data].tolist()],
                               ncols=7, title="the 14 images and the model's p(v)"), "images")
    return Result(kl < KL_BOUND,
                  f"KL(data || model) = {kl:.3f} nats (bound {KL_BOUND}); {mass:.1%} of the "
                  f"model's probability on the 14 bars-and-stripes images",
                  {"kl": kl, "mass_on_data": mass, "p_data_min": p[data].min().item(),
                   "p_data_max": p[data].max().item(),
                   "kl_curve": [r["kl"] for r in chunks.results]})


def _index(V):
    """The number of each image (row of 0/1) read as a binary number, first pixel first."""
    import torch

    return (V.long() * 2 ** torch.arange(V.shape[1] - 1, -1, -1)).sum(1)


def _kl(bm, V) -> float:
    """KL(data || model) = 1/D sum_{v in data} log((1/D) / p(v)), the data uniform on V."""
    import math

    _, p = bm.visible_distribution()
    return -math.log(len(V)) - p[_index(V)].log().mean().item()


def _figure(p, data, V, curve):
    import torch

    from nnzoo.viz.energy import distribution_bars

    p_data = torch.zeros_like(p)
    p_data[data] = 1 / len(V)
    fig = distribution_bars(p, p_data, "bars-and-stripes 3 x 3: the model's p(v) of every "
                                       "image (bars) and the data's 1/14 (dots)")
    inset = fig.add_axes([0.68, 0.22, 0.22, 0.3])
    inset.plot([r["updates"] for r in curve], [r["kl"] for r in curve], "o-", ms=3)
    inset.set(xlabel="updates", ylabel="KL(data || model)", yscale="log")
    return fig
