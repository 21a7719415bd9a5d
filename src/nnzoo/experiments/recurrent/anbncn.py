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

from nnzoo.experiments.recurrent._counting import CountingConfig
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
    from nnzoo.models.recurrent import hidden_paths
    from nnzoo.training.sequences import learn_counting
    from nnzoo.viz.recurrent import learning_figure, trajectory_figure

    out = learn_counting("abc", cfg.hidden, cfg.train_max, cfg.copies, cfg.epochs, cfg.lr,
                         cfg.test_max, run)
    right, reach, best = out["right"], out["reach"], out["best"]
    if cfg.hidden in (2, 3):  # the path through the plane (or cube) of the hidden units
        paths = hidden_paths(out["nets"].copy(best), "abc", (2, 4, 6))
        run.save_figure(trajectory_figure(paths, "abc", f"hidden state of SRN {best + 1} "
                                          "while reading a^n b^n c^n (then the next a)"),
                        "hidden_trajectories")
    run.save_figure(learning_figure(out["history"], cfg.copies, "learning a^n b^n c^n"),
                    "error")
    ok = cfg.holds(int(right.sum()))
    headline = (f"{int(right.sum())}/{cfg.copies} SRNs learned a^n b^n c^n for n <= "
                f"{cfg.train_max}; the best counts right up to n = {int(reach[best])}")
    return Result(ok, headline, {"learned": int(right.sum()), "copies": cfg.copies,
                                 "best_reach": int(reach[best]),
                                 "reach": [int(r) for r in reach],
                                 "final_loss": out["history"].last()["loss"] / cfg.copies})
