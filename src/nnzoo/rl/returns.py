"""The course's models of optimality, and the returns that the agents learn from.

    finite horizon        sum_{i=0}^{h-1} r_{t+i}
    infinite discounted   sum_{i=0}^{inf} gamma^i r_{t+i},   0 <= gamma < 1
    average reward        lim_{h->inf} (1/h) sum_{i=0}^{h-1} r_{t+i}

A recorded episode is finite, so the discounted sum stops at its end and the
average is taken over the rewards there are. `discounted_returns` gives the
discounted return from every step of an episode (REINFORCE), `n_step_returns`
the course's n-step estimate of Q (A2C/A3C).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def finite_horizon_return(rewards: Sequence[float], h: int) -> float:
    """sum_{i=0}^{h-1} r_i: the first h rewards, unweighted."""
    if h < 0:
        raise ValueError(f"the horizon h must be >= 0, got {h}")
    return float(sum(rewards[:h]))


def discounted_return(rewards: Sequence[float], gamma: float) -> float:
    """sum_i gamma^i r_i over the rewards of one episode, 0 <= gamma < 1 (gamma = 1 allowed
    for an episode that ends)."""
    if not 0 <= gamma <= 1:
        raise ValueError(f"gamma must lie in [0, 1], got {gamma}")
    return float(sum(gamma**i * r for i, r in enumerate(rewards)))


def average_reward(rewards: Sequence[float], h: int | None = None) -> float:
    """(1/h) sum_{i=0}^{h-1} r_i, the finite-h estimate of the average reward (h = all)."""
    h = len(rewards) if h is None else h
    if not 0 < h <= len(rewards):
        raise ValueError(f"h must lie in 1..{len(rewards)}, got {h}")
    return float(sum(rewards[:h])) / h


def discounted_returns(rewards: torch.Tensor, gamma: float, reset: bool = False) -> torch.Tensor:
    """G_t = sum_{i>=0} gamma^i r_{t+i} for every step t of one episode, by the recursion
    G_t = r_t + gamma G_{t+1} from the end.  With `reset`, the sum stops at the next
    nonzero reward (G_{t+1} counts as 0 after a step with r_t != 0): in Pong, each point
    is a game of its own, and an action is credited only with the point it played in.
    rewards: (T,) -> (T,)"""
    G = torch.empty_like(rewards)
    running = rewards.new_zeros(())
    for t in range(len(rewards) - 1, -1, -1):
        if reset and rewards[t] != 0:
            running = rewards.new_zeros(())
        running = rewards[t] + gamma * running
        G[t] = running
    return G


def n_step_returns(rewards: torch.Tensor, dones: torch.Tensor, bootstrap: torch.Tensor,
                   gamma: float) -> torch.Tensor:
    """The course's n-step estimate of Q for each step of a rollout of n steps in E envs:

        Q(s_t, a_t) = r_{t+1} + gamma r_{t+2} + ... + gamma^{n-1} r_{t+n} + gamma^n V_u(s_{t+n})

    cut at the end of an episode (dones[t] = 1: no reward and no V after step t).
    rewards, dones: (n, E); bootstrap V_u(s_{t+n}): (E,) -> Q: (n, E)
    """
    Q = torch.empty_like(rewards)
    running = bootstrap
    for t in range(rewards.shape[0] - 1, -1, -1):
        running = rewards[t] + gamma * running * (1 - dones[t])
        Q[t] = running
    return Q
