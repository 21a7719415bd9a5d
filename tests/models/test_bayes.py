import numpy as np
import pytest

from nnzoo.models.bayes import bayes_update, coin_prior, map_weights, weight_decay_descent


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


def test_flip_by_flip_equals_all_at_once():
    grid = np.linspace(0, 1, 51)
    flips = [1, 0, 1, 1, 0, 1, 1]
    post = coin_prior(grid, "fair")
    for f in flips:
        post = bayes_update(post, grid, heads=f, tails=1 - f)
    once = bayes_update(coin_prior(grid, "fair"), grid, heads=5, tails=2)
    np.testing.assert_allclose(post, once, atol=1e-12)


def test_map_weights_worked_example():
    # one weight, phi = x: w_MAP = sum x t / (sum x^2 + lambda)   (ridge regression)
    # x = (1, 2), t = (1, 3), lambda = 1: w = (1 + 6) / (1 + 4 + 1) = 7/6, for any sigma
    Phi, t = np.array([[1.0], [2.0]]), np.array([1.0, 3.0])
    for noise in (0.1, 1.0):
        np.testing.assert_allclose(map_weights(Phi, t, lam=1.0, noise=noise), [7 / 6])


def test_weight_decay_descent_finds_the_map_weights():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(-1, 1, 30))
    t = np.sin(np.pi * x) + 0.3 * rng.standard_normal(30)
    Phi = np.vander(x, 6, increasing=True)
    w, E, steps = weight_decay_descent(Phi, t, lam=0.5)
    np.testing.assert_allclose(w, map_weights(Phi, t, lam=0.5, noise=0.3), atol=1e-6)
    assert np.isfinite(E) and steps < 20000


def test_weight_decay_descent_stops_when_the_error_diverges():
    Phi, t = np.array([[10.0], [20.0]]), np.array([1.0, 3.0])
    w, E, steps = weight_decay_descent(Phi, t, lam=1.0, lr=1.0)
    assert not np.isfinite(E) and steps < 20000
