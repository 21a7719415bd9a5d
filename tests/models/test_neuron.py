import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnzoo.data.synthetic import separable_points
from nnzoo.models.neuron import AND, NOR, NOT, OR, XOR, Perceptron, ThresholdUnit

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def test_threshold_unit_worked_example():
    # s = 2*1 + (-1)*3 + 0.5 = -0.5 -> 0;  s = 2*2 - 1*1 + 0.5 = 3.5 -> 1;  s = 0 -> 1
    unit = ThresholdUnit([2, -1], 0.5)
    assert unit([[1, 3], [2, 1], [0, 0.5]]).tolist() == [0, 1, 1]
    assert unit.net_input([[1, 3]]).tolist() == [-0.5]


def test_threshold_unit_rejects_wrong_width():
    with pytest.raises(ValueError, match="2 features"):
        ThresholdUnit([1, 1], 0)([[1, 2, 3]])


def test_gates_truth_tables():
    x1, x2 = X[:, 0], X[:, 1]
    assert (AND(X) == (x1 & x2)).all()
    assert (OR(X) == (x1 | x2)).all()
    assert (NOR(X) == 1 - (x1 | x2)).all()
    assert NOT([[0], [1]]).tolist() == [1, 0]
    assert (XOR(X) == (x1 ^ x2)).all()
    # the hidden layer: (x1 AND x2, x1 NOR x2)
    assert XOR.hidden_activations(X).tolist() == [[0, 1], [0, 0], [0, 0], [1, 0]]


def test_perceptron_rule_worked_example_or():
    # Computed by hand, eta = 1, w = 0, w_0 = 0, g(0) = 1, patterns in order:
    # epoch 1: (0,0) g=1 t=0 -> w_0=-1; (0,1) s=-1 g=0 t=1 -> w=(0,1), w_0=0; 2 mistakes
    # epoch 2: (0,0) -> w_0=-1; (1,0) s=-1 -> w=(1,1), w_0=0; 2 mistakes
    # epoch 3: (0,0) -> w_0=-1; 1 mistake.  epoch 4: no mistakes.
    p = Perceptron(lr=1.0).fit(X, [0, 1, 1, 1])
    assert p.path_[0][0].tolist() == [0, 0] and p.path_[0][1] == -1
    assert p.path_[1][0].tolist() == [0, 1] and p.path_[1][1] == 0
    assert p.errors_ == [2, 2, 1, 0]
    assert p.converged_ and p.n_epochs_ == 4
    assert p.w_.tolist() == [1, 1] and p.b_ == -1
    assert p.predict(X).tolist() == [0, 1, 1, 1]


def test_perceptron_rule_is_mistake_driven_by_hand():
    # eta = 0.5, w = (0, 0), w_0 = 0, g(s) = 1 for s >= 0; one epoch, patterns in order:
    #   (2, 1)  t=0: s = 0 -> 1, wrong:   w = -0.5 (2, 1) = (-1, -0.5),    w_0 = -0.5
    #   (1, -1) t=1: s = -1 -> 0, wrong:  w = (-1, -.5) + .5 (1, -1) = (-.5, -1), w_0 = 0
    #   (-1, 3) t=1: s = -2.5 -> 0, wrong: w = (-.5, -1) + .5 (-1, 3) = (-1, .5), w_0 = .5
    #   (0, 2)  t=1: s = 1.5 -> 1, right: no change
    #   (1, 1)  t=0: s = 0 -> 1, wrong:   w = (-1, .5) - .5 (1, 1) = (-1.5, 0), w_0 = 0
    Xs = np.array([[2, 1], [1, -1], [-1, 3], [0, 2], [1, 1]])
    p = Perceptron(lr=0.5, max_epochs=1).fit(Xs, [0, 1, 1, 1, 0])
    path = [(w.tolist(), b) for w, b in p.path_]
    assert path == [([-1.0, -0.5], -0.5), ([-0.5, -1.0], 0.0), ([-1.0, 0.5], 0.5),
                    ([-1.5, 0.0], 0.0)]
    assert p.errors_ == [4] and not p.converged_
    assert p.w_.tolist() == [-1.5, 0.0] and p.b_ == 0.0


def test_learning_rate_only_scales_weights_from_zero():
    a = Perceptron(lr=1.0).fit(X, [0, 0, 0, 1])
    b = Perceptron(lr=0.25).fit(X, [0, 0, 0, 1])
    assert a.errors_ == b.errors_
    np.testing.assert_allclose(b.w_, 0.25 * a.w_)


@pytest.mark.parametrize("t", [[0, 0, 0, 1], [0, 1, 1, 1], [1, 0, 0, 0]])
def test_separable_gates_are_learned(t):
    p = Perceptron().fit(X, t)
    assert p.converged_ and p.predict(X).tolist() == t


def test_xor_is_detected_as_not_separable():
    p = Perceptron(max_epochs=1000).fit(X, [0, 1, 1, 0])
    assert not p.converged_
    first, again = p.cycle_
    assert first < again < 1000
    np.testing.assert_array_equal(p.history_[first][0], p.history_[again][0])
    assert p.history_[first][1] == p.history_[again][1]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), margin=st.floats(0.05, 0.3))
def test_convergence_theorem_mistake_bound(seed, margin):
    # Novikoff: at most R^2 / gamma^2 mistakes, with x~ = (x, 1), R = max |x~|, and
    # gamma = margin / |(w*, b*)| for the true line (|w*| = 1).
    Xs, y, (w, b) = separable_points(60, margin, np.random.default_rng(seed))
    p = Perceptron(max_epochs=10_000).fit(Xs, y)
    R2 = (np.sum(Xs**2, axis=1) + 1).max()
    assert p.converged_ and (p.predict(Xs) == y).all()
    assert sum(p.errors_) <= R2 * (1 + b**2) / margin**2


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="lr > 0"):
        Perceptron(lr=0)
    with pytest.raises(ValueError, match=r"targets y in \{0, 1\}"):
        Perceptron().fit(X, [0, 1, 2, 1])
    with pytest.raises(ValueError, match="shape"):
        Perceptron().fit(X, [0, 1])
