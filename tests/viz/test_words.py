import numpy as np

from nnzoo.viz import figure
from nnzoo.viz.words import word_map


def _boxes(ax):
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]


def test_labels_of_a_crowded_map_overlap_neither_each_other_nor_the_axes_edge():
    # the cooccurrence map's trouble: long merged labels next to single words just apart
    rng = np.random.default_rng(0)
    xy = np.vstack([rng.normal(0, 0.02, (12, 2)), [[0.6, 0.6], [0.6, -0.6]]])  # (14, 2)
    words = [f"word{i}" for i in range(len(xy))]
    fig, axes = figure(1, 1, size=4)
    ax = axes[0, 0]
    word_map(ax, words, xy, merge=0.01)
    boxes = _boxes(ax)
    assert sorted(w for text, _ in boxes for w in text.split(", ")) == sorted(words)
    frame = ax.get_window_extent()
    for i, (a, p) in enumerate(boxes):
        assert frame.x0 <= p.x0 and p.x1 <= frame.x1 + 1 and frame.y0 <= p.y0 <= p.y1 <= frame.y1
        for b, q in boxes[i + 1:]:
            assert not p.overlaps(q), (a, b)


def test_a_second_map_on_the_same_axes_keeps_clear_of_the_first():
    fig, axes = figure(1, 1, size=4)
    ax = axes[0, 0]
    word_map(ax, ["king", "queen"], np.array([[0.0, 0.0], [1.0, 1.0]]))
    word_map(ax, ["man", "woman"], np.array([[0.0, 0.01], [1.0, 1.01]]), color="tab:green")
    boxes = _boxes(ax)
    assert len(boxes) == 4
    assert not any(p.overlaps(q) for i, (_, p) in enumerate(boxes) for _, q in boxes[i + 1:])
