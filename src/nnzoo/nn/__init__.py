"""The course's equations as functions and modules, each tested against PyTorch."""

from nnzoo.nn.activations import ACTIVATIONS, relu, selu, sigmoid, step, tanh
from nnzoo.nn.gaussian import gaussian_entropy, gaussian_log_density, kl_to_standard_normal
from nnzoo.nn.layers import BatchNorm, Dropout, whole_set_statistics_
from nnzoo.nn.losses import (
    LOSSES,
    cross_entropy,
    log_softmax,
    nll,
    softmax,
    sse,
    weight_decay,
)

__all__ = ["ACTIVATIONS", "LOSSES", "BatchNorm", "Dropout", "cross_entropy", "gaussian_entropy",
           "gaussian_log_density", "kl_to_standard_normal", "log_softmax",
           "nll", "relu", "selu", "sigmoid", "softmax", "sse", "step", "tanh", "weight_decay",
           "whole_set_statistics_"]
