"""The Boltzmann machine: fully connected 0/1 units with the Hopfield network's energy and
stochastic updates (the course's "Boltzmann Machine", 20.1).

    E(x) = -(sum_{i<j} x_i w_ij x_j + sum_i b_i x_i),   x = (v, h) in {0, 1}^(n_v + n_h)

Update of unit i at temperature T: with Delta E_i = E(x with x_i = 0) - E(x with x_i = 1)
= sum_j w_ij x_j + b_i,

    x_i <- 1 with probability p = 1 / (1 + e^{-Delta E_i / T}), else 0.

Run long enough this visits x with probability exp(-E(x)/T) / Z (Gibbs sampling); lowering
T slowly from a high value (simulated annealing) reaches low-energy states.

Learning (Ackley, Hinton & Sejnowski 1985) raises the log-likelihood of the data vectors v:

    Delta w_ij = eta (<x_i x_j>_clamped - <x_i x_j>_free),   Delta b_i = eta (<x_i>_clamped
                 - <x_i>_free)

with <.>_clamped the statistics while the visible units are held at data vectors and the
hidden ones sampled (the positive phase), <.>_free those of the machine running freely
(the negative phase; here persistent chains, carried over from one update to the next).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from nnzoo.models.energy.states import Stateful, all_states, bernoulli
from nnzoo.random import Stream


def annealing_schedule(T_start: float, T_end: float, sweeps: int) -> list[float]:
    """Temperatures falling geometrically from T_start to T_end over `sweeps` sweeps."""
    if sweeps == 1:
        return [T_end]
    return [T_start * (T_end / T_start) ** (s / (sweeps - 1)) for s in range(sweeps)]


class BoltzmannMachine(Stateful):
    """A Boltzmann machine of n_visible + n_hidden 0/1 units, all connected to all.

    Parameters
    ----------
    n_visible, n_hidden : the units; x = (v, h), visible first.
    lr : eta of the learning rule.
    epochs : updates of the weights made by `fit` (each from the whole data set's statistics).
    sweeps : Gibbs sweeps through the free units in each phase of an update.
    chains : the persistent free-running chains of the negative phase (and the number of
        clamped samples of the positive phase: the data vectors repeated).
    init_scale : initial weights ~ N(0, init_scale^2), symmetric, zero diagonal.
    dtype, device : of the weights.
    rng : the stream of the initial weights and of the sampling.

    Learned attributes
    ------------------
    W_ (n, n) symmetric, zero diagonal; b_ (n,); chains_ (chains, n) the free-running
    chains' states; n_updates_.
    """

    _STATE = ("W_", "b_", "chains_", "n_updates_")

    def __init__(self, n_visible: int, n_hidden: int, lr: float = 0.05, epochs: int = 1000,
                 sweeps: int = 2, chains: int = 200, init_scale: float = 0.01,
                 dtype=torch.float64, device="cpu", rng: Stream | int | None = None):
        if n_visible < 1 or n_hidden < 0:
            raise ValueError(f"expected n_visible >= 1 and n_hidden >= 0, got {n_visible} "
                             f"and {n_hidden}")
        self.n_visible, self.n_hidden, self.n = n_visible, n_hidden, n_visible + n_hidden
        self.lr, self.epochs, self.sweeps, self.chains = lr, epochs, sweeps, chains
        self.init_scale, self.dtype, self.device, self.rng = \
            init_scale, dtype, torch.device(device), rng

    def initialize(self) -> BoltzmannMachine:
        """Small random symmetric weights, zero biases, random chains."""
        gen = self._generator(self.device)
        W = torch.randn(self.n, self.n, generator=gen, dtype=self.dtype, device=self.device)
        W = torch.triu(W * self.init_scale, diagonal=1)
        self.W_ = W + W.T  # (n, n) symmetric, w_ii = 0
        self.b_ = torch.zeros(self.n, dtype=self.dtype, device=self.device)
        half = torch.full((self.chains, self.n), 0.5, dtype=self.dtype, device=self.device)
        self.chains_ = bernoulli(half, gen)  # (C, n)
        self.n_updates_ = 0
        return self

    # ---- the energy and sampling
    def energy(self, x: torch.Tensor) -> torch.Tensor:
        """E(x) = -(sum_{i<j} x_i w_ij x_j + sum_i b_i x_i) = -(1/2 x W x + b x), x (..., n)."""
        return -(0.5 * ((x @ self.W_) * x).sum(-1) + x @ self.b_)

    def gibbs(self, x: torch.Tensor, T: float | Sequence[float] = 1.0, sweeps: int = 1,
              clamped: int = 0) -> torch.Tensor:
        """Sweeps of stochastic updates of the states x (B, n), in place and returned: each
        sweep visits the free units (all but the first `clamped`) in a new random order.
        T: one temperature for all sweeps, or one per sweep (an annealing schedule)."""
        temperatures = [float(T)] * sweeps if isinstance(T, (int, float)) else list(T)
        gen = self._generator(x.device)
        free = self.n - clamped
        for T_s in temperatures:
            order = clamped + torch.randperm(free, generator=gen, device=gen.device)
            u = torch.rand((free, len(x)), generator=gen, device=x.device, dtype=x.dtype)
            for k, i in enumerate(order.tolist()):
                dE = (x * self.W_[i]).sum(1) + self.b_[i]  # (B,) Delta E_i = sum_j w_ij x_j + b_i
                # x_i <- 1 with probability 1 / (1 + e^{-Delta E_i / T})
                x[:, i] = (u[k] < torch.sigmoid(dE / T_s)).to(x.dtype)
        return x

    def sample(self, n: int, sweeps: int = 100, T: float | Sequence[float] = 1.0
               ) -> torch.Tensor:
        """n states (n, n_units) after `sweeps` sweeps from random starts (T: a temperature or
        one per sweep)."""
        gen = self._generator(self.device)
        half = torch.full((n, self.n), 0.5, dtype=self.dtype, device=self.device)
        return self.gibbs(bernoulli(half, gen), T, sweeps)

    # ---- learning
    def gradient(self, V: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """<x_i x_j>_clamped - <x_i x_j>_free and <x_i>_clamped - <x_i>_free: the positive
        phase from the data vectors V (D, n_visible) repeated to `chains` clamped samples,
        the negative from the persistent chains, `sweeps` sweeps each."""
        gen = self._generator(self.device)
        V = V.to(self.device, self.dtype)
        v = V.repeat(math.ceil(self.chains / len(V)), 1)  # (C', n_v)
        h = bernoulli(torch.full((len(v), self.n_hidden), 0.5, dtype=self.dtype,
                                 device=self.device), gen)
        pos = self.gibbs(torch.cat([v, h], 1), sweeps=self.sweeps, clamped=self.n_visible)
        neg = self.gibbs(self.chains_, sweeps=self.sweeps)
        dW = pos.T @ pos / len(pos) - neg.T @ neg / len(neg)  # (n, n)
        dW.fill_diagonal_(0)
        return dW, pos.mean(0) - neg.mean(0)

    def partial_fit(self, V) -> BoltzmannMachine:
        """One update of the weights from the data vectors V (D, n_visible) of 0/1."""
        if not hasattr(self, "W_"):
            self.initialize()
        dW, db = self.gradient(torch.as_tensor(V))
        # Delta w_ij = eta (<x_i x_j>_clamped - <x_i x_j>_free), Delta b_i likewise
        self.W_ += self.lr * dW
        self.b_ += self.lr * db
        self.n_updates_ += 1
        return self

    def fit(self, V) -> BoltzmannMachine:
        """`epochs` updates of the weights from the data vectors V (D, n_visible) of 0/1."""
        self.initialize()
        for _ in range(self.epochs):
            self.partial_fit(V)
        return self

    # ---- exact answers by enumeration (tiny machines)
    def distribution(self, T: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
        """Every state x (2^n, n) and its probability exp(-E(x)/T) / Z."""
        x = all_states(self.n, self.dtype, self.device)
        return x, torch.softmax(-self.energy(x) / T, 0)

    def visible_distribution(self, T: float = 1.0) -> tuple[torch.Tensor, torch.Tensor]:
        """Every visible vector v (2^n_v, n_v) and p(v) = sum_h exp(-E(v, h)/T) / Z."""
        _, p = self.distribution(T)
        p_v = p.reshape(2**self.n_visible, 2**self.n_hidden).sum(1)  # visible bits lead
        return all_states(self.n_visible, self.dtype, self.device), p_v
