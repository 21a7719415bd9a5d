import numpy as np
import pytest
from matplotlib.patches import Rectangle

from nnzoo.viz import hinton


def test_white_positive_black_negative_area_proportional():
    ax = hinton(np.array([[1.0, -0.25], [0.0, 4.0]]))
    squares = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(squares) == 4
    colour = {(round(p.get_x() + p.get_width() / 2), round(p.get_y() + p.get_height() / 2)):
              (p.get_facecolor()[:3], p.get_width() * p.get_height()) for p in squares}
    (c_pos, a_pos), (c_neg, a_neg) = colour[(0, 0)], colour[(1, 0)]
    assert c_pos == (1.0, 1.0, 1.0) and c_neg == (0.0, 0.0, 0.0)
    assert a_pos / colour[(1, 1)][1] == pytest.approx(1 / 4)  # |1| / |4|
    assert a_neg / a_pos == pytest.approx(0.25)
    assert colour[(0, 1)][1] == 0.0


def test_accepts_tensors_and_rejects_vectors():
    import torch

    hinton(torch.randn(3, 2, requires_grad=True))
    with pytest.raises(ValueError, match="2-D"):
        hinton(np.ones(3))
