"""Multi-layer networks and backpropagation: transfer functions, Bayes and weight decay.

Heavy imports (numpy, torch, matplotlib) happen inside the run functions, so that
`nnzoo list` and `nnzoo show` can read this file's configs without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment, family
from nnzoo.runs import Result, Run

family("backprop", "Multi-layer networks and backpropagation")


# --------------------------------------------------------------------------- activations
@dataclass
class ActivationsConfig:
    span: PositiveFloat = 4.0
    """The pictures show s from -span to span."""


@experiment(
    "activations", family="backprop", kind="supervised", config=ActivationsConfig,
    claim="the transfer functions sigmoid, tanh, ReLU and SELU and their derivatives, "
          "written from the course's equations",
    expects="each equals PyTorch's built-in and its autograd derivative equals the closed form "
            "(sigmoid' = g(1-g), tanh' = 1-g^2, ReLU' = step, SELU' = lambda or g + "
            "lambda alpha) to 1e-12 in float64",
)
def activations(cfg: ActivationsConfig, run: Run) -> Result:
    import torch

    from nnzoo.nn import activations as A

    s = torch.linspace(-cfg.span, cfg.span, 2001, dtype=torch.float64)
    s = s[s.abs() > 1e-9]  # ReLU and SELU have no derivative at exactly 0
    closed_form = {  # g'(s) written with g itself, as the course's backprop uses it
        "sigmoid": (A.sigmoid, lambda s, g: g * (1 - g)),
        "tanh": (A.tanh, lambda s, g: 1 - g**2),
        "relu": (A.relu, lambda s, g: A.step(s)),
        "selu": (A.selu, lambda s, g: torch.where(s > 0, A.SELU_LAMBDA + 0 * s,
                                                  g + A.SELU_LAMBDA * A.SELU_ALPHA)),
    }
    curves, errors = {}, {}
    for name, (g_of, dg_of) in closed_form.items():
        x = s.clone().requires_grad_()
        g = g_of(x)
        (dg,) = torch.autograd.grad(g.sum(), x)
        g = g.detach()
        err_builtin = (g - A.ACTIVATIONS[name](s)).abs().max().item()
        err_derivative = (dg - dg_of(s, g)).abs().max().item()
        errors[name] = max(err_builtin, err_derivative)
        curves[name] = (g.numpy(), dg.numpy())
        run.log(f"{name:8s} |g - torch| = {err_builtin:.1e}   |g' - closed form| = "
                f"{err_derivative:.1e}")
    run.save_figure(_activations_figure(s.numpy(), curves), "activations")
    worst = max(errors.values())
    return Result(worst < 1e-12, f"largest difference {worst:.1e} over 4 functions",
                  {"max_error": worst, **{f"error_{k}": v for k, v in errors.items()}})


def _activations_figure(s, curves):
    from nnzoo.viz import figure

    fig, axes = figure(1, 4, size=3.0)
    for ax, (name, (g, dg)) in zip(axes[0], curves.items()):
        ax.plot(s, g, lw=2, label="g(s)")
        ax.plot(s, dg, lw=2, ls="--", label="g'(s)")
        ax.axhline(0, color="gray", lw=0.5)
        ax.axvline(0, color="gray", lw=0.5)
        ax.set(title=name, xlabel="s")
        ax.legend(fontsize=8)
    return fig


# --------------------------------------------------------------------------- bayes
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


def coin_prior(grid, kind: str):
    """P(h) on the grid: flat, or a bump at 1/2 (a Beta(20, 20) shape), normalised."""
    import numpy as np

    p = np.ones_like(grid) if kind == "uniform" else (grid * (1 - grid)) ** 19
    return p / p.sum()


def bayes_update(prior, grid, heads: int, tails: int):
    """P(h|D) = P(D|h) P(h) / P(D), with P(D|h) = h^heads (1 - h)^tails, on a grid."""
    import numpy as np

    def xlog(n, p):  # n log p, with 0 log 0 = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, n * np.log(p), 0.0)

    with np.errstate(divide="ignore"):
        log_post = np.log(prior) + xlog(heads, grid) + xlog(tails, 1 - grid)
    post = np.exp(log_post - log_post.max())
    return post / post.sum()  # dividing by P(D) = sum_h P(D|h) P(h)


@experiment(
    "bayes", family="backprop", kind="supervised", config=BayesConfig,
    claim="Bayes' rule P(h|D) = P(D|h) P(h) / P(D) learns a coin's bias flip by flip; weight "
          "decay is a Gaussian prior: minimising E + lambda/2 sum w^2 gives the MAP weights "
          "with prior variance sigma^2/lambda",
    expects="flip-by-flip updates equal the one-shot posterior to 1e-9, and the weight-decay "
            "solution equals the MAP estimate to 1e-6",
    smoke={"flips": 20, "grid": 51},
)
def bayes(cfg: BayesConfig, run: Run) -> Result:
    import numpy as np

    rng = np.random.default_rng(run.seed)
    grid = np.linspace(0, 1, cfg.grid)
    prior = coin_prior(grid, cfg.prior)
    flips = (rng.random(cfg.flips) < cfg.bias).astype(int)  # 1 = heads
    posts, post = [prior], prior
    for f in flips:  # one flip at a time: yesterday's posterior is today's prior
        post = bayes_update(post, grid, heads=f, tails=1 - f)
        posts.append(post)
    once = bayes_update(prior, grid, heads=int(flips.sum()), tails=int(len(flips) - flips.sum()))
    seq_error = float(np.abs(posts[-1] - once).max())
    other = "fair" if cfg.prior == "uniform" else "uniform"  # the prior's role: same data
    other_post = bayes_update(coin_prior(grid, other), grid, heads=int(flips.sum()),
                              tails=int(len(flips) - flips.sum()))
    h_map = float(grid[np.argmax(post)])
    run.log(f"{flips.sum()} heads in {cfg.flips} flips: MAP bias {h_map:.3f} "
            f"(true {cfg.bias}); sequential vs one-shot posterior differ by {seq_error:.1e}")

    wd = _weight_decay_vs_map(cfg, rng, run)
    run.log(f"weight decay lambda = {cfg.weight_decay}: |w_WD - w_MAP| = {wd['error']:.1e} "
            f"(prior variance sigma^2/lambda = {cfg.noise**2 / cfg.weight_decay:.3g})")
    run.save_figure(_bayes_figure(grid, posts, (other, other_post), cfg, wd), "bayes")
    passed = seq_error < 1e-9 and wd["error"] < 1e-6
    return Result(passed, f"sequential = one-shot posterior to {seq_error:.0e}; weight decay = "
                          f"MAP to {wd['error']:.0e}",
                  {"heads": int(flips.sum()), "map_bias": h_map, "sequential_error": seq_error,
                   "wd_map_error": wd["error"], "wd_weights": wd["w_wd"].tolist()})


def _weight_decay_vs_map(cfg: BayesConfig, rng, run: Run) -> dict:
    """Fit t = w . phi(x) + noise by gradient descent on E + lambda/2 |w|^2 (nnzoo's
    momentum optimiser), and compare with the Bayesian posterior mean = MAP of the
    Gaussian model whose prior is N(0, sigma^2/lambda)."""
    import numpy as np
    import torch

    from nnzoo.nn import sse, weight_decay
    from nnzoo.nn.optim import Momentum

    x = np.sort(rng.uniform(-1, 1, 30))
    t = np.sin(np.pi * x) + cfg.noise * rng.standard_normal(30)
    Phi = np.vander(x, 6, increasing=True)  # (B, 6) features 1, x, ..., x^5
    lam, sigma2 = cfg.weight_decay, cfg.noise**2
    # MAP = posterior mean: (Phi^T Phi / sigma^2 + I / sigma_w^2)^-1 Phi^T t / sigma^2
    sigma_w2 = sigma2 / lam
    A = Phi.T @ Phi / sigma2 + np.eye(6) / sigma_w2
    w_map = np.linalg.solve(A, Phi.T @ t / sigma2)

    P, T = torch.from_numpy(Phi), torch.from_numpy(t)
    w = torch.zeros(6, dtype=torch.float64, requires_grad=True)
    opt = Momentum([w], lr=0.01, alpha=0.9)
    for step in range(20000):
        opt.zero_grad()
        E = sse(P @ w, T) + weight_decay([w], lam)  # E = 1/2 sum (z - t)^2 + lambda/2 sum w^2
        run.check_loss(E.item(), step)
        E.backward()
        if w.grad.abs().max() < 1e-12:
            break
        opt.step()
    w_wd = w.detach().numpy()
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
