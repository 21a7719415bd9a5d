"""anbncn: an Elman SRN with three hidden units learns to predict the next symbol of
a^n b^n c^n, a language no finite-state machine accepts (nor any context-free grammar).

As in `anbn`, the a's leave n open, and from the first b on everything is fixed: the
remaining b's, the n c's and the next string's a. The network must count the a's, count
down along the b's while counting up again for the c's; the figure shows the hidden state's
path through the cube. How many of the 16 learn is the measurement: 11, 10 and 8 at seeds
0, 1, 2 (not yet measured at other seeds); the claim is a range, 3 to 14, that fails when all
or none learn.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.experiments.recurrent._shared import CountingConfig, counting_result
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class AnbncnConfig(CountingConfig):
    hidden: PositiveInt = 3
    """Hidden (and context) units of the SRN (3: a 3-3-3 network)."""
    train_max: PositiveInt = 8
    """Training strings: a^n b^n c^n for n = 1 .. train_max."""
    test_max: PositiveInt = 30
    """The longest string a^n b^n c^n tried when measuring how far a network generalises."""
    at_least: PositiveInt = 3
    """The claim: at least this many of the copies learn every training string..."""
    at_most: PositiveInt = 14
    """...and at most this many (from some initial weights a network does not learn it)."""


@experiment(
    "anbncn", kind="supervised", config=AnbncnConfig, seconds=20,
    claim="a simple recurrent network with 3 hidden units (3-3-3) can learn to predict "
          "a^n b^n c^n, from the first b on every next symbol right, though from some initial "
          "weights it does not",
    expects="of 16 SRNs trained from different random weights, at least 3 and at most 14 "
            "predict every deterministic symbol (each b after the first, every c, and the next "
            "string's a) right for every n from 1 to 8; the run reports the largest n the best "
            "one reaches",
    smoke={"epochs": 100, "copies": 4, "at_least": 1, "at_most": 4},
)
def run(cfg: AnbncnConfig, run: Run) -> Result:
    from nnzoo.training.sequences import learn_counting

    out = learn_counting("abc", cfg.hidden, cfg.train_max, cfg.copies, cfg.epochs, cfg.lr,
                         cfg.test_max, run)
    # the hidden states' path for n = 2, 4, 6, the error curves, and the claim's verdict
    return counting_result(cfg, run, out, "abc", (2, 4, 6), "a^n b^n c^n")
