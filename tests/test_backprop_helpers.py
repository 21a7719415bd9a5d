import numpy as np
import pytest

from nnzoo.experiments.backprop import bayes_update, coin_prior


def test_bayes_rule_worked_example():
    # hypotheses h in {0, 1/2, 1}, uniform prior, one head:
    # P(D|h) = h, P(D) = (0 + 1/2 + 1)/3 = 1/2, P(h|D) = h (1/3) / (1/2) = (0, 1/3, 2/3)
    grid = np.array([0.0, 0.5, 1.0])
    post = bayes_update(coin_prior(grid, "uniform"), grid, heads=1, tails=0)
    np.testing.assert_allclose(post, [0, 1 / 3, 2 / 3])


def test_data_overcome_the_prior():
    grid = np.linspace(0, 1, 101)
    few = bayes_update(coin_prior(grid, "fair"), grid, heads=8, tails=2)
    many = bayes_update(coin_prior(grid, "fair"), grid, heads=800, tails=200)
    assert grid[few.argmax()] < 0.65  # a strong prior still pulls towards 1/2
    assert grid[many.argmax()] == pytest.approx(0.8, abs=0.011)
