"""Pictures of networks: units in layers and the connections between them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle


def network(sizes: Sequence[int], kept: Sequence | None = None, ax: Axes | None = None,
            radius: float = 0.3) -> Axes:
    """A fully connected network drawn as the course draws it: one row of units per layer,
    the input at the bottom, every unit connected to every unit of the next layer.

    `kept` (optional) gives, for each layer, which of its units are used: booleans of length
    sizes[l], or None for a layer that keeps all of them. A dropped unit is drawn crossed
    out and its connections, in and out, are removed: the thinned network dropout samples.
    Returns the Axes (a new Figure's when `ax` is None); its collections are the
    connections (gid "connections") and the crosses (gid "dropped").
    """
    kept = [None] * len(sizes) if kept is None else list(kept)
    if len(kept) != len(sizes):
        raise ValueError(f"expected kept for each of the {len(sizes)} layers, got {len(kept)}")
    masks = []
    for n, k in zip(sizes, kept):
        k = np.ones(n, dtype=bool) if k is None else np.asarray(k, dtype=bool)
        if k.shape != (n,):
            raise ValueError(f"expected kept of shape ({n},) for a layer of {n} units, got "
                             f"{k.shape}")
        masks.append(k)
    if ax is None:
        ax = Figure(figsize=(0.3 * max(sizes) + 1, 1.2 * len(sizes))).add_subplot()
    # unit i of layer l sits at (i - (n_l - 1) / 2, l)
    where = [np.column_stack([np.arange(n) - (n - 1) / 2, np.full(n, l)])
             for l, n in enumerate(sizes)]
    links = [(a, b) for l in range(len(sizes) - 1)
             for a in where[l][masks[l]] for b in where[l + 1][masks[l + 1]]]
    ax.add_collection(LineCollection(links, colors="0.45", linewidths=0.5, zorder=1,
                                     gid="connections"))
    crosses = []
    for pos, k in zip(where, masks):
        for (x, y), used in zip(pos, k):
            ax.add_patch(Circle((x, y), radius, facecolor="white" if used else "0.85",
                                edgecolor="black" if used else "0.6", zorder=2))
            if not used:
                d = radius * 0.8
                crosses += [[(x - d, y - d), (x + d, y + d)], [(x - d, y + d), (x + d, y - d)]]
    ax.add_collection(LineCollection(crosses, colors="tab:red", linewidths=1.2, zorder=3,
                                     gid="dropped"))
    half = (max(sizes) - 1) / 2 + radius + 0.2
    ax.set(xlim=(-half, half), ylim=(-radius - 0.3, len(sizes) - 1 + radius + 0.3),
           xticks=[], yticks=[])
    ax.set_aspect("equal")
    for side in ax.spines.values():
        side.set_visible(False)
    return ax
