"""vanishing-gradients: in a deep network small weights make the differentials dE/ds vanish
towards the first layer, large ones make them explode; variance-preserving weights keep
them alive."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class VanishingGradientsConfig:
    depth: PositiveInt = 20
    """Number of hidden layers."""
    width: PositiveInt = 100
    """Units in each hidden layer (and inputs)."""
    small: PositiveFloat = 0.25
    """Small initial weights: this many times the variance-preserving standard deviation."""
    large: PositiveFloat = 2.0
    """Large initial weights: this many times the variance-preserving standard deviation."""
    batch: PositiveInt = 512
    """Random input patterns the gradients are averaged over."""


GRADIENT_ACTIVATIONS = ("sigmoid", "tanh", "relu", "selu")


@experiment(
    "vanishing-gradients", kind="supervised", config=VanishingGradientsConfig,
    claim="in a deep network small weights make the differentials dE/ds vanish towards the "
          "first layer and large ones make them explode; variance-preserving weights "
          "(G n Var[w] = 1) keep them alive; with the sigmoid, whose slope is at most 1/4, "
          "they vanish at every one of the three scales",
    expects="small weights: first layer's ||dE/ds|| < 1/100 of the last's for all four "
            "transfer functions; large weights (--large times the variance-preserving ones): "
            "first layer's > 100 times the last's for tanh, ReLU and SELU, and < 1/100 for the "
            "sigmoid; variance-preserving: within a factor 10 across layers for tanh, ReLU and "
            "SELU, and first < 1/100 of the last for the sigmoid",
    smoke={"depth": 6, "width": 32, "batch": 64, "small": 0.1},
)
def run(cfg: VanishingGradientsConfig, run: Run) -> Result:
    scales = {"small": cfg.small, "variance-preserving": 1.0, "large": cfg.large}
    norms = {}
    for act in GRADIENT_ACTIVATIONS:
        for label, scale in scales.items():
            # the same random weights (up to their scale), inputs and targets for every case
            n = _layer_differentials(act, scale, cfg, run.rng("network").torch)
            norms[act, label] = n
            run.log(f"{act:8s} {label:20s} first/last = {n[0] / n[-1]:9.2e}   "
                    f"max/min = {max(n) / min(n):9.2e}")
    first_over_last = {k: n[0] / n[-1] for k, n in norms.items()}
    spread = {k: max(n) / min(n) for k, n in norms.items()}
    not_sigmoid = ("tanh", "relu", "selu")
    vanish = all(first_over_last[a, "small"] < 1e-2 for a in GRADIENT_ACTIVATIONS)
    explode = all(first_over_last[a, "large"] > 1e2 for a in not_sigmoid)
    alive = all(spread[a, "variance-preserving"] <= 10 for a in not_sigmoid)
    sigmoid = all(first_over_last["sigmoid", s] < 1e-2 for s in scales)
    run.save_figure(_gradients_figure(norms, scales), "gradients")
    worst_small = max(first_over_last[a, "small"] for a in GRADIENT_ACTIVATIONS)
    least_large = min(first_over_last[a, "large"] for a in not_sigmoid)
    worst_vp = max(spread[a, "variance-preserving"] for a in not_sigmoid)
    worst_sigmoid = max(first_over_last["sigmoid", s] for s in scales)
    headline = (f"small: first/last <= {worst_small:.0e}; large: first/last >= "
                f"{least_large:.0e} (tanh, ReLU, SELU); variance-preserving spread <= "
                f"{worst_vp:.1f}x; sigmoid first/last <= {worst_sigmoid:.0e} at every scale")
    return Result(vanish and explode and alive and sigmoid, headline, {
        **{f"first_over_last_{a}_{s}": v for (a, s), v in first_over_last.items()},
        **{f"spread_{a}_{s}": v for (a, s), v in spread.items()}})


def _layer_differentials(act: str, scale: float, cfg: VanishingGradientsConfig, gen) -> list:
    """||dE/ds_l|| for the pre-activations s_l of every hidden layer of a deep network
    whose weights are drawn with G n Var[w] = scale^2, for E = 1/2 mean (z - t)^2."""
    import torch

    from nnzoo.nn import ACTIVATIONS
    from nnzoo.nn.init import variance_preserving_

    W = cfg.width
    layers = [variance_preserving_(torch.nn.Linear(W, W), act, scale, gen)
              for _ in range(cfg.depth)]
    out = variance_preserving_(torch.nn.Linear(W, 1), act, scale, gen)
    x = torch.randn(cfg.batch, W, generator=gen)  # (B, D)
    t = torch.randn(cfg.batch, 1, generator=gen)  # (B, 1)
    h, s_all = x, []
    for layer in layers:
        s = layer(h)  # s_l = W_l h_{l-1} + b_l   (B, H)
        s_all.append(s)
        h = ACTIVATIONS[act](s)  # h_l = g(s_l)   (B, H)
    E = 0.5 * ((out(h) - t) ** 2).mean()
    grads = torch.autograd.grad(E, s_all)  # backpropagation: dE/ds_l for every layer
    return [g.norm().item() for g in grads]


def _gradients_figure(norms, scales):
    from nnzoo.viz import figure

    fig, axes = figure(1, len(GRADIENT_ACTIVATIONS), size=3.2, sharey=True)
    styles = {"small": ":", "variance-preserving": "-", "large": "--"}
    for ax, act in zip(axes[0], GRADIENT_ACTIVATIONS):
        for label in scales:
            n = norms[act, label]
            ax.semilogy(range(1, len(n) + 1), n, styles[label], lw=2, label=label)
        ax.set(title=act, xlabel="layer (1 = first)")
    axes[0, 0].set_ylabel("||dE/ds|| at the layer")
    axes[0, 0].legend(fontsize=7)
    return fig
