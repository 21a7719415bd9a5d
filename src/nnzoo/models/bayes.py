"""Bayesian learning: Bayes' rule on a grid of hypotheses, and weight decay as a prior.

Bayes' rule turns a prior belief P(h) about a hypothesis h into a posterior after data D:

    P(h | D) = P(D | h) P(h) / P(D),    P(D) = sum_h P(D | h) P(h)

For a coin whose probability of heads is h, D = (heads, tails) has the likelihood
P(D | h) = h^heads (1 - h)^tails; with h on a grid, the posterior is a normalised vector.
Updating flip by flip (yesterday's posterior is today's prior) gives the same posterior as
one update with all the flips.

Weight decay is a Gaussian prior. For targets t = w . phi(x) + noise, noise ~ N(0, sigma^2),
and a prior w ~ N(0, sigma_w^2 I), the log posterior is, up to constants,

    -log P(w | D) = 1/(2 sigma^2) sum (w . phi(x) - t)^2 + 1/(2 sigma_w^2) |w|^2

so minimising E + lambda/2 |w|^2, with E = 1/2 sum (z - t)^2, finds the maximum a
posteriori (MAP) weights of the prior with variance sigma_w^2 = sigma^2 / lambda. For this
linear-Gaussian model the MAP weights are the posterior mean, in closed form:

    w_MAP = (Phi^T Phi / sigma^2 + I / sigma_w^2)^-1 Phi^T t / sigma^2
"""

from __future__ import annotations

import numpy as np
import torch

from nnzoo.nn import sse, weight_decay
from nnzoo.nn.optim import Momentum


def coin_prior(grid: np.ndarray, kind: str) -> np.ndarray:
    """P(h) on the grid: "uniform" (flat), or "fair" (a bump at 1/2 of Beta(20, 20)'s
    shape), normalised."""
    if kind not in ("uniform", "fair"):
        raise ValueError(f"expected a prior 'uniform' or 'fair', got {kind!r}")
    p = np.ones_like(grid) if kind == "uniform" else (grid * (1 - grid)) ** 19
    return p / p.sum()


def bayes_update(prior: np.ndarray, grid: np.ndarray, heads: int, tails: int) -> np.ndarray:
    """P(h|D) = P(D|h) P(h) / P(D), with P(D|h) = h^heads (1 - h)^tails, on a grid."""

    def xlog(n, p):  # n log p, with 0 log 0 = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(n > 0, n * np.log(p), 0.0)

    with np.errstate(divide="ignore"):
        log_post = np.log(prior) + xlog(heads, grid) + xlog(tails, 1 - grid)
    post = np.exp(log_post - log_post.max())
    return post / post.sum()  # dividing by P(D) = sum_h P(D|h) P(h)


def map_weights(Phi: np.ndarray, t: np.ndarray, lam: float, noise: float) -> np.ndarray:
    """The MAP (= posterior mean) weights of t = w . phi(x) + N(0, noise^2) under the prior
    w ~ N(0, noise^2 / lam): the minimum of E + lam/2 |w|^2, solved in closed form."""
    sigma2 = noise**2
    sigma_w2 = sigma2 / lam  # the prior's variance
    # w_MAP = (Phi^T Phi / sigma^2 + I / sigma_w^2)^-1 Phi^T t / sigma^2
    A = Phi.T @ Phi / sigma2 + np.eye(Phi.shape[1]) / sigma_w2  # (D, D)
    return np.linalg.solve(A, Phi.T @ t / sigma2)


def weight_decay_descent(Phi: np.ndarray, t: np.ndarray, lam: float, lr: float = 0.01,
                         alpha: float = 0.9, steps: int = 20000,
                         tol: float = 1e-12) -> tuple[np.ndarray, float, int]:
    """Minimise E + lam/2 |w|^2, E = 1/2 sum (w . phi(x) - t)^2, by gradient descent with
    momentum (nnzoo.nn.optim.Momentum) from w = 0, in float64, until every |dE/dw| < tol
    or `steps` steps. Returns (w, the last error, the steps taken); it stops at once when
    the error is no longer finite (the learning rate is too large for this lam)."""
    P, T = torch.from_numpy(Phi), torch.from_numpy(t)  # (B, D), (B,)
    w = torch.zeros(Phi.shape[1], dtype=torch.float64, requires_grad=True)
    opt = Momentum([w], lr=lr, alpha=alpha)
    for step in range(steps + 1):
        opt.zero_grad()
        E = sse(P @ w, T) + weight_decay([w], lam)  # E = 1/2 sum (z - t)^2 + lam/2 sum w^2
        if not torch.isfinite(E) or step == steps:
            break
        E.backward()
        if w.grad.abs().max() < tol:
            break
        opt.step()  # delta_w <- alpha delta_w - eta dE/dw; w <- w + delta_w
    return w.detach().numpy(), E.item(), step
