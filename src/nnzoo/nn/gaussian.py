"""The Gaussian of the course and the two quantities a variational autoencoder needs.

    density:   P_{mu,sigma}(x) = 1/(sqrt(2 pi) sigma) exp(-(x - mu)^2 / 2 sigma^2),
               a diagonal (multivariate) Gaussian is the product over coordinates i
    entropy:   H(q) = -integral q log q = sum_i log sigma_i + D/2 (1 + log 2 pi)
               (the course writes the sum of log sigma_i, leaving out the constant)
    KL to N(0, I):  D_KL(q || p) = 1/2 sum_i (mu_i^2 + sigma_i^2 - 1 - log sigma_i^2)

Every function takes the log variance log sigma^2 (what a VAE's encoder outputs, so that
sigma = exp(log_var / 2) stays positive) and sums over the last dimension: for inputs of
shape (..., D) it returns shape (...).
"""

from __future__ import annotations

import math

from torch import Tensor

LOG_2PI = math.log(2 * math.pi)


def gaussian_log_density(x: Tensor, mu: Tensor, log_var: Tensor) -> Tensor:
    """log P_{mu,sigma}(x) of a diagonal Gaussian, summed over the last dimension."""
    # log P = sum_i -1/2 log 2 pi - log sigma_i - (x_i - mu_i)^2 / 2 sigma_i^2
    return -0.5 * (LOG_2PI + log_var + (x - mu) ** 2 / log_var.exp()).sum(-1)


def gaussian_entropy(log_var: Tensor) -> Tensor:
    """H(q) of a diagonal Gaussian with variances exp(log_var): sum log sigma_i plus its
    constant D/2 (1 + log 2 pi). It does not depend on the mean."""
    # H = sum_i log sigma_i + D/2 (1 + log 2 pi),  log sigma_i = log sigma_i^2 / 2
    D = log_var.shape[-1]
    return 0.5 * log_var.sum(-1) + 0.5 * D * (1 + LOG_2PI)


def kl_to_standard_normal(mu: Tensor, log_var: Tensor) -> Tensor:
    """D_KL(q || N(0, I)) for q the diagonal Gaussian N(mu, diag(exp(log_var))), in nats."""
    # D_KL = 1/2 sum_i (mu_i^2 + sigma_i^2 - 1 - log sigma_i^2)
    return 0.5 * (mu**2 + log_var.exp() - 1 - log_var).sum(-1)
