"""Neurons and perceptrons: McCulloch-Pitts logic gates, the perceptron rule, XOR by backprop.

Heavy imports (numpy, torch, matplotlib) happen inside the run functions, so that
`nnzoo list` and `nnzoo show` can read this file's configs without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment, family
from nnzoo.runs import Result, Run

family("neuron", "Neurons and perceptrons")

TRUTH_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
GATE_TARGETS = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "nor": [1, 0, 0, 0],
                "xor": [0, 1, 1, 0]}


# --------------------------------------------------------------------------- logic-gates
@dataclass
class LogicGatesConfig:
    """Hand-set weights only: nothing to choose."""


@experiment(
    "logic-gates", family="neuron", kind="supervised", config=LogicGatesConfig,
    claim="McCulloch-Pitts neurons with hand-set weights compute AND, OR, NOR and NOT; "
          "two layers of them compute XOR = (x1 AND x2) NOR (x1 NOR x2)",
    expects="every truth table exact (5 of 5 gates)",
)
def logic_gates(cfg: LogicGatesConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.models import neuron

    X = np.array(TRUTH_INPUTS)
    x1, x2 = X[:, 0], X[:, 1]
    tables = {  # gate -> (unit, inputs, the truth table it must reproduce)
        "AND": (neuron.AND, X, x1 & x2),
        "OR": (neuron.OR, X, x1 | x2),
        "NOR": (neuron.NOR, X, 1 - (x1 | x2)),
        "NOT": (neuron.NOT, np.array([[0], [1]]), np.array([1, 0])),
        "XOR": (neuron.XOR, X, x1 ^ x2),
    }
    exact = {}
    for name, (unit, inputs, truth) in tables.items():
        out = unit(inputs)
        exact[name] = bool((out == truth).all())
        rows = ", ".join(f"{''.join(map(str, i))}->{o}" for i, o in zip(inputs, out))
        run.log(f"{name:4s} {rows}   {'exact' if exact[name] else 'WRONG'}")
    run.save_figure(_gates_figure(tables), "gates")
    n = sum(exact.values())
    return Result(passed=n == len(tables), headline=f"{n}/{len(tables)} truth tables exact",
                  metrics={"gates_exact": n, "gates": len(tables), **exact})


def _equation(w, b) -> str:
    """'x1 + x2 - 1.5 = 0' for the line where a unit's output changes."""
    terms = "".join(f" {'-' if v < 0 else '+'} {'' if abs(v) == 1 else f'{abs(v):g}'}x{k}"
                    for k, v in enumerate(w, 1))
    return f"{terms} {'-' if b < 0 else '+'} {abs(b):g} = 0".lstrip(" +")


def _gates_figure(tables):
    import numpy as np

    from nnzoo.models import neuron
    from nnzoo.viz import boundary_line, decision_regions, figure

    fig, axes = figure(2, 3)
    for ax, name in zip(axes[0], ["AND", "OR", "NOR"]):
        unit, X, truth = tables[name]
        decision_regions(ax, unit, X, truth)
        boundary_line(ax, unit.weights, unit.bias)
        ax.set_title(f"{name}: {_equation(unit.weights, unit.bias)}")
    ax = axes[1, 0]  # NOT is a unit with one input: a threshold on a line
    xs = np.linspace(-0.5, 1.5, 200)
    ax.plot(xs, neuron.NOT(xs[:, None]), "k-", lw=2)
    ax.scatter([0, 1], [1, 0], s=60, c=["k", "w"], edgecolors="k", zorder=3)
    ax.axvline(-neuron.NOT.bias / neuron.NOT.weights[0], color="gray", ls="--")
    ax.set(title="NOT: g(-x + 0.5)", xlabel="x", ylabel="output", ylim=(-0.2, 1.2))
    unit, X, truth = tables["XOR"]
    ax = axes[1, 1]  # input plane: the two hidden units' lines and XOR's regions
    decision_regions(ax, unit, X, truth)
    for h, colour in zip(unit.hidden, ["tab:green", "tab:purple"]):
        boundary_line(ax, h.weights, h.bias, color=colour)
    ax.set_title("XOR: hidden lines AND (green), NOR (purple)", fontsize=9)
    ax = axes[1, 2]  # hidden plane: the four inputs land on three points, NOR separates them
    H = unit.hidden_activations(X)
    decision_regions(ax, unit.output, H, truth)
    boundary_line(ax, unit.output.weights, unit.output.bias)
    for x, h in zip(X, H):
        ax.annotate(f"x={tuple(int(v) for v in x)}", h, xytext=(6, -12 + 8 * x[0]),
                    textcoords="offset points", fontsize=8)
    ax.set(title="XOR output: NOR(h1, h2)", xlabel="h1 = x1 AND x2", ylabel="h2 = x1 NOR x2")
    return fig


# --------------------------------------------------------------------------- perceptron
@dataclass
class PerceptronConfig:
    task: Literal["and", "or", "nor", "xor", "separable"] = "separable"
    """The data: a gate's truth table, or random 2-D points that a line separates."""
    lr: PositiveFloat = 1.0
    """Learning rate eta of the perceptron rule."""
    max_epochs: PositiveInt = 100
    """Passes through the data before giving up."""
    shuffle: bool = False
    """Present the patterns in a new random order each epoch (default: always in order)."""
    n_points: PositiveInt = 100
    """Number of random points for --task separable."""
    margin: PositiveFloat = 0.1
    """For --task separable: no point lies closer than this to the true separating line."""


def separable_points(n: int, margin: float, rng):
    """n points in [-1, 1]^2 labelled by a random line, none within `margin` of it."""
    import numpy as np

    angle = rng.uniform(0, 2 * np.pi)
    w = np.array([np.cos(angle), np.sin(angle)])  # unit normal of the line
    b = rng.uniform(-0.3, 0.3)
    X = np.empty((0, 2))
    while len(X) < n:
        P = rng.uniform(-1, 1, size=(4 * n, 2))
        X = np.vstack([X, P[np.abs(P @ w + b) >= margin]])  # distance to the line >= margin
    X = X[:n]
    return X, (X @ w + b > 0).astype(int), (w, b)


@experiment(
    "perceptron", family="neuron", kind="supervised", config=PerceptronConfig,
    claim="the perceptron rule learns any linearly separable data, and never settles on XOR",
    expects="0 training errors within max_epochs on and/or/nor/separable; on xor no "
            "convergence and the weights revisit an earlier state",
    smoke={"n_points": 20, "max_epochs": 20},
)
def perceptron(cfg: PerceptronConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.models.neuron import Perceptron

    truth = None
    if cfg.task == "separable":
        X, y, truth = separable_points(cfg.n_points, cfg.margin, np.random.default_rng(run.seed))
    else:
        X, y = np.array(TRUTH_INPUTS, dtype=float), np.array(GATE_TARGETS[cfg.task])
    p = Perceptron(lr=cfg.lr, max_epochs=cfg.max_epochs, shuffle=cfg.shuffle, seed=run.seed)
    p.fit(X, y)
    for epoch, mistakes in enumerate(p.errors_, 1):
        run.log_metrics(epoch, errors=mistakes)
    errors = int((p.predict(X) != y).sum())
    if p.converged_:
        headline = f"converged after {p.n_epochs_} epochs: {errors} training errors"
    elif p.cycle_:
        first, again = p.cycle_
        headline = (f"no convergence: the weights at the start of epoch {again + 1} equal those "
                    f"of epoch {first + 1}, so the rule cycles for ever: not linearly separable")
    else:
        headline = f"no convergence within {cfg.max_epochs} epochs ({errors} training errors)"
    run.log(headline)
    run.log(f"w = {np.round(p.w_, 4).tolist()}, w_0 = {p.b_:.4g}")
    run.save_figure(_perceptron_figure(p, X, y, truth, cfg.task), "perceptron")
    if cfg.task == "xor":
        passed = not p.converged_ and p.cycle_ is not None
    else:
        passed = p.converged_ and errors == 0
    return Result(passed, headline, {
        "task": cfg.task, "converged": p.converged_, "epochs": p.n_epochs_,
        "training_errors": errors, "cycled": p.cycle_ is not None,
        "w": p.w_.tolist(), "w0": p.b_})


def _perceptron_figure(p, X, y, truth, task):
    import numpy as np

    from nnzoo.viz import boundary_line, decision_regions, figure

    fig, axes = figure(1, 2, size=3.6)
    ax, ax_err = axes[0]
    lims = (-1.1, 1.1) if task == "separable" else (-0.5, 1.5)
    decision_regions(ax, p.predict, X, y, lims=lims, levels=[-0.5, 0.5, 1.5])
    if p.cycle_:  # the lines the rule keeps going round: every update of the cycle's epochs
        first, again = p.cycle_
        updates = np.cumsum([0, *p.errors_])
        for w, b in p.path_[updates[first]:updates[again]]:
            boundary_line(ax, w, b, lims=lims, color="tab:red", lw=1.2, alpha=0.8)
        ax.set_title(f"{task}: the {updates[again] - updates[first]} lines of one cycle (red)",
                     fontsize=9)
    else:
        for w, b in p.history_[:-1]:
            boundary_line(ax, w, b, lims=lims, color="gray", lw=0.6, alpha=0.5)
        boundary_line(ax, p.w_, p.b_, lims=lims)
        ax.set_title(f"{task}: learned line (black), earlier ones (gray)", fontsize=9)
    if truth is not None:
        boundary_line(ax, truth[0], truth[1], lims=lims, color="tab:green", ls="--", lw=1)
    ax_err.plot(np.arange(1, p.n_epochs_ + 1), p.errors_, "o-", ms=3)
    ax_err.set(xlabel="epoch", ylabel="mistakes (weight changes)", title="errors per epoch")
    ax_err.xaxis.get_major_locator().set_params(integer=True)
    ax_err.yaxis.get_major_locator().set_params(integer=True)
    return fig


# --------------------------------------------------------------------------- xor-backprop
@dataclass
class XorBackpropConfig:
    loss: Literal["sse", "cross-entropy"] = "cross-entropy"
    """Error function E: 1/2 sum (z - t)^2, or -t log z - (1 - t) log(1 - z)."""
    lr: PositiveFloat = 0.5
    """Learning rate eta."""
    momentum: UnitFloat = 0.95
    """Momentum alpha in delta_w <- alpha delta_w - eta dE/dw (0 for plain descent)."""
    init: PositiveFloat = 0.03
    """Scale of the initial weights: each weight and bias is drawn from U(-init, init)."""
    epochs: PositiveInt = 5000
    """Most epochs (passes through the four patterns) for each run."""
    target: PositiveFloat = 0.01
    """A run has solved XOR (reached the global minimum) once E falls below this."""
    runs: PositiveInt = 10
    """Number of runs, each from its own random initial weights."""


@experiment(
    "xor-backprop", family="neuron", kind="supervised", config=XorBackpropConfig,
    claim="a 2-2-1 network (tanh hidden, sigmoid output) learns XOR by backpropagation, "
          "though some runs stall in a local minimum",
    expects="at least 9 of 10 runs (90% of --runs) reach E < 0.01",
    smoke={"epochs": 300, "runs": 2},
)
def xor_backprop(cfg: XorBackpropConfig, run: Run) -> Result:
    import numpy as np

    state = run.restore() or {"runs": []}
    done = state["runs"]  # one dict per finished run; a resumed run skips these
    bar = run.progress(total=cfg.runs, initial=len(done), desc="xor-backprop runs")
    for i in range(len(done), cfg.runs):
        done.append(_train_xor(cfg, run, i))
        bar.update(1)
        bar.set_postfix(solved=sum(r["solved"] for r in done), E=f"{done[-1]['loss']:.3g}")
        run.log(_describe(i, done[-1], cfg))
        run.checkpoint({"runs": done})
    bar.close()
    solved = [r for r in done if r["solved"]]
    need = int(np.ceil(0.9 * cfg.runs))
    headline = (f"{len(solved)}/{cfg.runs} runs reached E < {cfg.target:g}; "
                f"{cfg.runs - len(solved)} stalled")
    if solved:
        headline += f" (median {int(np.median([r['epochs'] for r in solved]))} epochs)"
    best = min(done, key=lambda r: r["loss"])
    for name, fig in _xor_figures(done, best, cfg).items():
        run.save_figure(fig, name)
    return Result(len(solved) >= need, headline, {
        "solved": len(solved), "stalled": cfg.runs - len(solved), "runs": cfg.runs,
        "median_epochs": float(np.median([r["epochs"] for r in solved])) if solved else None,
        "final_losses": [round(r["loss"], 6) for r in done]})


def _train_xor(cfg: XorBackpropConfig, run: Run, i: int) -> dict:
    """Train run i from its own seed; return its losses, final weights and outcome."""
    import torch

    from nnzoo.models.mlp import MLP
    from nnzoo.nn import LOSSES
    from nnzoo.nn.optim import Momentum

    dev = run.device
    X = torch.tensor(TRUTH_INPUTS, dtype=torch.float32, device=dev)  # (4, 2)
    t = torch.tensor(GATE_TARGETS["xor"], dtype=torch.float32, device=dev)[:, None]  # (4, 1)
    gen = run.generator(i)
    net = MLP([2, 2, 1], activation="tanh", output="sigmoid")
    with torch.no_grad():
        for w in net.parameters():
            w.copy_((2 * torch.rand(w.shape, generator=gen) - 1) * cfg.init)  # U(-init, init)
    net.to(dev)
    E_of = LOSSES[cfg.loss]
    opt = Momentum(net.parameters(), lr=cfg.lr, alpha=cfg.momentum)
    losses = []
    for epoch in range(cfg.epochs):
        opt.zero_grad()
        E = E_of(net(X), t)
        losses.append(run.check_loss(E.item(), epoch))
        if epoch % 100 == 0:
            run.log_metrics(epoch, run=i, loss=losses[-1])
        if losses[-1] < cfg.target:
            break
        E.backward()  # dE/dw for every weight, by backpropagation
        opt.step()  # delta_w <- alpha delta_w - eta dE/dw; w <- w + delta_w
    with torch.no_grad():
        z = net(X).squeeze(1).cpu()
    W1, W2 = net.layers[0], net.layers[1]
    return {"run": i, "solved": losses[-1] < cfg.target, "loss": losses[-1],
            "epochs": len(losses), "losses": losses, "outputs": z.tolist(),
            "W1": W1.weight.detach().cpu(), "b1": W1.bias.detach().cpu(),
            "W2": W2.weight.detach().cpu(), "b2": W2.bias.detach().cpu()}


def _describe(i: int, r: dict, cfg: XorBackpropConfig) -> str:
    outs = ", ".join(f"{z:.2f}" for z in r["outputs"])
    if r["solved"]:
        return f"run {i}: solved, E = {r['loss']:.4f} after {r['epochs']} epochs (z = {outs})"
    return (f"run {i}: stalled at E = {r['loss']:.4f} after {r['epochs']} epochs (z = {outs}): "
            "a local minimum or plateau")


def _xor_figures(done: list[dict], best: dict, cfg: XorBackpropConfig) -> dict:
    import numpy as np
    import torch

    from nnzoo.viz import boundary_line, decision_regions, figure, hinton

    W1, b1, W2, b2 = (best[k].double().numpy() for k in ("W1", "b1", "W2", "b2"))

    def net(P):  # z = sigmoid(W2 tanh(W1 x + b1) + b2) on the plane, with run `best`'s weights
        h = np.tanh(P @ W1.T + b1)  # (N, 2)
        return torch.sigmoid(torch.from_numpy(h @ W2.T + b2)).numpy().ravel()

    fig_d, axes = figure(1, 1, size=4.2)
    ax = axes[0, 0]
    decision_regions(ax, net, TRUTH_INPUTS, GATE_TARGETS["xor"])
    for j, colour in enumerate(["tab:green", "tab:purple"]):
        boundary_line(ax, W1[j], b1[j], color=colour, label=f"hidden unit {j + 1}")
    ax.legend(loc="upper center", fontsize=7, ncol=2)
    ax.set_title(f"run {best['run']}: output z and the hidden units' lines", fontsize=9)

    fig_l, axes = figure(1, 1, size=4.2)
    ax = axes[0, 0]
    for r in done:
        ax.semilogy(r["losses"], color="tab:blue" if r["solved"] else "tab:red", lw=1,
                    alpha=0.8)
    ax.axhline(cfg.target, color="k", ls=":", lw=1)
    ax.set(xlabel="epoch", ylabel="E", title=f"{len(done)} runs: solved (blue), stalled (red)")

    fig_h, axes = figure(1, 2, size=2.6)
    hinton(np.column_stack([W1, b1]), axes[0, 0])
    axes[0, 0].set(title="hidden: [w1 w2 | w0]", xticks=[0, 1, 2],
                   xticklabels=["x1", "x2", "bias"], yticklabels=["h1", "h2"])
    hinton(np.column_stack([W2, b2]), axes[0, 1])
    axes[0, 1].set(title="output: [w1 w2 | w0]", xticks=[0, 1, 2],
                   xticklabels=["h1", "h2", "bias"], yticklabels=["z"])
    return {"decision": fig_d, "loss": fig_l, "hinton": fig_h}
