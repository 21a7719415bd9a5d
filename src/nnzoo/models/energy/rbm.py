"""The restricted Boltzmann machine: visible units v and hidden units h, connected only
across (the course's "Restricted Boltzmann Machine", 16.7).

    E(v, h) = -(sum_i b_i v_i + sum_j c_j h_j + sum_{i,j} v_i w_ij h_j)

With no visible-visible or hidden-hidden weights, the units of one layer are independent
given the other:

    p(h_j = 1 | v) = sigma(c_j + sum_i v_i w_ij),   p(v_i = 1 | h) = sigma(b_i + sum_j w_ij h_j)

Alternating Gibbs sampling: v_0 -> h_0 ~ p(h | v_0) -> v_1 ~ p(v | h_0) -> h_1 ~ p(h | v_1)
-> ...; run long, (v_k, h_k) is distributed as exp(-E(v, h)) / Z.

The log-likelihood's gradient is <v_i h_j>_data - <v_i h_j>_model; contrastive divergence
CD-k (Hinton 2002; the course's "Quick Contrastive Divergence" is k = 1) takes v_0 = a data
vector as the positive sample and v_k, k steps down the chain, as the negative one:

    Delta w_ij = eta (<v_i^0 p(h_j = 1 | v^0)> - <v_i^k p(h_j = 1 | v^k)>)
    Delta b_i = eta (<v_i^0> - <v_i^k>),   Delta c_j = eta (<p(h_j = 1 | v^0)> - <p(h_j = 1 |
    v^k)>)

(<.> the mean over the mini-batch; the hidden statistics use the probabilities instead of
the sampled h, which has the same expectation and less noise). Persistent CD (Tieleman
2008) starts each negative chain where the last update left it, not at the data.

Free energy: F(v) = -log sum_h e^{-E(v, h)} = -sum_i b_i v_i - sum_j log(1 + e^{c_j +
sum_i v_i w_ij}), so p(v) = e^{-F(v)} / Z. Pseudo-likelihood: sum_i log p(v_i | v_{-i}) =
sum_i log sigma(F(v with v_i flipped) - F(v)), flipped meaning v_i -> 1 - v_i.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from nnzoo.models.energy.states import Stateful, bernoulli
from nnzoo.random import Stream


class RBM(Stateful):
    """A restricted Boltzmann machine with binary units, trained by CD-k or persistent CD.

    Parameters
    ----------
    n_visible, n_hidden : the units.
    lr : eta, the learning rate of each mini-batch's update.
    k : the Gibbs steps of CD-k (1: the course's quick contrastive divergence).
    persistent : persistent CD (one persistent chain per mini-batch row) instead of CD-k.
    batch_size, epochs : mini-batches of `partial_fit` (one epoch) and the epochs of `fit`.
    init_scale : initial weights ~ N(0, init_scale^2), biases 0.
    rng : the stream of the initial weights, the mini-batch order and the sampling.

    Learned attributes
    ------------------
    W_ (D, H) weights w_ij, b_ (D,) visible biases, c_ (H,) hidden biases, chains_ (the
    persistent chains' visible states, persistent CD only), n_epochs_.
    """

    _STATE = ("W_", "b_", "c_", "chains_", "n_epochs_")

    def __init__(self, n_visible: int, n_hidden: int, lr: float = 0.1, k: int = 1,
                 persistent: bool = False, batch_size: int = 10, epochs: int = 10,
                 init_scale: float = 0.01, rng: Stream | int | None = None):
        if n_visible < 1 or n_hidden < 1 or k < 1 or batch_size < 1:
            raise ValueError(f"expected n_visible, n_hidden, k and batch_size >= 1, got "
                             f"{n_visible}, {n_hidden}, {k}, {batch_size}")
        self.n_visible, self.n_hidden, self.lr, self.k = n_visible, n_hidden, lr, k
        self.persistent, self.batch_size, self.epochs = persistent, batch_size, epochs
        self.init_scale, self.rng = init_scale, rng

    def initialize(self, device="cpu", dtype=torch.float32) -> RBM:
        gen = self._generator(torch.device(device))
        self.W_ = self.init_scale * torch.randn(self.n_visible, self.n_hidden, generator=gen,
                                                device=device, dtype=dtype)  # (D, H)
        self.b_ = torch.zeros(self.n_visible, device=device, dtype=dtype)  # (D,)
        self.c_ = torch.zeros(self.n_hidden, device=device, dtype=dtype)  # (H,)
        self.chains_ = torch.zeros(self.batch_size, self.n_visible, device=device, dtype=dtype)
        self.n_epochs_ = 0
        return self

    # ---- the energy and the conditionals
    def energy(self, v: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        """E(v, h) = -(sum_i b_i v_i + sum_j c_j h_j + sum_{i,j} v_i w_ij h_j), (B,)."""
        return -(v @ self.b_ + h @ self.c_ + ((v @ self.W_) * h).sum(-1))

    def free_energy(self, v: torch.Tensor) -> torch.Tensor:
        """F(v) = -sum_i b_i v_i - sum_j log(1 + e^{c_j + sum_i v_i w_ij}), (B,)."""
        return -(v @ self.b_) - F.softplus(v @ self.W_ + self.c_).sum(-1)

    def hidden_probs(self, v: torch.Tensor) -> torch.Tensor:
        return torch.addmm(self.c_, v, self.W_).sigmoid_()  # (B, H) p(h_j = 1 | v)

    def visible_probs(self, h: torch.Tensor) -> torch.Tensor:
        return torch.addmm(self.b_, h, self.W_.T).sigmoid_()  # (B, D) p(v_i = 1 | h)

    def gibbs(self, v: torch.Tensor, steps: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
        """Alternating Gibbs sampling from v_0 = v: h_0 ~ p(h | v_0), v_1 ~ p(v | h_0), ...;
        returns (v_steps, h_steps), h_steps ~ p(h | v_steps)."""
        gen = self._generator(v.device)
        h = bernoulli(self.hidden_probs(v), gen)
        for _ in range(steps):
            v = bernoulli(self.visible_probs(h), gen)
            h = bernoulli(self.hidden_probs(v), gen)
        return v, h

    # ---- learning
    def _phases(self, v0: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """(p(h | v^0), v^k, p(h | v^k)) for the mini-batch v0 (B, D): CD-k's chain starts at
        v0, persistent CD's at the persistent chains (and moves them on)."""
        gen = self._generator(v0.device)
        p0 = self.hidden_probs(v0)  # (B, H) p(h | v^0)
        if self.persistent:
            h = bernoulli(self.hidden_probs(self.chains_[:len(v0)]), gen)
        else:
            h = bernoulli(p0, gen)  # h_0 ~ p(h | v_0)
        for step in range(self.k):
            v = bernoulli(self.visible_probs(h), gen)  # v_{t+1} ~ p(v | h_t)
            pk = self.hidden_probs(v)  # (B, H) p(h | v_{t+1})
            if step < self.k - 1:
                h = bernoulli(pk, gen)
        if self.persistent:
            self.chains_[:len(v0)] = v
        return p0, v, pk

    def gradient(self, v0: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """CD-k's (or persistent CD's) estimates of the log-likelihood's gradient for the
        mini-batch v0 (B, D): (dW (D, H), db (D,), dc (H,), v_k (B, D) the negative sample)."""
        p0, vk, pk = self._phases(v0)
        # <v_i^0 p(h_j | v^0)> - <v_i^k p(h_j | v^k)>
        dW = (v0.T @ p0 - vk.T @ pk) / len(v0)
        return dW, (v0 - vk).mean(0), (p0 - pk).mean(0), vk

    def step(self, v0: torch.Tensor) -> torch.Tensor:
        """One update from the mini-batch v0, in place; returns the negative sample v_k."""
        p0, vk, pk = self._phases(v0)
        a = self.lr / len(v0)
        # Delta w_ij = eta (<v_i^0 p(h_j | v^0)> - <v_i^k p(h_j | v^k)>)
        self.W_.addmm_(v0.T, p0, alpha=a).addmm_(vk.T, pk, alpha=-a)
        # Delta b_i = eta (<v_i^0> - <v_i^k>),  Delta c_j = eta (<p(h_j | v^0)> - <p(h_j | v^k)>)
        self.b_.add_(v0.sum(0) - vk.sum(0), alpha=a)
        self.c_.add_(p0.sum(0) - pk.sum(0), alpha=a)
        return vk

    def partial_fit(self, X) -> RBM:
        """One epoch: the rows of X (N, D) in [0, 1] in a random order, in mini-batches."""
        X = torch.as_tensor(X)
        X = X.float() if not X.is_floating_point() else X
        if not hasattr(self, "W_"):
            self.initialize(X.device, X.dtype)
        gen = self._generator(X.device)
        order = torch.randperm(len(X), generator=gen, device=gen.device).to(X.device)
        for start in range(0, len(X), self.batch_size):
            self.step(X[order[start:start + self.batch_size]])
        self.n_epochs_ += 1
        return self

    def fit(self, X) -> RBM:
        """`epochs` epochs of CD-k (or persistent CD) on the rows of X (N, D) in [0, 1]."""
        X = torch.as_tensor(X)
        self.initialize(X.device, X.dtype if X.is_floating_point() else torch.float32)
        for _ in range(self.epochs):
            self.partial_fit(X)
        return self

    # ---- using it
    def transform(self, X) -> torch.Tensor:
        """The hidden units' probabilities p(h = 1 | v) as features of the rows of X."""
        return self.hidden_probs(torch.as_tensor(X, dtype=self.W_.dtype, device=self.W_.device))

    def reconstruct(self, v: torch.Tensor) -> torch.Tensor:
        """p(v | h) with h ~ p(h | v): one step down the chain and back, in probabilities."""
        return self.visible_probs(bernoulli(self.hidden_probs(v), self._generator(v.device)))

    def sample(self, n: int, steps: int = 1000, start: torch.Tensor | None = None
               ) -> torch.Tensor:
        """n visible samples after `steps` steps of alternating Gibbs sampling from random
        visible vectors (or from `start` (n, D)); returns p(v | h_{steps-1}), the last
        step's visible probabilities (the usual picture of a sample)."""
        device, dtype = self.W_.device, self.W_.dtype
        gen = self._generator(device)
        v = start if start is not None else bernoulli(
            torch.full((n, self.n_visible), 0.5, device=device, dtype=dtype), gen)
        v, h = self.gibbs(v, max(steps - 1, 0))
        return self.visible_probs(bernoulli(self.hidden_probs(v), gen)) if steps else v

    def pseudo_likelihood(self, X, chunk: int = 2**22) -> torch.Tensor:
        """sum_i log p(v_i | v_{-i}) = sum_i log sigma(F(v with v_i -> 1 - v_i) - F(v)) for
        each row v of X (B,), over every unit i (exact; scikit-learn samples one i)."""
        v = torch.as_tensor(X, dtype=self.W_.dtype, device=self.W_.device)
        D, H = self.W_.shape
        out = []
        for s in range(0, len(v), max(1, chunk // (D * H))):
            vb = v[s:s + max(1, chunk // (D * H))]  # (B, D)
            a = vb @ self.W_ + self.c_  # (B, H) c_j + sum_i v_i w_ij
            flip = 1 - 2 * vb  # (B, D) the change of v_i when it flips
            a_flip = a.unsqueeze(1) + flip.unsqueeze(2) * self.W_  # (B, D, H)
            # F(v') - F(v) = -(flip_i b_i) - sum_j [softplus(a'_j) - softplus(a_j)]
            dF = -(flip * self.b_) - (F.softplus(a_flip) - F.softplus(a).unsqueeze(1)).sum(-1)
            out.append(F.logsigmoid(dF).sum(-1))  # (B,)
        return torch.cat(out)
