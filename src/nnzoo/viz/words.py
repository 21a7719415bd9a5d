"""Words placed in the plane: a scatter of points with readable labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def word_map(ax, words: Sequence[str], xy: np.ndarray, *, merge: float = 0.04,
             fontsize: float = 9, color: str = "tab:blue") -> None:
    """Draw `words` at the points `xy` (V, 2) on `ax`.

    Words whose points lie within `merge` times the picture's extent of each other share one
    label ("man, mile, mouse"), so that labels on one spot do not print over each other.
    """
    xy = np.asarray(xy, dtype=float)
    extent = float(np.ptp(xy, axis=0).max()) or 1.0
    groups: list[list[int]] = []
    for i in np.lexsort((xy[:, 1], xy[:, 0])):
        for g in groups:
            if np.abs(xy[g[0]] - xy[i]).max() <= merge * extent:
                g.append(int(i))
                break
        else:
            groups.append([int(i)])
    ax.scatter(xy[:, 0], xy[:, 1], s=14, color=color, zorder=2)
    for g in groups:
        label = ", ".join(sorted(words[i] for i in g))
        ax.annotate(label, xy[g[0]], xytext=(4, 3), textcoords="offset points",
                    fontsize=fontsize, zorder=3)
    pad = 0.08 * extent
    ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + 2.5 * pad)
    ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
