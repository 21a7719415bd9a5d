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
    fused : `partial_fit` makes its updates through the fused loop `_updates` (the same
        updates in distribution, several times faster at small mini-batches; it draws its
        noise differently, so the numbers differ) instead of the readable `step`.

    Learned attributes
    ------------------
    W_ (D, H) weights w_ij, b_ (D,) visible biases, c_ (H,) hidden biases, chains_ (the
    persistent chains' visible states, persistent CD only), n_epochs_.
    """

    _STATE = ("W_", "b_", "c_", "chains_", "n_epochs_")

    def __init__(self, n_visible: int, n_hidden: int, lr: float = 0.1, k: int = 1,
                 persistent: bool = False, batch_size: int = 10, epochs: int = 10,
                 init_scale: float = 0.01, rng: Stream | int | None = None,
                 fused: bool = False):
        if n_visible < 1 or n_hidden < 1 or k < 1 or batch_size < 1:
            raise ValueError(f"expected n_visible, n_hidden, k and batch_size >= 1, got "
                             f"{n_visible}, {n_hidden}, {k}, {batch_size}")
        self.n_visible, self.n_hidden, self.lr, self.k = n_visible, n_hidden, lr, k
        self.persistent, self.batch_size, self.epochs = persistent, batch_size, epochs
        self.init_scale, self.rng, self.fused = init_scale, rng, fused

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
        if self.persistent and len(v0) > len(self.chains_):
            raise ValueError(f"persistent CD runs {len(self.chains_)} chains (batch_size); got "
                             f"a mini-batch of {len(v0)} rows")
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
        """One update from the mini-batch v0, in place, written as the course writes it;
        returns the negative sample v_k. (`partial_fit` makes its updates with this one, or,
        with fused=True, through `_updates`, which the tests hold to it in distribution.)"""
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
        if not self.fused:
            with torch.inference_mode():
                for i in range(0, len(X), self.batch_size):  # the last may be smaller
                    self.step(X[order[i:i + self.batch_size]])
            self.n_epochs_ += 1
            return self
        whole = len(X) - len(X) % self.batch_size
        if whole:
            self._updates(X, order[:whole], self.batch_size)
        if whole < len(X):  # the last, smaller mini-batch
            self._updates(X, order[whole:], len(X) - whole)
        self.n_epochs_ += 1
        return self

    def _updates(self, X: torch.Tensor, order: torch.Tensor, B: int
                 ) -> tuple[torch.Tensor, torch.Tensor]:
        """CD-k (or persistent CD) on the mini-batches X[order[t B:(t + 1) B]], t = 0, 1, ...
        in turn, each one's update in place: `step`'s updates (the course's), made fast;
        returns the last one's (A, P) below.

        Few, fused tensor operations per mini-batch (at batches of 10 each costs more than its
        arithmetic). The parameters in one matrix theta = [[W, b], [c, 0]] (D+1, H+1): with a
        1 appended to v and h, [v, 1] theta[:, :H] = c + v W, [h, 1] theta[:D]^T = b + h W^T,
        and all three updates are one product: with A = [-[v^0, 1]; [v^k, 1]] (2B, D+1) and
        P = [[p(h | v^0), 1]; [p(h | v^k), 1]] (2B, H+1), summing over the mini-batch,

            -A^T P = [[sum v^0 p0^T - sum v^k pk^T, sum (v^0 - v^k)], [sum (p0 - pk), 0]].

        A unit is sampled as 1 with probability sigma(x) by L < x, L = log(u / (1 - u)) with
        u ~ U(0, 1) (P(L < x) = P(u < sigma(x)) = sigma(x); L is symmetric, so -x < L does
        too): the noise of many mini-batches comes from one call, and sigma is computed only
        for the probabilities the update uses. Persistent CD's chains sit, as [v, 1], in the
        B rows just before each mini-batch's -[v^0, 1], so that one product gives both inputs.
        """
        D, H, k, persistent = self.n_visible, self.n_hidden, self.k, self.persistent
        if persistent and B > len(self.chains_):
            raise ValueError(f"persistent CD runs {len(self.chains_)} chains (batch_size); got a "
                             f"mini-batch of {B} rows")
        W, dev = self.W_, self.W_.device
        gen = self._generator(dev)
        new = dict(dtype=W.dtype, device=dev)
        mm, lt, addmm, rate = torch.mm, torch.lt, torch.addmm, -self.lr / B
        per_batch = B * (2 * (D + 1) + k * (H + D))  # numbers in A and the noise
        chunk = max(1, 2**22 // per_batch)  # mini-batches per call of rand (16 MB in float32)
        with torch.inference_mode():
            theta = torch.zeros(H + 1, D + 1, **new).T  # stored transposed: see the update
            theta[:D, :H], theta[:D, H], theta[D, :H] = W, self.b_, self.c_
            up, left = theta[:, :H], theta[:D].T  # [W; c] (D+1, H), [W^T; b] (H+1, D)
            Y = torch.ones(3 * B, H + 1, **new)  # [-(c + v W) of the chains' v; P]
            P, xc = Y[B:], Y[:B, :H]
            thetaT, PT = theta.T, P.T
            x0, xk, x = P[:B, :H], P[B:, :H], P[:, :H]
            x_in = Y[:2 * B, :H] if persistent else x0  # the first product's output
            h1 = torch.ones(B, H + 1, **new)  # [h, 1]
            h, xv = h1[:, :H], torch.empty(B, D, **new)
            chain = self.chains_[:B] if persistent else None
            for s in range(0, len(order) // B, chunk):
                rows = order[s * B:(s + chunk) * B]
                T = len(rows) // B
                A = torch.ones(B + 2 * T * B, D + 1, **new)  # [chains' [v, 1]; A_1; A_2; ...]
                steps = A[B:].view(T, 2 * B, D + 1)  # A_t = [-[v^0, 1]; [v^k, 1]]
                steps[:, :B, :D] = X[rows].view(T, B, D)
                steps[:, :B].neg_()
                if persistent:
                    A[:B, :D] = chain
                # the noise of each mini-batch's k steps: (L_h_0, ...), (L_v_1, ...)
                Lh = zip(*(n.unbind(0) for n in torch.rand(k, T, B, H, generator=gen,
                                                           **new).logit_()))
                Lv = zip(*(n.unbind(0) for n in torch.rand(k, T, B, D, generator=gen,
                                                           **new).logit_()))
                # its input: -[v^0, 1], or the chains' [v, 1] and -[v^0, 1]
                inputs = A[:-B].view(T, 2 * B, D + 1) if persistent else steps[:, :B]
                for A_t, a_in, ak, vk, lh, lv in zip(
                        steps.unbind(0), inputs.unbind(0), steps[:, B:].unbind(0),
                        steps[:, B:, :D].unbind(0), Lh, Lv):
                    addmm(x_in, a_in, up, beta=0, alpha=-1, out=x_in)  # c + v^0 W (and chains')
                    if persistent:  # h_0 ~ p(h | the chains' v), from xc = -(c + v W)
                        lt(xc, lh[0], out=h)
                    else:  # h_0 ~ p(h | v^0)
                        lt(lh[0], x0, out=h)
                    for j in range(k):
                        lt(lv[j], mm(h1, left, out=xv), out=vk)  # v_j+1 ~ p(v | h_j)
                        mm(ak, up, out=xk)  # c + v_j+1 W
                        if j < k - 1:
                            lt(lh[j + 1], xk, out=h)  # h_j+1 ~ p(h | v_j+1)
                    x.sigmoid_()  # p(h | v^0), p(h | v^k)
                    # W += eta (<v^0 p0^T> - <v^k pk^T>), b and c alike
                    thetaT.addmm_(PT, A_t, alpha=rate)  # theta^T -= eta/B P^T A
                chain = vk
            W.copy_(theta[:D, :H]), self.b_.copy_(theta[:D, H]), self.c_.copy_(theta[D, :H])
            if persistent:
                self.chains_[:B] = chain
        return steps[-1], P

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
