"""Pictures for reinforcement learning: value maps, policy arrows, learning curves."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

ARROW_DXDY = {"↑": (0, 1), "→": (1, 0), "↓": (0, -1), "←": (-1, 0)}


def value_map(ax: Axes, V: np.ndarray, shape: tuple[int, int], title: str = "",
              blocked: np.ndarray | None = None, labels: dict[int, str] | None = None,
              fmt: str = "{:.2f}") -> Axes:
    """The values of a grid's cells as colours with the numbers written in; `blocked`
    cells (walls) are grey, `labels` replace a cell's number (e.g. 'G', 'P')."""
    grid = np.asarray(V, dtype=float).reshape(shape)
    masked = np.ma.masked_array(grid, mask=None if blocked is None
                                else np.asarray(blocked).reshape(shape))
    ax.imshow(masked, cmap="viridis")
    ax.set_facecolor("0.6")
    labels = labels or {}
    for s, v in enumerate(grid.ravel()):
        if blocked is not None and np.asarray(blocked).ravel()[s]:
            continue
        r, c = divmod(s, shape[1])
        ax.text(c, r, labels.get(s, fmt.format(v)), ha="center", va="center", fontsize=8,
                color="w" if v < masked.mean() else "k")
    ax.set(xticks=[], yticks=[], title=title)
    return ax


def policy_arrows(ax: Axes, arrows: list[str], shape: tuple[int, int], title: str = "",
                  shade: np.ndarray | None = None, labels: dict[int, str] | None = None) -> Axes:
    """One arrow per cell ('' for none), over an optional shading of the cells (e.g. V)."""
    if shade is not None:
        ax.imshow(np.asarray(shade, dtype=float).reshape(shape), cmap="viridis", alpha=0.6)
    else:
        ax.imshow(np.zeros(shape), cmap="Greys", vmin=0, vmax=1)
    for s, arrow in enumerate(arrows):
        r, c = divmod(s, shape[1])
        if s in (labels or {}):
            ax.text(c, r, labels[s], ha="center", va="center", fontsize=9, weight="bold")
        elif arrow:
            dx, dy = ARROW_DXDY[arrow]
            ax.arrow(c - 0.3 * dx, r + 0.3 * dy, 0.45 * dx, -0.45 * dy, head_width=0.18,
                     length_includes_head=True, color="k")
    ax.set(xticks=np.arange(shape[1]) - 0.5, yticks=np.arange(shape[0]) - 0.5, title=title)
    ax.set_xticklabels([])
    ax.set_yticklabels([])
    ax.grid(color="0.7", lw=0.5)
    return ax


def learning_curve(ax: Axes, x, y, label: str = "", window: int = 1, xlabel: str = "episode",
                   ylabel: str = "return", target: float | None = None, **style) -> Axes:
    """y against x, smoothed by a running mean over `window` points, with a target line."""
    y = np.asarray(y, dtype=float)
    if window > 1 and len(y) >= window:
        kernel = np.ones(window) / window
        y = np.convolve(y, kernel, mode="valid")
        x = np.asarray(x)[window - 1:]
    ax.plot(x, y, label=label, **style)
    if target is not None:
        ax.axhline(target, color="gray", ls="--", lw=1)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    return ax
