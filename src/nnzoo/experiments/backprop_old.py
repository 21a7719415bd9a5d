"""Multi-layer networks and backpropagation: transfer functions, Bayes and weight decay.

Heavy imports (numpy, torch, matplotlib) happen inside the run functions, so that
`nnzoo list` and `nnzoo show` can read this file's configs without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment, family
from nnzoo.runs import Result, Run

family("backprop", "Multi-layer networks and backpropagation", position=2)


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


# --------------------------------------------------------------------------- twin-spirals
@dataclass
class TwinSpiralsConfig:
    net: Literal["polar", "raw", "short", "two-layer"] = "polar"
    """polar: (r, theta) then one hidden layer; raw: two hidden layers; short: two hidden
    layers with shortcut connections; two-layer: one hidden layer on (x, y)."""
    hidden: PositiveInt = 20
    """Hidden units in each hidden layer."""
    init: PositiveFloat = 0.3
    """Scale of the initial weights: each weight and bias is drawn from N(0, init^2)."""
    optimizer: Literal["adam", "sgd"] = "adam"
    """adam, or sgd: gradient descent with momentum 0.9."""
    lr: PositiveFloat = 0.01
    """Learning rate."""
    epochs: PositiveInt = 20000
    """Most epochs; training stops at 100% accuracy, checked every 100 epochs."""
    runs: PositiveInt = 1
    """Number of runs, each from its own random initial weights."""


SPIRAL_LIMS = (-7.0, 7.0)


def spiral_net(cfg: TwinSpiralsConfig):
    from nnzoo.models.mlp import MLP, PolarNet

    H = cfg.hidden
    return {"polar": lambda: PolarNet(H), "raw": lambda: MLP([2, H, H, 1]),
            "short": lambda: MLP([2, H, H, 1], shortcut=True),
            "two-layer": lambda: MLP([2, H, 1])}[cfg.net]()


@experiment(
    "twin-spirals", family="backprop", kind="supervised", config=TwinSpiralsConfig,
    claim="networks with polar inputs, two hidden layers, or shortcut connections learn the "
          "twin spirals, and the hidden units' pictures show how; measured with Adam at equal "
          "numbers of weights, a one-hidden-layer net (45 units, 181 weights) learned them in "
          "3 of 3 runs and ShortNet (10 per layer, 183 weights) in 2 of 3, so the course's "
          "'cannot' does not hold for a wide enough one-hidden-layer net trained by Adam",
    expects="every run reaches 100% training accuracy within 20,000 epochs (at the defaults: "
            "--net polar, raw or short, 20 hidden units, init 0.3, Adam lr 0.01)",
    smoke={"epochs": 200, "hidden": 4},
)
def twin_spirals(cfg: TwinSpiralsConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.data.synthetic import twin_spirals as spirals
    from nnzoo.nn import cross_entropy
    from nnzoo.nn.optim import Momentum
    from nnzoo.train import fit

    X_np, y_np = spirals()
    X = torch.from_numpy(X_np).to(run.device)  # (194, 2)
    t = torch.from_numpy(y_np).float()[:, None].to(run.device)  # (194, 1)
    state = run.restore() or {}
    done = state.get("runs", [])
    for i in range(len(done), cfg.runs):
        gen = run.generator(i)
        net = spiral_net(cfg).init_normal_(cfg.init, gen).to(run.device)
        opt = (torch.optim.Adam(net.parameters(), lr=cfg.lr) if cfg.optimizer == "adam"
               else Momentum(net.parameters(), lr=cfg.lr, alpha=0.9))
        history = fit(net, opt, lambda z, t: cross_entropy(z, t) / len(t), X, t,
                      epochs=cfg.epochs, eval_every=100, run=run, checkpoint_every=1000,
                      stop_when=lambda s: s["train_acc"] == 1.0, resume=state.pop("fit", None),
                      extra_state={"runs": done}, generator=gen, tags={"run": i},
                      desc=f"run {i + 1}/{cfg.runs}")
        acc = history.last()["train_acc"]
        done.append({"run": i, "acc": acc, "epochs": history.epochs[-1],
                     "solved": acc == 1.0, "curve": history.series("train_acc"),
                     "curve_epochs": history.epochs,
                     "weights": {k: v.cpu() for k, v in net.state_dict().items()}})
        run.log(f"run {i}: {acc:.1%} training accuracy after {history.epochs[-1]} epochs")
        run.checkpoint({"runs": done})
    solved = [r for r in done if r["solved"]]
    n_weights = sum(p.numel() for p in spiral_net(cfg).parameters())
    headline = f"{len(solved)}/{cfg.runs} runs of --net {cfg.net} reached 100%"
    if solved:
        headline += f" (median {int(np.median([r['epochs'] for r in solved]))} epochs)"
    best = max(done, key=lambda r: (r["acc"], -r["epochs"]))
    net = spiral_net(cfg)
    net.load_state_dict(best["weights"])
    for name, fig in _spiral_figures(net, X_np, y_np, done, best, cfg).items():
        run.save_figure(fig, name)
    passed = len(solved) == cfg.runs
    return Result(passed, headline, {
        "net": cfg.net, "weights": n_weights, "solved": len(solved), "runs": cfg.runs,
        "epochs": [r["epochs"] for r in done], "accuracy": [r["acc"] for r in done]})


def _spiral_figures(net, X, y, done, best, cfg: TwinSpiralsConfig) -> dict:
    import numpy as np
    import torch

    from nnzoo.viz import decision_regions, figure

    net = net.double().eval()
    lims = SPIRAL_LIMS

    def on_plane(P):  # (N, 2) numpy -> the network's output
        with torch.no_grad():
            return net(torch.from_numpy(P)).numpy().ravel()

    fig_out, axes = figure(1, 2, size=4.2)
    decision_regions(axes[0, 0], on_plane, X, y, lims=lims)
    axes[0, 0].set_title(f"--net {cfg.net}: output (run {best['run']}, "
                         f"{best['acc']:.0%})", fontsize=9)
    ax = axes[0, 1]
    for r in done:
        ax.plot(r["curve_epochs"], r["curve"], color="tab:blue" if r["solved"] else "tab:red")
    ax.set(xlabel="epoch", ylabel="training accuracy", ylim=(0.4, 1.02),
           title="accuracy every 100 epochs")

    n = 120
    g = np.linspace(*lims, n)
    P = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])  # (n*n, 2)
    with torch.no_grad():
        layers = [h.numpy() for h in net.hidden(torch.from_numpy(P))]  # [(n*n, H), ...]
    cols = 10  # units per row of pictures; a layer takes as many rows as it needs
    rows = [(layer, j0) for layer, h in enumerate(layers) for j0 in range(0, h.shape[1], cols)]
    fig_hid, axes = figure(len(rows), cols, size=1.3)
    for (layer, j0), row in zip(rows, axes):
        h = layers[layer]
        for k, ax in enumerate(row):
            ax.axis("off")
            j = j0 + k
            if j < h.shape[1]:
                ax.imshow(h[:, j].reshape(n, n), origin="lower", extent=(*lims, *lims),
                          cmap="RdBu_r", vmin=-1, vmax=1)
                ax.set_title(f"layer {layer + 1}, unit {j + 1}", fontsize=6)
    return {"output": fig_out, "hidden_units": fig_hid}


# --------------------------------------------------------------------------- vanishing-gradients
@dataclass
class VanishingGradientsConfig:
    depth: PositiveInt = 20
    """Number of hidden layers."""
    width: PositiveInt = 100
    """Units in each hidden layer (and inputs)."""
    small: PositiveFloat = 0.25
    """Small initial weights: this many times the variance-preserving standard deviation."""
    large: PositiveFloat = 2.0
    """Large initial weights: this many times the variance-preserving standard deviation."""
    batch: PositiveInt = 512
    """Random input patterns the gradients are averaged over."""


GRADIENT_ACTIVATIONS = ("sigmoid", "tanh", "relu", "selu")


def layer_differentials(act: str, scale: float, cfg: VanishingGradientsConfig, gen) -> list:
    """||dE/ds_l|| for the pre-activations s_l of every hidden layer of a deep network
    whose weights are drawn with G n Var[w] = scale^2, for E = 1/2 mean (z - t)^2."""
    import torch

    from nnzoo.nn import ACTIVATIONS
    from nnzoo.nn.init import variance_preserving_

    W = cfg.width
    layers = [variance_preserving_(torch.nn.Linear(W, W), act, scale, gen)
              for _ in range(cfg.depth)]
    out = variance_preserving_(torch.nn.Linear(W, 1), act, scale, gen)
    x = torch.randn(cfg.batch, W, generator=gen)  # (B, D)
    t = torch.randn(cfg.batch, 1, generator=gen)  # (B, 1)
    h, s_all = x, []
    for layer in layers:
        s = layer(h)  # (B, H) pre-activations
        s_all.append(s)
        h = ACTIVATIONS[act](s)
    E = 0.5 * ((out(h) - t) ** 2).mean()
    grads = torch.autograd.grad(E, s_all)  # backpropagation: dE/ds_l for every layer
    return [g.norm().item() for g in grads]


@experiment(
    "vanishing-gradients", family="backprop", kind="supervised",
    config=VanishingGradientsConfig,
    claim="in a deep network small weights make the differentials dE/ds vanish towards the "
          "first layer, large ones make them explode; variance-preserving weights "
          "(G n Var[w] = 1) keep them alive, except for the sigmoid, whose slope is at most 1/4",
    expects="small weights: first layer's ||dE/ds|| < 1/100 of the last's for all four "
            "transfer functions; variance-preserving: within a factor 10 across layers for "
            "tanh, ReLU and SELU",
    smoke={"depth": 6, "width": 32, "batch": 64, "small": 0.1},
)
def vanishing_gradients(cfg: VanishingGradientsConfig, run: Run) -> Result:
    import torch

    scales = {"small": cfg.small, "variance-preserving": 1.0, "large": cfg.large}
    norms = {}
    for act in GRADIENT_ACTIVATIONS:
        for label, scale in scales.items():
            gen = torch.Generator().manual_seed(run.seed)
            n = layer_differentials(act, scale, cfg, gen)
            norms[act, label] = n
            run.log(f"{act:8s} {label:20s} first/last = {n[0] / n[-1]:9.2e}   "
                    f"max/min = {max(n) / min(n):9.2e}")
    first_over_last = {k: n[0] / n[-1] for k, n in norms.items()}
    spread = {k: max(n) / min(n) for k, n in norms.items()}
    vanish = all(first_over_last[a, "small"] < 1e-2 for a in GRADIENT_ACTIVATIONS)
    alive = all(spread[a, "variance-preserving"] <= 10 for a in ("tanh", "relu", "selu"))
    run.save_figure(_gradients_figure(norms, scales), "gradients")
    worst_small = max(first_over_last[a, "small"] for a in GRADIENT_ACTIVATIONS)
    worst_vp = max(spread[a, "variance-preserving"] for a in ("tanh", "relu", "selu"))
    headline = (f"small: first/last <= {worst_small:.0e}; variance-preserving spread <= "
                f"{worst_vp:.1f}x (sigmoid {spread['sigmoid', 'variance-preserving']:.0e}x)")
    return Result(vanish and alive, headline, {
        **{f"first_over_last_{a}_{s}": v for (a, s), v in first_over_last.items()},
        **{f"spread_{a}_{s}": v for (a, s), v in spread.items()}})


def _gradients_figure(norms, scales):
    from nnzoo.viz import figure

    fig, axes = figure(1, len(GRADIENT_ACTIVATIONS), size=3.2, sharey=True)
    styles = {"small": ":", "variance-preserving": "-", "large": "--"}
    for ax, act in zip(axes[0], GRADIENT_ACTIVATIONS):
        for label in scales:
            n = norms[act, label]
            ax.semilogy(range(1, len(n) + 1), n, styles[label], lw=2, label=label)
        ax.set(title=act, xlabel="layer (1 = first)")
    axes[0, 0].set_ylabel("||dE/ds|| at the layer")
    axes[0, 0].legend(fontsize=7)
    return fig
