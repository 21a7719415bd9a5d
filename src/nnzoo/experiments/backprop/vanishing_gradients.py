"""vanishing-gradients: in a deep network small weights make the differentials dE/ds vanish
towards the first layer, large ones make them explode; variance-preserving weights keep them
alive. Two rules preserve a variance (nnzoo.nn.init): the course's backward rule
G_1 n_out Var[w] = 1 keeps Var[dE/ds] where the pre-activations s have variance 1, the
forward rule G_0 n_in Var[w] = 1 keeps Var[s] = 1. Where G_0 != G_1 neither keeps both: with
the forward rule each layer multiplies Var[dE/ds] by G_1/G_0 (0.15 for the sigmoid), with the
backward rule s drifts away from variance 1 (to about 9 for the sigmoid, whose mean 1/2 feeds
every next layer), where E[g'(s)^2] is no longer G_1."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    rule: Literal["backward", "forward"] = "backward"
    """The variance-preserving weights that the small and large ones are multiples of:
    backward, the course's G_1 n_out Var[w] = 1, G_1 = E[g'(s)^2] (keeps Var[dE/ds]), or
    forward, G_0 n_in Var[w] = 1, G_0 = E[g(s)^2] (keeps Var[s]). Both rules are always
    run at scale 1."""


GRADIENT_ACTIVATIONS = ("sigmoid", "tanh", "relu", "selu")
RULES = ("backward", "forward")  # nnzoo.nn.init.RULES (not imported here: it loads torch)


@experiment(
    "vanishing-gradients", kind="supervised", config=VanishingGradientsConfig, seconds=1,
    claim="in a deep network small weights make the differentials dE/ds vanish towards the "
          "first layer, and large ones make them explode for tanh, ReLU and SELU; "
          "variance-preserving weights keep these three alive by the course's backward rule "
          "G_1 n_out Var[w] = 1 (G_1 = E[g'(s)^2], the default) and by the forward rule "
          "G_0 n_in Var[w] = 1 (G_0 = E[g(s)^2]), the backward one keeping tanh's and SELU's "
          "closer; with the sigmoid they vanish under both rules, far less under the "
          "backward one, and do not vanish with the backward rule's large weights",
    expects="small weights (--small times the --rule ones): first layer's ||dE/ds|| < 1/100 "
            "of the last's for all four transfer functions; large (--large times): first/last "
            "> 100 for tanh, ReLU and SELU, and for the sigmoid max/min across layers <= 10 "
            "(--rule backward) or first/last < 1/100 (--rule forward); both rules at scale 1: "
            "max/min across layers <= 10 for tanh, ReLU and SELU, and smaller by the backward "
            "rule for tanh and SELU; sigmoid: first/last < 1/100 by both rules, the backward "
            "rule's > 1000 times the forward's",
    smoke={"width": 32, "batch": 64},
)
def run(cfg: VanishingGradientsConfig, run: Run) -> Result:
    # each case: (rule, scale) of the hidden and output layers' weights
    cases = {"small": (cfg.rule, cfg.small), "large": (cfg.rule, cfg.large),
             "backward": ("backward", 1.0), "forward": ("forward", 1.0)}
    norms = {}
    for act in GRADIENT_ACTIVATIONS:
        for label, (rule, scale) in cases.items():
            # the same random weights (up to their scale), inputs and targets for every case
            n = _layer_differentials(act, rule, scale, cfg, run.rng("network").torch)
            norms[act, label] = n
            run.log(f"{act:8s} {label:9s} first/last = {n[0] / n[-1]:9.2e}   "
                    f"max/min = {max(n) / min(n):9.2e}")
    first_over_last = {k: n[0] / n[-1] for k, n in norms.items()}
    spread = {k: max(n) / min(n) for k, n in norms.items()}
    run.save_figure(_gradients_figure(norms, cases), "gradients")
    three = ("tanh", "relu", "selu")
    vanish = max(first_over_last[a, "small"] for a in GRADIENT_ACTIVATIONS)
    explode = min(first_over_last[a, "large"] for a in three)
    sigmoid_large = (spread if cfg.rule == "backward" else first_over_last)["sigmoid", "large"]
    alive = max(spread[a, r] for a in three for r in RULES)
    closer = all(spread[a, "backward"] < spread[a, "forward"] for a in ("tanh", "selu"))
    sigmoid = max(first_over_last["sigmoid", r] for r in RULES)
    gain = first_over_last["sigmoid", "backward"] / first_over_last["sigmoid", "forward"]
    ok = (vanish < 1e-2 and explode > 1e2 and alive <= 10 and closer and sigmoid < 1e-2
          and gain > 1e3
          and (sigmoid_large <= 10 if cfg.rule == "backward" else sigmoid_large < 1e-2))
    sigmoid_measure = "max/min" if cfg.rule == "backward" else "first/last"
    headline = (f"small: first/last <= {vanish:.0e}; large: first/last >= {explode:.3g} "
                f"(tanh, ReLU, SELU), sigmoid {sigmoid_measure} {sigmoid_large:.2g}; "
                f"both rules' max/min <= {alive:.1f} (tanh, ReLU, SELU; backward "
                f"{'closer' if closer else 'NOT closer'} for tanh, SELU); sigmoid first/last "
                f"<= {sigmoid:.1e} by both rules, backward's {gain:.1e}x forward's")
    return Result(ok, headline, {
        **{f"first_over_last_{a}_{s}": v for (a, s), v in first_over_last.items()},
        **{f"spread_{a}_{s}": v for (a, s), v in spread.items()}})


def _layer_differentials(act: str, rule: str, scale: float, cfg: VanishingGradientsConfig,
                         gen) -> list:
    """||dE/ds_l|| for the pre-activations s_l of every hidden layer of a deep network
    whose weights are drawn by `rule` times `scale` (G n Var[w] = scale^2), for
    E = 1/2 mean (z - t)^2. The first layer, fed by the inputs x (variance 1), is drawn
    as fed by linear units."""
    import torch

    from nnzoo.nn import ACTIVATIONS
    from nnzoo.nn.init import variance_preserving_

    W = cfg.width
    fed_by = ["linear"] + [act] * cfg.depth  # the transfer function feeding each layer
    layers = [variance_preserving_(torch.nn.Linear(W, W), g, scale, gen, rule=rule)
              for g in fed_by[:-1]]
    out = variance_preserving_(torch.nn.Linear(W, 1), act, scale, gen, rule=rule)
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


def _gradients_figure(norms, cases):
    from nnzoo.viz import figure

    fig, axes = figure(1, len(GRADIENT_ACTIVATIONS), size=3.2, sharey=True)
    styles = {"small": ":", "large": "--", "backward": "-", "forward": "-."}
    for ax, act in zip(axes[0], GRADIENT_ACTIVATIONS):
        for label, (rule, scale) in cases.items():
            n = norms[act, label]
            name = f"{label} ({scale:g} x {rule})" if label in ("small", "large") else \
                f"{label} rule"
            ax.semilogy(range(1, len(n) + 1), n, styles[label], lw=2, label=name)
        ax.set(title=act, xlabel="layer (1 = first)")
    axes[0, 0].set_ylabel("||dE/ds|| at the layer")
    axes[0, 0].legend(fontsize=7)
    return fig
