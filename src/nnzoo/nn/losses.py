"""Error functions E of the course.

    sum of squares:  E = 1/2 sum (z - t)^2
    cross entropy:   E = sum -t log(z) - (1 - t) log(1 - z)
                     and for a sigmoid output z = 1/(1 + e^-s):  dE/ds = z - t
    softmax:         Prob(i) = exp(z_i) / sum_j exp(z_j)
                     log Prob(i) = z_i - log sum_j exp(z_j)
    cost:            -log Prob(i) for the correct class i
"""

from __future__ import annotations

import torch
from torch import Tensor


def sse(z: Tensor, t: Tensor) -> Tensor:
    # E = 1/2 sum (z - t)^2
    return 0.5 * ((z - t) ** 2).sum()


def cross_entropy(z: Tensor, t: Tensor) -> Tensor:
    # E = sum -t log(z) - (1 - t) log(1 - z)
    # z is kept off exactly 0 and 1, so that a saturated unit gives a large finite error
    # and a zero gradient instead of inf and NaN (z = 1 exactly once s > 17 in float32).
    return (-t * _log(z) - (1.0 - t) * _log(1.0 - z)).sum()


def _log(x: Tensor) -> Tensor:
    return torch.log(x.clamp(min=TINY))


TINY = 1e-30  # a normal float32; log(TINY) = -69


def log_softmax(z: Tensor, dim: int = -1) -> Tensor:
    # log Prob(i) = z_i - log sum_j exp(z_j); the largest z is taken out first so that
    # exp never overflows: log sum_j exp(z_j) = m + log sum_j exp(z_j - m)
    m = z.max(dim=dim, keepdim=True).values.detach()
    return (z - m) - torch.log(torch.exp(z - m).sum(dim=dim, keepdim=True))


def softmax(z: Tensor, dim: int = -1) -> Tensor:
    # Prob(i) = exp(z_i) / sum_j exp(z_j)
    return torch.exp(log_softmax(z, dim))


def nll(z: Tensor, target: Tensor) -> Tensor:
    """The cost -log Prob(i) of the correct class i, averaged over the batch.
    z: (B, K) network outputs before the softmax; target: (B,) class indices."""
    return -log_softmax(z).gather(1, target[:, None]).mean()  # (B, K) -> (B, 1) -> ()


def weight_decay(params, lam: float) -> Tensor:
    """The penalty lambda/2 sum_j w_j^2, added to E (gradient: lambda w)."""
    return 0.5 * lam * sum((w**2).sum() for w in params)


LOSSES = {"sse": sse, "cross-entropy": cross_entropy}
