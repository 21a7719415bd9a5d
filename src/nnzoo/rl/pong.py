"""Pong from pixels (Karpathy 2016): the frames, the difference input and the policy network.

A 210x160 RGB frame of Atari Pong becomes an 80x80 picture of 0s and 1s: crop the score
and the borders (rows 35..194), keep every second pixel of the red channel, erase the two
background colours (red 144 and 109) and set everything left (paddles, ball) to 1. The
network sees the difference of two consecutive such pictures, so that it sees motion,
and outputs P(UP); the actions are UP and DOWN only. ale-py bundles the game; it is
imported only when an environment is made.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import torch
from torch import nn

ENV_ID = "ALE/Pong-v5"
SIZE = 80  # the preprocessed picture is SIZE x SIZE
BACKGROUND = (144, 109)  # red values of Pong's two background colours
ACTIONS = (2, 3)  # our action 0 = UP (ALE's RIGHT), 1 = DOWN (ALE's LEFT)


def preprocess(frame: np.ndarray) -> np.ndarray:
    """(210, 160, 3) uint8 frame -> (80, 80) int8 picture: 1 on paddles and ball, 0 elsewhere."""
    if frame.shape != (210, 160, 3):
        raise ValueError(f"expected a (210, 160, 3) Atari frame, got shape {frame.shape}")
    red = frame[35:195:2, ::2, 0]
    return (~np.isin(red, BACKGROUND) & (red != 0)).astype(np.int8)


class PongDifference(gym.Wrapper):
    """Observations: the flattened difference x_t = P(frame_t) - P(frame_{t-1}) (6400 values
    in {-1, 0, 1}; zero at the first step); actions: 0 = UP, 1 = DOWN."""

    def __init__(self, env: gym.Env):
        super().__init__(env)
        self.observation_space = gym.spaces.Box(-1, 1, (SIZE * SIZE,), np.int8)
        self.action_space = gym.spaces.Discrete(len(ACTIONS))
        self.prev = np.zeros((SIZE, SIZE), np.int8)

    def reset(self, **kw):
        frame, info = self.env.reset(**kw)
        self.prev = preprocess(frame)
        return np.zeros(SIZE * SIZE, np.int8), info

    def step(self, action):
        frame, r, terminated, truncated, info = self.env.step(ACTIONS[int(action)])
        cur = preprocess(frame)
        x = (cur - self.prev).reshape(-1)
        self.prev = cur
        return x, r, terminated, truncated, info


def pong_envs(n: int, max_steps: int = 0) -> gym.vector.VectorEnv:
    """n Pong games side by side (ALE's default frameskip 4 and sticky actions 0.25), each
    seen through PongDifference; max_steps > 0 cuts an episode after that many steps."""
    import ale_py

    gym.register_envs(ale_py)
    kw = {"max_episode_steps": max_steps} if max_steps else {}
    return gym.make_vec(ENV_ID, num_envs=n, vectorization_mode="sync",
                        wrappers=[PongDifference], **kw)


class UpLogit(nn.Module):
    """z -> logits (z, 0), so that softmax gives P(UP) = sigmoid(z), P(DOWN) = 1 - P(UP)."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.cat([z, torch.zeros_like(z)], dim=1)


def pong_policy(hidden: int = 200) -> nn.Sequential:
    """Karpathy's network: 6400 inputs -> `hidden` ReLU units -> P(UP), no biases, Xavier
    initialisation."""
    net = nn.Sequential(nn.Linear(SIZE * SIZE, hidden, bias=False), nn.ReLU(),
                        nn.Linear(hidden, 1, bias=False), UpLogit())
    for layer in (net[0], net[2]):
        nn.init.xavier_normal_(layer.weight)
    return net
