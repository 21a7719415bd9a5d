"""Copies of a network, trained at once, behave as the copies trained one by one."""

import pytest
import torch
from torch import nn

from nnzoo.nn.copies import Copies
from nnzoo.nn.recurrent import RecurrentNet


def test_each_copy_computes_its_own_network():
    torch.manual_seed(0)
    copies = Copies(lambda: RecurrentNet("srn", 2, 3, 2), 4)
    x = torch.randn(5, 7, 2)
    out = copies(x)
    assert out.shape == (4, 5, 7, 2)
    for r in range(4):
        torch.testing.assert_close(out[r], copies.copy(r)(x))
    assert not torch.allclose(out[0], out[1])  # each copy drew its own initial weights


def test_training_copies_together_equals_training_each_alone():
    torch.manual_seed(1)
    make = lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))  # noqa: E731
    copies = Copies(make, 3)
    alone = [copies.copy(r) for r in range(3)]
    x, y = torch.randn(10, 3), torch.randn(10, 1)
    opt = torch.optim.Adam(copies.parameters(), lr=0.05)
    opts = [torch.optim.Adam(m.parameters(), lr=0.05) for m in alone]
    for _ in range(20):
        opt.zero_grad()
        ((copies(x) - y) ** 2).mean(dim=(1, 2)).sum().backward()  # the sum of the copies' E
        opt.step()
        for m, o in zip(alone, opts):
            o.zero_grad()
            ((m(x) - y) ** 2).mean().backward()
            o.step()
    for r, m in enumerate(alone):
        torch.testing.assert_close(copies.copy(r)(x), m(x), rtol=1e-5, atol=1e-6)


def test_copies_save_and_load_like_any_module():
    torch.manual_seed(2)
    a = Copies(lambda: nn.Linear(2, 2), 3)
    b = Copies(lambda: nn.Linear(2, 2), 3)
    b.load_state_dict(a.state_dict())
    x = torch.randn(4, 2)
    torch.testing.assert_close(a(x), b(x))
    with pytest.raises(ValueError, match="batch norm"):
        Copies(lambda: nn.BatchNorm1d(2), 2)
