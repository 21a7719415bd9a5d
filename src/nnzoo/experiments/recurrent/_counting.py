"""Declarations shared by anbn and anbncn: the options of training many SRNs at once on a
counting language (no algorithms here; those are nnzoo.models.recurrent.learn_counting)."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.errors import UserError
from nnzoo.registry import PositiveFloat, PositiveInt


@dataclass
class CountingConfig:
    copies: PositiveInt = 16
    """Networks trained at once from different random weights."""
    epochs: PositiveInt = 4000
    """Epochs of full-batch training (backpropagation through time over each string)."""
    lr: PositiveFloat = 0.003
    """Learning rate (Adam)."""
    at_least: PositiveInt = 4
    """The claim: at least this many of the copies learn every training string."""

    def __post_init__(self):
        if self.at_least > self.copies:
            raise UserError(f"expected --at-least at most --copies ({self.copies}), got "
                            f"{self.at_least}; lower --at-least or raise --copies")
