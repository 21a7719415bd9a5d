"""weight-space-search: with step functions the error over weight space is plateaus and jumps,
so local search crawls; with sigmoids it is smooth and gradient descent walks downhill."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run


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


@experiment(
    "weight-space-search", kind="supervised", config=WeightSpaceSearchConfig, seconds=6,
    claim="with step functions the error over weight space is flat plateaus and jumps, so "
          "local search crawls; with sigmoids it is smooth and gradient descent walks downhill",
    expects="gradient descent reaches zero errors in every run, and in fewer error evaluations "
            "(median) than hill climbing from the same initial weights",
    smoke={"budget": 300, "runs": 2},
)
def run(cfg: WeightSpaceSearchConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.data.synthetic import circle_points

    X_np, y_np = circle_points(cfg.n_points, cfg.margin, run.rng("data").numpy)
    X, t = torch.from_numpy(X_np).float(), torch.from_numpy(y_np)[:, None]  # (B, 2), (B, 1)
    runs = run.parts(cfg.runs, label="runs", desc="runs")
    for i in runs:  # both searches from the same initial weights
        runs.done(_search(cfg, run, i, X, t))
        r = runs.results[-1]
        run.log(f"run {i}: hill climbing {r['hill'] or 'no solution in budget'}, gradient "
                f"descent {r['grad'] or 'no solution in budget'} error evaluations")
    hill = [r["hill"] for r in runs.results]
    grad = [r["grad"] for r in runs.results]
    # a search that found no solution within the budget costs the whole budget
    cost_h, cost_g = ([cfg.budget if n is None else n for n in r] for r in (hill, grad))
    med_h, med_g = float(np.median(cost_h)), float(np.median(cost_g))
    smooth, steps = _nets(cfg)
    smooth.load_state_dict(runs.results[0]["weights"])  # run 0's gradient descent solution
    run.save_figure(_landscape_figure((smooth, steps), X, t, (hill, cost_h), (grad, cost_g),
                                      run.rng("direction").torch, cfg), "landscape")
    passed = all(n is not None for n in grad) and med_g < med_h
    solved_h = sum(n is not None for n in hill)
    return Result(passed, f"median error evaluations to 0 errors: gradient descent {med_g:.0f},"
                          f" hill climbing {med_h:.0f} ({solved_h}/{cfg.runs} solved)",
                  {"gd_evaluations": grad, "hill_evaluations": hill, "gd_median": med_g,
                   "hill_median": med_h})


def _nets(cfg: WeightSpaceSearchConfig):
    """The 2-H-1 network twice: with sigmoid units, and with step units."""
    from nnzoo.models.mlp import MLP

    return (MLP([2, cfg.hidden, 1], activation="sigmoid", output="sigmoid"),
            MLP([2, cfg.hidden, 1], activation="step", output="step"))


def _search(cfg: WeightSpaceSearchConfig, run: Run, i: int, X, t) -> dict:
    """Run i: hill climbing on the step network and gradient descent on the sigmoid one, from
    the same weights; the error evaluations each took (None: not solved in the budget)."""
    import torch

    from nnzoo.nn import cross_entropy
    from nnzoo.training.supervised import Data, fit, hill_climb

    smooth, steps = _nets(cfg)
    smooth.init_normal_(1.0, run.rng("init", i).torch)
    steps.load_state_dict(smooth.state_dict())  # the same starting point for both
    hill = hill_climb(steps, X, t, cfg.budget, cfg.sigma, run.rng("hill climbing", i).torch)
    history = fit(smooth, torch.optim.Adam(smooth.parameters(), lr=cfg.lr),
                  lambda z, t: cross_entropy(z, t) / len(t), Data(X, t), epochs=cfg.budget,
                  stop_when=lambda s: s["train_acc"] == 1.0, run=run,
                  label=f"run {i}: gradient descent", checkpoint_every=1000)
    # one error evaluation (with its gradient) per epoch
    grad = history.epochs[-1] if history.last()["train_acc"] == 1.0 else None
    return {"hill": hill, "grad": grad, "weights": smooth.state_dict()}


def _landscape_figure(nets, X, t, hill, grad, direction, cfg: WeightSpaceSearchConfig):
    """hill and grad: (evaluations or None per run, the same with None as the budget);
    direction: the generator of the random direction of the slice."""
    import numpy as np
    import torch
    from torch.nn.utils import parameters_to_vector, vector_to_parameters

    from nnzoo.nn import cross_entropy
    from nnzoo.viz import figure

    smooth, steps = nets
    w0 = parameters_to_vector(smooth.parameters()).detach()  # gradient descent's solution
    d = torch.randn(w0.shape, generator=direction)
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
