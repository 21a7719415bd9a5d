"""The sequence loops' pieces that judge: what a sliding-window network says for words."""

import pytest
import torch

from nnzoo.data.pronunciation import AlignedWords
from nnzoo.models.nettalk import SYMBOLS, WindowNet
from nnzoo.training.sequences import score_words


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
