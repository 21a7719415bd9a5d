"""Experiments, one file per family; importing this package registers them all.

FAMILIES lists the family modules in the course's order, which is the order of
`nnzoo list`, the tour, the report and the README's catalogue.
"""

import importlib

FAMILIES = ("neuron", "backprop", "cnn", "rl")

for _name in FAMILIES:
    importlib.import_module(f"nnzoo.experiments.{_name}")
