"""xor-backprop: a 2-2-1 network learns XOR by backpropagation, though some runs stall in
a local minimum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run


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
    "xor-backprop", kind="supervised", config=XorBackpropConfig, seconds=4,
    claim="a 2-2-1 network (tanh hidden, sigmoid output) learns XOR by backpropagation, "
          "though some runs stall in a local minimum",
    expects="at least 9 of 10 runs (90% of --runs) reach E < 0.01",
    smoke={"epochs": 300, "runs": 2},
)
def run(cfg: XorBackpropConfig, run: Run) -> Result:
    import numpy as np

    runs = run.parts(cfg.runs, desc="xor-backprop runs")  # a resumed run skips finished ones
    for i in runs:
        runs.done(_train_xor(cfg, run, i))
        runs.bar.set_postfix(solved=sum(r["solved"] for r in runs.results),
                             E=f"{runs.results[-1]['loss']:.3g}")
        run.log(_describe(i, runs.results[-1], cfg))
    done = runs.results
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

    from nnzoo.data.synthetic import GATE_TARGETS, TRUTH_INPUTS
    from nnzoo.models.mlp import MLP
    from nnzoo.nn import LOSSES
    from nnzoo.nn.optim import Momentum

    dev = run.device
    X = torch.tensor(TRUTH_INPUTS, dtype=torch.float32, device=dev)  # (4, 2)
    t = torch.tensor(GATE_TARGETS["xor"], dtype=torch.float32, device=dev)[:, None]  # (4, 1)
    gen = run.rng("init", i).torch
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
    (W1, b1), (W2, b2) = ((W.detach().cpu(), b.detach().cpu()) for W, b in net.layer_weights())
    return {"run": i, "solved": losses[-1] < cfg.target, "loss": losses[-1],
            "epochs": len(losses), "losses": losses, "outputs": z.tolist(),
            "W1": W1, "b1": b1, "W2": W2, "b2": b2}


def _describe(i: int, r: dict, cfg: XorBackpropConfig) -> str:
    outs = ", ".join(f"{z:.2f}" for z in r["outputs"])
    if r["solved"]:
        return f"run {i}: solved, E = {r['loss']:.4f} after {r['epochs']} epochs (z = {outs})"
    return (f"run {i}: stalled at E = {r['loss']:.4f} after {r['epochs']} epochs (z = {outs}): "
            "a local minimum or plateau")


def _xor_figures(done: list[dict], best: dict, cfg: XorBackpropConfig) -> dict:
    import numpy as np
    import torch

    from nnzoo.data.synthetic import GATE_TARGETS, TRUTH_INPUTS
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
    ticks = [-0.5, 0, 0.5, 1, 1.5]
    ax.set(xlabel="input x1", ylabel="input x2", xticks=ticks, yticks=ticks)
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
