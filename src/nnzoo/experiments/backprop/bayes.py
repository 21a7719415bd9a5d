"""bayes: Bayes' rule learns a coin's bias flip by flip, and weight decay is a Gaussian prior
on the weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run


@dataclass
class BayesConfig:
    bias: UnitFloat = 0.7
    """The coin's true probability of heads, which the data come from."""
    flips: PositiveInt = 100
    """Number of coin flips observed."""
    grid: PositiveInt = 201
    """Number of hypotheses h (values of the bias) on the grid from 0 to 1."""
    prior: Literal["uniform", "fair"] = "uniform"
    """The prior P(h): uniform, or one that believes the coin is nearly fair."""
    weight_decay: PositiveFloat = 0.5
    """lambda of the weight-decay penalty lambda/2 sum w^2 in the regression part."""
    noise: PositiveFloat = 0.3
    """Standard deviation sigma of the noise on the regression targets."""


@experiment(
    "bayes", kind="supervised", config=BayesConfig, seconds=1,
    claim="Bayes' rule P(h|D) = P(D|h) P(h) / P(D) learns a coin's bias flip by flip; weight "
          "decay is a Gaussian prior: minimising E + lambda/2 sum w^2 gives the MAP weights "
          "with prior variance sigma^2/lambda",
    expects="flip-by-flip updates equal the one-shot posterior to 1e-9, and the weight-decay "
            "solution equals the MAP estimate to 1e-6",
    smoke={"flips": 20, "grid": 51},
)
def run(cfg: BayesConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.models.bayes import bayes_update, coin_prior

    # 1. the coin: P(h|D) flip by flip, then all at once
    grid = np.linspace(0, 1, cfg.grid)
    prior = coin_prior(grid, cfg.prior)
    flips = (run.rng("flips").numpy.random(cfg.flips) < cfg.bias).astype(int)  # 1 = heads
    heads, tails = int(flips.sum()), int(len(flips) - flips.sum())
    posts, post = [prior], prior
    for f in flips:  # one flip at a time: yesterday's posterior is today's prior
        post = bayes_update(post, grid, heads=f, tails=1 - f)
        posts.append(post)
    once = bayes_update(prior, grid, heads=heads, tails=tails)
    seq_error = float(np.abs(posts[-1] - once).max())
    other = "fair" if cfg.prior == "uniform" else "uniform"  # the prior's role: same data
    other_post = bayes_update(coin_prior(grid, other), grid, heads=heads, tails=tails)
    h_map = float(grid[np.argmax(post)])
    run.log(f"{heads} heads in {cfg.flips} flips: MAP bias {h_map:.3f} "
            f"(true {cfg.bias}); sequential vs one-shot posterior differ by {seq_error:.1e}")

    # 2. weight decay = a Gaussian prior: gradient descent on E + lambda/2 |w|^2 vs the MAP
    wd = _weight_decay_vs_map(cfg, run)
    run.log(f"weight decay lambda = {cfg.weight_decay}: |w_WD - w_MAP| = {wd['error']:.1e} "
            f"(prior variance sigma^2/lambda = {cfg.noise**2 / cfg.weight_decay:.3g})")
    run.save_figure(_bayes_figure(grid, posts, (other, other_post), cfg, wd), "bayes")
    passed = seq_error < 1e-9 and wd["error"] < 1e-6
    return Result(passed, f"sequential = one-shot posterior to {seq_error:.0e}; weight decay = "
                          f"MAP to {wd['error']:.0e}",
                  {"heads": heads, "map_bias": h_map, "sequential_error": seq_error,
                   "wd_map_error": wd["error"], "wd_weights": wd["w_wd"].tolist()})


def _weight_decay_vs_map(cfg: BayesConfig, run: Run) -> dict:
    """Fit t = w . phi(x) + noise, phi(x) = (1, x, ..., x^5), by gradient descent on
    E + lambda/2 |w|^2, and compare with the MAP weights of the prior N(0, sigma^2/lambda)."""
    import numpy as np

    from nnzoo.models.bayes import map_weights, weight_decay_descent

    rng = run.rng("regression").numpy
    x = np.sort(rng.uniform(-1, 1, 30))
    t = np.sin(np.pi * x) + cfg.noise * rng.standard_normal(30)  # (B,)
    Phi = np.vander(x, 6, increasing=True)  # (B, 6) features 1, x, ..., x^5
    w_map = map_weights(Phi, t, cfg.weight_decay, cfg.noise)
    w_wd, E, steps = weight_decay_descent(Phi, t, cfg.weight_decay)
    run.check_loss(E, steps)
    return {"x": x, "t": t, "w_wd": w_wd, "w_map": w_map,
            "error": float(np.abs(w_wd - w_map).max())}


def _bayes_figure(grid, posts, other, cfg: BayesConfig, wd: dict):
    import numpy as np

    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=4.2)
    ax = axes[0, 0]
    shown = sorted({0, 1, 2, 5, 10, 20, 50, len(posts) - 1} & set(range(len(posts))))
    for k, n in enumerate(shown):
        ax.plot(grid, posts[n] / (grid[1] - grid[0]), color=f"C{k}", label=f"after {n} flips")
    ax.plot(grid, other[1] / (grid[1] - grid[0]), "k--", lw=1,
            label=f"after {len(posts) - 1} flips, {other[0]} prior")
    ax.axvline(cfg.bias, color="k", ls=":", lw=1)
    ax.set(xlabel="h (probability of heads)", ylabel="P(h | D) (density)",
           title=f"posterior over the coin's bias ({cfg.prior} prior)")
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    xs = np.linspace(-1, 1, 200)
    V = np.vander(xs, 6, increasing=True)
    ax.scatter(wd["x"], wd["t"], s=15, c="k", label="data")
    ax.plot(xs, V @ wd["w_wd"], lw=3, alpha=0.5, label="weight decay (gradient descent)")
    ax.plot(xs, V @ wd["w_map"], "k--", lw=1, label="MAP, prior N(0, sigma^2/lambda)")
    ax.set(xlabel="x", ylabel="t", title=f"lambda = {cfg.weight_decay}: the two fits coincide")
    ax.legend(fontsize=7)
    return fig
