"""Layers written from the course's equations: dropout and batch normalization."""

from __future__ import annotations

import torch
from torch import Tensor, nn


class Dropout(nn.Module):
    """Each unit is dropped (set to 0) with probability p while training; the survivors
    are scaled by 1/(1 - p) so that every unit's expected value is unchanged, and at
    evaluation the layer passes everything through.

    `kept` is the mask the last training pass drew, (B, H) booleans: row b is the thinned
    network that pattern b went through (None before the first training pass; a pass in
    evaluation mode, or with p = 0, keeps every unit and leaves it as it was)."""

    def __init__(self, p: float = 0.5):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"expected 0 <= p < 1, got {p}")
        self.p = p
        self.kept: Tensor | None = None

    def forward(self, x: Tensor) -> Tensor:
        if not self.training or self.p == 0:
            return x
        keep = torch.rand_like(x) >= self.p  # (B, H) which units survive
        self.kept = keep
        return x * keep / (1.0 - self.p)


class BatchNorm(nn.Module):
    """Batch normalization of each unit k over a mini-batch:

        x^_k = (x_k - Mean[x_k]) / sqrt(Var[x_k] + eps)
        y_k  = beta_k + gamma_k x^_k

    beta and gamma are trained by backprop. For evaluation, Mean and Var are running
    averages of the mini-batch statistics (the variance unbiased), updated as
    running <- (1 - momentum) running + momentum batch, as nn.BatchNorm1d does.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.gamma = nn.Parameter(torch.ones(num_features))
        self.beta = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x: Tensor) -> Tensor:  # x: (B, H)
        if self.training:
            mean = x.mean(dim=0)  # (H,)
            var = x.var(dim=0, unbiased=False)  # (H,)
            with torch.no_grad():
                n = x.shape[0]
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(var * n / max(n - 1, 1), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)  # (B, H)
        return self.beta + self.gamma * x_hat
