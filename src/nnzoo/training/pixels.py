"""Pixel optimisation in a run (texture synthesis, style transfer): the pixels of an image
follow the gradient of a style cost, cut into parts (one snapshot each) that the run
checkpoints with the optimiser, so that a killed run resumes exactly."""

from __future__ import annotations

import math

import torch

from nnzoo.models.style import PixelOptimizer
from nnzoo.training.protocol import TrainingRun


def optimise(cost, x0, run: TrainingRun, *, steps: int, snapshots: int, optimizer: str,
             lr: float | None = None, hint: str, grey: bool = False,
             label: str = "snapshots", prefix: str = "") -> tuple[dict, dict, list[dict]]:
    """`steps` steps of the pixel optimisation of `cost` (a StyleCost) from x0 (of one grey
    channel if `grey`) by `optimizer` ("lbfgs" or "adam", at step size `lr`; None: its
    own), in `snapshots` parts named `label`, its metrics' names after `prefix`; `hint`
    tells the user what to change when the cost diverges. -> (the cost's terms at x0, at
    the final image, the parts' results: {"step", "image" (3, H, W) on the CPU, "terms":
    one dict per step})."""
    pixels = PixelOptimizer(cost.terms, x0, optimizer, lr, grey=grey)
    per = math.ceil(steps / snapshots)
    parts = run.parts(snapshots, label=label, desc="steps", keep={"pixels": pixels})
    for i in parts:
        terms = []
        for step in range(i * per, min(steps, (i + 1) * per)):
            terms.append(pixels.step())
            run.check_loss(terms[-1]["total"], step, hint=hint)
            run.log_metrics(step, **{prefix + k: v for k, v in terms[-1].items()})
        parts.done({"step": min(steps, (i + 1) * per), "image": pixels.image().cpu(),
                    "terms": terms})
    return parts.results[0]["terms"][0], measure(cost, pixels.canvas()), parts.results


def measure(cost, x) -> dict[str, float]:
    """The terms of `cost` (a StyleCost) at image x (1, 3, H, W) or (3, H, W), as numbers."""
    with torch.no_grad():
        return {k: float(v) for k, v in cost.terms(x.reshape(1, *x.shape[-3:])).items()}
