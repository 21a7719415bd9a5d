"""Gradient descent with momentum, exactly as the course writes it.

    delta_w <- alpha delta_w - eta dE/dw
    w       <- w + delta_w

With a constant eta this is torch.optim.SGD(momentum=alpha) in another form:
SGD keeps v = -delta_w / eta and steps w <- w - eta v.
"""

from __future__ import annotations

import torch


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
