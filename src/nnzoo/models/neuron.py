"""McCulloch & Pitts neurons and the perceptron learning rule.

A single neuron computes

    s = w_1 x_1 + w_2 x_2 + ... + w_0        (w_0 is the bias weight, -threshold)
    output = g(s),   g(s) = 1 if s >= 0 else 0 (the step function)

The perceptron rule adjusts the weights as each input is presented:

    if g(s) = 0 but should be 1:  w_k <- w_k + eta x_k,  w_0 <- w_0 + eta
    if g(s) = 1 but should be 0:  w_k <- w_k - eta x_k,  w_0 <- w_0 - eta
    otherwise the weights are unchanged.

Theorem (Rosenblatt): this learns to classify the data correctly whenever they are
linearly separable. When they are not (XOR), the weights never settle; with the
inputs presented in a fixed order they eventually revisit an earlier state and
repeat the same cycle for ever, which `Perceptron.fit` detects and reports.

Source: the COMP9444 summary, "McCulloch & Pitts Model" and "Perceptron Learning Rule".
These learners are not trained by autograd, so they work on NumPy arrays, in the
scikit-learn style: `fit(X, y) -> self`, learned attributes end in `_`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from nnzoo.random import Stream, as_stream


def step(s: np.ndarray) -> np.ndarray:
    # g(s) = 1 if s >= 0 else 0
    return (np.asarray(s) >= 0).astype(int)


class ThresholdUnit:
    """The McCulloch-Pitts neuron with fixed weights: output g(sum_k w_k x_k + w_0).

    >>> AND = ThresholdUnit([1, 1], -1.5)
    >>> AND([[0, 0], [0, 1], [1, 0], [1, 1]]).tolist()
    [0, 0, 0, 1]
    """

    def __init__(self, weights: ArrayLike, bias: float):
        self.weights = np.asarray(weights, dtype=float)  # (D,)
        self.bias = float(bias)  # w_0

    def net_input(self, X: ArrayLike) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=float))  # (B, D)
        if X.shape[1] != self.weights.shape[0]:
            raise ValueError(f"expected inputs with {self.weights.shape[0]} features, "
                             f"got {X.shape[1]}")
        # s = sum_k w_k x_k + w_0
        return X @ self.weights + self.bias  # (B,)

    def __call__(self, X: ArrayLike) -> np.ndarray:
        return step(self.net_input(X))  # (B,) of 0/1

    def __repr__(self) -> str:
        return f"ThresholdUnit(weights={self.weights.tolist()}, bias={self.bias:g})"


class Perceptron:
    """Rosenblatt's perceptron trained by the perceptron rule, one pattern at a time.

    Parameters
    ----------
    lr : the learning rate eta > 0.
    max_epochs : passes through the data before giving up.
    shuffle : present the patterns in a new random order each epoch (else in order).
    rng : the random stream of the shuffling (a nnzoo.random.Stream, an int seed, or None).

    Learned attributes
    ------------------
    w_ (D,), b_ (the bias weight w_0), converged_ (an epoch passed without a mistake),
    n_epochs_, errors_ (mistakes in each epoch), cycle_ ((first, again): the epochs at
    whose start the weights were the same, proof that they will never converge; None
    when no state repeated, always None with shuffle=True), history_ ((w, b) at the
    start of each epoch and at the end), path_ ((w, b) after every update).
    """

    def __init__(self, lr: float = 1.0, max_epochs: int = 100, shuffle: bool = False,
                 rng: Stream | int | None = None):
        if lr <= 0:
            raise ValueError(f"expected lr > 0, got {lr}")
        if max_epochs < 1:
            raise ValueError(f"expected max_epochs >= 1, got {max_epochs}")
        self.lr, self.max_epochs, self.shuffle, self.rng = lr, max_epochs, shuffle, rng

    def fit(self, X: ArrayLike, y: ArrayLike) -> Perceptron:
        X = np.asarray(X, dtype=float)  # (B, D)
        t = np.asarray(y).astype(int)  # (B,) targets 0/1
        if X.ndim != 2 or t.shape != (X.shape[0],):
            raise ValueError(f"expected X of shape (B, D) and y of shape (B,), "
                             f"got {X.shape} and {t.shape}")
        if not np.isin(t, (0, 1)).all():
            raise ValueError("expected targets y in {0, 1}")
        rng = as_stream(self.rng).numpy
        eta = self.lr
        self.w_, self.b_ = np.zeros(X.shape[1]), 0.0
        self.errors_, self.history_, self.path_, self.cycle_ = [], [], [], None
        self.converged_, seen = False, {}
        for epoch in range(self.max_epochs):
            state = (*self.w_, self.b_)
            self.history_.append((self.w_.copy(), self.b_))
            if not self.shuffle:
                if state in seen:  # same weights, same order: the same epoch again, for ever
                    self.cycle_ = (seen[state], epoch)
                    break
                seen[state] = epoch
            order = rng.permutation(len(X)) if self.shuffle else range(len(X))
            mistakes = 0
            for i in order:
                g = int(self.w_ @ X[i] + self.b_ >= 0)  # g(s), s = w . x + w_0
                if g != t[i]:
                    # output 0, target 1: w_k <- w_k + eta x_k, w_0 <- w_0 + eta
                    # output 1, target 0: w_k <- w_k - eta x_k, w_0 <- w_0 - eta
                    self.w_ += eta * (t[i] - g) * X[i]
                    self.b_ += eta * (t[i] - g)
                    self.path_.append((self.w_.copy(), self.b_))
                    mistakes += 1
            self.errors_.append(mistakes)
            if mistakes == 0:
                self.converged_ = True
                break
        self.n_epochs_ = len(self.errors_)
        self.history_.append((self.w_.copy(), self.b_))
        return self

    def predict(self, X: ArrayLike) -> np.ndarray:
        return ThresholdUnit(self.w_, self.b_)(X)


class TwoLayerThresholdNet:
    """Threshold units in two layers: hidden units read the inputs, one unit reads them."""

    def __init__(self, hidden: list[ThresholdUnit], output: ThresholdUnit):
        self.hidden, self.output = list(hidden), output

    def hidden_activations(self, X: ArrayLike) -> np.ndarray:
        return np.column_stack([unit(X) for unit in self.hidden])  # (B, H)

    def __call__(self, X: ArrayLike) -> np.ndarray:
        return self.output(self.hidden_activations(X))  # (B,)


# Logic gates as single McCulloch-Pitts neurons with hand-set weights (w_0 = -threshold).
AND = ThresholdUnit([1, 1], -1.5)
OR = ThresholdUnit([1, 1], -0.5)
NOR = ThresholdUnit([-1, -1], 0.5)
NOT = ThresholdUnit([-1], 0.5)
# XOR is not linearly separable, but x1 XOR x2 = (x1 AND x2) NOR (x1 NOR x2).
XOR = TwoLayerThresholdNet([AND, NOR], NOR)
