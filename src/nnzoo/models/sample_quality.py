"""How good are a generative model's samples? Two measures read through a trained classifier
(here the zoo's own MNIST classifier; with Google's Inception network they are the Inception
score, Salimans et al. 2016, and the Frechet Inception distance, Heusel et al. 2017).

Classifier score: a good sample is recognisably one class (p(y|x) peaked), and the samples
together cover every class (the marginal p(y) = mean over x of p(y|x) flat):

    score = exp( mean_x KL(p(y|x) || p(y)) ),   KL(p || q) = sum_y p_y (log p_y - log q_y)

from 1 (every sample gets the same p(y|x)) to K (each sample certainly one class, the
classes equally often); real MNIST test digits score about 9.9 of 10.

Frechet distance: the distance between two Gaussians fitted to the classifier's penultimate
features (the input of its output layer) of the samples and of real images,

    d^2 = ||mu_1 - mu_2||^2 + Tr(Sigma_1 + Sigma_2 - 2 (Sigma_1 Sigma_2)^{1/2}),

0 for identical statistics; lower is better.

Shapes: N images, K classes, F features.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn


def classifier_score(p: Tensor) -> float:
    """exp(mean_x KL(p(y|x) || p(y))) for the rows p (N, K) of p(y|x) (0 log 0 = 0)."""
    p = p.double()
    p_y = p.mean(dim=0, keepdim=True)  # (1, K): the marginal p(y)
    kl = (torch.xlogy(p, p) - torch.xlogy(p, p_y)).sum(dim=1)  # (N,)
    return float(kl.mean().exp())


def class_shares(p: Tensor) -> list[float]:
    """For the rows p (N, K) of p(y|x): the share of the N samples whose most probable class
    is k, for each k (K numbers summing to 1). A classifier score near K needs each near
    1/K; one class missing shows here as a 0 that the score may hide."""
    top = p.argmax(dim=1)  # (N,)
    return (torch.bincount(top, minlength=p.shape[1]).double() / len(top)).tolist()


def frechet_distance(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray,
                     sigma2: np.ndarray) -> float:
    """||mu1 - mu2||^2 + Tr(Sigma1 + Sigma2 - 2 (Sigma1 Sigma2)^{1/2}) for means (F,) and
    covariances (F, F). Tr (Sigma1 Sigma2)^{1/2} = sum_i sqrt(lambda_i) over the eigenvalues
    of the symmetric S^{1/2} Sigma2 S^{1/2}, S = Sigma1 (it has those of Sigma1 Sigma2): no
    complex square roots of a non-symmetric matrix."""
    mu1, mu2 = np.asarray(mu1, np.float64), np.asarray(mu2, np.float64)
    sigma1, sigma2 = np.asarray(sigma1, np.float64), np.asarray(sigma2, np.float64)
    w, V = np.linalg.eigh(sigma1)
    root1 = (V * np.sqrt(w.clip(min=0))) @ V.T  # Sigma1^{1/2}
    lam = np.linalg.eigvalsh(root1 @ sigma2 @ root1)  # eigenvalues of Sigma1 Sigma2
    tr_root = np.sqrt(lam.clip(min=0)).sum()  # Tr (Sigma1 Sigma2)^{1/2}
    return float(((mu1 - mu2) ** 2).sum() + np.trace(sigma1) + np.trace(sigma2)
                 - 2 * tr_root)


def gaussian_fit(features: Tensor) -> tuple[np.ndarray, np.ndarray]:
    """The mean (F,) and covariance (F, F) (divided by N - 1) of features (N, F)."""
    f = features.double().cpu().numpy()
    return f.mean(axis=0), np.cov(f, rowvar=False)


@torch.no_grad()
def classify_with_features(model: nn.Module, x: Tensor,
                           batch_size: int = 1000) -> tuple[Tensor, Tensor]:
    """A classifier's p(y|x) (N, K) (softmax of its scores) and its penultimate features
    (N, F): the input of its output layer `model.out` (every classifier in nnzoo.models.cnn
    names its output layer so), in evaluation mode."""
    was = model.training
    model.eval()
    seen: list[Tensor] = []
    hook = model.out.register_forward_hook(lambda m, inputs, out: seen.append(inputs[0]))
    try:
        scores = torch.cat([model(x[i:i + batch_size]) for i in range(0, len(x), batch_size)])
    finally:
        hook.remove()
        model.train(was)
    return scores.softmax(dim=1), torch.cat(seen).flatten(1)
