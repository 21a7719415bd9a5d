"""Weight initialisation that keeps signals alive through many layers.

The course: in a network of D layers with n_i^in inputs and n_i^out outputs per unit,

    Var[z]     ~ (prod_i G_0 n_i^in  Var[w^(i)]) Var[x]         (forward: the activations)
    Var[d/dx]  ~ (prod_i G_1 n_i^out Var[w^(i)]) Var[d/dz]      (backward: the differentials)

with the transfer function's gains G_0 = E[g(s)^2] and G_1 = E[g'(s)^2] for unit-variance
pre-activations s ~ N(0, 1) (g: the transfer function of the units feeding the layer; a
layer on the raw inputs is fed by "linear" units). Each term should be 1, and the course
chooses the backward rule

    G_1 n^out Var[w] = 1   ("backward", the default: dE/ds keeps its variance)

here offered beside the forward rule G_0 n^in Var[w] = 1 ("forward": s keeps its
variance). For ReLU both give He's 2/n (G_0 = G_1 = 1/2); for a linear unit both LeCun's
1/n. For tanh, SELU and the sigmoid they differ, and then neither rule keeps both
variances: with the backward rule the pre-activations drift away from variance 1, where
G_1 was computed, so in a real deep network the differentials drift too (the
`vanishing-gradients` experiment measures how much).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

# s ~ N(0, 1); tests/nn/test_init.py recomputes each by numerical integration.
# G_0 = E[g(s)^2]
G0 = {"linear": 1.0, "relu": 0.5, "selu": 1.0, "tanh": 0.39429449, "sigmoid": 0.29337904}
# G_1 = E[g'(s)^2] (for SELU: lambda^2 (1/2 + alpha^2 e^2 Phi(-2)))
G1 = {"linear": 1.0, "relu": 0.5, "selu": 1.07157499, "tanh": 0.46440290, "sigmoid": 0.04483624}
RULES = ("backward", "forward")


@torch.no_grad()
def variance_preserving_(layer: nn.Linear, activation: str, scale: float = 1.0,
                         rng: torch.Generator | None = None,
                         rule: str = "backward") -> nn.Linear:
    """Draw W ~ N(0, scale^2 Var[w]) and b = 0 for `layer`, fed by units with transfer
    function `activation`, with Var[w] from the course's backward rule
    G_1 n^out Var[w] = 1 or (rule="forward") G_0 n^in Var[w] = 1. Scale 1: variance
    preserving; < 1 small, > 1 large weights."""
    n_out, n_in = layer.weight.shape
    if rule == "backward":
        gain, n = G1[activation], n_out
    elif rule == "forward":
        gain, n = G0[activation], n_in
    else:
        raise ValueError(f"expected a rule among {', '.join(RULES)}, got {rule!r}")
    std = scale * math.sqrt(1.0 / (gain * n))  # G n Var[w] = scale^2
    layer.weight.copy_(torch.randn(layer.weight.shape, generator=rng) * std)
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
def uniform_fan_in_(module: nn.Module, rng: torch.Generator | None = None) -> nn.Module:
    """PyTorch's default for nn.Linear, drawn from `rng`: W and b of every linear
    layer ~ U(-1/sqrt(n), 1/sqrt(n)), n the layer's fan-in."""
    for layer in module.modules():
        if isinstance(layer, nn.Linear):
            bound = 1.0 / math.sqrt(layer.weight.shape[1])
            for p in (layer.weight, layer.bias):
                if p is not None:
                    p.copy_(torch.rand(p.shape, generator=rng) * (2 * bound) - bound)
    return module
