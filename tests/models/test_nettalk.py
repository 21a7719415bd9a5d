import pytest
import torch
from torch import nn
from torch.nn import functional as F

from nnzoo.data.pronunciation import BOUNDARY, AlignedWords, windows
from nnzoo.models.nettalk import SYMBOLS, WindowNet, judge_words, window_data


def test_the_window_net_is_a_layer_on_one_hot_windows():
    """h = sigma(W x + b) with x the w one-hot blocks: equal to nn.Linear on the one-hot
    vector with the same weights, outputs and gradients."""
    torch.manual_seed(0)
    net = WindowNet(width=5, outputs=11, hidden=8).double()
    X = torch.from_numpy(windows(["phone", "box"], 5))  # (8, 5)
    one_hot = F.one_hot(X, SYMBOLS).flatten(1).double()  # (8, 5 * 27)
    linear = nn.Linear(5 * SYMBOLS, 8).double()
    with torch.no_grad():
        linear.weight.copy_(net.input_weights())
        linear.bias.copy_(net.b)
    h = torch.sigmoid(linear(one_hot))  # (8, 8)
    assert torch.allclose(net.hidden(X), h, atol=1e-12)
    out = net(X)
    assert torch.allclose(out, net.out(h), atol=1e-12)
    out.sum().backward()
    net.out(torch.sigmoid(linear(one_hot))).sum().backward()
    assert torch.allclose(net.W.weight.grad.T, linear.weight.grad, atol=1e-12)
    assert torch.allclose(net.b.grad, linear.bias.grad, atol=1e-12)


def test_the_window_net_starts_like_a_linear_layer_of_its_inputs():
    torch.manual_seed(0)
    net = WindowNet(width=7, outputs=40)
    bound = 1 / (7 * SYMBOLS) ** 0.5
    assert net.input_weights().shape == (80, 7 * SYMBOLS)
    assert net.input_weights().abs().max() <= bound and net.b.abs().max() <= bound


def test_an_equivalent_alignment_is_spoken_right_but_not_every_letter():
    words = AlignedWords(["all", "box"], [("AO", "L", "_"), ("B", "AA", "K+S")],
                         [("AO", "L"), ("B", "AA", "K", "S")], unaligned=0)
    scores = judge_words([("AO", "_", "L"), ("B", "AA", "K")], words)
    assert scores["phoneme"] == pytest.approx(3 / 6)
    assert scores["word"] == 0 and scores["spoken"] == pytest.approx(1 / 2)


def test_window_data_targets_are_the_symbols_of_the_letters():
    words = AlignedWords(["ox"], [("AA", "K+S")], [("AA", "K", "S")], 0)
    X, y = window_data(words, 3, ("_", "AA", "K+S"))
    assert X.tolist() == [[BOUNDARY, 14, 23], [14, 23, BOUNDARY]] and y.tolist() == [1, 2]
