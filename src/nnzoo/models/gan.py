"""Generative adversarial networks (Goodfellow et al., 2014), as the course tells them.

A generator G_theta (the artist) maps latent variables z ~ N(0, I) to an image x; a
discriminator D_psi (the critic) maps an image to D_psi(x) in (0, 1), the probability that x
is real. Both are small deep convolutional networks (DCGAN-style, Radford et al., 2016:
strided (transposed) convolutions instead of pooling, batch norm, ReLU in G, leaky ReLU in D,
tanh on G's output, so that images are grey levels scaled to [-1, 1]). They play

    min_theta max_psi  E_{x ~ p_data} [log D(x)] + E_{z ~ p(z)} [log(1 - D(G(z)))]

by alternating k steps of gradient ascent on the discriminator,

    grad_psi 1/m sum_i [log D(x_i) + log(1 - D(G(z_i)))],

with one step on the generator. The generator could descend the same expression,
min_theta 1/m sum_i log(1 - D(G(z_i))) ("saturating"), but when D rejects its images
(D(G(z)) -> 0, as early in training) that gradient vanishes; the course's better choice,
"non-saturating", is gradient ascent on 1/m sum_i log D(G(z_i)), which is steepest there.

D returns the logit a of D(x) = sigmoid(a); each log is then written in its numerically
stable form (softplus(u) = log(1 + e^u), computed without overflow):

    log D(x)     = log sigmoid(a)      = -softplus(-a)
    log(1 - D(x)) = log sigmoid(-a)    = -softplus(a)

Shapes: B images, L latent dimensions, C channels, H x W an image.
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

GeneratorLoss = Literal["non-saturating", "saturating"]
GENERATOR_LOSSES = ("non-saturating", "saturating")


class Generator(nn.Module):
    """G_theta: z (B, L) -> image (B, C, H, W) in [-1, 1]. A linear layer to 2*channels maps
    of H/4 x W/4, then two transposed convolutions (4x4, stride 2), each doubling the size:
    batch norm and ReLU between, tanh at the end. H and W must be multiples of 4."""

    def __init__(self, latent: int = 32, channels: int = 32,
                 out_shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        C, H, W = out_shape
        if H % 4 or W % 4:
            raise ValueError(f"the generator doubles H/4 x W/4 twice: needs images whose "
                             f"sides are multiples of 4, got {H}x{W}")
        self.latent, self.channels, self.out_shape = latent, channels, tuple(out_shape)
        self.fc = nn.Sequential(nn.Linear(latent, 2 * channels * (H // 4) * (W // 4)),
                                nn.Unflatten(1, (2 * channels, H // 4, W // 4)),
                                nn.BatchNorm2d(2 * channels), nn.ReLU())
        self.up = nn.Sequential(
            nn.ConvTranspose2d(2 * channels, channels, 4, stride=2, padding=1),
            nn.BatchNorm2d(channels), nn.ReLU(),
            nn.ConvTranspose2d(channels, C, 4, stride=2, padding=1), nn.Tanh())

    def forward(self, z: Tensor) -> Tensor:
        h = self.fc(z)  # (B, 2C', H/4, W/4)
        return self.up(h)  # (B, C, H, W)


class Discriminator(nn.Module):
    """D_psi: image (B, C, H, W) -> the logit a (B,) of D(x) = sigmoid(a). Two convolutions
    (4x4, stride 2), each halving the size, with leaky ReLU (slope 0.2; batch norm on the
    second), then a fully connected hidden layer of `hidden` units (leaky ReLU) and a linear
    unit; hidden=0 puts the linear unit right after the convolutions (DCGAN's own shape).

    The hidden layer is cheap (at 32 feature maps about half again the arithmetic of D's
    convolutions; a training round takes about a quarter longer) and lets D judge the whole
    digit non-linearly, not only as a weighted sum of local features: on MNIST, G learned to
    draw clearer digits faster against it.
    `dropout` > 0 drops that fraction of D's convolutional features in training (after each
    leaky ReLU), which slows D down and keeps G learning for longer."""

    def __init__(self, in_shape: tuple[int, int, int] = (1, 28, 28), channels: int = 32,
                 hidden: int = 256, dropout: float = 0.0):
        super().__init__()
        C, H, W = in_shape
        self.in_shape, self.channels, self.hidden = tuple(in_shape), channels, hidden
        drop = [nn.Dropout(dropout)] if dropout else []
        self.convs = nn.Sequential(
            nn.Conv2d(C, channels, 4, stride=2, padding=1), nn.LeakyReLU(0.2), *drop,
            nn.Conv2d(channels, 2 * channels, 4, stride=2, padding=1),
            nn.BatchNorm2d(2 * channels), nn.LeakyReLU(0.2), *drop, nn.Flatten())
        features = 2 * channels * (H // 4) * (W // 4)
        self.out = (nn.Sequential(nn.Linear(features, hidden), nn.LeakyReLU(0.2),
                                  nn.Linear(hidden, 1)) if hidden
                    else nn.Linear(features, 1))

    def forward(self, x: Tensor) -> Tensor:
        return self.out(self.convs(x)).squeeze(1)  # (B, C, H, W) -> (B,)


def discriminator_loss(a_real: Tensor, a_fake: Tensor, real_label: float = 1.0) -> Tensor:
    """The negative of the discriminator's objective (descending it = the course's ascent),
    from D's logits on real images a_real and on generated ones a_fake:

        -(1/m sum_i [log D(x_i) + log(1 - D(G(z_i)))])
        = 1/m sum_i [softplus(-a_real_i) + softplus(a_fake_i)]

    With real_label = s < 1 (one-sided label smoothing, Salimans et al. 2016) the real images'
    target is s instead of 1: their term is the cross-entropy -[s log D(x) + (1 - s)
    log(1 - D(x))], so D gains nothing by pushing D(x) past s (its optimum), which keeps
    its logits, and G's gradients, from growing without bound; the fakes' target stays 0."""
    real = real_label * F.softplus(-a_real) + (1 - real_label) * F.softplus(a_real)
    return real.mean() + F.softplus(a_fake).mean()


def generator_loss(a_fake: Tensor, kind: GeneratorLoss = "non-saturating") -> Tensor:
    """What the generator descends, from D's logits on its images a = logit D(G(z)):

    non-saturating  -1/m sum_i log D(G(z_i))        = 1/m sum_i softplus(-a_i)
    saturating       1/m sum_i log(1 - D(G(z_i)))   = -1/m sum_i softplus(a_i)

    d/da of the first is -(1 - D(G(z))): about -1 when D rejects the image; of the second
    -D(G(z)): vanishing as D(G(z)) -> 0."""
    if kind == "non-saturating":
        return F.softplus(-a_fake).mean()
    if kind == "saturating":
        return -F.softplus(a_fake).mean()
    raise ValueError(f"unknown generator loss {kind!r}; expected one of {GENERATOR_LOSSES}")


class GAN(nn.Module):
    """A generator and a discriminator with their optimisers (Adam, lr 2e-4, betas (0.5,
    0.999): DCGAN's), trained by the course's algorithm: `k` discriminator steps, one
    generator step; `real_label` < 1 smooths the real images' labels in D's loss (see
    discriminator_loss). `keep()` is what a run checkpoints to resume training."""

    def __init__(self, G: Generator, D: Discriminator, *, k: int = 1,
                 generator_loss: GeneratorLoss = "non-saturating", lr: float = 2e-4,
                 beta1: float = 0.5, real_label: float = 1.0):
        super().__init__()
        if generator_loss not in GENERATOR_LOSSES:
            raise ValueError(f"unknown generator loss {generator_loss!r}; expected one of "
                             f"{GENERATOR_LOSSES}")
        if not 0.5 < real_label <= 1:
            raise ValueError(f"real_label is the real images' target D(x): expected a value "
                             f"in (0.5, 1], got {real_label}")
        self.G, self.D, self.k, self.generator_loss = G, D, k, generator_loss
        self.real_label = real_label
        self.opt_G = torch.optim.Adam(G.parameters(), lr=lr, betas=(beta1, 0.999))
        self.opt_D = torch.optim.Adam(D.parameters(), lr=lr, betas=(beta1, 0.999))

    def keep(self) -> dict[str, object]:
        return {"G": self.G, "D": self.D, "opt_G": self.opt_G, "opt_D": self.opt_D}

    def z(self, m: int, rng: torch.Generator | None = None) -> Tensor:
        """A minibatch of m latent samples z ~ N(0, I): (m, L)."""
        device = next(self.G.parameters()).device
        return torch.randn(m, self.G.latent, generator=rng).to(device)

    def discriminator_step(self, x: Tensor, z: Tensor) -> float:
        """One step of gradient ascent on psi for real images x (m, C, H, W) and latent
        samples z (m, L); G's weights are not changed (G makes the fakes in training mode, as
        in its own step, so its batch-norm running statistics follow them). -> the loss
        descended (see discriminator_loss)."""
        with torch.no_grad():
            fake = self.G(z)  # (m, C, H, W): no gradient reaches theta
        E = discriminator_loss(self.D(x), self.D(fake), self.real_label)
        self.opt_D.zero_grad(set_to_none=True)
        E.backward()
        self.opt_D.step()
        return E.item()

    def generator_step(self, z: Tensor) -> float:
        """One step on theta by the generator loss at latent samples z (m, L); only G's
        optimiser steps (D's gradients are computed and dropped). -> the loss descended."""
        E = generator_loss(self.D(self.G(z)), self.generator_loss)
        self.opt_G.zero_grad(set_to_none=True)
        E.backward()
        self.opt_G.step()
        self.D.zero_grad(set_to_none=True)
        return E.item()

    def train_rounds(self, X: Tensor, rounds: int, m: int,
                     rng: torch.Generator | None = None) -> tuple[list, list]:
        """`rounds` repetitions of the course's loop over the real images X (N, C, H, W) in
        [-1, 1]: k times (sample m training items and m latent samples, step D), then
        (sample m latent samples, step G). -> (D's losses, G's losses), one per step."""
        self.train()
        losses_D, losses_G = [], []
        for _ in range(rounds):
            for _ in range(self.k):
                idx = torch.randint(len(X), (m,), generator=rng).to(X.device)
                losses_D.append(self.discriminator_step(X[idx], self.z(m, rng)))
            losses_G.append(self.generator_step(self.z(m, rng)))
        return losses_D, losses_G

    @torch.no_grad()
    def sample(self, z: Tensor) -> Tensor:
        """G(z) in evaluation mode (batch norm with its running statistics): (B, C, H, W)."""
        was = self.G.training
        self.G.eval()
        x = self.G(z)
        self.G.train(was)
        return x
