"""Declarations shared by anbn and anbncn: the options of training many SRNs at once on a
counting language (no algorithms here; those are nnzoo.training.sequences.learn_counting)."""

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
    """The claim: at least this many of the copies learn every training string..."""
    at_most: PositiveInt = 14
    """...and at most this many (from many initial weights a network does not learn it)."""

    def __post_init__(self):
        if not self.at_least <= self.at_most <= self.copies:
            raise UserError(f"expected --at-least <= --at-most <= --copies, got "
                            f"{self.at_least}, {self.at_most} and {self.copies}")

    def holds(self, learned: int) -> bool:
        """The claim's check: between at_least and at_most of the copies learned."""
        return self.at_least <= learned <= self.at_most
