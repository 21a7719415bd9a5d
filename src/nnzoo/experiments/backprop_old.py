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


# --------------------------------------------------------------------------- backprop-variations
@dataclass
class BackpropVariationsConfig:
    hidden: PositiveInt = 128
    """Hidden units of the 64-H-10 network."""
    activation: Literal["relu", "tanh", "sigmoid"] = "relu"
    """Transfer function of the hidden units."""
    lr: PositiveFloat = 0.1
    """Learning rate eta."""
    momentum: UnitFloat = 0.9
    """Momentum alpha, for the variations that use momentum."""
    weight_decay: PositiveFloat = 1e-4
    """lambda of the penalty lambda/2 sum w^2, for the variation that uses it."""
    dropout: UnitFloat = 0.2
    """Probability of dropping a hidden unit, for the variation that uses dropout."""
    epochs: PositiveInt = 60
    """Epochs for every variation."""
    batch_size: PositiveInt = 32
    """Mini-batch size."""


# name -> (error function, momentum?, weight decay?, dropout?, batch norm?)
VARIATIONS = {
    "SSE, plain SGD": ("sse", False, False, False, False),
    "cross-entropy (softmax), plain SGD": ("ce", False, False, False, False),
    "+ momentum": ("ce", True, False, False, False),
    "+ momentum + weight decay": ("ce", True, True, False, False),
    "+ momentum + dropout": ("ce", True, False, True, False),
    "+ momentum + batch norm": ("ce", True, False, False, True),
}


def digits_split(device):
    """scikit-learn's 8x8 digits scaled to [0, 1], split 80/20 (stratified, fixed seed)."""
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X / 16.0, y, test_size=0.2, random_state=0,
                                          stratify=y)
    as_x = lambda a: torch.tensor(a, dtype=torch.float32, device=device)  # noqa: E731
    as_y = lambda a: torch.tensor(a, device=device)  # noqa: E731
    return as_x(Xtr), as_y(ytr), as_x(Xte), as_y(yte)


@experiment(
    "backprop-variations", family="backprop", kind="supervised",
    config=BackpropVariationsConfig,
    claim="on 8x8 digits, cross-entropy beats sum of squares for classification, and "
          "momentum, weight decay, dropout and batch norm are the course's refinements of "
          "backprop (scikit-learn's MLPClassifier gets about 96.7% on this split)",
    expects="the best variation reaches at least 97% test accuracy on the fixed 80/20 split",
    data="scikit-learn's 8x8 digits (bundled with scikit-learn)",
    smoke={"epochs": 2, "hidden": 16},
)
def backprop_variations(cfg: BackpropVariationsConfig, run: Run) -> Result:
    import torch
    import torch.nn.functional as F

    from nnzoo.models.mlp import MLP
    from nnzoo.nn import sse, weight_decay
    from nnzoo.nn.optim import Momentum
    from nnzoo.runs import seed_everything
    from nnzoo.train import fit

    Xtr, ytr, Xte, yte = digits_split(run.device)
    # -log Prob(i) of the softmax: nnzoo.nn.nll is the course's equation; the hot path uses
    # PyTorch's fused kernel, proved equal to it in tests/nn/test_losses.py
    nll = F.cross_entropy

    def sse_one_hot(z, y):  # E = 1/2 sum (z - t)^2 against one-hot targets, per pattern
        return sse(z, F.one_hot(y, 10).to(z.dtype)) / len(y)

    state = run.restore() or {}
    results = state.get("results", {})
    for k, (name, (error, mom, wd, drop, bn)) in enumerate(VARIATIONS.items()):
        if name in results:
            continue
        seed_everything(run.seed)  # every variation starts from the same weights and batches
        net = MLP([64, cfg.hidden, 10], activation=cfg.activation,
                  output="sigmoid" if error == "sse" else "linear",
                  dropout=cfg.dropout if drop else 0.0, batch_norm=bn).to(run.device)
        opt = Momentum(net.parameters(), lr=cfg.lr, alpha=cfg.momentum if mom else 0.0)
        weights = [p for n, p in net.named_parameters() if n.endswith("weight")]
        penalty = (lambda w=weights: weight_decay(w, cfg.weight_decay)) if wd else None
        history = fit(net, opt, sse_one_hot if error == "sse" else nll, Xtr, ytr,
                      epochs=cfg.epochs, batch_size=cfg.batch_size, X_val=Xte, y_val=yte,
                      run=run, generator=torch.Generator().manual_seed(run.seed),
                      regularizer=penalty, tags={"variation": k}, desc=name)
        results[name] = {"test_acc": history.last()["val_acc"], "curve": history.series(
            "val_acc"), "train_acc": history.last()["train_acc"],
            "first_layer": net.layers[0].weight.detach().cpu()}
        run.log(f"{name:36s} test accuracy {results[name]['test_acc']:.2%}")
        run.checkpoint({"results": results})
    best = max(results, key=lambda n: results[n]["test_acc"])
    for fig_name, fig in _variations_figures(results, best).items():
        run.save_figure(fig, fig_name)
    acc = results[best]["test_acc"]
    return Result(acc >= 0.97, f"best: {best}, {acc:.2%} test accuracy",
                  {"best": best, "best_test_acc": acc,
                   **{n: round(r["test_acc"], 4) for n, r in results.items()}})


def _variations_figures(results: dict, best: str) -> dict:
    from nnzoo.viz import figure, hinton

    fig_c, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    for name, r in results.items():
        ax.plot(range(1, len(r["curve"]) + 1), r["curve"], lw=2 if name == best else 1,
                label=f"{name} ({r['test_acc']:.1%})")
    ax.set(xlabel="epoch", ylabel="test accuracy", ylim=(0.8, 1.0),
           title="8x8 digits: variations on backprop")
    ax.legend(fontsize=7, loc="lower right")
    fig_h, axes = figure(4, 4, size=1.3)
    for j, ax in enumerate(axes.flat):  # first-layer weights of 16 hidden units, as 8x8 images
        hinton(results[best]["first_layer"][j].view(8, 8), ax)
        ax.set(xticks=[], yticks=[], title=f"unit {j + 1}")
        ax.title.set_fontsize(6)
    fig_h.suptitle(f"first-layer weights ({best})", fontsize=8)
    return {"learning_curves": fig_c, "first_layer_hinton": fig_h}


# --------------------------------------------------------------------------- ockham
@dataclass
class OckhamConfig:
    n_train: PositiveInt = 20
    """Noisy training points t = sin(2 pi x) + noise, x in [-1, 1]."""
    noise: PositiveFloat = 0.25
    """Standard deviation of the noise on the targets."""
    init: PositiveFloat = 3.0
    """Scale of the initial weights: each weight and bias is drawn from N(0, init^2)."""
    weight_decay: PositiveFloat = 0.01
    """lambda of the penalty lambda/2 sum w^2 for the largest network's second fit."""
    restarts: PositiveInt = 2
    """Fits of each size from different initial weights; the one with the lowest training
    error is kept (a net of that size can fit at least that well)."""


OCKHAM_SIZES = (1, 2, 4, 8, 16, 32, 64)


def fit_to_convergence(net, X, t, lam: float = 0.0) -> None:
    """Minimise E = 1/2 sum (z - t)^2 + lambda/2 sum w^2 over all the (few) training points
    by L-BFGS, so that each network fits as well as it can: what it can fit, it does."""
    import torch

    from nnzoo.nn import sse, weight_decay

    weights = [p for n, p in net.named_parameters() if n.endswith("weight")]
    opt = torch.optim.LBFGS(net.parameters(), max_iter=2000, tolerance_grad=1e-10,
                            tolerance_change=1e-14, history_size=50,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        E = sse(net(X), t) + (weight_decay(weights, lam) if lam else 0.0)
        E.backward()
        return E

    opt.step(closure)


@experiment(
    "ockham", family="backprop", kind="supervised", config=OckhamConfig,
    claim="Ockham's razor: on noisy data a network too small is inadequate, one too large "
          "over-fits, and a good compromise lies between; weight decay tames the large one",
    expects="training error falls with size (1 to 64 hidden units) while validation error is "
            "U-shaped: its minimum lies strictly between the smallest and the largest net, "
            "and weight decay lowers the largest net's validation error",
    smoke={"n_train": 8, "restarts": 1},
)
def ockham(cfg: OckhamConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.models.mlp import MLP

    rng = np.random.default_rng(run.seed)

    def noisy(n):  # t = sin(2 pi x) + noise, x ~ U(-1, 1)
        x = np.sort(rng.uniform(-1, 1, n))
        t = np.sin(2 * np.pi * x) + cfg.noise * rng.standard_normal(n)
        return torch.tensor(x[:, None]), torch.tensor(t[:, None])  # (B, 1) float64

    X, t = noisy(cfg.n_train)
    X_val, t_val = noisy(400)
    mse = lambda net, X, t: ((net(X) - t) ** 2).mean().item()  # noqa: E731
    nets, train_err, val_err = {}, {}, {}
    for H in run.progress(OCKHAM_SIZES, desc="sizes"):
        gen = torch.Generator().manual_seed(run.seed)
        fits = []
        for _ in range(cfg.restarts):
            net = MLP([1, H, 1], activation="tanh", output="linear").double()
            net.init_normal_(cfg.init, gen)
            fit_to_convergence(net, X, t)
            with torch.no_grad():
                fits.append((mse(net, X, t), net))
        net = min(fits, key=lambda f: f[0])[1]
        with torch.no_grad():
            train_err[H], val_err[H] = mse(net, X, t), mse(net, X_val, t_val)
        nets[H] = net
        run.log_metrics(H, hidden=H, train_mse=train_err[H], val_mse=val_err[H])
        run.log(f"{H:3d} hidden units: training MSE {train_err[H]:.4f}, "
                f"validation MSE {val_err[H]:.4g}")
    big = OCKHAM_SIZES[-1]
    decayed = MLP([1, big, 1], activation="tanh", output="linear").double()
    decayed.init_normal_(cfg.init, torch.Generator().manual_seed(run.seed))
    fit_to_convergence(decayed, X, t, lam=cfg.weight_decay)
    with torch.no_grad():
        wd_val = mse(decayed, X_val, t_val)
    run.log(f"{big} hidden units with weight decay {cfg.weight_decay}: validation MSE "
            f"{wd_val:.4g}")
    best = min(val_err, key=val_err.get)
    falls = train_err[big] < train_err[OCKHAM_SIZES[0]] and all(
        train_err[b] <= train_err[a] * 1.5 + 1e-3 for a, b in zip(OCKHAM_SIZES, OCKHAM_SIZES[1:]))
    u_shaped = OCKHAM_SIZES[0] < best < big
    tamed = wd_val < val_err[big]
    run.save_figure(_ockham_figure(nets, decayed, X, t, train_err, val_err, wd_val, best, cfg),
                    "ockham")
    headline = (f"best validation at {best} hidden units (MSE {val_err[best]:.3f}; 1 unit "
                f"{val_err[1]:.3f}, {big} units {val_err[big]:.3g}, with weight decay "
                f"{wd_val:.3f})")
    return Result(falls and u_shaped and tamed, headline, {
        "best_hidden": best, "train_mse": train_err, "val_mse": val_err,
        "weight_decay_val_mse": wd_val, "training_error_falls": falls, "u_shaped": u_shaped})


def _ockham_figure(nets, decayed, X, t, train_err, val_err, wd_val, best, cfg):
    import numpy as np
    import torch

    from nnzoo.viz import figure

    big = max(nets)
    xs = torch.linspace(-1, 1, 300, dtype=torch.float64)[:, None]  # (300, 1)
    x_np = xs.numpy().ravel()
    fig, axes = figure(1, 4, size=3.2)
    panels = [(1, "inadequate"), (best, "good compromise"), (big, "over-fitting")]
    for ax, (H, label) in zip(axes[0], panels):
        with torch.no_grad():
            ax.plot(x_np, nets[H](xs).numpy(), lw=2, label=f"{H} hidden")
            if H == big:
                ax.plot(x_np, decayed(xs).numpy(), "g--", lw=1.5,
                        label=f"+ weight decay {cfg.weight_decay}")
        ax.plot(x_np, np.sin(2 * np.pi * x_np), color="gray", lw=1, ls=":")  # the truth
        ax.scatter(X, t, c="k", s=15, zorder=3)
        ax.set(title=f"{label} ({H} hidden)", ylim=(-2, 2), xlabel="x")
        ax.legend(fontsize=7, loc="lower right")
    ax = axes[0, 3]
    sizes = sorted(nets)
    ax.loglog(sizes, [max(train_err[h], 1e-8) for h in sizes], "o-", label="training")
    ax.loglog(sizes, [val_err[h] for h in sizes], "s-", label="validation")
    ax.loglog([big], [wd_val], "g*", ms=12, label="validation, weight decay")
    ax.set(xlabel="hidden units", ylabel="mean squared error", title="error vs size")
    ax.legend(fontsize=7)
    return fig


# --------------------------------------------------------------------------- weight-space-search
@dataclass
class WeightSpaceSearchConfig:
    hidden: PositiveInt = 4
    """Hidden units of the 2-H-1 network."""
    n_points: PositiveInt = 100
    """Points in [-1, 1]^2, labelled 1 inside the circle of radius 0.6."""
    margin: PositiveFloat = 0.1
    """No point lies closer than this to the circle."""
    sigma: PositiveFloat = 0.3
    """Hill climbing's step: every weight moves by N(0, sigma^2); kept if errors do not rise."""
    lr: PositiveFloat = 0.05
    """Learning rate of gradient descent (Adam) on the sigmoid network."""
    budget: PositiveInt = 20000
    """Most error evaluations for either search."""
    runs: PositiveInt = 5
    """Runs, each from its own initial weights (the same for both searches)."""


def circle_points(n: int, margin: float, rng):
    """n points in [-1, 1]^2, label 1 inside the circle r = 0.6, none within margin of it."""
    import numpy as np

    X = np.empty((0, 2))
    while len(X) < n:
        P = rng.uniform(-1, 1, size=(4 * n, 2))
        X = np.vstack([X, P[np.abs(np.hypot(*P.T) - 0.6) >= margin]])
    X = X[:n]
    return X, (np.hypot(*X.T) < 0.6).astype(np.float32)


def hill_climb(net, X, t, budget: int, sigma: float, gen) -> int | None:
    """Local search on a step-function network: perturb all weights, keep the new ones when
    the number of errors does not rise. Returns the error evaluations to reach 0 errors."""
    import torch
    from torch.nn.utils import parameters_to_vector, vector_to_parameters

    def errors(w):
        vector_to_parameters(w, net.parameters())
        return int((net(X) != t).sum())

    with torch.no_grad():
        w = parameters_to_vector(net.parameters()).clone()
        e, n = errors(w), 1
        while e > 0 and n < budget:
            w_new = w + sigma * torch.randn(w.shape, generator=gen, dtype=w.dtype)
            e_new, n = errors(w_new), n + 1
            if e_new <= e:
                w, e = w_new, e_new
        vector_to_parameters(w, net.parameters())
    return n if e == 0 else None


@experiment(
    "weight-space-search", family="backprop", kind="supervised",
    config=WeightSpaceSearchConfig,
    claim="with step functions the error over weight space is flat plateaus and jumps, so "
          "local search crawls; with sigmoids it is smooth and gradient descent walks downhill",
    expects="gradient descent reaches zero errors in every run, and in fewer error evaluations "
            "(median) than hill climbing from the same initial weights",
    smoke={"budget": 300, "runs": 2},
)
def weight_space_search(cfg: WeightSpaceSearchConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.models.mlp import MLP
    from nnzoo.nn import cross_entropy
    from nnzoo.train import fit

    X_np, y_np = circle_points(cfg.n_points, cfg.margin, np.random.default_rng(run.seed))
    X, t = torch.from_numpy(X_np).float(), torch.from_numpy(y_np)[:, None]  # (B, 2), (B, 1)
    hill, grad, nets = [], [], None
    for i in range(cfg.runs):
        gen = run.generator(i)
        smooth = MLP([2, cfg.hidden, 1], activation="sigmoid", output="sigmoid")
        smooth.init_normal_(1.0, gen)
        steps = MLP([2, cfg.hidden, 1], activation="step", output="step")
        steps.load_state_dict(smooth.state_dict())  # the same starting point for both
        hill.append(hill_climb(steps, X, t, cfg.budget, cfg.sigma, gen))
        history = fit(smooth, torch.optim.Adam(smooth.parameters(), lr=cfg.lr),
                      lambda z, t: cross_entropy(z, t) / len(t), X, t, epochs=cfg.budget,
                      stop_when=lambda s: s["train_acc"] == 1.0, run=run, tags={"run": i},
                      desc=f"gradient descent {i + 1}/{cfg.runs}")
        # one error evaluation (with its gradient) per epoch
        grad.append(history.epochs[-1] if history.last()["train_acc"] == 1.0 else None)
        run.log(f"run {i}: hill climbing {hill[-1] or 'no solution in budget'}, gradient "
                f"descent {grad[-1] or 'no solution in budget'} error evaluations")
        nets = nets or (smooth, steps)
    # a search that found no solution within the budget costs the whole budget
    cost_h, cost_g = ([cfg.budget if n is None else n for n in r] for r in (hill, grad))
    med_h, med_g = float(np.median(cost_h)), float(np.median(cost_g))
    run.save_figure(_landscape_figure(nets, X, t, (hill, cost_h), (grad, cost_g), cfg),
                    "landscape")
    passed = all(n is not None for n in grad) and med_g < med_h
    solved_h = sum(n is not None for n in hill)
    return Result(passed, f"median error evaluations to 0 errors: gradient descent {med_g:.0f},"
                          f" hill climbing {med_h:.0f} ({solved_h}/{cfg.runs} solved)",
                  {"gd_evaluations": grad, "hill_evaluations": hill, "gd_median": med_g,
                   "hill_median": med_h})


def _landscape_figure(nets, X, t, hill, grad, cfg: WeightSpaceSearchConfig):
    """hill and grad: (evaluations or None per run, the same with None as the budget)."""
    import numpy as np
    import torch
    from torch.nn.utils import parameters_to_vector, vector_to_parameters

    from nnzoo.nn import cross_entropy
    from nnzoo.viz import figure

    smooth, steps = nets
    w0 = parameters_to_vector(smooth.parameters()).detach()  # gradient descent's solution
    d = torch.randn(w0.shape, generator=torch.Generator().manual_seed(1))
    d = d / d.norm()
    alphas = np.linspace(-4, 4, 801)
    errs, E = [], []
    with torch.no_grad():
        for a in alphas:  # the slice w0 + a d through weight space
            w = w0 + float(a) * d
            vector_to_parameters(w, steps.parameters())
            vector_to_parameters(w, smooth.parameters())
            errs.append(int((steps(X) != t).sum()))
            E.append(cross_entropy(smooth(X), t).item() / len(t))
        vector_to_parameters(w0, smooth.parameters())
    fig, axes = figure(1, 2, size=4.0)
    ax = axes[0, 0]
    ax.plot(alphas, errs, color="k", lw=1.5, label="errors, step units")
    ax.set(xlabel="distance from gradient descent's solution, random direction",
           ylabel="misclassified points",
           title="a slice through weight space")
    ax2 = ax.twinx()
    ax2.plot(alphas, E, color="tab:blue", lw=1.5, label="E, sigmoid units")
    ax2.set_ylabel("cross-entropy E", color="tab:blue")
    ax.legend(loc="upper left", fontsize=7)
    ax2.legend(loc="upper right", fontsize=7)
    ax = axes[0, 1]
    for k, (r, cost) in enumerate((hill, grad)):
        ax.scatter([k] * len(r), cost, s=40, c=["tab:red" if n is None else "tab:green"
                                                for n in r], zorder=3)
    ax.axhline(cfg.budget, color="gray", ls=":", lw=1)
    ax.set(xticks=[0, 1], xticklabels=["hill climbing\n(step)", "gradient descent\n(sigmoid)"],
           yscale="log", ylabel="error evaluations to 0 errors",
           title="red: not solved within the budget", xlim=(-0.5, 1.5))
    return fig
