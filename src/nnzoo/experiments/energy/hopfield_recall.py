"""hopfield-recall: a Hopfield network of 100 units stores a few letters (drawn on a 10 x 10
grid) by Hebb's rule, w_ij = 1/N sum_p xi_i^p xi_j^p, and recalls each from a copy with a
fifth of its pixels flipped, by asynchronous updates

    x_i <- +1 if sum_j w_ij x_j + b_i > 0,   x_i if = 0,   -1 if < 0,

which never raise the energy E(x) = -(1/2 sum_{i,j} x_i w_ij x_j + sum_i b_i x_i): the run
recomputes E from the state after every single update and checks it, and checks that every
recall ends exactly on the stored letter.

Letters overlap more than random patterns do (their backgrounds agree), so a 100-unit net
holds fewer of them than the 0.138 N random ones of hopfield-capacity; the default stores
three whose overlaps are small (C, H and X: 0, -0.24 and -0.12). With a fourth (Z) some
recalls end in a spurious state: try --letters CHXZ.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.errors import UserError
from nnzoo.registry import PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run


@dataclass
class HopfieldRecallConfig:
    letters: str = "CHX"
    """The letters stored, from A, C, H, T, X, Z (each a 10 x 10 pattern of +-1)."""
    corruption: UnitFloat = 0.2
    """The fraction of a letter's 100 pixels flipped (chosen at random) before recall."""
    trials: PositiveInt = 10
    """Corrupted copies of each letter recalled (each with its own flipped pixels)."""
    max_sweeps: PositiveInt = 20
    """Most sweeps of asynchronous updates through all units (each in a random order)."""

    def __post_init__(self):
        from nnzoo.data.synthetic import LETTERS

        unknown = sorted(set(self.letters) - set(LETTERS))
        if not self.letters or unknown or len(set(self.letters)) != len(self.letters):
            raise UserError(f"expected --letters to be distinct letters from "
                            f"{''.join(LETTERS)}, got {self.letters!r}; e.g. --letters CHX")


@experiment(
    "hopfield-recall", kind="unsupervised", config=HopfieldRecallConfig, seconds=1,
    claim="a Hopfield network stores a few letters by Hebb's rule and recalls each from a "
          "copy with 20% of its pixels flipped; its energy never increases at any single "
          "update",
    expects="with C, H, X stored in 100 units: each of 10 copies of each letter with 20 of "
            "its 100 pixels flipped is recalled exactly, and E(x), recomputed after every "
            "single update, falls at every flip and never rises",
    smoke={"trials": 2, "max_sweeps": 5},
)
def run(cfg: HopfieldRecallConfig, run: Run) -> Result:
    import torch

    from nnzoo.data.synthetic import letters
    from nnzoo.models.energy import Hopfield
    from nnzoo.training.supervised import torch_threads

    xi = torch.as_tensor(letters(cfg.letters), dtype=torch.float64)  # (P, N)
    P, N = xi.shape
    net = Hopfield(N, rng=run.rng("order")).fit(xi)
    # corrupt: trials copies of each letter, round(corruption N) pixels flipped in each
    gen = run.rng("corruption").torch
    starts = xi.repeat_interleave(cfg.trials, 0)  # (P trials, N), letter-major
    n_flip = round(cfg.corruption * N)
    for row in starts:
        row[torch.randperm(N, generator=gen)[:n_flip]] *= -1
    with torch_threads(1):  # 100 units: one thread is fastest
        r = net.recall(starts, max_sweeps=cfg.max_sweeps)
    targets = xi.repeat_interleave(cfg.trials, 0)
    recalled = (r.final == targets).all(1)  # (P trials,)
    dE = r.energies.diff(dim=0)  # (U, B) the change of E at every single update
    never_rises = bool((dE <= 0).all())
    falls_at_flips = bool((dE[r.flipped] < 0).all())
    per_letter = recalled.reshape(P, cfg.trials).sum(1).tolist()
    for name, k in zip(cfg.letters, per_letter):
        run.log(f"{name}: {k}/{cfg.trials} recalled from {n_flip} flipped pixels")
    run.log(f"{int(r.flipped.sum())} flips in {len(starts)} recalls of {len(dE)} updates each; "
            f"largest change of E at one update {dE.max().item():+.3g}")
    first = torch.arange(P) * cfg.trials  # the first trial of each letter
    steps = [0, *range(N // 5, N + 1, N // 5)]  # the states every fifth of the first sweep
    rows = [[xi[p], *(r.state_after(t)[i] for t in steps), r.final[i]]
            for p, i in enumerate(first.tolist())]
    cols = ["stored", f"{n_flip} flipped", *[f"{t} updates" for t in steps[1:]], "final"]
    from nnzoo.viz.energy import energy_traces, recall_strips

    run.save_figure(recall_strips(rows, (10, 10), cols, list(cfg.letters),
                                  "Hopfield recall, update by update"), "recall")
    sweeps_used = int(r.flipped.reshape(-1, N, len(starts)).any(2).any(1).sum())
    U = (sweeps_used + 1) * N  # the updates until one sweep past the last flip
    run.save_figure(energy_traces(r.energies[:U + 1, first], r.flipped[:U, first],
                                  [f"letter {c}" for c in cfg.letters]), "energy")
    passed = bool(recalled.all()) and never_rises and falls_at_flips
    return Result(passed,
                  f"{int(recalled.sum())}/{len(starts)} corrupted letters recalled exactly; "
                  f"energy {'never rose' if never_rises else 'ROSE'} at any of {len(dE)} x "
                  f"{len(starts)} updates ({int(r.flipped.sum())} flips)",
                  {"recalled": int(recalled.sum()), "recalls": len(starts),
                   "recalled_per_letter": per_letter, "updates": len(dE),
                   "flips": int(r.flipped.sum()), "energy_never_rises": never_rises,
                   "energy_falls_at_every_flip": falls_at_flips,
                   "largest_energy_change": dE.max().item()})
