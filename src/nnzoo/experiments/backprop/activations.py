"""activations: the course's transfer functions and their derivatives, written from the
equations, equal PyTorch's built-ins and autograd."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, experiment
from nnzoo.runs import Result, Run


@dataclass
class ActivationsConfig:
    span: PositiveFloat = 4.0
    """The pictures show s from -span to span."""


@experiment(
    "activations", kind="supervised", config=ActivationsConfig, seconds=1,
    claim="the transfer functions sigmoid, tanh, ReLU and SELU and their derivatives, "
          "written from the course's equations",
    expects="each equals PyTorch's built-in and its autograd derivative equals the closed form "
            "(sigmoid' = g(1-g), tanh' = 1-g^2, ReLU' = step, SELU' = lambda or g + "
            "lambda alpha) to 1e-12 in float64",
)
def run(cfg: ActivationsConfig, run: Run) -> Result:
    import torch

    from nnzoo.nn import activations as A

    s = torch.linspace(-cfg.span, cfg.span, 2001, dtype=torch.float64)
    s = s[s.abs() > 1e-9]  # ReLU and SELU have no derivative at exactly 0
    closed_form = {  # g'(s) written with g itself, as the course's backprop uses it
        "sigmoid": (A.sigmoid, lambda s, g: g * (1 - g)),
        "tanh": (A.tanh, lambda s, g: 1 - g**2),
        "relu": (A.relu, lambda s, g: A.step(s)),
        "selu": (A.selu, lambda s, g: torch.where(s > 0, A.SELU_LAMBDA + 0 * s,
                                                  g + A.SELU_LAMBDA * A.SELU_ALPHA)),
    }
    curves, errors = {}, {}
    for name, (g_of, dg_of) in closed_form.items():
        x = s.clone().requires_grad_()
        g = g_of(x)
        (dg,) = torch.autograd.grad(g.sum(), x)  # g'(s) by autograd
        g = g.detach()
        err_builtin = (g - A.ACTIVATIONS[name](s)).abs().max().item()
        err_derivative = (dg - dg_of(s, g)).abs().max().item()
        errors[name] = max(err_builtin, err_derivative)
        curves[name] = (g.numpy(), dg.numpy())
        run.log(f"{name:8s} |g - torch| = {err_builtin:.1e}   |g' - closed form| = "
                f"{err_derivative:.1e}")
    run.save_figure(_activations_figure(s.numpy(), curves), "activations")
    worst = max(errors.values())
    return Result(worst < 1e-12, f"largest difference {worst:.1e} over 4 functions",
                  {"max_error": worst, **{f"error_{k}": v for k, v in errors.items()}})


def _activations_figure(s, curves):
    from nnzoo.viz import figure

    fig, axes = figure(1, 4, size=3.0)
    for ax, (name, (g, dg)) in zip(axes[0], curves.items()):
        ax.plot(s, g, lw=2, label="g(s)")
        ax.plot(s, dg, lw=2, ls="--", label="g'(s)")
        ax.axhline(0, color="gray", lw=0.5)
        ax.axvline(0, color="gray", lw=0.5)
        ax.set(title=name, xlabel="s")
        ax.legend(fontsize=8)
    return fig
