"""nnzoo.models.gan: each step changes only its own network; the losses are the course's
expressions in stable form; the two generator losses' gradients at hand-picked D outputs."""

import math

import pytest
import torch

from nnzoo.models.gan import (
    GAN,
    Discriminator,
    Generator,
    discriminator_loss,
    generator_loss,
)


def _gan(**kw):
    torch.manual_seed(0)
    return GAN(Generator(latent=4, channels=4, out_shape=(1, 8, 8)),
               Discriminator((1, 8, 8), channels=4), **kw)


def _params(net):
    return [p.detach().clone() for p in net.parameters()]


def _same(before, net):
    return all(torch.equal(a, b) for a, b in zip(before, net.parameters()))


def test_shapes():
    gan = _gan()
    z = gan.z(5, torch.Generator().manual_seed(0))
    x = gan.G(z)
    assert z.shape == (5, 4) and x.shape == (5, 1, 8, 8)
    assert x.abs().max() <= 1  # tanh: grey levels scaled to [-1, 1]
    assert gan.D(x).shape == (5,)
    plain = Discriminator((1, 8, 8), channels=4, hidden=0)  # DCGAN's shape: conv, conv, linear
    assert isinstance(plain.out, torch.nn.Linear) and plain(x).shape == (5,)


def test_dropout_in_D_acts_in_training_only():
    torch.manual_seed(0)
    D = Discriminator((1, 8, 8), channels=4, dropout=0.5)
    x = torch.rand(5, 1, 8, 8) * 2 - 1
    assert not torch.equal(D(x), D(x))  # two different sets of features dropped
    D.eval()
    assert torch.equal(D(x), D(x))
    assert not any(isinstance(m, torch.nn.Dropout) for m in Discriminator((1, 8, 8), 4).modules())
    with pytest.raises(ValueError, match="multiples of 4"):
        Generator(out_shape=(1, 10, 10))


def test_discriminator_step_changes_only_D():
    gan = _gan()
    g = torch.Generator().manual_seed(1)
    G0, D0 = _params(gan.G), _params(gan.D)
    gan.discriminator_step(torch.rand(6, 1, 8, 8) * 2 - 1, gan.z(6, g))
    assert _same(G0, gan.G) and not _same(D0, gan.D)
    assert all(p.grad is None for p in gan.G.parameters())  # no gradient reached theta


@pytest.mark.parametrize("kind", ["non-saturating", "saturating"])
def test_generator_step_changes_only_G(kind):
    gan = _gan(generator_loss=kind)
    g = torch.Generator().manual_seed(2)
    gan.discriminator_step(torch.rand(6, 1, 8, 8) * 2 - 1, gan.z(6, g))  # Adam has state
    G0, D0 = _params(gan.G), _params(gan.D)
    gan.generator_step(gan.z(6, g))
    assert not _same(G0, gan.G) and _same(D0, gan.D)
    assert all(p.grad is None for p in gan.D.parameters())  # D's gradients dropped


def _log_D(gan, x):
    """log D(x) and log(1 - D(x)) for images x, D as it is in training (batch norm on the
    batch), without a gradient: (B,), (B,)."""
    with torch.no_grad():
        a = gan.D(x)
    return torch.log(torch.sigmoid(a)), torch.log(1 - torch.sigmoid(a))


def test_a_discriminator_step_raises_Ds_objective_on_its_batch():
    # the course's ascent: 1/m sum_i [log D(x_i) + log(1 - D(G(z_i)))] rises (one small step)
    gan = _gan(lr=1e-4)
    g = torch.Generator().manual_seed(4)
    x, z = torch.rand(16, 1, 8, 8, generator=g) * 2 - 1, gan.z(16, g)

    def V():
        with torch.no_grad():
            fake = gan.G(z)
        return (_log_D(gan, x)[0] + _log_D(gan, fake)[1]).mean().item()

    before = V()
    E = gan.discriminator_step(x, z)
    assert E == pytest.approx(-before, rel=1e-6)  # it descends minus the objective
    assert V() > before + 1e-5


@pytest.mark.parametrize("kind", ["non-saturating", "saturating"])
def test_a_generator_step_raises_log_D_of_its_images(kind):
    # either loss moves G so that D takes its images for real: 1/m sum_i log D(G(z_i)) rises
    gan = _gan(generator_loss=kind, lr=1e-4)
    g = torch.Generator().manual_seed(5)
    z = gan.z(16, g)

    def log_D_G():
        with torch.no_grad():
            return _log_D(gan, gan.G(z))[0].mean().item()

    before = log_D_G()
    gan.generator_step(z)
    assert log_D_G() > before + 1e-5


def test_train_rounds_takes_k_discriminator_steps_per_generator_step():
    gan = _gan(k=3)
    loss_D, loss_G = gan.train_rounds(torch.rand(20, 1, 8, 8) * 2 - 1, rounds=2, m=4,
                                      rng=torch.Generator().manual_seed(0))
    assert len(loss_D) == 6 and len(loss_G) == 2


def test_discriminator_loss_is_the_course_expression():
    a_real = torch.tensor([2.0, -1.0, 0.3], dtype=torch.float64)
    a_fake = torch.tensor([-0.5, 1.5, 0.0], dtype=torch.float64)
    D_real, D_fake = torch.sigmoid(a_real), torch.sigmoid(a_fake)
    course = (torch.log(D_real) + torch.log(1 - D_fake)).mean()  # ascended by D
    assert discriminator_loss(a_real, a_fake).item() == pytest.approx(-course.item(), rel=1e-12)
    # finite where the direct form is not: D(x) = sigmoid(-800) underflows to 0 in float64
    assert math.isfinite(discriminator_loss(torch.tensor([-800.0]), torch.tensor([800.0])))


def test_generator_losses_are_the_course_expressions():
    a = torch.tensor([-2.0, 0.5, 3.0], dtype=torch.float64)
    D = torch.sigmoid(a)
    assert generator_loss(a, "non-saturating").item() == pytest.approx(
        -torch.log(D).mean().item(), rel=1e-12)
    assert generator_loss(a, "saturating").item() == pytest.approx(
        torch.log(1 - D).mean().item(), rel=1e-12)
    with pytest.raises(ValueError, match="unknown generator loss"):
        generator_loss(a, "wasserstein")


@pytest.mark.parametrize("D_of_Gz", [0.5, 1e-2, 1e-4])
def test_saturating_gradient_vanishes_when_D_rejects(D_of_Gz):
    # d/da of each loss for one image whose logit a gives D(G(z)) = sigmoid(a) = D_of_Gz:
    # non-saturating -(1 - D), saturating -D (by hand: d softplus(u)/du = sigmoid(u))
    a = torch.tensor([math.log(D_of_Gz / (1 - D_of_Gz))], dtype=torch.float64,
                     requires_grad=True)
    (g_ns,) = torch.autograd.grad(generator_loss(a, "non-saturating"), a)
    (g_s,) = torch.autograd.grad(generator_loss(a, "saturating"), a)
    assert g_ns.item() == pytest.approx(-(1 - D_of_Gz), rel=1e-9)
    assert g_s.item() == pytest.approx(-D_of_Gz, rel=1e-9)
    if D_of_Gz < 0.5:  # D rejects G(z): the saturating gradient is the smaller, vanishing
        assert abs(g_s.item()) < 0.011 * abs(g_ns.item())


def test_label_smoothing_is_the_cross_entropy_with_target_s():
    a_real = torch.tensor([2.0, -1.0, 0.3], dtype=torch.float64)
    a_fake = torch.tensor([-0.5, 1.5, 0.0], dtype=torch.float64)
    D_real, D_fake = torch.sigmoid(a_real), torch.sigmoid(a_fake)
    s = 0.9  # by hand: -(1/m sum_i [s log D(x_i) + (1 - s) log(1 - D(x_i)) + log(1 - D(G(z_i)))])
    by_hand = -(s * torch.log(D_real) + (1 - s) * torch.log(1 - D_real)
                + torch.log(1 - D_fake)).mean()
    E = discriminator_loss(a_real, a_fake, real_label=s)
    assert E.item() == pytest.approx(by_hand.item(), rel=1e-12)
    # D's optimum on a real image is D(x) = s: d/da of its term, (sigmoid(a) - s)/m, is 0 there
    a = torch.tensor([math.log(s / (1 - s))], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(discriminator_loss(a, a_fake[:1], real_label=s), a)
    assert abs(g.item()) < 1e-12
    # real_label = 1 is the course's expression exactly
    assert torch.equal(discriminator_loss(a_real, a_fake, 1.0), discriminator_loss(a_real, a_fake))


def test_gan_step_uses_real_label():
    g = torch.Generator().manual_seed(3)
    x = torch.rand(6, 1, 8, 8) * 2 - 1
    plain, smoothed = _gan(), _gan(real_label=0.9)
    z = plain.z(6, g)
    assert plain.discriminator_step(x, z) != smoothed.discriminator_step(x, z)
    with pytest.raises(ValueError, match="real_label"):
        _gan(real_label=0.4)
