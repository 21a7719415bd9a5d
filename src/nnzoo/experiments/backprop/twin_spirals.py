"""twin-spirals: networks with polar inputs, two hidden layers, or shortcut connections learn
the twin spirals, and the hidden units' pictures show how; the course's two-layer network
(one hidden layer on (x, y)) of the same width does not.

The contrast is trained in the default run at the same width, initial weights' scale,
optimiser and budget of epochs. At seeds 0-2 it ended at 84.5%, 83.5% and 82.0% training
accuracy after its 20,000 epochs (its loss still creeping down), while the other three
reached 100% in 500-4,300; the claim asks it to stay below 95%. It costs the most of the
run's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class TwinSpiralsConfig:
    net: Literal["all", "polar", "raw", "short", "two-layer"] = "all"
    """all: polar, raw, short and two-layer in turn; polar: (r, theta) then one hidden layer;
    raw: two hidden layers; short: two hidden layers with shortcut connections; two-layer: one
    hidden layer on (x, y) (the course's net that cannot; with --hidden 45 it has 181
    weights, as many as short with --hidden 10)."""
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
    """Runs of each net, each from its own random initial weights."""

    not_the_default: ClassVar[dict[str, str]] = {
        "net": "the default run checks every net the claim names (spiral_net's is polar)"}


LEARNERS = ("polar", "raw", "short")  # the nets the claim says learn the spirals
CONTRAST = "two-layer"  # the one it says does not
ALL_NETS = (*LEARNERS, CONTRAST)  # --net all
BELOW = 0.95  # the contrast's training accuracy stays below this


@experiment(
    "twin-spirals", kind="supervised", config=TwinSpiralsConfig, seconds=12,
    claim="networks with polar inputs, two hidden layers, or shortcut connections learn the "
          "twin spirals, and the hidden units' pictures show how; a two-layer network (one "
          "hidden layer on (x, y)) of the same width does not",
    expects="every run of polar, raw and short reaches 100% training accuracy within 20,000 "
            "epochs, and every run of two-layer ends below 95% after them (at the defaults: "
            "one run of each, 20 hidden units, init 0.3, Adam lr 0.01); with --net NAME, "
            "every run of that net",
    smoke={"epochs": 200, "hidden": 4},
)
def run(cfg: TwinSpiralsConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.data.synthetic import twin_spirals
    from nnzoo.models.mlp import spiral_net
    from nnzoo.registry import build

    X_np, y_np = twin_spirals()
    X = torch.from_numpy(X_np).to(run.device)  # (194, 2)
    t = torch.from_numpy(y_np).float()[:, None].to(run.device)  # (194, 1)
    nets = ALL_NETS if cfg.net == "all" else (cfg.net,)
    jobs = [(name, i) for name in nets for i in range(cfg.runs)]
    runs = run.parts(len(jobs), desc="twin-spirals runs")  # a resumed run skips finished ones
    for k in runs:
        runs.done(_train_one(cfg, run, *jobs[k], X, t))
        r = runs.results[-1]
        run.log(f"{r['net']} run {r['run']}: {r['acc']:.1%} training accuracy after "
                f"{r['epochs']} epochs")
    metrics, headlines, passed = {}, [], True
    for name in nets:
        done = [r for r in runs.results if r["net"] == name]
        solved = [r for r in done if r["solved"]]
        headline = f"{name} {len(solved)}/{cfg.runs}"
        if name == CONTRAST:  # the net that cannot: every run ends below BELOW
            passed &= all(r["acc"] < BELOW for r in done)
            headline += f" (best {max(r['acc'] for r in done):.1%}, below {BELOW:.0%} expected)"
        else:
            passed &= len(solved) == cfg.runs
            if solved:
                headline += f" (median {int(np.median([r['epochs'] for r in solved]))} epochs)"
        headlines.append(headline)
        best = max(done, key=lambda r: (r["acc"], -r["epochs"]))
        net = build(spiral_net, cfg, net=name)
        net.load_state_dict(best["weights"])
        for fig_name, fig in _spiral_figures(net, X_np, y_np, done, best, name).items():
            run.save_figure(fig, fig_name if len(nets) == 1 else f"{fig_name}_{name}")
        metrics[name] = {"weights": sum(p.numel() for p in net.parameters()),
                         "solved": len(solved), "runs": cfg.runs,
                         "epochs": [r["epochs"] for r in done],
                         "accuracy": [r["acc"] for r in done]}
    return Result(passed, "runs reaching 100%: " + ", ".join(headlines),
                  metrics if len(nets) > 1 else {"net": cfg.net, **metrics[cfg.net]})


def _train_one(cfg: TwinSpiralsConfig, run: Run, name: str, i: int, X, t) -> dict:
    """Train run i of the net called `name` from its own initial weights, full batch, until
    100% accuracy or cfg.epochs; return its outcome, learning curve and final weights."""
    import torch

    from nnzoo.models.mlp import spiral_net
    from nnzoo.nn import cross_entropy
    from nnzoo.nn.optim import Momentum
    from nnzoo.registry import build
    from nnzoo.training.supervised import Data, fit

    net = build(spiral_net, cfg, net=name).init_normal_(cfg.init, run.rng("init", name, i).torch)
    net = net.to(run.device)
    opt = (torch.optim.Adam(net.parameters(), lr=cfg.lr) if cfg.optimizer == "adam"
           else Momentum(net.parameters(), lr=cfg.lr, alpha=0.9))
    # E = mean over the patterns of -t log z - (1 - t) log(1 - z); checkpoint every 1000 epochs
    history = fit(net, opt, lambda z, t: cross_entropy(z, t) / len(t), Data(X, t),
                  epochs=cfg.epochs, eval_every=100, stop_when=lambda s: s["train_acc"] == 1.0,
                  run=run, label=f"{name} run {i}", checkpoint_every=10)
    acc = history.last()["train_acc"]
    return {"net": name, "run": i, "acc": acc, "epochs": history.epochs[-1], "solved": acc == 1.0,
            "curve": history.series("train_acc"), "curve_epochs": history.epochs,
            "weights": {k: v.cpu() for k, v in net.state_dict().items()}}


def _spiral_figures(net, X, y, done, best, name: str) -> dict:
    import numpy as np
    import torch

    from nnzoo.data.synthetic import SPIRAL_LIMS as lims
    from nnzoo.viz import decision_regions, figure

    net = net.double().eval()

    def on_plane(P):  # (N, 2) numpy -> the network's output
        with torch.no_grad():
            return net(torch.from_numpy(P)).numpy().ravel()

    fig_out, axes = figure(1, 2, size=4.2)
    decision_regions(axes[0, 0], on_plane, X, y, lims=lims)
    axes[0, 0].set_title(f"--net {name}: output (run {best['run']}, "
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
    # units per row of pictures (at most 10, no more than the widest layer: a net of 4 or 7
    # units leaves no empty columns); a layer takes as many rows as it needs
    cols = min(10, max(h.shape[1] for h in layers))
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
