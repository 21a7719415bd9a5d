import math

import torch

from nnzoo.models.autoencoders import VAE, Encoded


def test_reparameterisation_passes_gradients_to_mu_and_sigma():
    vae = VAE(n_in=6, hidden=5, latent_dim=3, generator=torch.Generator().manual_seed(0))
    mu = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    log_var = torch.tensor([[0.0, -1.0, 0.4]], requires_grad=True)
    z = vae.sample(mu, log_var)
    eps = torch.randn(1, 3, generator=torch.Generator().manual_seed(0))  # the same draw
    torch.testing.assert_close(z, mu + (0.5 * log_var).exp() * eps)
    # dz/dmu = 1, dz/dlog sigma^2 = sigma eps / 2
    z.sum().backward()
    torch.testing.assert_close(mu.grad, torch.ones(1, 3))
    torch.testing.assert_close(log_var.grad, 0.5 * (0.5 * log_var).exp().detach() * eps)
    # and through the whole network: the encoder's weights of both mu and log sigma^2 learn
    vae.loss(vae(torch.rand(4, 6)), torch.rand(4, 6)).backward()
    assert vae.mu.weight.grad.abs().sum() > 0 and vae.log_var.weight.grad.abs().sum() > 0


def test_sampling_follows_the_given_generator():
    mu, log_var = torch.zeros(2, 4), torch.zeros(2, 4)
    a = VAE(4, 3, 4, generator=torch.Generator().manual_seed(7)).sample(mu, log_var)
    b = VAE(4, 3, 4, generator=torch.Generator().manual_seed(7)).sample(mu, log_var)
    c = VAE(4, 3, 4, generator=torch.Generator().manual_seed(8)).sample(mu, log_var)
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
