import math

import pytest
import torch

from nnzoo.nn import ACTIVATIONS
from nnzoo.nn.init import GAIN, variance_preserving_


@pytest.mark.parametrize("name", ["relu", "selu", "tanh", "sigmoid"])
def test_gain_is_mean_square_of_g_under_unit_normal(name):
    # G = E[g(s)^2] for s ~ N(0, 1), by the trapezoidal rule on [-12, 12]
    s = torch.linspace(-12, 12, 200_001, dtype=torch.float64)
    density = torch.exp(-(s**2) / 2) / math.sqrt(2 * math.pi)
    G = torch.trapezoid(ACTIVATIONS[name](s) ** 2 * density, s).item()
    assert G == pytest.approx(GAIN[name], rel=1e-6)


@pytest.mark.parametrize("name", ["relu", "selu", "tanh", "sigmoid"])
def test_activation_variance_stays_within_factor_2_through_50_layers(name):
    # Pre-activations s of variance 1 keep variance within a factor 2 of 1 through 50
    # layers. The course's Var[z] ~ prod G n Var[w] Var[x] is an expectation over random
    # weights: one finite network's variance takes a random walk around it, so measure
    # the mean over 8 independent networks.
    g = torch.Generator().manual_seed(0)
    width, nets = 512, 8
    variances = torch.zeros(50)
    for _ in range(nets):
        s = torch.randn(64, width, generator=g)  # (B, H)
        for depth in range(50):
            layer = variance_preserving_(torch.nn.Linear(width, width), name, generator=g)
            s = layer(ACTIVATIONS[name](s))  # (B, H) the next layer's pre-activations
            variances[depth] += s.var().item() / nets
    assert ((0.5 <= variances) & (variances <= 2)).all(), (name, variances[::10])


def test_small_and_large_scales_shrink_and_grow():
    g = torch.Generator().manual_seed(0)
    layer = variance_preserving_(torch.nn.Linear(400, 400), "relu", scale=0.5, generator=g)
    assert layer.weight.var().item() == pytest.approx(0.25 * 2 / 400, rel=0.05)
    assert layer.bias.abs().sum() == 0
