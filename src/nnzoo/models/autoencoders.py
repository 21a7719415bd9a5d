"""Autoencoders of the course: the autoencoder with a bottleneck and its regularised forms,
and the variational autoencoder.

Autoencoder: h = sigma(W x + b) (the bottleneck's code), x^ = sigma(V h + c), trained to
reproduce its input, E = sum_pixels -x log x^ - (1 - x) log(1 - x^) per image, plus one of
the course's regularisers, which keep it from copying its input and make the code useful:

    sparse       E + lambda sum_j |h_j|                 (few hidden units active at once)
    dropout      each hidden unit dropped with probability p while training
    contractive  E + lambda ||dh/dx||_F^2 = E + lambda sum_j (h_j (1 - h_j))^2 sum_i W_ji^2
                 (exact for the sigmoid encoder: the code changes little when x does)
    denoising    the input corrupted (a fraction of its pixels set to 0), the target clean

VAE: the encoder (parameters phi) maps an image x to the mean mu and the log variance
log sigma^2 of a diagonal Gaussian q_phi(z|x) over the latent variables z; the decoder
(parameters theta) maps z to the probabilities that each pixel is on, a Bernoulli
p_theta(x|z). Training maximises the course's objective for each image,

    E_{z ~ q_phi(z|x)} [log p_theta(x|z)] - D_KL(q_phi(z|x) || p(z)),   p(z) = N(0, I),

(the evidence lower bound, ELBO) by minimising its negative, estimated with one sample

    loss = -log p_theta(x|z) + D_KL(q || p),   z = mu + sigma * eps,  eps ~ N(0, I)

where -log p_theta(x|z) = sum_pixels -x log y - (1 - x) log(1 - y) is the binary cross
entropy of the decoded y = sigmoid(logits), and the KL term is in closed form
(nnzoo.nn.kl_to_standard_normal). Writing z as mu + sigma * eps (the reparameterisation)
makes the sample a differentiable function of mu and sigma, so backpropagation reaches the
encoder. The cross entropy is a log-likelihood only for binary pixels x in {0, 1}: with grey
levels it still trains, but the negative ELBO is then no bound on -log p(x).

The ELBO's gap to log p(x) is D_KL(q(z|x) || p(z|x)). Importance sampling with q as the
proposal (Burda et al. 2016, the IWAE bound) closes it as k grows:

    log p(x) >= L_k = E[ log 1/k sum_j p(x|z_j) p(z_j) / q(z_j|x) ],   z_1..z_k ~ q(z|x),

L_1 = the ELBO, L_k <= L_{k+1}, and L_k -> log p(x) as k -> infinity (VAE.log_likelihood).

Shapes: B images, D = n_in pixels, H hidden units, L = latent_dim.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from nnzoo.nn import gaussian_log_density, kl_to_standard_normal
from nnzoo.nn.layers import Dropout

REGULARISERS = ("none", "sparse", "dropout", "contractive", "denoising")


class Coded(NamedTuple):
    """An autoencoder's output for B images: the decoder's logits (B, D), the code h (B, H)."""

    logits: Tensor
    h: Tensor


class Autoencoder(nn.Module):
    """n_in -> hidden sigmoid units -> n_in sigmoid outputs, with one regulariser (see the
    module's docstring): `strength` is lambda (sparse, contractive), the dropout probability
    p (dropout) or the fraction of pixels zeroed (denoising). `rng` (a torch.Generator)
    draws the corruption (None: torch's global generator)."""

    def __init__(self, n_in: int = 784, hidden: int = 64, regulariser: str = "none",
                 strength: float = 0.0, rng: torch.Generator | None = None):
        super().__init__()
        if regulariser not in REGULARISERS:
            raise ValueError(f"expected a regulariser among {REGULARISERS}, got {regulariser!r}")
        self.regulariser, self.strength, self.rng = regulariser, strength, rng
        self.enc = nn.Linear(n_in, hidden)  # W, b
        self.dec = nn.Linear(hidden, n_in)  # V, c
        self.drop = Dropout(strength if regulariser == "dropout" else 0.0)

    def input_weights(self) -> Tensor:
        """The model contract: the encoder's weights W, (H, D)."""
        return self.enc.weight

    def code(self, x: Tensor) -> Tensor:
        """h = sigma(W x + b), (B, H)."""
        return torch.sigmoid(self.enc(x.flatten(1)))

    def corrupt(self, x: Tensor) -> Tensor:
        """x with a `strength` fraction of its pixels, chosen at random, set to 0."""
        keep = torch.rand(x.shape, generator=self.rng, device=x.device) >= self.strength
        return x * keep

    def forward(self, x: Tensor) -> Coded:
        x = x.flatten(1)
        if self.training and self.regulariser == "denoising":
            x = self.corrupt(x)  # the target stays the clean x
        h = self.code(x)
        return Coded(self.dec(self.drop(h)), h)

    def contraction(self, h: Tensor) -> Tensor:
        """||dh/dx||_F^2 for each image (B,): dh_j/dx_i = h_j (1 - h_j) W_ji, so the squared
        Frobenius norm is sum_j (h_j (1 - h_j))^2 sum_i W_ji^2."""
        return ((h * (1 - h)) ** 2) @ (self.enc.weight ** 2).sum(dim=1)

    def loss(self, out: Coded, x: Tensor) -> Tensor:
        """The mean over the batch of E (binary cross entropy summed over pixels) plus the
        regulariser's penalty."""
        E = F.binary_cross_entropy_with_logits(out.logits, x.flatten(1), reduction="none")
        E = E.sum(dim=1)  # (B,)
        if self.regulariser == "sparse":
            E = E + self.strength * out.h.abs().sum(dim=1)
        elif self.regulariser == "contractive":
            E = E + self.strength * self.contraction(out.h)
        return E.mean()


class Encoded(NamedTuple):
    """A VAE's output for B images: the decoder's logits (B, D) of one sample z, and
    q(z|x)'s mean and log variance (B, L)."""

    logits: Tensor
    mu: Tensor
    log_var: Tensor


class VAE(nn.Module):
    """PyTorch's VAE example's network: x -> relu(W x + b) (H units) -> mu, log sigma^2 (L
    each); z -> relu (H units) -> D logits of the pixels' Bernoulli probabilities.

    `rng` (a torch.Generator) draws eps of the reparameterisation (None: torch's global
    generator)."""

    def __init__(self, n_in: int = 784, hidden: int = 400, latent_dim: int = 20,
                 rng: torch.Generator | None = None):
        super().__init__()
        self.n_in, self.latent_dim, self.rng = n_in, latent_dim, rng
        self.enc = nn.Linear(n_in, hidden)
        self.mu = nn.Linear(hidden, latent_dim)
        self.log_var = nn.Linear(hidden, latent_dim)
        self.dec = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(),
                                 nn.Linear(hidden, n_in))

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """q(z|x): (mu, log sigma^2), each (B, L), of images x (B, D) or (B, C, H, W)."""
        h = F.relu(self.enc(x.flatten(1)))  # (B, H)
        return self.mu(h), self.log_var(h)

    def sample(self, mu: Tensor, log_var: Tensor) -> Tensor:
        """z = mu + sigma * eps, eps ~ N(0, I): the reparameterised sample (B, L)."""
        eps = torch.randn(mu.shape, generator=self.rng, device=mu.device,
                          dtype=mu.dtype)
        return mu + (0.5 * log_var).exp() * eps  # sigma = exp(log sigma^2 / 2)

    def decode(self, z: Tensor) -> Tensor:
        """The decoder's logits (B, D) for latent points z (B, L); sigmoid gives p(x_i = 1|z)."""
        return self.dec(z)

    def forward(self, x: Tensor) -> Encoded:
        mu, log_var = self.encode(x)
        return Encoded(self.decode(self.sample(mu, log_var)), mu, log_var)

    def log_likelihood(self, x: Tensor, k: int = 100,
                       rng: torch.Generator | None = None) -> Tensor:
        """The importance-sampled estimate of log p(x) for binary images x (B, D) from k
        samples z_j ~ q(z|x), in nats per image (B,): log 1/k sum_j w_j with the weights
        w_j = p(x|z_j) p(z_j) / q(z_j|x). Its expectation is L_k (the module's docstring):
        the ELBO at k = 1, rising towards log p(x) with k. `rng` draws the eps_j (None: the
        model's). Memory grows as k B D: give a few images at a time."""
        x = x.flatten(1)  # (B, D)
        mu, log_var = self.encode(x)  # (B, L) each
        eps = torch.randn((k, *mu.shape), generator=rng or self.rng,
                          device=mu.device, dtype=mu.dtype)  # (k, B, L)
        z = mu + (0.5 * log_var).exp() * eps  # (k, B, L): z_j ~ q(z|x)
        logits = self.decode(z)  # (k, B, D)
        # log p(x|z_j) = -sum_pixels BCE,  log p(z_j) = log N(z_j; 0, I),  log q(z_j|x)
        log_p_x_z = -F.binary_cross_entropy_with_logits(
            logits, x.expand_as(logits), reduction="none").sum(-1)  # (k, B)
        log_p_z = gaussian_log_density(z, torch.zeros_like(z), torch.zeros_like(z))  # (k, B)
        log_q_z = gaussian_log_density(z, mu, log_var)  # (k, B)
        log_w = log_p_x_z + log_p_z - log_q_z  # (k, B)
        # log 1/k sum_j w_j, computed from the log w_j without overflow
        return torch.logsumexp(log_w, dim=0) - math.log(k)  # (B,)

    @staticmethod
    def loss_terms(out: Encoded, x: Tensor) -> tuple[Tensor, Tensor]:
        """(reconstruction, KL), each (B,): -log p(x|z) (binary cross entropy summed over the
        pixels) and D_KL(q(z|x) || N(0, I)), in nats per image."""
        # -log p(x|z) = sum_pixels -x log y - (1 - x) log(1 - y),  y = sigmoid(logits)
        rec = F.binary_cross_entropy_with_logits(out.logits, x.flatten(1),
                                                 reduction="none").sum(-1)
        return rec, kl_to_standard_normal(out.mu, out.log_var)

    @staticmethod
    def loss(out: Encoded, x: Tensor) -> Tensor:
        """The negative ELBO per image, averaged over the batch (nats): -log p(x|z) + KL."""
        rec, kl = VAE.loss_terms(out, x)
        return (rec + kl).mean()
