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


# --------------------------------------------------------------------------- encoder
@dataclass
class EncoderConfig:
    n: PositiveInt = 8
    """Patterns: the N one-hot vectors of an N-2-N encoder."""
    lr: PositiveFloat = 0.03
    """Learning rate (Adam)."""
    init: PositiveFloat = 0.5
    """Scale of the initial weights: each weight and bias is drawn from N(0, init^2)."""
    epochs: PositiveInt = 10000
    """Most epochs; training stops once every pattern is reproduced."""


def reproduced(net, X) -> bool:
    """Every output unit on (> 0.5) exactly where its input unit is on."""
    import torch

    with torch.no_grad():
        return bool(((net(X) >= 0.5).float() == X).all())


@experiment(
    "encoder", family="backprop", kind="unsupervised", config=EncoderConfig,
    claim="an N-2-N encoder squeezes N one-hot patterns through 2 hidden units; the hidden "
          "codes spread out over training until every output unit can cut its own pattern off",
    expects="every pattern reproduced (each output > 0.5 exactly for its own input)",
    smoke={"epochs": 300},
)
def encoder(cfg: EncoderConfig, run: Run) -> Result:
    import torch

    from nnzoo.models.mlp import MLP
    from nnzoo.nn import cross_entropy
    from nnzoo.train import fit

    X = torch.eye(cfg.n, device=run.device)  # (N, N) one-hot inputs, also the targets
    gen = torch.Generator().manual_seed(run.seed)
    net = MLP([cfg.n, 2, cfg.n], activation="tanh", output="sigmoid")
    net = net.init_normal_(cfg.init, gen).to(run.device)
    snapshots = {}  # epoch -> (hidden codes (N, 2), output weights (N, 2), biases (N,))

    def snapshot(stats) -> bool:
        epoch = stats["epoch"]
        done = reproduced(net, X)
        if epoch in (50, 100, 200, 400, 800, 1600, 3200, 6400) or done:
            with torch.no_grad():
                snapshots[epoch] = (net.hidden(X)[0].cpu().numpy(),
                                    net.layers[1].weight.cpu().numpy().copy(),
                                    net.layers[1].bias.cpu().numpy().copy())
        return done

    history = fit(net, torch.optim.Adam(net.parameters(), lr=cfg.lr), cross_entropy, X, X,
                  epochs=cfg.epochs, eval_every=10, stop_when=snapshot, run=run,
                  generator=gen, desc="encoder")
    ok = reproduced(net, X)
    final = history.epochs[-1]
    if final not in snapshots:
        snapshot({"epoch": final})
    run.save_figure(_encoder_figure(snapshots, cfg.n), "hidden_dynamics")
    fig = _encoder_hinton(net)
    run.save_figure(fig, "hinton")
    headline = (f"all {cfg.n} patterns reproduced after {final} epochs" if ok else
                f"not every pattern reproduced after {final} epochs")
    return Result(ok, headline, {"reproduced": ok, "epochs": final,
                                 "final_loss": history.last()["loss"]})


def _encoder_figure(snapshots: dict, n: int):
    import numpy as np

    from nnzoo.viz import boundary_line, figure

    epochs = sorted(snapshots)
    cols = min(4, len(epochs))
    fig, axes = figure(-(-len(epochs) // cols), cols, size=2.8)
    for ax in axes.flat[len(epochs):]:
        ax.axis("off")
    for ax, epoch in zip(axes.flat, epochs):
        H, W, b = snapshots[epoch]
        for j in range(n):  # output unit j is on where W_j . h + b_j > 0
            boundary_line(ax, W[j], b[j], lims=(-1.1, 1.1), color=f"C{j % 10}", lw=0.8)
        ax.scatter(H[:, 0], H[:, 1], c=[f"C{j % 10}" for j in range(n)], s=40, zorder=3,
                   edgecolors="k")
        for j, (u, v) in enumerate(H):
            ax.annotate(str(j + 1), (u, v), xytext=(4, 4), textcoords="offset points",
                        fontsize=7)
        ax.set(title=f"epoch {epoch}", aspect="equal", xticks=np.linspace(-1, 1, 3),
               yticks=np.linspace(-1, 1, 3))
    axes[0, 0].set(xlabel="hidden unit 1", ylabel="hidden unit 2")
    return fig


def _encoder_hinton(net):
    from nnzoo.viz import figure, hinton

    fig, axes = figure(1, 2, size=3.0)
    hinton(net.layers[0].weight.detach().cpu().T, axes[0, 0])
    axes[0, 0].set(title="encoder: input -> hidden", xlabel="hidden", ylabel="input")
    hinton(net.layers[1].weight.detach().cpu(), axes[0, 1])
    axes[0, 1].set(title="decoder: hidden -> output", xlabel="hidden", ylabel="output")
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
