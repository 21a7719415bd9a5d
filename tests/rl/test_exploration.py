import math

import numpy as np
import pytest
import torch

from nnzoo.rl.exploration import (
    LinearSchedule,
    epsilon_greedy,
    softmax_action,
    softmax_probabilities,
)


def test_softmax_probabilities_by_hand():
    # P(a) = e^{R(a)/T} / sum_b e^{R(b)/T}; R = (1, 0), T = 1: e / (e + 1)
    P = softmax_probabilities(np.array([1.0, 0.0]), 1.0)
    assert P[0] == pytest.approx(math.e / (math.e + 1))
    assert P.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("T", [0.1, 1.0, 7.0])
def test_softmax_probabilities_equal_torch(T):
    R = np.random.default_rng(0).normal(size=(5, 4)) * 10
    expected = torch.softmax(torch.from_numpy(R) / T, dim=-1).numpy()
    np.testing.assert_allclose(softmax_probabilities(R, T), expected, rtol=1e-12, atol=1e-15)


def test_temperature_moves_from_greedy_to_uniform():
    R = np.array([1.0, 2.0, 3.0])
    assert softmax_probabilities(R, 0.01)[2] > 0.999
    np.testing.assert_allclose(softmax_probabilities(R, 1e6), 1 / 3, atol=1e-5)
    assert not np.isnan(softmax_probabilities(np.array([1000.0, 0.0]), 0.1)).any()
    with pytest.raises(ValueError):
        softmax_probabilities(R, 0.0)


def test_softmax_action_draws_with_the_probabilities():
    rng, R = np.random.default_rng(1), np.array([0.0, 1.0, 2.0])
    counts = np.bincount([softmax_action(R, 1.0, rng) for _ in range(20000)], minlength=3)
    np.testing.assert_allclose(counts / 20000, softmax_probabilities(R, 1.0), atol=0.015)


def test_epsilon_greedy_frequencies():
    rng, R = np.random.default_rng(2), np.array([0.0, 5.0, 1.0, 2.0])
    counts = np.bincount([epsilon_greedy(R, 0.2, rng) for _ in range(20000)], minlength=4)
    # the greedy action 1 with 1 - epsilon + epsilon/4; each other with epsilon/4
    np.testing.assert_allclose(counts / 20000, [0.05, 0.85, 0.05, 0.05], atol=0.01)
    assert all(epsilon_greedy(R, 0.0, rng) == 1 for _ in range(100))


def test_schedules():
    lin = LinearSchedule(1.0, 0.04, 8000)
    assert lin(0) == 1.0 and lin(4000) == pytest.approx(0.52) and lin(8000) == pytest.approx(0.04)
    assert lin(10**6) == pytest.approx(0.04)
