"""Pictures of weights: the Hinton diagram."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle


def hinton(matrix, ax: Axes | None = None, max_weight: float | None = None) -> Axes:
    """Hinton diagram of a 2-D matrix: one square per entry, white for a positive
    weight, black for a negative one, the square's area proportional to |w|.

    Row i of the matrix is drawn as row i from the top. Returns the Axes (a new
    Figure's when `ax` is None; its figure is `ax.figure`).
    """
    w = np.asarray(matrix.detach().cpu() if hasattr(matrix, "detach") else matrix, dtype=float)
    if w.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {w.shape}")
    if ax is None:
        ax = Figure(figsize=(1 + 0.45 * w.shape[1], 1 + 0.45 * w.shape[0])).add_subplot()
    top = max_weight or (np.abs(w).max() if w.size and np.abs(w).max() > 0 else 1.0)
    ax.set_facecolor("gray")
    ax.set_aspect("equal", "box")
    for (i, j), v in np.ndenumerate(w):
        side = 0.9 * np.sqrt(min(abs(v) / top, 1.0))  # area proportional to |w|
        ax.add_patch(Rectangle((j - side / 2, i - side / 2), side, side,
                               facecolor="white" if v > 0 else "black", edgecolor="none"))
    ax.set_xlim(-0.6, w.shape[1] - 0.4)
    ax.set_ylim(w.shape[0] - 0.4, -0.6)
    ax.set_xticks(range(w.shape[1]))
    ax.set_yticks(range(w.shape[0]))
    return ax
