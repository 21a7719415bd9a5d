"""logic-gates: McCulloch-Pitts neurons with hand-set weights compute AND, OR, NOR and NOT,
and two layers of them compute XOR."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import experiment
from nnzoo.runs import Result, Run


@dataclass
class LogicGatesConfig:
    """Hand-set weights only: nothing to choose."""


@experiment(
    "logic-gates", kind="supervised", config=LogicGatesConfig, seconds=1,
    claim="McCulloch-Pitts neurons with hand-set weights compute AND, OR, NOR and NOT; "
          "two layers of them compute XOR = (x1 AND x2) NOR (x1 NOR x2)",
    expects="every truth table exact (5 of 5 gates)",
)
def run(cfg: LogicGatesConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.data.synthetic import TRUTH_INPUTS
    from nnzoo.models import neuron

    X = TRUTH_INPUTS
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
