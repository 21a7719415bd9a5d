import math

import pytest
import torch

from nnzoo.models.autoencoders import VAE, Encoded


def test_reparameterisation_passes_gradients_to_mu_and_sigma():
    vae = VAE(n_in=6, hidden=5, latent_dim=3, rng=torch.Generator().manual_seed(0))
    mu = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    log_var = torch.tensor([[0.0, -1.0, 0.4]], requires_grad=True)
    z = vae.sample(mu, log_var)
    eps = torch.randn(1, 3, generator=torch.Generator().manual_seed(0))  # the same draw
    torch.testing.assert_close(z, mu + (0.5 * log_var).exp() * eps)
    # dz/dmu = 1, dz/dlog sigma^2 = sigma eps / 2
    z.sum().backward()
    torch.testing.assert_close(mu.grad, torch.ones(1, 3))
    torch.testing.assert_close(log_var.grad, 0.5 * (0.5 * log_var).exp().detach() * eps)


def test_the_reparameterised_sample_reaches_the_decoder():
    # the decoder reads z = mu + sigma * eps, not the mean mu: the logits are those of that
    # very sample, and the reconstruction term alone (without the KL, which reaches log
    # sigma^2 in any case) sends a gradient to the encoder's log sigma^2 weights
    vae = VAE(n_in=6, hidden=5, latent_dim=3, rng=torch.Generator().manual_seed(0))
    x = torch.rand(4, 6)
    out = vae(x)
    mu, log_var = vae.encode(x)
    eps = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))  # the same draw
    torch.testing.assert_close(out.logits, vae.decode(mu + (0.5 * log_var).exp() * eps))
    assert (out.logits - vae.decode(mu)).abs().max() > 1e-3
    rec, _ = VAE.loss_terms(out, x)
    rec.sum().backward()
    assert vae.log_var.weight.grad is not None and vae.log_var.weight.grad.abs().sum() > 0


def test_sampling_follows_the_given_generator():
    mu, log_var = torch.zeros(2, 4), torch.zeros(2, 4)
    a = VAE(4, 3, 4, rng=torch.Generator().manual_seed(7)).sample(mu, log_var)
    b = VAE(4, 3, 4, rng=torch.Generator().manual_seed(7)).sample(mu, log_var)
    c = VAE(4, 3, 4, rng=torch.Generator().manual_seed(8)).sample(mu, log_var)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_loss_equals_a_hand_computation():
    # one image of two pixels x = (1, 0), decoded logits (0, log 3): y = (1/2, 3/4)
    #   -log p(x|z) = -log 1/2 - log(1 - 3/4) = log 2 + log 4 = 3 log 2
    # q = N((1, 0), diag(1, e^-2)):  KL = 1/2 [(1 + 1 - 1 - 0) + (0 + e^-2 - 1 + 2)]
    #                                   = 1/2 (2 + e^-2)
    out = Encoded(torch.tensor([[0.0, math.log(3)]]), torch.tensor([[1.0, 0.0]]),
                  torch.tensor([[0.0, -2.0]]))
    x = torch.tensor([[1.0, 0.0]])
    rec, kl = VAE.loss_terms(out, x)
    torch.testing.assert_close(rec, torch.tensor([3 * math.log(2)]))
    torch.testing.assert_close(kl, torch.tensor([0.5 * (2 + math.exp(-2))]))
    # a batch's loss is the mean over its images of reconstruction + KL
    two = Encoded(*(torch.cat([t, torch.zeros_like(t)]) for t in out))
    x2 = torch.cat([x, x])
    both = 3 * math.log(2) + 0.5 * (2 + math.exp(-2)), 2 * math.log(2)  # 2nd: y = (1/2, 1/2)
    torch.testing.assert_close(VAE.loss(two, x2), torch.tensor(sum(both) / 2))


def test_shapes():
    vae = VAE()
    out = vae(torch.rand(3, 1, 28, 28))
    assert out.logits.shape == (3, 784) and out.mu.shape == out.log_var.shape == (3, 20)
    assert vae.decode(torch.zeros(5, 20)).shape == (5, 784)


def test_contractive_penalty_is_the_jacobians_squared_frobenius_norm():
    from nnzoo.models.autoencoders import Autoencoder

    torch.manual_seed(0)
    ae = Autoencoder(6, 4, "contractive", 0.1).double()
    x = torch.rand(3, 6, dtype=torch.float64)
    for b in range(3):
        J = torch.autograd.functional.jacobian(ae.code, x[b:b + 1])[0, :, 0, :]  # (H, D)
        torch.testing.assert_close(ae.contraction(ae.code(x))[b], (J ** 2).sum(),
                                   rtol=1e-12, atol=0)


def test_autoencoder_losses_by_hand():
    from nnzoo.models.autoencoders import Autoencoder

    torch.manual_seed(1)
    x = torch.rand(2, 5, dtype=torch.float64)
    for reg, lam in (("none", 0.0), ("sparse", 0.3), ("contractive", 0.2)):
        ae = Autoencoder(5, 3, reg, lam).double()
        out = ae(x)
        y = torch.sigmoid(out.logits)
        E = -(x * torch.log(y) + (1 - x) * torch.log(1 - y)).sum(dim=1)
        if reg == "sparse":
            E = E + lam * out.h.abs().sum(dim=1)
        if reg == "contractive":
            dh = out.h * (1 - out.h)
            E = E + lam * sum((dh[:, j] ** 2) * (ae.enc.weight[j] ** 2).sum() for j in range(3))
        torch.testing.assert_close(ae.loss(out, x), E.mean(), rtol=1e-10, atol=0)


def test_denoising_corrupts_the_input_of_the_training_forward_pass():
    from nnzoo.models.autoencoders import Autoencoder

    ae = Autoencoder(50, 8, "denoising", 0.3, rng=torch.Generator().manual_seed(3))
    x = torch.rand(4, 50) + 0.1  # no pixel is 0 before the corruption
    out = ae(x)  # training mode
    keep = torch.rand(x.shape, generator=torch.Generator().manual_seed(3)) >= 0.3  # same draw
    torch.testing.assert_close(out.h, ae.code(x * keep))  # the code of the corrupted x
    assert (out.h - ae.code(x)).abs().max() > 1e-3  # not of the clean one
    # the loss compares the output with the clean x the caller gives (fit passes X as target)
    y = torch.sigmoid(out.logits)
    E = -(x * torch.log(y) + (1 - x) * torch.log(1 - y)).sum(dim=1).mean()
    torch.testing.assert_close(ae.loss(out, x), E)


def test_denoising_corrupts_only_while_training_and_dropout_drops_hidden_units():
    from nnzoo.models.autoencoders import Autoencoder

    g = torch.Generator().manual_seed(2)
    ae = Autoencoder(1000, 8, "denoising", 0.3, rng=g)
    x = torch.ones(4, 1000)
    zeroed = (ae.corrupt(x) == 0).float().mean().item()
    assert abs(zeroed - 0.3) < 0.03  # about 30% of 4,000 pixels
    ae.eval()
    torch.testing.assert_close(ae(x).h, ae.code(x))  # evaluation: no corruption
    drop = Autoencoder(10, 50, "dropout", 0.5)
    drop(torch.rand(3, 10))
    assert 0.3 < 1 - drop.drop.kept.float().mean().item() < 0.7
    with pytest.raises(ValueError, match="regulariser"):
        Autoencoder(4, 2, "shrinking")


def _exact(vae, x, z):
    """log p(x) and the ELBO of binary images x (B, 2) of a VAE with one latent dimension,
    by quadrature over the grid z (G,): the integrals the importance sampler estimates."""
    from nnzoo.nn import kl_to_standard_normal

    dz = z[1] - z[0]
    logits = vae.decode(z[:, None])  # (G, D)
    log_p_x_z = -torch.nn.functional.binary_cross_entropy_with_logits(
        logits[:, None, :].expand(-1, len(x), -1), x.expand(len(z), -1, -1),
        reduction="none").sum(-1)  # (G, B)
    log_p_z = -0.5 * (z ** 2 + math.log(2 * math.pi))  # (G,)
    log_p_x = torch.logsumexp(log_p_x_z + log_p_z[:, None], dim=0) + math.log(dz)  # (B,)
    mu, log_var = vae.encode(x)  # (B, 1)
    q = torch.exp(-0.5 * ((z[:, None] - mu[:, 0]) ** 2 / log_var[:, 0].exp()
                          + math.log(2 * math.pi) + log_var[:, 0]))  # (G, B): q(z|x)
    elbo = (q * log_p_x_z).sum(0) * dz - kl_to_standard_normal(mu, log_var)  # (B,)
    return log_p_x, elbo


def test_importance_sampled_log_likelihood_against_the_exact_marginal():
    # a tiny VAE (2 pixels, 1 latent dimension) whose p(x) and ELBO are 1-D integrals
    torch.manual_seed(4)
    vae = VAE(n_in=2, hidden=6, latent_dim=1).double()
    with torch.no_grad():
        for p in vae.dec.parameters():
            p.mul_(3)  # a decoder that depends on z strongly: a posterior far from q
    x = torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=torch.float64)
    z = torch.linspace(-12, 12, 48001, dtype=torch.float64)
    with torch.no_grad():
        log_p_x, elbo = _exact(vae, x, z)
        assert (log_p_x - elbo).min() > 0.02  # the ELBO's gap is there to be closed
        g = torch.Generator().manual_seed(5)
        n = 20000  # independent estimates for each image
        for k in (1, 10):
            L = vae.log_likelihood(x.repeat_interleave(n, 0), k=k, rng=g).view(4, n)
            mean, se = L.mean(1), L.std(1) / math.sqrt(n)
            if k == 1:  # one sample: the ELBO in expectation
                assert ((mean - elbo).abs() < 4 * se + 1e-3).all(), (mean, elbo)
            else:  # more samples: strictly between the ELBO and log p(x)
                assert (mean > elbo + 4 * se).all() and (mean < log_p_x - 4 * se).all()
        many = vae.log_likelihood(x, k=200000, rng=g)
        torch.testing.assert_close(many, log_p_x, atol=5e-3, rtol=0)
