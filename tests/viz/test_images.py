"""Pictures made of images draw what they are given."""

import numpy as np
import torch

from nnzoo.viz.images import confusion_matrix, feature_maps, image_grid


def test_image_figures_draw_what_they_are_given():
    fig = image_grid(np.random.rand(10, 8, 8), [str(k) for k in range(10)], ncols=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 10 and shown[3].get_title() == "3"
    fig = feature_maps([("input", torch.rand(1, 8, 8)), ("layer 1", torch.rand(6, 4, 4))],
                       per_stage=4)
    assert sum(bool(ax.images) for ax in fig.axes) == 1 + 4
    cm = np.array([[5, 1], [0, 3]])
    ax = confusion_matrix(cm, ["a", "b"]).axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "3", "5"]
    assert ax.get_title() == "8 of 9 correct"
