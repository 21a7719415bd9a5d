"""The Hopfield network: Hebbian storage of +-1 patterns and recall by asynchronous updates.

Storage (Hebb's rule, for P patterns xi^p of N units):

    w_ij = 1/N sum_p xi_i^p xi_j^p   (i != j),   w_ii = 0,   b_i = 0

Energy (the course's "Hopfield Network"):

    E(x) = -(1/2 sum_{i,j} x_i w_ij x_j + sum_i b_i x_i)

Recall: start from x and visit the units one at a time (asynchronously); unit i becomes

    x_i <- +1 if sum_j w_ij x_j + b_i > 0,   x_i if it is = 0,   -1 if it is < 0.

A flip of x_i changes the energy by -(x_i' - x_i)(sum_j w_ij x_j + b_i) < 0 (w symmetric,
w_ii = 0), so E never increases and the state settles in a local minimum. Such a net holds
about 0.138 N random patterns (Amit, Gutfreund & Sompolinsky 1985); beyond that the stored
patterns stop being near minima.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from nnzoo.models.energy.states import Stateful
from nnzoo.random import Stream


@dataclass
class Recall:
    """The trajectory of `Hopfield.recall` for a batch of B starting states of N units.

    states: (S + 1, B, N) the start and the state after each of the S sweeps;
    energies: (U + 1, B) E(x) at the start and after every single update (U = S N), each
    computed from the state itself; None when not asked for;
    flipped: (U, B) whether each update flipped its unit; units: (U,) the unit visited;
    converged: (B,) a whole sweep changed nothing; final: (B, N) the last state."""

    states: torch.Tensor
    energies: torch.Tensor | None
    flipped: torch.Tensor
    units: torch.Tensor
    converged: torch.Tensor

    @property
    def final(self) -> torch.Tensor:
        return self.states[-1]

    def state_after(self, t: int) -> torch.Tensor:
        """The states (B, N) after the first t single updates."""
        start = self.states[0]
        flips = torch.zeros_like(start).index_add_(  # (B, N) how often each unit flipped
            1, self.units[:t].to(start.device), self.flipped[:t].T.to(start.dtype))
        return start * (1 - 2 * (flips % 2))


class Hopfield(Stateful):
    """A Hopfield network of n_units +-1 units.

    Parameters
    ----------
    n_units : N, the number of units.
    order : "random" (a new random order of the units each sweep) or "sequential" (0..N-1).
    dtype, device : of the weights (float64: energies exact to the last bit at these sizes).
    rng : the stream of the random update order (a Stream, an int seed or None).

    Learned attributes
    ------------------
    W_ (N, N) Hebbian weights, zero diagonal; b_ (N,) biases (zero); patterns_ (P, N).
    """

    _STATE = ("W_", "b_", "patterns_")

    def __init__(self, n_units: int, order: str = "random", dtype=torch.float64,
                 device="cpu", rng: Stream | int | None = None):
        if n_units < 1:
            raise ValueError(f"expected n_units >= 1, got {n_units}")
        if order not in ("random", "sequential"):
            raise ValueError(f"expected order 'random' or 'sequential', got {order!r}")
        self.n_units, self.order, self.dtype, self.device, self.rng = \
            n_units, order, dtype, torch.device(device), rng

    def _states(self, x) -> torch.Tensor:
        x = torch.as_tensor(x, dtype=self.dtype, device=self.device)
        if x.shape[-1] != self.n_units or not ((x == 1) | (x == -1)).all():
            raise ValueError(f"expected states of {self.n_units} units in {{-1, +1}}, "
                             f"got shape {tuple(x.shape)}")
        return x

    def fit(self, patterns) -> Hopfield:
        """Store the patterns (P, N) of +-1 by Hebb's rule."""
        xi = self._states(patterns).reshape(-1, self.n_units)  # (P, N)
        N = self.n_units
        # w_ij = 1/N sum_p xi_i^p xi_j^p, w_ii = 0
        W = xi.T @ xi / N  # (N, N)
        W.fill_diagonal_(0)
        self.W_, self.b_, self.patterns_ = W, torch.zeros_like(W[0]), xi
        return self

    def energy(self, x) -> torch.Tensor:
        """E(x) = -(1/2 sum_{i,j} x_i w_ij x_j + sum_i b_i x_i), for x of shape (..., N)."""
        x = self._states(x)
        return -(0.5 * ((x @ self.W_) * x).sum(-1) + x @ self.b_)

    def recall(self, x, max_sweeps: int = 20, energies: bool = True) -> Recall:
        """Asynchronous updates of the batch of states x (B, N) (or one state (N,)), sweep
        after sweep through all units, until a sweep changes nothing or after max_sweeps.
        `energies`: record E(x) after every single update (B N^2 work per update)."""
        x = self._states(x).clone()
        x = x.unsqueeze(0) if x.dim() == 1 else x  # (B, N)
        gen = self._generator(torch.device("cpu"))
        W, b = self.W_, self.b_
        states, flipped, units = [x.clone()], [], []
        E = [self.energy(x)] if energies else None
        converged = torch.zeros(len(x), dtype=torch.bool, device=x.device)
        for _ in range(max_sweeps):
            order = torch.randperm(self.n_units, generator=gen) if self.order == "random" \
                else torch.arange(self.n_units)
            changed = torch.zeros_like(converged)
            for i in order.tolist():
                s = x @ W[:, i] + b[i]  # (B,) sum_j w_ij x_j + b_i
                # x_i <- +1 if s > 0, x_i if s = 0, -1 if s < 0
                new = torch.where(s > 0, 1.0, torch.where(s < 0, -1.0, x[:, i])).to(x.dtype)
                flip = new != x[:, i]  # (B,)
                x[:, i] = new
                changed |= flip
                flipped.append(flip)
                units.append(i)
                if energies:
                    E.append(self.energy(x))
            states.append(x.clone())
            converged = ~changed
            if not changed.any():
                break
        return Recall(torch.stack(states), torch.stack(E) if energies else None,
                      torch.stack(flipped), torch.tensor(units), converged)
