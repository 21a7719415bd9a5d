import math

import torch
from torch.distributions import Independent, Normal, kl_divergence

from nnzoo.nn import gaussian_entropy, gaussian_log_density, kl_to_standard_normal


def _params(batch=5, D=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    mu = torch.randn(batch, D, generator=g, dtype=torch.float64)
    log_var = torch.randn(batch, D, generator=g, dtype=torch.float64)  # sigma from ~0.4 to ~2.7
    return mu, log_var


def _q(mu, log_var):
    return Independent(Normal(mu, (0.5 * log_var).exp()), 1)


def test_log_density_equals_torch_distributions():
    mu, log_var = _params()
    x = torch.randn(5, 4, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    torch.testing.assert_close(gaussian_log_density(x, mu, log_var), _q(mu, log_var).log_prob(x))


def test_log_density_by_hand_at_the_mean_of_a_standard_normal():
    # P(0) = 1/sqrt(2 pi) per coordinate: log P = -D/2 log 2 pi
    z = torch.zeros(1, 3, dtype=torch.float64)
    assert gaussian_log_density(z, z, z).item() == -1.5 * math.log(2 * math.pi)


def test_entropy_equals_torch_distributions_and_the_course_up_to_its_constant():
    mu, log_var = _params()
    H = gaussian_entropy(log_var)
    torch.testing.assert_close(H, _q(mu, log_var).entropy())
    # the course's H = sum log sigma_i, plus D/2 (1 + log 2 pi)
    sigma = (0.5 * log_var).exp()
    torch.testing.assert_close(H - sigma.log().sum(-1),
                               torch.full((5,), 2 * (1 + math.log(2 * math.pi)),
                                          dtype=torch.float64))


def test_kl_equals_torch_distributions():
    mu, log_var = _params()
    p = Independent(Normal(torch.zeros_like(mu), torch.ones_like(mu)), 1)
    torch.testing.assert_close(kl_to_standard_normal(mu, log_var),
                               kl_divergence(_q(mu, log_var), p))


def test_kl_is_zero_for_the_standard_normal_itself():
    z = torch.zeros(2, 7)
    assert kl_to_standard_normal(z, z).abs().max().item() == 0.0


def _within_monte_carlo_error(samples, exact):
    """The mean of n samples is within 4 of its standard errors of the exact value. The
    error of the mean is about normal (n = 200,000, central limit theorem), so a correct formula
    fails this with probability about 6e-5; with the fixed generator the test is deterministic.
    The standard errors are below 0.01 nats (asserted), so a wrong term (a missing factor 1/2,
    the constant D/2 (1 + log 2 pi) = 5.7 left out) is far outside the tolerance."""
    mean, se = samples.mean(0), samples.std(0) / math.sqrt(samples.shape[0])
    assert ((mean - exact).abs() <= 4 * se).all(), (mean, exact, se)
    assert (se < 0.01).all()


def test_entropy_and_kl_equal_monte_carlo_estimates():
    # H(q) = E_q[-log q(z)],  D_KL(q || p) = E_q[log q(z) - log p(z)],  z ~ q
    mu, log_var = _params(batch=3, D=4, seed=2)
    g = torch.Generator().manual_seed(3)
    n = 200_000
    z = mu + (0.5 * log_var).exp() * torch.randn(n, *mu.shape, generator=g,
                                                 dtype=torch.float64)  # (n, 3, 4)
    log_q = gaussian_log_density(z, mu, log_var)  # (n, 3)
    log_p = gaussian_log_density(z, torch.zeros_like(mu), torch.zeros_like(log_var))
    _within_monte_carlo_error(-log_q, gaussian_entropy(log_var))
    _within_monte_carlo_error(log_q - log_p, kl_to_standard_normal(mu, log_var))
