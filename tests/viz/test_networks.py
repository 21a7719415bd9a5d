import numpy as np
import pytest
import torch

from nnzoo.viz import network


def _collection(ax, gid):
    (c,) = [c for c in ax.collections if c.get_gid() == gid]
    return [np.asarray(s) for s in c.get_segments()]


def test_a_standard_net_connects_every_unit_to_the_next_layer():
    ax = network([3, 4, 2])
    assert len(_collection(ax, "connections")) == 3 * 4 + 4 * 2
    assert _collection(ax, "dropped") == []
    assert len(ax.patches) == 3 + 4 + 2


def test_a_dropped_unit_is_crossed_out_and_loses_its_connections():
    kept = [None, torch.tensor([True, False, True, True]), np.array([1, 1])]
    ax = network([3, 4, 2], kept)
    links = _collection(ax, "connections")
    assert len(links) == 3 * 3 + 3 * 2  # unit 1 of the hidden layer: in 3, out 2 gone
    dropped = (1 - 1.5, 1.0)  # unit 1 of 4 in layer 1 sits at (i - (n - 1) / 2, l)
    assert not any(np.allclose(end, dropped) for s in links for end in s)
    crosses = _collection(ax, "dropped")
    assert len(crosses) == 2 and all(np.allclose(s.mean(axis=0), dropped) for s in crosses)


def test_rejects_masks_of_the_wrong_size():
    with pytest.raises(ValueError, match="shape"):
        network([3, 4], [None, [True, False]])
    with pytest.raises(ValueError, match="each of the 2 layers"):
        network([3, 4], [None])
