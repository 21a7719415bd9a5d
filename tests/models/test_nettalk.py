import pytest
import torch
from torch import nn
from torch.nn import functional as F

from nnzoo.data.pronunciation import BOUNDARY, AlignedWords, windows
from nnzoo.models.nettalk import SYMBOLS, WindowNet, judge_words, score_words, window_data


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


def reading_net(says: dict[str, int], symbols: int) -> WindowNet:
    """A 1-letter window net that says symbol says[letter] for the letters given and symbol
    0 for the others: hidden unit k is on for letter k alone."""
    net = WindowNet(width=1, outputs=symbols, hidden=SYMBOLS)
    with torch.no_grad():
        net.W.weight.copy_(20 * torch.eye(SYMBOLS) - 10)  # unit k: +10 for letter k, else -10
        net.b.zero_()
        net.out.weight.zero_()
        net.out.bias.zero_()
        net.out.bias[0] = 1.0
        for letter, symbol in says.items():
            net.out.weight[symbol, ord(letter) - ord("a")] = 10.0
    return net


def test_word_scores_count_letters_words_and_pronunciations():
    symbols = ("_", "K", "AE", "T", "B", "L")
    net = reading_net({"c": 1, "a": 2, "t": 3, "b": 4}, len(symbols))  # l -> "_"
    words = AlignedWords(["cat", "tab", "all"], [("K", "AE", "T"), ("T", "AE", "B"),
                                                 ("AE", "L", "_")],
                         [("K", "AE", "T"), ("T", "AE", "B"), ("AE", "L")], unaligned=0)
    scores = score_words(net, words, symbols)
    # all: a -> AE right, l -> _ wrong (L), l -> _ right; it says AE, not AE L
    assert scores["phoneme"] == pytest.approx(8 / 9)
    assert scores["word"] == pytest.approx(2 / 3) and scores["spoken"] == pytest.approx(2 / 3)
    assert scores["examples"][2] == ["all", ["AE", "L", "_"], ["AE", "_", "_"]]


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
