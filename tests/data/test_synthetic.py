import numpy as np

from nnzoo.data.synthetic import SPIRAL_LIMS, twin_spirals


def test_classic_twin_spirals():
    X, y = twin_spirals()
    assert X.shape == (194, 2) and y.tolist() == [1] * 97 + [0] * 97
    # point i: angle i pi/16, radius 6.5 (104 - i)/104; the second spiral is the first negated
    i = 16
    r, a = 6.5 * (104 - i) / 104, i * np.pi / 16
    np.testing.assert_allclose(X[i], [r * np.sin(a), r * np.cos(a)], atol=1e-6)
    np.testing.assert_allclose(X[97:], -X[:97])
    assert np.hypot(*X[96]) == np.float32(0.5) and np.hypot(*X[0]) == np.float32(6.5)


def test_the_spirals_lie_inside_their_pictures():
    X, _ = twin_spirals()
    lo, hi = SPIRAL_LIMS
    assert lo < X.min() and X.max() < hi


def test_noisy_sine_and_circle_points():
    from nnzoo.data.synthetic import circle_points, noisy_sine

    x, t = noisy_sine(50, 0.0, np.random.default_rng(0))
    assert x.shape == t.shape == (50,) and np.all(np.diff(x) >= 0) and np.abs(x).max() <= 1
    np.testing.assert_allclose(t, np.sin(2 * np.pi * x))  # no noise: the sine itself
    X, y = circle_points(200, 0.1, np.random.default_rng(0))
    r = np.hypot(*X.T)
    assert X.shape == (200, 2) and np.abs(X).max() <= 1 and np.abs(r - 0.6).min() >= 0.1
    assert np.array_equal(y, (r < 0.6).astype(np.float32)) and 0 < y.sum() < 200
