"""perceptron: the perceptron rule learns any linearly separable data, and never settles
on XOR."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run


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


@experiment(
    "perceptron", kind="supervised", config=PerceptronConfig, seconds=1,
    claim="the perceptron rule learns any linearly separable data, and never settles on XOR",
    expects="0 training errors within max_epochs on and/or/nor/separable; on xor no "
            "convergence and the weights revisit an earlier state",
    smoke={"n_points": 20, "max_epochs": 20},
)
def run(cfg: PerceptronConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.data.synthetic import GATE_TARGETS, TRUTH_INPUTS, separable_points
    from nnzoo.models.neuron import Perceptron
    from nnzoo.registry import build

    truth = None
    if cfg.task == "separable":
        X, y, truth = separable_points(cfg.n_points, cfg.margin, run.rng("data").numpy)
    else:
        X, y = TRUTH_INPUTS.astype(float), GATE_TARGETS[cfg.task]
    p = build(Perceptron, cfg, rng=run.rng("shuffle")).fit(X, y)
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
