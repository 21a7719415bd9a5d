"""Experiments, one file per family; importing this package registers them all."""

from nnzoo.experiments import neuron  # noqa: F401
