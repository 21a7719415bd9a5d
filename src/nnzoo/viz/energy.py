"""Pictures of energy-based networks: a Hopfield recall step by step with its energy, the
recall rate against the load P/N, a model's distribution against the data's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from nnzoo.viz.images import _show
from nnzoo.viz.planes import figure


def _np(a) -> np.ndarray:
    return np.asarray(a.detach().cpu() if hasattr(a, "detach") else a, dtype=float)


def recall_strips(rows: Sequence, shape: tuple[int, int], col_titles: Sequence[str],
                  row_titles: Sequence[str], title: str = "") -> Figure:
    """One row per recall: its states (columns, each a vector reshaped to `shape`) side by
    side, e.g. the stored pattern, the corrupted start and the state after each sweep."""
    ncols = max(len(r) for r in rows)
    fig, axes = figure(len(rows), ncols, size=1.3)
    for r, (row, axs) in enumerate(zip(rows, axes)):
        for c, ax in enumerate(axs):
            if c >= len(row):
                ax.axis("off")
                continue
            _show(ax, _np(row[c]).reshape(shape), "gray_r", symmetric=False)
            if r == 0:
                ax.set_title(col_titles[c], fontsize=8)
        axs[0].set_ylabel(row_titles[r], fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def energy_traces(energies, flipped, labels: Sequence[str], title: str = "") -> Figure:
    """E(x) after every single update (U + 1, B), one line per recall, flips marked."""
    E, flips = _np(energies), _np(flipped).astype(bool)
    fig, axes = figure(1, 1, size=4.5)
    ax = axes[0, 0]
    for b in range(E.shape[1]):
        line, = ax.plot(E[:, b], lw=1.2, label=labels[b] if b < len(labels) else None)
        at = np.flatnonzero(flips[:, b]) + 1
        ax.plot(at, E[at, b], ".", ms=3, color=line.get_color())
    ax.set(xlabel="update (one unit visited)", ylabel="energy E(x)",
           title=title or "energy along the recall (dots: flips)")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return fig


def capacity_curves(load: Sequence[float], rates: dict[str, Sequence[float]],
                    breakdowns: dict[str, float], classic: float = 0.138,
                    title: str = "") -> Figure:
    """Recall rate against P/N, one line per network size, the classic capacity as a line
    and each measured breakdown (rate through 1/2) as a dotted one."""
    fig, axes = figure(1, 1, size=4.8)
    ax = axes[0, 0]
    for name, rate in rates.items():
        line, = ax.plot(load, rate, "o-", ms=3, lw=1.3, label=name)
        if np.isfinite(breakdowns.get(name, np.nan)):
            ax.axvline(breakdowns[name], color=line.get_color(), ls=":", lw=1)
    ax.axvline(classic, color="k", lw=1.5, label=f"P/N = {classic:g}")
    ax.axhline(0.5, color="gray", lw=0.8)
    ax.set(xlabel="load P/N", ylabel="recall rate", ylim=(-0.02, 1.02),
           title=title or "patterns recalled against the load")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def finite_size_curve(ns: Sequence[int], breakdowns: Sequence[float], c: float,
                      exponent: float, tol: float, classic: float = 0.138) -> Figure:
    """The breakdown load against N^(-exponent), the curve classic + c N^(-exponent) (a
    line here, running to the classic capacity at N = infinity) and its band +-tol."""
    x = np.asarray(ns, dtype=float) ** -exponent
    xs = np.linspace(0, x.max() * 1.1, 50)
    fig, axes = figure(1, 1, size=4.8)
    ax = axes[0, 0]
    ax.fill_between(xs, classic + c * xs - tol, classic + c * xs + tol, color="tab:gray",
                    alpha=0.25, label=f"+-{tol:g}")
    ax.plot(xs, classic + c * xs, "--", color="k", lw=1,
            label=f"{classic:g} + {c:g} N^(-{exponent:.2g})")
    ax.plot(x, breakdowns, "o", color="tab:blue", label="measured breakdown")
    for xi, a, n in zip(x, breakdowns, ns):
        ax.annotate(f"N = {n}", (xi, a), textcoords="offset points", xytext=(4, -12), fontsize=8)
    ax.plot([0], [classic], "k*", ms=12, label=f"classic {classic:g} (N = infinity)")
    ax.set(xlabel=f"N^(-{exponent:.2g})", ylabel="load P/N at which recall falls through 1/2",
           xlim=(-0.002, xs.max()), title="the breakdown against the network's size")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def distribution_bars(p_model, p_data, title: str = "") -> Figure:
    """The model's probability of every state (bars, log scale) and the data's (dots)."""
    pm, pd = _np(p_model), _np(p_data)
    fig, axes = figure(1, 1, size=4.5)
    ax = axes[0, 0]
    fig.set_size_inches(10, 4)
    x = np.arange(len(pm))
    ax.bar(x, pm, width=1.0, color="tab:blue", label="model p(v)")
    on = pd > 0
    ax.plot(x[on], pd[on], "o", color="tab:red", ms=4, label="data")
    ax.set(yscale="log", ylim=(max(pm.min(), 1e-8), 1), xlim=(-1, len(pm)),
           xlabel="visible state v (as a binary number)", ylabel="probability",
           title=title)
    ax.legend(fontsize=8)
    return fig
