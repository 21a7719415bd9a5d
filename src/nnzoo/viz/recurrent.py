"""Pictures of recurrent networks: the path of the hidden state while a network reads."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from nnzoo.viz.planes import figure

MARKERS = "os^Dv*"


def trajectory_figure(paths: dict[str, tuple[np.ndarray, np.ndarray]], alphabet: str,
                      title: str) -> Figure:
    """One panel per sequence: the hidden states h_1 .. h_T (T, 2) or (T, 3) joined in the
    order they were visited, each marked by the symbol just read (its letter and a marker),
    the first one numbered. paths: {panel title: (states (T, H), symbols read (T,))}."""
    dims = next(iter(paths.values()))[0].shape[1]
    if dims not in (2, 3):
        raise ValueError(f"expected 2 or 3 hidden units to draw, got {dims}")
    n = len(paths)
    if dims == 2:
        fig, axes = figure(1, n, size=3.4)
        axes = list(axes[0])
    else:
        fig = Figure(figsize=(3.8 * n, 3.8), layout="constrained")
        axes = [fig.add_subplot(1, n, i + 1, projection="3d") for i in range(n)]
    for ax, (name, (H, symbols)) in zip(axes, paths.items()):
        ax.plot(*H.T, color="0.6", lw=0.8, zorder=1)
        for k, letter in enumerate(alphabet):
            at = symbols == k
            ax.scatter(*H[at].T, marker=MARKERS[k % len(MARKERS)], s=36, color=f"C{k}",
                       edgecolors="k", linewidths=0.5, label=f"after {letter}", zorder=2)
        for t in range(len(H)):
            ax.text(*H[t], f" {t + 1}", fontsize=6, color="0.25")
        ax.set_title(name, fontsize=9)
        ax.set_xlim(-1.05, 1.05)  # tanh units: the whole square of possible states
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlabel("h1")
        ax.set_ylabel("h2")
        if dims == 3:
            ax.set_zlabel("h3")
            ax.set_zlim(-1.05, 1.05)
    axes[0].legend(fontsize=7, loc="best")
    fig.suptitle(title, fontsize=10)
    return fig


def learning_figure(history, copies: int, title: str) -> Figure:
    """The error (per network: cross-entropy of the next symbol) and the fraction of the
    networks right on every training string, against epochs. `history` is fit's, for
    `copies` networks trained at once."""
    fig, axes = figure(1, 2, size=3.4)
    err, frac = axes[0]
    err.plot(history.epochs, np.array(history.series("train_loss")) / copies, color="C3")
    err.set(xlabel="epoch", ylabel="error per network (cross-entropy)", title=title)
    frac.plot(history.epochs, history.series("train_acc"), color="C0")
    frac.set(xlabel="epoch", ylabel="fraction of networks right on every string",
             ylim=(-0.05, 1.05))
    return fig
