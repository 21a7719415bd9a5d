"""anbn: an Elman SRN with two hidden units learns to predict the next symbol of a^n b^n.

Strings a^n b^n follow one another; the network reads one symbol at a time and predicts
the next. While it reads a's it cannot know n, but from the first b on everything is fixed:
the remaining b's and then the next string's a. Getting those right means counting: the
course's picture is the "oscillating solution", where the hidden state steps out along one
path with every a and back along another with every b.

Small SRNs learn this from some initial weights and not others, so the run trains --copies
networks from different random weights at once (nnzoo.nn.copies) and reports how many
learned, and how far beyond the training strings the best one still counts. How many learn
is itself the measurement: at seeds 0-9 (nnzoo sweep anbn --seeds 0-9) 7, 8, 7, 9, 3, 3, 5,
6, 5 and 4 of the 16 learned; the claim is a range around them that fails when all or none
(or only one) learn.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.experiments.recurrent._shared import CountingConfig, counting_result
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class AnbnConfig(CountingConfig):
    hidden: PositiveInt = 2
    """Hidden (and context) units of the SRN (2: the course's 2-2-2 network)."""
    train_max: PositiveInt = 10
    """Training strings: a^n b^n for n = 1 .. train_max."""
    test_max: PositiveInt = 40
    """The longest string a^n b^n tried when measuring how far a network generalises."""
    at_least: PositiveInt = 2
    """The claim: at least this many of the copies learn every training string..."""
    at_most: PositiveInt = 12
    """...and at most this many (from many initial weights a network does not learn it)."""


@experiment(
    "anbn", kind="supervised", config=AnbnConfig, seconds=16,
    claim="a simple recurrent network with 2 hidden units (2-2-2) can learn to predict "
          "a^n b^n, from the first b on every next symbol right, though from many initial "
          "weights it does not",
    expects="of 16 SRNs trained from different random weights, at least 2 and at most 12 "
            "predict every deterministic symbol (each b after the first, and the next string's "
            "a) right for every n from 1 to 10; the run reports the largest n the best one "
            "reaches",
    smoke={"epochs": 100, "copies": 4, "at_least": 1, "at_most": 4},
)
def run(cfg: AnbnConfig, run: Run) -> Result:
    from nnzoo.training.sequences import learn_counting

    out = learn_counting("ab", cfg.hidden, cfg.train_max, cfg.copies, cfg.epochs, cfg.lr,
                         cfg.test_max, run)
    # the hidden states' path for n = 3, 6, 9, the error curves, and the claim's verdict
    return counting_result(cfg, run, out, "ab", (3, 6, 9), "a^n b^n")
