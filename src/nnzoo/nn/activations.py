"""Transfer functions g(s) of the course.

    step:     g(s) = 1 if s >= 0 else 0           (McCulloch & Pitts; not differentiable)
    sigmoid:  g(s) = 1 / (1 + e^-s)
    tanh:     g(s) = (e^s - e^-s) / (e^s + e^-s) = 2 sigmoid(2s) - 1
"""

from __future__ import annotations

import torch
from torch import Tensor


def step(s: Tensor) -> Tensor:
    # g(s) = 1 if s >= 0 else 0
    return (s >= 0).to(s.dtype)


def sigmoid(s: Tensor) -> Tensor:
    # g(s) = 1 / (1 + e^-s)
    return 1.0 / (1.0 + torch.exp(-s))


def tanh(s: Tensor) -> Tensor:
    # g(s) = 2 sigmoid(2s) - 1
    return 2.0 * sigmoid(2.0 * s) - 1.0


# What models use, by name: PyTorch's built-in kernels (fast, fused backward), proved equal
# to the equations above in tests/nn/test_activations.py.
ACTIVATIONS = {"step": step, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
