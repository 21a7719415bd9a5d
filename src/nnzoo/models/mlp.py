"""Multi-layer networks trained by backpropagation.

A layer computes h = g(W x + b); a network of layers with sizes (D, H, ..., O) is

    h_1 = g(W_1 x + b_1),  h_2 = g(W_2 h_1 + b_2),  ...,  z = g_out(W_L h_{L-1} + b_L)

and is trained by gradient descent on an error function E: w <- w - eta dE/dw.
The 2-2-1 network with tanh hidden units and a sigmoid output is the course's
network for XOR.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from nnzoo.nn.activations import ACTIVATIONS


class MLP(nn.Module):
    """Fully connected layers of sizes `sizes`, transfer function `activation` between
    them and `output` on the last layer ("linear" for none)."""

    def __init__(self, sizes: list[int] | tuple[int, ...], activation: str = "tanh",
                 output: str = "sigmoid"):
        super().__init__()
        if len(sizes) < 2:
            raise ValueError(f"expected at least an input and an output size, got {sizes}")
        self.sizes, self.activation, self.output = tuple(sizes), activation, output
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        self.g = ACTIVATIONS[activation]
        self.g_out = (lambda s: s) if output == "linear" else ACTIVATIONS[output]

    def hidden(self, x: Tensor) -> list[Tensor]:
        """The activations of every hidden layer, [(B, H_1), (B, H_2), ...]."""
        hs = []
        for layer in self.layers[:-1]:
            x = self.g(layer(x))  # h = g(W x + b)   (B, H)
            hs.append(x)
        return hs

    def forward(self, x: Tensor) -> Tensor:
        hs = self.hidden(x)
        h = hs[-1] if hs else x
        return self.g_out(self.layers[-1](h))  # z = g_out(W h + b)   (B, O)

    @torch.no_grad()
    def init_normal_(self, scale: float, generator: torch.Generator | None = None) -> MLP:
        """Draw every weight and bias from N(0, scale^2)."""
        for p in self.parameters():
            p.copy_(torch.randn(p.shape, generator=generator) * scale)
        return self
