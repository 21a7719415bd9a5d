"""Error functions E of the course, summed over the patterns of a batch.

    sum of squares:  E = 1/2 sum (z - t)^2
    cross entropy:   E = sum -t log(z) - (1 - t) log(1 - z)
                     and for a sigmoid output z = 1/(1 + e^-s):  dE/ds = z - t
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


LOSSES = {"sse": sse, "cross-entropy": cross_entropy}
