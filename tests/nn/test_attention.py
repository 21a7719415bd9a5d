"""Additive attention by hand, and the encoder-decoder's shapes and masks."""

import torch

from nnzoo.models.seq2seq import Seq2Seq
from nnzoo.nn.attention import AdditiveAttention


def test_additive_attention_by_hand():
    torch.manual_seed(0)
    att = AdditiveAttention(3, 4, 5).double()
    s, H = torch.randn(2, 3, dtype=torch.float64), torch.randn(2, 6, 4, dtype=torch.float64)
    mask = torch.ones(2, 6, dtype=torch.bool)
    mask[1, 4:] = False  # the second sequence has 4 positions
    c, alpha = att(s, H, mask)
    W, U, b, v = att.W.weight, att.U.weight, att.U.bias, att.v.weight[0]
    for i in range(2):
        n = int(mask[i].sum())
        e = torch.stack([v @ torch.tanh(W @ s[i] + U @ H[i, j] + b) for j in range(n)])
        a = torch.exp(e) / torch.exp(e).sum()
        torch.testing.assert_close(alpha[i, :n], a, rtol=0, atol=1e-14)
        assert (alpha[i, n:] == 0).all()
        torch.testing.assert_close(c[i], (a[:, None] * H[i, :n]).sum(0), rtol=0, atol=1e-14)


def test_seq2seq_teacher_forcing_and_greedy_decoding_agree_on_its_own_choices():
    torch.manual_seed(1)
    net = Seq2Seq(10, 6, embed=8, hidden=12, attention=7, start=1, pad=0).eval()
    x = torch.randint(1, 10, (3, 9))
    x[0, 6:] = 0  # padding
    y, alpha = net.decode(x, 5)
    assert y.shape == (3, 5) and alpha.shape == (3, 5, 9)
    torch.testing.assert_close(alpha.sum(-1), torch.ones(3, 5))
    assert (alpha[0, :, 6:] == 0).all()  # never attends to padding
    # fed its own greedy outputs, teacher forcing picks the same symbols
    assert (net(x, y).argmax(-1) == y).all()


def test_attends_to_source_counts_where_the_peak_falls():
    from nnzoo.models.seq2seq import attends_to_source

    alpha = torch.tensor([[[0.7, 0.2, 0.1], [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]],
                          [[0.1, 0.8, 0.1], [0.5, 0.4, 0.1], [0.2, 0.2, 0.6]]])  # (2, 3, 3)
    sources = [[{0}, {2}, None], [{0, 1}, {1}, {2}]]
    assert attends_to_source(alpha, sources) == 4 / 5  # the 2nd sequence's 2nd peak misses
    # the same weights judged against other sources (the inputs shuffled) miss
    assert attends_to_source(alpha, [[{1}, {0}, None], [{2}, {2}, {0}]]) == 0
