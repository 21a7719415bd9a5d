"""nnzoo.models.sample_quality: the classifier score on hand-made p(y|x), the Frechet
distance by hand and against scipy's matrix square root, the penultimate features."""

import math

import numpy as np
import pytest
import scipy.linalg
import torch

from nnzoo.models.cnn import NetConv
from nnzoo.models.sample_quality import (
    class_shares,
    classifier_score,
    classify_with_features,
    frechet_distance,
    gaussian_fit,
)


def test_classifier_score_of_one_hot_uniform_classes_is_K():
    p = torch.eye(10).repeat(3, 1)  # 30 samples, each certainly one class, classes equally often
    assert classifier_score(p) == pytest.approx(10.0, rel=1e-12)


def test_classifier_score_of_identical_rows_is_1():
    p = torch.tensor([[0.7, 0.2, 0.1]]).repeat(5, 1)  # p(y|x) = p(y) for every x: KL = 0
    assert classifier_score(p) == pytest.approx(1.0, abs=1e-12)


def test_classifier_score_by_hand():
    # two samples, two classes: p(y|x) = (1, 0) and (0.5, 0.5), so p(y) = (0.75, 0.25);
    # KL_1 = log(1/0.75), KL_2 = 0.5 log(0.5/0.75) + 0.5 log(0.5/0.25)
    p = torch.tensor([[1.0, 0.0], [0.5, 0.5]])
    kl = [math.log(1 / 0.75), 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25)]
    assert classifier_score(p) == pytest.approx(math.exp(sum(kl) / 2), rel=1e-12)


def test_class_shares_count_each_samples_first_choice():
    # four samples of three classes: first choices 0, 2, 2, 2 (p(y|x) need not be one-hot);
    # class 1 is nobody's first choice although every sample gives it some probability
    p = torch.tensor([[0.5, 0.3, 0.2], [0.1, 0.4, 0.5], [0.2, 0.2, 0.6], [0.0, 0.3, 0.7]])
    assert class_shares(p) == [0.25, 0.0, 0.75]


def test_frechet_distance_by_hand():
    # diagonal covariances commute: (S1 S2)^{1/2} = diag(sqrt(s1 s2)), so
    # d^2 = |mu1 - mu2|^2 + sum (sqrt(s1) - sqrt(s2))^2 = (1 + 4) + ((1 - 2)^2 + (3 - 1)^2)
    mu1, mu2 = np.array([0.0, 0.0]), np.array([1.0, 2.0])
    s1, s2 = np.diag([1.0, 9.0]), np.diag([4.0, 1.0])
    assert frechet_distance(mu1, s1, mu2, s2) == pytest.approx(5.0 + 1.0 + 4.0, rel=1e-12)
    assert frechet_distance(mu1, s1, mu1, s1) == pytest.approx(0.0, abs=1e-12)


def test_frechet_distance_matches_scipy_sqrtm():
    rng = np.random.default_rng(0)
    A, B = rng.normal(size=(6, 6)), rng.normal(size=(6, 6))
    s1, s2 = A @ A.T + 0.1 * np.eye(6), B @ B.T  # two full, non-commuting covariances
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    root = scipy.linalg.sqrtm(s1 @ s2).real
    expected = ((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * root)
    assert frechet_distance(mu1, s1, mu2, s2) == pytest.approx(expected, rel=1e-9)


def test_gaussian_fit_is_mean_and_unbiased_covariance():
    f = torch.tensor([[1.0, 2.0], [3.0, 0.0], [5.0, 4.0]])
    mu, sigma = gaussian_fit(f)
    assert np.allclose(mu, [3.0, 2.0])
    assert np.allclose(sigma, [[4.0, 2.0], [2.0, 4.0]])  # sums of products over N - 1 = 2


def test_features_are_the_output_layers_input():
    torch.manual_seed(0)
    net = NetConv((1, 8, 8), (2, 4), 3, 5, 3)
    x = torch.randn(7, 1, 8, 8)
    p, f = classify_with_features(net, x, batch_size=3)
    net.eval()
    with torch.no_grad():
        f_direct = net.fc(net.hidden(x)[-1])  # (B, hidden): the layer before the scores
        assert torch.allclose(f, f_direct)
        assert torch.allclose(p, net(x).softmax(dim=1))
    assert f.shape == (7, 5) and p.shape == (7, 3)
