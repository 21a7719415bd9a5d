"""Multi-layer networks trained by backpropagation.

A layer computes h = g(W x + b); a network of layers with sizes (D, H, ..., O) is

    h_1 = g(W_1 x + b_1),  h_2 = g(W_2 h_1 + b_2),  ...,  z = g_out(W_L h_{L-1} + b_L)

and is trained by gradient descent on an error function E: w <- w - eta dE/dw.
With shortcut connections "between non-consecutive layers" every layer reads the
input and all earlier hidden layers: h_l = g(W_l [x, h_1, ..., h_{l-1}] + b_l).

The course's networks for the twin spirals:
    PolarNet   (x, y) -> (r, theta) -> one hidden layer -> output
    RawNet     two hidden layers:              MLP([2, H, H, 1])
    ShortNet   two hidden layers + shortcuts:  MLP([2, H, H, 1], shortcut=True)
and the 2-2-1 network for XOR is MLP([2, 2, 1]); `spiral_net(net, hidden)` builds the
spirals' networks by name.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from nnzoo.nn.activations import ACTIVATIONS
from nnzoo.nn.layers import BatchNorm, Dropout


def identity(s: Tensor) -> Tensor:
    # g(s) = s: a linear output (a named function, so that an MLP can be pickled for
    # worker processes)
    return s


class MLP(nn.Module):
    """Fully connected layers of sizes `sizes`, transfer function `activation` between
    them and `output` on the last layer ("linear" for none); with `shortcut`, every layer
    also reads the input and every earlier hidden layer. Hidden layers can add batch
    normalization of s before g, h = g(BN(W x + b)), and dropout of h; `bias=False`
    leaves out every b."""

    def __init__(self, sizes: list[int] | tuple[int, ...], activation: str = "tanh",
                 output: str = "sigmoid", shortcut: bool = False, dropout: float = 0.0,
                 batch_norm: bool = False, bias: bool = True):
        super().__init__()
        if len(sizes) < 2:
            raise ValueError(f"expected at least an input and an output size, got {sizes}")
        self.sizes, self.activation, self.output = tuple(sizes), activation, output
        self.shortcut = shortcut
        fan_in = [sum(sizes[: i + 1]) if shortcut else sizes[i] for i in range(len(sizes) - 1)]
        self.layers = nn.ModuleList(nn.Linear(a, b, bias=bias)
                                    for a, b in zip(fan_in, sizes[1:]))
        self.g = ACTIVATIONS[activation]
        self.g_out = identity if output == "linear" else ACTIVATIONS[output]
        self.norms = nn.ModuleList(BatchNorm(h) if batch_norm else nn.Identity()
                                   for h in sizes[1:-1])
        self.drops = nn.ModuleList(Dropout(dropout) for _ in sizes[1:-1])

    def _inputs(self, feats: list[Tensor]) -> Tensor:
        # [x, h_1, ..., h_{l-1}] with shortcuts, else h_{l-1}   (B, fan-in)
        return torch.cat(feats, dim=1) if self.shortcut else feats[-1]

    def hidden(self, x: Tensor) -> list[Tensor]:
        """The activations of every hidden layer, [(B, H_1), (B, H_2), ...]."""
        feats = [x]
        for layer, norm, drop in zip(self.layers[:-1], self.norms, self.drops):
            s = norm(layer(self._inputs(feats)))  # s = W x + b (batch-normalized)  (B, H)
            feats.append(drop(self.g(s)))  # h = g(s), some dropped in training  (B, H)
        return feats[1:]

    def kept_units(self) -> list[Tensor | None]:
        """Which hidden units the last training pass kept, [(B, H_1), (B, H_2), ...]
        booleans (row b: the thinned network pattern b went through); None for a layer
        without dropout or before the first training pass."""
        return [drop.kept for drop in self.drops]

    def input_weights(self) -> Tensor:
        """The first layer's weights W_1, (H_1, D)."""
        return self.layers[0].weight

    def layer_weights(self) -> list[tuple[Tensor, Tensor | None]]:
        """(W_l, b_l) of every layer, from the input's to the output's."""
        return [(layer.weight, layer.bias) for layer in self.layers]

    def forward(self, x: Tensor) -> Tensor:
        feats = [x, *self.hidden(x)]
        return self.g_out(self.layers[-1](self._inputs(feats)))  # z = g_out(W h + b)  (B, O)

    @torch.no_grad()
    def init_normal_(self, scale: float, rng: torch.Generator | None = None) -> MLP:
        """Draw every weight and bias from N(0, scale^2)."""
        for p in self.parameters():
            p.copy_(torch.randn(p.shape, generator=rng) * scale)
        return self


def to_polar(x: Tensor) -> Tensor:
    # r = sqrt(x^2 + y^2), theta = atan2(y, x)   (B, 2) -> (B, 2)
    r = torch.sqrt(x[:, 0] ** 2 + x[:, 1] ** 2)
    theta = torch.atan2(x[:, 1], x[:, 0])
    return torch.stack([r, theta], dim=1)


class PolarNet(nn.Module):
    """The input (x, y) converted to polar co-ordinates (r, theta), then one hidden layer
    of tanh units and a sigmoid output."""

    def __init__(self, hidden: int = 10):
        super().__init__()
        self.net = MLP([2, hidden, 1], activation="tanh", output="sigmoid")
        self.layers = self.net.layers

    def hidden(self, x: Tensor) -> list[Tensor]:
        return self.net.hidden(to_polar(x))

    def input_weights(self) -> Tensor:
        """The first layer's weights W_1, (H, 2): from (r, theta) to the hidden units."""
        return self.layers[0].weight

    def forward(self, x: Tensor) -> Tensor:
        return self.net(to_polar(x))

    @torch.no_grad()
    def init_normal_(self, scale: float, rng: torch.Generator | None = None) -> PolarNet:
        self.net.init_normal_(scale, rng)
        return self


# The course's networks for the twin spirals, by name: hidden units per layer -> network.
SPIRAL_NETS = {
    "polar": lambda H: PolarNet(H),  # (r, theta), one hidden layer
    "raw": lambda H: MLP([2, H, H, 1]),  # two hidden layers
    "short": lambda H: MLP([2, H, H, 1], shortcut=True),  # two hidden layers + shortcuts
    "two-layer": lambda H: MLP([2, H, 1]),  # one hidden layer on (x, y)
}


def spiral_net(net: str = "polar", hidden: int = 20) -> nn.Module:
    """The twin spirals' network called `net` (a key of SPIRAL_NETS), with `hidden` units
    in each hidden layer; tanh hidden units and a sigmoid output."""
    if net not in SPIRAL_NETS:
        raise ValueError(f"expected a spiral net among {', '.join(SPIRAL_NETS)}, got {net!r}")
    return SPIRAL_NETS[net](hidden)
