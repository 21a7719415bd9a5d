"""Words placed in the plane: a scatter of points with readable labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

GAP = 4  # points between a dot and its label
LINE = 11  # points from one candidate row of labels to the next


def word_map(ax, words: Sequence[str], xy: np.ndarray, *, merge: float = 0.04,
             fontsize: float = 9, color: str = "tab:blue") -> None:
    """Draw `words` at the points `xy` (V, 2) on `ax`.

    Words whose points lie within `merge` times the picture's extent of each other share one
    label ("man, mile, mouse"); the labels are then placed so that none covers another, a dot,
    or a label drawn on `ax` before (see `place_labels`).
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
    pad = 0.08 * extent
    ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + 2.5 * pad)
    ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
    place_labels(ax, [", ".join(sorted(words[i] for i in g)) for g in groups],
                 xy[[g[0] for g in groups]], fontsize=fontsize)


def _candidates(rows: int = 8):
    """Offsets (dx, dy) in points and alignments, nearest first: right of the dot above
    and below it, then left of it, then a row further up or down at a time."""
    for k in range(rows):
        for dy in (3 + k * LINE, -LINE - k * LINE):
            yield (GAP, dy), "left"
            yield (-GAP, dy), "right"


def place_labels(ax, labels: Sequence[str], xy: np.ndarray, *, fontsize: float = 9) -> list:
    """Write each label next to its point xy[i] (data coordinates) where it overlaps no label
    placed before it, no point of `xy` and no text already on `ax`, inside the axes: the first
    free place among `_candidates` (a greedy repel pass, done in display coordinates once the
    figure is laid out). A label moved away from its dot gets a thin line to it; one with
    no free place takes the place it overlaps least. Set the axes' limits first."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    if not isinstance(fig.canvas, FigureCanvasAgg):  # a bare Figure: give it one to measure
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # the layout: where the axes and earlier texts end up
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    dots = ax.transData.transform(np.asarray(xy, float))  # (n, 2) display coordinates
    r = 3 * fig.dpi / 72  # a dot's half-width, in display units
    taken += [_box(x - r, y - r, x + r, y + r) for x, y in dots]
    placed = []
    for label, point in zip(labels, np.asarray(xy, float)):
        text = ax.annotate(label, point, xytext=(GAP, 3), textcoords="offset points",
                           fontsize=fontsize,
                           va="bottom", zorder=3)
        best, least = None, np.inf
        for offset, ha in _candidates():
            text.set_position(offset)
            text.set_ha(ha)
            box = text.get_window_extent(renderer)
            cost = sum(_overlap(box, t) for t in taken) + 10 * _outside(box, frame)
            if cost < least:
                best, least = (offset, ha), cost
            if cost == 0:
                break
        text.set_position(best[0])
        text.set_ha(best[1])
        taken.append(text.get_window_extent(renderer))
        if best[0][1] not in (3, -LINE):  # moved off its dot's row: a line back to it
            ax.annotate("", point, xytext=best[0], textcoords="offset points", zorder=1,
                        arrowprops=dict(arrowstyle="-", lw=0.5, color="0.6", shrinkA=0,
                                        shrinkB=2))
        placed.append(text)
    return placed


def _box(x0, y0, x1, y1):
    from matplotlib.transforms import Bbox

    return Bbox([[x0, y0], [x1, y1]])


def _overlap(a, b) -> float:
    """The area two display boxes share."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0.0) * max(h, 0.0)


def _outside(box, frame) -> float:
    """The area of `box` outside `frame`."""
    return box.width * box.height - _overlap(box, frame)

