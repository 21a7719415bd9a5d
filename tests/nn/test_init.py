import math

import pytest
import torch

from nnzoo.nn import ACTIVATIONS
from nnzoo.nn.init import G0, G1, build_uninitialised, variance_preserving_

TRANSFER = {**ACTIVATIONS, "linear": lambda s: s}
NAMES = ["linear", "relu", "selu", "tanh", "sigmoid"]
DEPTH, NETS = 50, 8
WIDTHS = [128, 512] * (DEPTH // 2) + [128]  # n_in != n_out: a wrong fan swings 4x per layer


def _gauss_mean(f, half_width: float = 12.0, n: int = 200_000) -> float:
    # E[f(s)], s ~ N(0, 1), by the midpoint rule on [-12, 12]: 0 is a grid node, so no
    # midpoint lands on ReLU's or SELU's kink   (f: (n,) -> (n,))
    h = 2 * half_width / n
    s = -half_width + h * (torch.arange(n, dtype=torch.float64) + 0.5)
    density = torch.exp(-(s**2) / 2) / math.sqrt(2 * math.pi)
    return (f(s) * density).sum().item() * h


def _slope(name):
    # g'(s) by autograd through the transfer function that networks use
    def g_prime(s):
        s = s.clone().requires_grad_(True)
        (d,) = torch.autograd.grad(TRANSFER[name](s).sum(), s)
        return d
    return g_prime


@pytest.mark.parametrize("name", NAMES)
def test_G0_is_mean_square_of_g_under_unit_normal(name):
    assert _gauss_mean(lambda s: TRANSFER[name](s) ** 2) == pytest.approx(G0[name], rel=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_G1_is_mean_square_of_g_prime_under_unit_normal(name):
    assert _gauss_mean(lambda s: _slope(name)(s) ** 2) == pytest.approx(G1[name], rel=1e-6)


def test_relu_and_linear_rules_agree_and_others_differ():
    assert G0["relu"] == G1["relu"] == 0.5 and G0["linear"] == G1["linear"] == 1.0
    assert G1["sigmoid"] < G0["sigmoid"] / 6  # the sigmoid's slope is at most 1/4
    assert G1["tanh"] > G0["tanh"] and G1["selu"] > G0["selu"]


def _linear(n_in, n_out, name, rule, g):
    # a layer drawn by `rule` (built without PyTorch's own initial draw: faster)
    layer = build_uninitialised(lambda: torch.nn.Linear(n_in, n_out))
    return variance_preserving_(layer, name, rng=g, rule=rule)


def _variances(name, rule, unit_preactivations=False, depth=DEPTH, nets=NETS):
    """Var[s_l] and Var[dE/ds_l] for l = 0..depth, averaged over `nets` networks of
    WIDTHS[:depth + 1] whose layers are drawn by `rule`; s_0 ~ N(0, 1) and
    E = sum(s_depth r), r ~ N(0, 1), so that dE/ds_depth = r. With `unit_preactivations`
    every layer's s is drawn afresh from N(0, 1) (the course's assumption for G_1) instead
    of computed by the forward pass.

    The course's products are expectations over random weights: one finite network's
    variance takes a random walk around them, hence the mean over NETS networks."""
    g = torch.Generator().manual_seed(0)
    var_s, var_d = torch.zeros(depth + 1), torch.zeros(depth + 1)
    for _ in range(nets):
        s = torch.randn(64, WIDTHS[0], generator=g)  # (B, n_0)
        s_all = [s.requires_grad_(True)]
        for n_in, n_out in zip(WIDTHS[:depth], WIDTHS[1:depth + 1]):
            # the next layer's pre-activations   (B, n_out)
            s = _linear(n_in, n_out, name, rule, g)(TRANSFER[name](s_all[-1]))
            if unit_preactivations:  # keep the graph, replace the values by fresh N(0, 1)
                s = s - s.detach() + torch.randn(s.shape, generator=g)
            s_all.append(s)
        r = torch.randn(s.shape, generator=g)  # dE/ds at the top   (B, n_DEPTH)
        grads = torch.autograd.grad((s * r).sum(), s_all)  # backprop: dE/ds_l
        var_s += torch.tensor([t.var().item() for t in s_all]) / nets
        var_d += torch.tensor([t.var().item() for t in grads]) / nets
    return var_s, var_d


def _within_2(v):
    return bool(((0.5 <= v) & (v <= 2)).all())


@pytest.mark.parametrize("name", NAMES)
def test_forward_rule_keeps_the_activations_variance_through_50_layers(name):
    # G_0 n_in Var[w] = 1: pre-activations of variance 1 pass variance 1 on, layer after
    # layer; the backward rule's fan n_out swings them by 4x between the layers
    var_s, _ = _variances(name, "forward")
    assert _within_2(var_s), (name, var_s[::10])
    var_s, _ = _variances(name, "backward", depth=4, nets=1)
    assert not _within_2(var_s)


@pytest.mark.parametrize("name", NAMES)
def test_backward_rule_keeps_the_differentials_variance_for_unit_preactivations(name):
    # G_1 n_out Var[w] = 1: with every layer's s ~ N(0, 1), where G_1 = E[g'(s)^2] holds,
    # Var[dE/ds] stays within a factor 2 of Var[dE/ds_top] = 1 through 50 layers; the
    # forward rule's fan n_in (and G_0) does not
    _, var_d = _variances(name, "backward", unit_preactivations=True)
    assert _within_2(var_d), (name, var_d[::10])
    _, var_d = _variances(name, "forward", unit_preactivations=True, depth=4, nets=1)
    assert not _within_2(var_d)


@pytest.mark.parametrize("name", ["relu", "linear"])
def test_backward_rule_keeps_the_differentials_variance_in_a_real_network(name):
    # g' of ReLU and of a linear unit does not depend on Var[s], so the backward rule
    # holds in a real network however the forward variance goes
    _, var_d = _variances(name, "backward")
    assert _within_2(var_d), (name, var_d[::10])
    _, var_d = _variances(name, "forward", depth=4, nets=1)
    assert not _within_2(var_d)


def test_forward_rule_changes_the_differentials_variance_by_G1_over_G0_per_layer():
    # With the forward rule s stays N(0, 1), so each square layer multiplies Var[dE/ds] by
    # G_1 n Var[w] = G_1 / G_0: the sigmoid's differentials shrink 6.5x per layer
    g = torch.Generator().manual_seed(0)
    ratios = []
    for _ in range(NETS):
        s_all = [torch.randn(64, 512, generator=g).requires_grad_(True)]
        for _ in range(10):
            s_all.append(_linear(512, 512, "sigmoid", "forward", g)(torch.sigmoid(s_all[-1])))
        r = torch.randn(s_all[-1].shape, generator=g)  # dE/ds at the top   (B, 512)
        grads = torch.autograd.grad((s_all[-1] * r).sum(), s_all)
        ratios.append(grads[0].var().item() / grads[-1].var().item())
    measured = sum(ratios) / NETS
    predicted = (G1["sigmoid"] / G0["sigmoid"]) ** 10
    assert measured == pytest.approx(predicted, rel=0.5), (measured, predicted)


def test_weights_have_the_rules_variance_and_scale():
    g = torch.Generator().manual_seed(0)
    expected = {"backward": 0.25 / (G1["tanh"] * 800), "forward": 0.25 / (G0["tanh"] * 400)}
    for rule, var in expected.items():  # scale 0.5: G n Var[w] = 1/4
        layer = variance_preserving_(torch.nn.Linear(400, 800), "tanh", 0.5, g, rule=rule)
        assert layer.weight.var().item() == pytest.approx(var, rel=0.02)
        assert layer.bias.abs().sum() == 0
    with pytest.raises(ValueError):
        variance_preserving_(torch.nn.Linear(4, 4), "relu", rule="sideways")
