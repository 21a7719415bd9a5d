"""What anbn and anbncn share: the options of training many SRNs at once on a counting
language, and what they make of the trained copies (the pictures and the claim's verdict).
No algorithms here; those are nnzoo.training.sequences.learn_counting."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.errors import UserError
from nnzoo.registry import PositiveFloat, PositiveInt
from nnzoo.runs import Result, Run


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


def counting_result(cfg: CountingConfig, run: Run, out: dict, letters: str,
                    shown: tuple[int, ...], language: str) -> Result:
    """The pictures of learn_counting's copies `out` on the language `language` (its
    `letters`: the best copy's hidden path while it reads n in `shown`, when it has 2 or 3
    hidden units; the error curves) and the claim's verdict."""
    from nnzoo.models.recurrent import hidden_paths
    from nnzoo.viz.recurrent import learning_figure, trajectory_figure

    right, reach, best = out["right"], out["reach"], out["best"]
    if cfg.hidden in (2, 3):  # the path through the plane (or cube) of the hidden units
        paths = hidden_paths(out["nets"].copy(best), letters, shown)
        run.save_figure(trajectory_figure(paths, letters, f"hidden state of SRN {best + 1} "
                                          f"while reading {language} (then the next a)"),
                        "hidden_trajectories")
    run.save_figure(learning_figure(out["history"], cfg.copies, f"learning {language}"),
                    "error")
    ok = cfg.holds(int(right.sum()))
    headline = (f"{int(right.sum())}/{cfg.copies} SRNs learned {language} for n <= "
                f"{cfg.train_max}; the best counts right up to n = {int(reach[best])}")
    return Result(ok, headline, {"learned": int(right.sum()), "copies": cfg.copies,
                                 "best_reach": int(reach[best]),
                                 "reach": [int(r) for r in reach],
                                 "final_loss": out["history"].last()["loss"] / cfg.copies})
