"""Pong from pixels: the preprocessing, the difference input and the policy's P(UP).
(The smoke run and its resume: tests/test_experiments.py.)"""

import gymnasium as gym
import numpy as np
import pytest
import torch

from nnzoo.rl.pong import ACTIONS, PongDifference, PongPolicy, preprocess

BACKGROUND = (144, 72, 17)  # Pong's orange-brown playing field


def synthetic_frame(paddle_top: int = 50) -> np.ndarray:
    """A 210x160 frame: field colour, a score in the top rows, a paddle and a ball."""
    f = np.zeros((210, 160, 3), np.uint8)
    f[:] = BACKGROUND
    f[0:34, 20:40] = (236, 236, 236)  # the score: cropped away
    f[196:, :] = (236, 236, 236)  # the bottom border: cropped away
    f[120:130, 0:10] = (109, 118, 43)  # the other background colour
    f[paddle_top:paddle_top + 16, 140:144] = (92, 186, 92)  # our paddle
    f[100:102, 80:82] = (236, 236, 236)  # the ball
    return f


def expected_picture(paddle_top: int = 50) -> np.ndarray:
    x = np.zeros((80, 80), np.int8)
    rows = [(r - 35) // 2 for r in range(paddle_top, paddle_top + 16) if (r - 35) % 2 == 0]
    x[rows, 70:72] = 1  # every second row and column of the paddle
    x[(100 - 35 + 1) // 2, 40] = 1  # the ball's row 101 and column 80
    return x


def test_preprocess_crops_downsamples_erases_background_and_binarises():
    x = preprocess(synthetic_frame())
    assert x.shape == (80, 80)
    assert set(np.unique(x)) == {0, 1}
    np.testing.assert_array_equal(x, expected_picture())
    assert x.sum() == 8 * 2 + 1  # 8 rows x 2 columns of paddle, one ball pixel


def test_preprocess_rejects_a_frame_of_another_shape():
    with pytest.raises(ValueError, match="210, 160, 3"):
        preprocess(np.zeros((80, 80, 3), np.uint8))


class FakePong(gym.Env):
    """Frames with the paddle moving down 2 rows a step; records the actions it gets."""

    observation_space = gym.spaces.Box(0, 255, (210, 160, 3), np.uint8)
    action_space = gym.spaces.Discrete(6)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.top, self.actions = 50, []
        return synthetic_frame(self.top), {}

    def step(self, a):
        self.top += 2
        self.actions.append(a)
        return synthetic_frame(self.top), 0.0, False, False, {}


def test_the_observation_is_the_difference_of_consecutive_pictures():
    env = PongDifference(FakePong())
    x0, _ = env.reset()
    assert x0.shape == (6400,) and not x0.any()  # no motion before the first step
    x1, *_ = env.step(0)
    x2, *_ = env.step(1)
    np.testing.assert_array_equal(x1, (expected_picture(52) - expected_picture(50)).ravel())
    np.testing.assert_array_equal(x2, (expected_picture(54) - expected_picture(52)).ravel())
    assert x1[x1 != 0].tolist() == [-1, -1, 1, 1]  # top row left, bottom row came
    assert env.unwrapped.actions == [ACTIONS[0], ACTIONS[1]] == [2, 3]  # UP, DOWN


def test_the_policy_outputs_p_up_as_a_sigmoid():
    net = PongPolicy(hidden=5, rng=0)
    x = torch.randn(3, 6400)
    logits = net(x)
    assert logits.shape == (3, 2)
    (h,) = net.hidden(x)
    assert h.shape == (3, 5) and (h >= 0).all()  # ReLU units
    z = h @ net.mlp.layers[1].weight.T  # (3, 1)
    p = torch.softmax(logits, dim=1)
    torch.testing.assert_close(p[:, 0], torch.sigmoid(z[:, 0]))
    assert all(layer.bias is None for layer in net.mlp.layers)
    assert net.input_weights().shape == (5, 6400)
    # Xavier: Var[w] = 2 / (fan_in + fan_out), drawn from the stream
    assert abs(net.input_weights().std().item() / (2 / 6405) ** 0.5 - 1) < 0.05
    assert torch.equal(PongPolicy(5, rng=0).input_weights(), net.input_weights())
