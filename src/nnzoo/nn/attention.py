"""Additive attention (Bahdanau, Cho & Bengio 2015), as the course draws it: a decoder state
s asks every encoder state h_j how well it fits,

    e_j = v^T tanh(W s + U h_j),     alpha_j = exp(e_j) / sum_k exp(e_k),

and reads the weighted sum of the encoder states, the context c = sum_j alpha_j h_j.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class AdditiveAttention(nn.Module):
    """e_j = v^T tanh(W s + U h_j); alpha = softmax(e) over the encoder's positions j (masked
    ones excluded); c = sum_j alpha_j h_j. `forward(s, H, mask)` -> (c, alpha)."""

    def __init__(self, query_size: int, key_size: int, size: int):
        super().__init__()
        self.W = nn.Linear(query_size, size, bias=False)
        self.U = nn.Linear(key_size, size)  # its bias: the b inside the tanh
        self.v = nn.Linear(size, 1, bias=False)

    def forward(self, s: Tensor, H: Tensor, mask: Tensor | None = None) -> tuple[Tensor, Tensor]:
        # s: (B, S) decoder state, H: (B, T, K) encoder states, mask: (B, T) True = a real one
        e = self.v(torch.tanh(self.W(s)[:, None, :] + self.U(H)))[..., 0]  # (B, T)
        if mask is not None:
            e = e.masked_fill(~mask, float("-inf"))
        alpha = torch.softmax(e, dim=1)  # (B, T)
        c = (alpha[:, :, None] * H).sum(dim=1)  # (B, K)
        return c, alpha
