"""A sweep's figure: one metric over seeds, each run marked PASS or FAIL."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from nnzoo.viz.planes import figure

MARKS = {"PASS": ("o", "#2a7d2a"), "FAIL": ("x", "#b22222"), "DIVERGED": ("^", "#cc6600"),
         "SMOKE OK": ("o", "#777777")}


def seeds_figure(table: dict[str, Any], verdicts: str) -> Figure:
    """`table["metric"]` of every finished run (sweep.json's content) against its seed, one
    row of points per option combination, green circles PASS, red crosses FAIL (grey:
    smoke runs, not judged); `verdicts` says how many passed, e.g. "2/3 PASS"."""
    combos = table["combinations"]
    fig, axes = figure(1, 1, size=4.0)
    ax = axes[0, 0]
    fig.set_size_inches(max(4.0, 0.35 * len(table["seeds"]) + 2.5), 3.2 + 0.2 * len(combos))
    width = 0.6 / max(len(combos), 1)
    named: set[str] = set()  # the statuses in the legend already
    for k, combo in enumerate(combos):
        shift = (k - (len(combos) - 1) / 2) * width  # side by side at each seed
        for status, (marker, colour) in MARKS.items():
            pts = [(p["seed"] + shift, p["value"]) for p in combo["seeds"]
                   if p["status"] == status and p["value"] is not None]
            if pts:
                ax.scatter(*zip(*pts), marker=marker, color=colour, s=40, zorder=3,
                           label=None if status in named else status)
                named.add(status)
        if len(combos) > 1:
            xs = [p["seed"] + shift for p in combo["seeds"] if p["value"] is not None]
            ys = [p["value"] for p in combo["seeds"] if p["value"] is not None]
            ax.plot(xs, ys, lw=0.8, alpha=0.6, label=combo["label"])
    ax.set_xticks(table["seeds"])
    ax.set_xlabel("seed")
    ax.set_ylabel(table["metric"])
    values = [p["value"] for c in combos for p in c["seeds"] if p["value"] is not None]
    if values and all(isinstance(v, int) for v in values):  # a count: whole-number ticks
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if max(values) - min(values) < 2:  # 5, 5, 5: a span of whole numbers to tick
            ax.set_ylim(min(values) - 1, max(values) + 1)
    ax.set_title(f"{table['experiment']}: {table['metric']} over seeds "
                 f"({verdicts})", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    return fig
