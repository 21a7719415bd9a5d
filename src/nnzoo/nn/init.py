"""Weight initialisation that keeps signals alive through many layers.

The course: Var[z] ~ (prod_i G n_i Var[w^(i)]) Var[x], so each layer should have

    G n Var[w] = 1,   i.e.   Var[w] = 1 / (G n)

with n the number of inputs to a unit (fan-in) and G the transfer function's gain:
the mean square of g(s) for unit-variance pre-activations s ~ N(0, 1). Then a layer
whose pre-activations have variance 1 passes variance 1 on. This gives He's 2/n for
ReLU (G = 1/2), LeCun's 1/n for SELU (G = 1) and for a linear unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

# G = E[g(s)^2], s ~ N(0, 1); test_init.py recomputes each by numerical integration.
GAIN = {"linear": 1.0, "relu": 0.5, "selu": 1.0, "tanh": 0.39429449, "sigmoid": 0.29337904}


@torch.no_grad()
def variance_preserving_(layer: nn.Linear, activation: str, scale: float = 1.0,
                         generator: torch.Generator | None = None) -> nn.Linear:
    """Draw W ~ N(0, scale^2 / (G n)) and b = 0 for the units of `layer` (scale 1:
    variance preserving; < 1 small, > 1 large weights)."""
    n = layer.weight.shape[1]  # fan-in
    std = scale * math.sqrt(1.0 / (GAIN[activation] * n))  # G n Var[w] = scale^2
    layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator) * std)
    if layer.bias is not None:
        layer.bias.zero_()
    return layer


def build_uninitialised(make: Callable[[], nn.Module]) -> nn.Module:
    """make() with storage for its parameters on the CPU but no initial values: built on
    the meta device, so that nothing draws from torch's global generator. Draw the
    weights after, from the caller's generator (e.g. `uniform_fan_in_`)."""
    with torch.device("meta"):
        module = make()
    return module.to_empty(device="cpu")


@torch.no_grad()
def uniform_fan_in_(module: nn.Module, generator: torch.Generator | None = None) -> nn.Module:
    """PyTorch's default for nn.Linear, drawn from `generator`: W and b of every linear
    layer ~ U(-1/sqrt(n), 1/sqrt(n)), n the layer's fan-in."""
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            bound = 1.0 / math.sqrt(layer.weight.shape[1])
            for p in (layer.weight, layer.bias):
                if p is not None:
                    p.copy_(torch.rand(p.shape, generator=generator) * (2 * bound) - bound)
    return module
