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

from nnzoo.models.mlp import MLP
from nnzoo.nn.init import build_uninitialised
from nnzoo.random import Stream, as_stream

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


class PongPolicy(nn.Module):
    """Karpathy's network: 6400 inputs -> `hidden` ReLU units -> z, no biases, Xavier
    initialisation drawn from `rng`; logits (z, 0), so that P(UP) = sigmoid(z)."""

    def __init__(self, hidden: int = 200, rng: Stream | int | None = None):
        super().__init__()
        self.mlp = build_uninitialised(lambda: MLP([SIZE * SIZE, hidden, 1], activation="relu",
                                                   output="linear", bias=False))
        gen = as_stream(rng).torch
        for layer in self.mlp.layers:
            nn.init.xavier_normal_(layer.weight, generator=gen)
        self.up = UpLogit()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.up(self.mlp(x))  # (B, 6400) -> (B, 2)

    def hidden(self, x: torch.Tensor) -> list[torch.Tensor]:
        return self.mlp.hidden(x)  # [(B, H)]

    def input_weights(self) -> torch.Tensor:
        return self.mlp.input_weights()  # (H, 6400)
