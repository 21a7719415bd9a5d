"""Environments through gymnasium, and the greedy evaluation of a policy.

`evaluate` runs n episodes side by side in gymnasium's vectorised form of the
environment when it has one (CartPole's is plain NumPy), so that a policy network
sees the n observations as one batch; each environment's first episode counts.
"""

from __future__ import annotations

from collections.abc import Callable

import gymnasium as gym
import numpy as np

from nnzoo.random import Stream, as_stream

ENVIRONMENTS = ("CartPole-v1", "Acrobot-v1", "MountainCar-v0", "FrozenLake-v1",
                "CliffWalking-v1", "Taxi-v4")


def make_env(env_id: str, **kw) -> gym.Env:
    """gymnasium.make(env_id) for one of the environments nnzoo is tested with."""
    if env_id not in ENVIRONMENTS:
        raise ValueError(f"unknown environment {env_id!r}; nnzoo uses {', '.join(ENVIRONMENTS)}")
    return gym.make(env_id, **kw)


def evaluate(policy: Callable[[np.ndarray], np.ndarray], env_id: str, episodes: int = 10,
             rng: Stream | int | None = None, gamma: float = 1.0, max_steps: int = 100_000):
    """Run `episodes` episodes of `policy` (observations (N, D) -> actions (N,)) side by
    side, the environments seeded from `rng` (an int, or a new stream of
    the same name: the same first states).
    -> returns (N,), discounted returns sum_t gamma^t r_t (N,) and the first observations
    (N, D)"""
    try:
        envs = gym.make_vec(env_id, num_envs=episodes, vectorization_mode="vector_entry_point")
    except (gym.error.Error, ValueError):
        envs = gym.make_vec(env_id, num_envs=episodes, vectorization_mode="sync")
    obs, _ = envs.reset(seed=as_stream(rng).seed())
    first = obs.copy()
    returns, discounted = np.zeros(episodes), np.zeros(episodes)
    running, discount = np.ones(episodes, dtype=bool), 1.0
    for _ in range(max_steps):
        obs, r, terminated, truncated, _ = envs.step(policy(obs))
        returns += r * running  # an env that has ended is reset by gymnasium: ignore it
        discounted += discount * r * running
        discount *= gamma
        running &= ~(terminated | truncated)
        if not running.any():
            break
    envs.close()
    return returns, discounted, first


def env_state(env) -> dict:
    """The state of a NumPy-based environment (its arrays, plain attributes and random
    generator) in types that `torch.load(weights_only=True)` reads, for exact resumes."""
    import torch

    u = env.unwrapped
    return {"arrays": {k: torch.from_numpy(v.copy()) for k, v in vars(u).items()
                       if isinstance(v, np.ndarray)},
            "plain": {k: v for k, v in vars(u).items()
                      if isinstance(v, (bool, int, float, type(None)))},
            "np_random": u.np_random.bit_generator.state}


def set_env_state(env, state: dict) -> None:
    u = env.unwrapped
    for k, v in state["arrays"].items():
        setattr(u, k, v.numpy().copy())
    for k, v in state["plain"].items():
        setattr(u, k, v)
    u.np_random.bit_generator.state = state["np_random"]


def grid_shape(env) -> tuple[int, int]:
    """(rows, columns) of a toy-text grid world (FrozenLake names them nrow and ncol,
    CliffWalking has shape)."""
    u = env.unwrapped
    return (u.nrow, u.ncol) if hasattr(u, "nrow") else tuple(u.shape)
