"""The course's equations as functions and modules, each tested against PyTorch."""

from nnzoo.nn.activations import ACTIVATIONS, sigmoid, step, tanh
from nnzoo.nn.losses import LOSSES, cross_entropy, sse

__all__ = ["ACTIVATIONS", "LOSSES", "cross_entropy", "sigmoid", "sse", "step", "tanh"]
