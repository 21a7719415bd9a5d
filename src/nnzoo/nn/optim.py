"""Gradient descent with momentum, exactly as the course writes it.

    delta_w <- alpha delta_w - eta dE/dw
    w       <- w + delta_w

With a constant eta this is torch.optim.SGD(momentum=alpha) in another form:
SGD keeps v = -delta_w / eta and steps w <- w - eta v.
"""

from __future__ import annotations

import torch
from torch import nn


class Momentum(torch.optim.Optimizer):
    """w <- w + delta_w with delta_w <- alpha delta_w - eta dE/dw (alpha = 0: plain descent)."""

    def __init__(self, params, lr: float = 0.1, alpha: float = 0.9):
        if lr <= 0 or not 0 <= alpha < 1:
            raise ValueError(f"expected lr > 0 and 0 <= alpha < 1, got lr={lr}, alpha={alpha}")
        super().__init__(params, {"lr": lr, "alpha": alpha})

    @torch.no_grad()
    def step(self, closure=None):
        loss = None if closure is None else torch.enable_grad()(closure)()
        for group in self.param_groups:
            eta, alpha = group["lr"], group["alpha"]
            for w in group["params"]:
                if w.grad is None:
                    continue
                state = self.state[w]
                if "delta" not in state:
                    state["delta"] = torch.zeros_like(w)
                delta = state["delta"]
                # delta_w <- alpha delta_w - eta dE/dw
                delta.mul_(alpha).sub_(eta * w.grad)
                # w <- w + delta_w
                w.add_(delta)
        return loss


def flatten_parameters(module: nn.Module) -> nn.Parameter:
    """Make every parameter of `module`, and its gradient, a view of one flat tensor and
    return that tensor as a Parameter: the one to give the optimiser. A gradient-norm clip
    or an Adam step is then one operation on one tensor instead of one per layer (the
    cost of small networks is mostly such per-tensor overhead); the module computes as
    before, and its `state_dict` and `load_state_dict` write through to the flat tensor.

    Call it after moving the module to its device. Zero the gradient with
    `flat.grad.zero_()`: `optimizer.zero_grad()` would set `flat.grad` to None and cut
    the layers' gradients off from it."""
    params = list(module.parameters())
    flat = nn.Parameter(torch.cat([p.detach().reshape(-1) for p in params]))
    flat.grad = torch.zeros_like(flat)
    offset = 0
    for p in params:
        n = p.numel()
        p.data = flat.data[offset:offset + n].view_as(p)  # backward accumulates into .grad
        p.grad = flat.grad[offset:offset + n].view_as(p)  # in place: it stays a view
        offset += n
    return flat
