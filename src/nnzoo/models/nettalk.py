"""NetTalk's sliding window (Sejnowski & Rosenberg 1987): a network reads a window of w
letters centred on one letter of a word and says that letter's phoneme.

Each of the w positions holds one of 27 symbols (the letters a-z and the word boundary,
"." beyond the word's edges), given as a one-hot vector, so the input x is w one-hot blocks
(w x 27 units) and the network is one hidden layer and a softmax:

    h = sigma(W x + b)             (H hidden units, logistic)
    z = V h + c,   y = softmax(z)  (one output per phoneme symbol)

trained on the cross-entropy of the letter's phoneme. W x for a one-hot x is a sum of w
columns of W, so the network gathers those columns (`nn.Embedding`) instead of multiplying
by a vector of zeros: the same function (a test compares it with `nn.Linear` on the one-hot
vector), a few times faster.

NetTalk had w = 7 positions of 29 symbols (letters, space and two punctuation marks), 80
hidden units and 26 output units, each an articulatory feature, trained on squared error;
here the outputs are the phoneme symbols themselves (softmax), as a classifier. Training and
scoring a WindowNet on words are nnzoo.training.sequences' train_window_net and score_words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor, nn

from nnzoo.data.pronunciation import pronounce, windows

SYMBOLS = 27  # a-z and the word boundary


class WindowNet(nn.Module):
    """Window of `width` letters (codes 0..symbols-1) -> `hidden` logistic units ->
    `outputs` phoneme scores z (softmax them for probabilities)."""

    def __init__(self, width: int = 7, outputs: int = 40, hidden: int = 80,
                 symbols: int = SYMBOLS):
        super().__init__()
        self.width, self.symbols = width, symbols
        self.W = nn.Embedding(width * symbols, hidden)  # row k: the weights of input unit k
        self.b = nn.Parameter(torch.empty(hidden))
        self.out = nn.Linear(hidden, outputs)
        bound = 1 / math.sqrt(width * symbols)  # as nn.Linear(width * symbols, hidden)
        nn.init.uniform_(self.W.weight, -bound, bound)
        nn.init.uniform_(self.b, -bound, bound)
        self.register_buffer("offsets", torch.arange(width) * symbols, persistent=False)

    def hidden(self, x: Tensor) -> Tensor:
        """h = sigma(W x + b) for windows of letter codes x (B, w)."""
        # W x: the sum of the columns of the w units that are on
        return torch.sigmoid(self.W(x + self.offsets).sum(dim=1) + self.b)  # (B, H)

    def forward(self, x: Tensor) -> Tensor:
        return self.out(self.hidden(x))  # (B, V)

    def input_weights(self) -> Tensor:
        """W as a matrix (H, w * symbols): the weights from the one-hot input units."""
        return self.W.weight.T


def window_data(aligned, width: int, symbols: Sequence[str], device=None
                ) -> tuple[Tensor, Tensor]:
    """Windows (N, width) of the letters of `aligned` (pronunciation.AlignedWords) and the
    index in `symbols` of each letter's chunk (N,)."""
    index = {s: k for k, s in enumerate(symbols)}
    X = torch.from_numpy(windows(aligned.words, width))  # (N, w)
    y = torch.tensor([index[c] for chunks in aligned.chunks for c in chunks])  # (N,)
    return X.to(device), y.to(device)


def judge_words(said: Sequence[Sequence[str]], aligned, examples: int = 10) -> dict:
    """How well the chunks `said` for each letter read the aligned words: "phoneme", the
    fraction of letters whose chunk is right; "word", of words whose every letter is;
    "spoken", of words whose chunks say the dictionary's phonemes (so that an equivalent
    alignment, "ll" -> L _ for _ L, counts as right); "examples": [word, true chunks, said
    chunks] of the first `examples` words of at most 10 letters."""
    right = [[s == t for s, t in zip(say, chunks)] for say, chunks in zip(said, aligned.chunks)]
    shown = [k for k, w in enumerate(aligned.words) if len(w) <= 10][:examples]
    return {"phoneme": sum(map(sum, right)) / sum(map(len, right)),
            "word": float(np.mean([all(r) for r in right])),
            "spoken": float(np.mean([pronounce(s) == ps for s, ps in zip(said,
                                                                           aligned.phonemes)])),
            "examples": [[aligned.words[k], list(aligned.chunks[k]), list(said[k])]
                         for k in shown]}
