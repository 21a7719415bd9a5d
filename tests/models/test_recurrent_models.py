"""The recurrent experiments' shared pieces: the next-symbol error and the counting judge."""

import numpy as np
import torch
from torch import nn

from nnzoo.data.sequences import PAD, batch, counting
from nnzoo.models.recurrent import counting_generalisation, next_symbol_loss, tensors


def test_next_symbol_loss_by_hand_ignores_padding_and_sums_copies():
    torch.manual_seed(0)
    out = torch.randn(2, 3, 4, 5)  # 2 copies, 3 sequences, 4 steps, 5 symbols
    y = torch.tensor([[1, 2, PAD, PAD], [0, 4, 3, PAD], [2, 2, 2, 2]])
    real = [(b, t) for b in range(3) for t in range(4) if y[b, t] != PAD]
    expected = 0.0
    for r in range(2):
        nll = [-torch.log_softmax(out[r, b, t], 0)[y[b, t]] for b, t in real]
        expected += sum(nll) / len(real)
    torch.testing.assert_close(next_symbol_loss(out, y), expected)
    torch.testing.assert_close(next_symbol_loss(out[0], y), sum(
        -torch.log_softmax(out[0, b, t], 0)[y[b, t]] for b, t in real) / len(real))


class Counter(nn.Module):
    """Predicts a^n b^n perfectly while it has read at most k a's, and wrongly after."""

    def __init__(self, k):
        super().__init__()
        self.k, self.dummy = k, nn.Parameter(torch.zeros(1))

    def forward(self, x):  # (B, T, 2) one-hot
        a, b = x[..., 0].cumsum(1), x[..., 1].cumsum(1)
        next_b = (b > 0) & (b < a)  # still b's to come
        pred = torch.where(next_b, 1, 0)
        pred = torch.where((a > self.k) & (b > 0), 1 - pred, pred)  # wrong beyond k
        return nn.functional.one_hot(pred, 2).float() + 0 * self.dummy


def test_counting_generalisation_finds_how_far_a_network_counts():
    assert counting_generalisation(Counter(7), "ab", 20).tolist() == [7]
    assert counting_generalisation(Counter(50), "ab", 20).tolist() == [20]  # capped
    assert counting_generalisation(Counter(0), "ab", 20).tolist() == [0]
    # and the counter is right on every deterministic symbol up to its k
    b = batch([counting(n) for n in range(1, 8)])
    pred = Counter(7)(tensors(b)[0]).argmax(-1).numpy()
    assert b.judge(pred)["deterministic"].all()
    assert not np.all(b.judge(Counter(3)(tensors(b)[0]).argmax(-1).numpy())["deterministic"])
