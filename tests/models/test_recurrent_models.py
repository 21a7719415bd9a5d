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


def test_last_right_reads_only_the_last_step():
    from nnzoo.models.recurrent import last_right

    out = torch.zeros(4, 3, 2)
    out[:, -1, 1] = 1.0  # says 1 at the end of every sequence
    out[:, 0, 0] = 9.0  # and 0 earlier, which must not count
    y = torch.full((4, 3), PAD)
    y[:, -1] = torch.tensor([1, 1, 0, 1])
    assert last_right(out, y) == 0.75


def _solved(srn, gated, tries=3, lags=(10, 25, 100, 200)):
    """solved[cell][lag]: the SRN's counts given, the gated cells' `gated` at every lag."""
    return {"srn": dict(zip(lags, srn)), "lstm": dict.fromkeys(lags, gated),
            "gru": dict.fromkeys(lags, gated)}


def test_lag_contrast_holds_only_for_the_lesson():
    from nnzoo.models.recurrent import lag_contrast

    def check(solved):
        return lag_contrast(solved, short=25, long=100, tries=3, srn_at_most=0,
                            gated_at_least=3)

    assert check(_solved([3, 3, 0, 0], 3))
    assert not check(_solved([3, 3, 1, 0], 3))  # the SRN solved a long lag once
    assert not check(_solved([3, 2, 0, 0], 3))  # a short lag not solved every time
    assert not check(_solved([3, 3, 0, 0], 2))  # the gated cells missed (at every lag)
    broken = _solved([3, 3, 0, 0], 3)
    broken["gru"][200] = 2  # one gated cell at one long lag
    assert not check(broken)
    # with no long lag (or no short one) nothing is shown
    assert not check(_solved([3, 3], 3, lags=(10, 25)))
    assert not check(_solved([0, 0], 3, lags=(100, 200)))
