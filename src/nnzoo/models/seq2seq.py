"""A bidirectional recurrent encoder and a decoder with attention (Bahdanau et al. 2015).

The encoder reads the input sequence forwards and backwards with two GRUs; the state of
position j is the pair of the two directions' hidden states there, h_j = [h_j^fwd; h_j^bwd],
so it describes the input around j from both sides. The decoder is a GRU that emits one
output symbol per step: at step t its state s_{t-1} attends over all h_j
(nnzoo.nn.attention.AdditiveAttention), and it reads the context c_t together with the
previous output symbol y_{t-1}:

    c_t, alpha_t = attention(s_{t-1}, h_1..h_T)
    s_t = GRU([embed(y_{t-1}); c_t], s_{t-1})
    p(y_t | ...) = softmax(V [s_t; c_t] + b)

Training feeds the correct previous symbol (teacher forcing); `decode` feeds back its own
greedy choice. alpha_t is the row of the attention picture: where the decoder looked.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from nnzoo.nn.attention import AdditiveAttention


class Seq2Seq(nn.Module):
    """Symbols in (B, T) -> scores for symbols out (B, T_out, V_out). `start` is the output
    symbol fed at the first decoder step; `pad` marks padding in the input."""

    def __init__(self, n_in: int, n_out: int, embed: int = 32, hidden: int = 64,
                 attention: int = 64, start: int = 0, pad: int | None = None):
        super().__init__()
        self.start, self.pad = start, pad
        self.embed_in = nn.Embedding(n_in, embed)
        self.encoder = nn.GRU(embed, hidden, batch_first=True, bidirectional=True)
        self.init = nn.Linear(2 * hidden, hidden)  # s_0 from the encoder's ends
        self.attend = AdditiveAttention(hidden, 2 * hidden, attention)
        self.embed_out = nn.Embedding(n_out, embed)
        self.decoder = nn.GRUCell(embed + 2 * hidden, hidden)
        self.out = nn.Linear(hidden + 2 * hidden, n_out)

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor | None]:
        """-> the encoder states H (B, T, 2 hidden), the decoder's s_0 (B, hidden), mask."""
        H, ends = self.encoder(self.embed_in(x))  # ends: (2, B, hidden), fwd last, bwd first
        mask = None if self.pad is None else x != self.pad
        s = torch.tanh(self.init(torch.cat([ends[0], ends[1]], dim=1)))
        return H, s, mask

    def step(self, y_prev: Tensor, s: Tensor, H: Tensor, mask) -> tuple[Tensor, Tensor, Tensor]:
        """One decoder step: -> (scores (B, V_out), s_t, alpha_t (B, T))."""
        c, alpha = self.attend(s, H, mask)
        s = self.decoder(torch.cat([self.embed_out(y_prev), c], dim=1), s)
        return self.out(torch.cat([s, c], dim=1)), s, alpha

    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        """Teacher forcing: scores for each y_t given the true y_1 .. y_{t-1}, (B, T_out, V)."""
        H, s, mask = self.encode(x)
        y_prev = torch.full_like(y[:, 0], self.start)
        scores = []
        for t in range(y.shape[1]):
            z, s, _ = self.step(y_prev, s, H, mask)
            scores.append(z)
            y_prev = y[:, t]
        return torch.stack(scores, dim=1)

    @torch.no_grad()
    def decode(self, x: Tensor, length: int) -> tuple[Tensor, Tensor]:
        """Greedy decoding of `length` symbols: -> (symbols (B, length), attention weights
        (B, length, T))."""
        H, s, mask = self.encode(x)
        y = torch.full((x.shape[0],), self.start, dtype=torch.long, device=x.device)
        out, alphas = [], []
        for _ in range(length):
            z, s, alpha = self.step(y, s, H, mask)
            y = z.argmax(dim=1)
            out.append(y)
            alphas.append(alpha)
        return torch.stack(out, dim=1), torch.stack(alphas, dim=1)


class TeacherForcing(nn.Module):
    """A Seq2Seq trained on rows that hold an input sequence and its target side by side,
    xy = [x | y] (B, T_in + T_out), so that a loop which feeds one tensor
    (nnzoo.training.supervised.fit) can train it: forward(xy) = net(x, y)."""

    def __init__(self, net: Seq2Seq, input_length: int):
        super().__init__()
        self.net, self.input_length = net, input_length

    def forward(self, xy: Tensor) -> Tensor:
        return self.net(xy[:, :self.input_length], xy[:, self.input_length:])


def attends_to_source(alpha, sources) -> float:
    """The share of output positions whose largest attention weight falls on a character
    that output comes from: alpha (B, T_out, T_in) attention weights (e.g. `decode`'s),
    sources[b][t] the set of input positions output t of sequence b comes from, or None
    for an output that comes from nowhere in particular (not counted)."""
    peak = alpha.argmax(-1).tolist()  # (B, T_out) where each output looked most
    hits = [peak[b][t] in s for b, row in enumerate(sources) for t, s in enumerate(row)
            if s is not None]
    return sum(hits) / len(hits)
