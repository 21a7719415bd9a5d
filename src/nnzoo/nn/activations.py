"""Transfer functions g(s) of the course.

    step:     g(s) = 1 if s >= 0 else 0           (McCulloch & Pitts; not differentiable)
    sigmoid:  g(s) = 1 / (1 + e^-s)
    tanh:     g(s) = (e^s - e^-s) / (e^s + e^-s) = 2 sigmoid(2s) - 1
    relu:     g(s) = max(0, s)
    selu:     g(s) = lambda s for s > 0,  lambda alpha (e^s - 1) otherwise
              with alpha = 1.6733, lambda = 1.0507 (Klambauer et al. 2017)
"""

from __future__ import annotations

import torch
from torch import Tensor

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_LAMBDA = 1.0507009873554804934193349852946


def step(s: Tensor) -> Tensor:
    # g(s) = 1 if s >= 0 else 0
    return (s >= 0).to(s.dtype)


def sigmoid(s: Tensor) -> Tensor:
    # g(s) = 1 / (1 + e^-s)
    return 1.0 / (1.0 + torch.exp(-s))


def tanh(s: Tensor) -> Tensor:
    # g(s) = 2 sigmoid(2s) - 1
    return 2.0 * sigmoid(2.0 * s) - 1.0


def relu(s: Tensor) -> Tensor:
    # g(s) = max(0, s)
    return torch.where(s > 0, s, torch.zeros_like(s))


def selu(s: Tensor) -> Tensor:
    # g(s) = lambda s (s > 0);  lambda alpha (e^s - 1) (s <= 0)
    return SELU_LAMBDA * torch.where(s > 0, s, SELU_ALPHA * torch.expm1(s.clamp(max=0)))


# What models use, by name: PyTorch's built-in kernels (fast, fused backward), proved equal
# to the equations above in tests/nn/test_activations.py.
ACTIVATIONS = {"step": step, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
               "selu": torch.selu}
