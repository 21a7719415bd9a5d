"""Pictures over the input plane: decision regions and the lines of single units."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def figure(nrows: int = 1, ncols: int = 1, size: float = 3.2, **kw):
    """A Figure and its array of Axes, `size` inches per panel (no pyplot involved)."""
    fig = Figure(figsize=(size * ncols, size * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def decision_regions(ax: Axes, f: Callable[[np.ndarray], np.ndarray], X, y,
                     lims: tuple[float, float] = (-0.5, 1.5), n: int = 200,
                     cmap: str = "RdBu_r", levels=None) -> Axes:
    """Shade the output f(points) of a model over a square of the plane, with the data
    (X, y) on top; y = 1 filled circles, y = 0 open ones."""
    g = np.linspace(*lims, n)
    xx, yy = np.meshgrid(g, g)
    grid = np.column_stack([xx.ravel(), yy.ravel()])  # (n*n, 2)
    zz = np.asarray(f(grid), dtype=float).reshape(n, n)
    ax.contourf(xx, yy, zz, levels=levels if levels is not None else np.linspace(0, 1, 11),
                cmap=cmap, alpha=0.55)
    X, y = np.asarray(X, dtype=float), np.asarray(y).ravel()
    ax.scatter(*X[y == 1].T, s=60, c="k", edgecolors="k", label="t = 1", zorder=3)
    ax.scatter(*X[y == 0].T, s=60, c="w", edgecolors="k", label="t = 0", zorder=3)
    ax.set_xlim(*lims)
    ax.set_ylim(*lims)
    ax.set_aspect("equal")
    return ax


def boundary_line(ax: Axes, w, b: float, lims: tuple[float, float] = (-0.5, 1.5),
                  **style) -> Axes:
    """Draw the line w_1 x_1 + w_2 x_2 + w_0 = 0 where a unit's output changes."""
    w1, w2 = (float(v) for v in w)
    t = np.linspace(*lims, 2)
    style = {"color": "k", "lw": 2, **style}
    if abs(w2) > 1e-12:
        ax.plot(t, -(w1 * t + b) / w2, **style)  # x_2 = -(w_1 x_1 + w_0) / w_2
    elif abs(w1) > 1e-12:
        ax.plot([-b / w1] * 2, lims, **style)  # vertical: x_1 = -w_0 / w_1
    ax.set_xlim(*lims)
    ax.set_ylim(*lims)
    return ax
