"""Exploration: epsilon-greedy and softmax (Boltzmann) selection, and their schedules.

    epsilon-greedy   a random action with probability epsilon, else argmax_a R(a)
    softmax          P(a) = e^{R(a)/T} / sum_b e^{R(b)/T}

R(a) is the agent's current estimate of each action's worth (Q(s, a) or a bandit's mean
reward). A schedule gives epsilon or T as a function of the step, so that a checkpoint
needs only the step count (and the generator's state) to resume exploration exactly.
Single decisions use a NumPy generator: a draw costs 1 us there and 5 us in torch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def softmax_probabilities(R: np.ndarray, T: float) -> np.ndarray:
    """P(a) = e^{R(a)/T} / sum_b e^{R(b)/T} over the last axis.  R: (..., A) -> (..., A)

    Written with the largest R subtracted first: the same P, without overflow."""
    if T <= 0:
        raise ValueError(f"the temperature T must be > 0, got {T}")
    R = np.asarray(R, dtype=float)
    e = np.exp((R - R.max(axis=-1, keepdims=True)) / T)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_action(R: np.ndarray, T: float, rng: np.random.Generator) -> int:
    """An action drawn from the Boltzmann distribution P(a) over R: (A,)."""
    return int(rng.choice(len(R), p=softmax_probabilities(R, T)))


def epsilon_greedy(R: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    """With probability epsilon a uniformly random action, otherwise argmax_a R(a).  R: (A,)"""
    if rng.random() < epsilon:
        return int(rng.integers(len(R)))
    return int(np.argmax(R))


@dataclass(frozen=True)
class LinearSchedule:
    """Goes from `start` to `end` in a straight line over `steps` steps, then stays at `end`."""

    start: float
    end: float
    steps: int

    def __call__(self, t: int) -> float:
        frac = min(t / self.steps, 1.0) if self.steps > 0 else 1.0
        return self.start + frac * (self.end - self.start)
