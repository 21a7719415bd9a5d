import numpy as np
import pytest
import torch

from nnzoo.rl.policy_search import EvolutionStrategy, HillClimbing, es_step, hill_climbing_step


def test_hill_climbing_keeps_a_step_that_is_no_worse_and_only_such_a_step():
    theta, cand = torch.tensor([1.0, 2.0]), torch.tensor([1.5, 1.0])
    # F(cand) = 3 < F_best = 4: rejected, theta and F_best stay
    t, F, accepted = hill_climbing_step(theta, 4.0, cand, 3.0)
    assert not accepted and F == 4.0 and torch.equal(t, theta)
    # equal fitness is "no worse": accepted
    t, F, accepted = hill_climbing_step(theta, 4.0, cand, 4.0)
    assert accepted and F == 4.0 and torch.equal(t, cand)
    t, F, accepted = hill_climbing_step(theta, 4.0, cand, 5.0)
    assert accepted and F == 5.0 and torch.equal(t, cand)


def test_es_step_by_hand_on_a_toy_objective():
    # F(x) = -(x_1^2 + x_2^2) at theta = (1, 0), sigma = 0.5, two perturbations
    theta, sigma, alpha = torch.tensor([1.0, 0.0], dtype=torch.float64), 0.5, 0.1
    eps = torch.tensor([[1.0, 0.0], [-1.0, 0.0]], dtype=torch.float64)
    F = torch.stack([-((theta + sigma * e) ** 2).sum() for e in eps])  # -2.25, -0.25
    assert F.tolist() == [-2.25, -0.25]
    # mean -1.25, std (population) 1: A = (-1, 1)
    # theta + 0.1 / (2 * 0.5) * (-1 * (1, 0) + 1 * (-1, 0)) = (1, 0) + 0.1 * (-2, 0) = (0.8, 0)
    new = es_step(theta, eps, F, sigma, alpha)
    assert new.tolist() == pytest.approx([0.8, 0.0])
    # all returns equal: no step
    assert torch.equal(es_step(theta, eps, torch.zeros(2, dtype=torch.float64), sigma, alpha),
                       theta)


def test_es_climbs_a_quadratic():
    rng = torch.Generator().manual_seed(0)
    theta = torch.tensor([3.0, -2.0], dtype=torch.float64)
    for _ in range(300):
        eps = torch.randn((20, 2), generator=rng, dtype=torch.float64)
        F = -((theta + 0.1 * eps) ** 2).sum(dim=1)
        theta = es_step(theta, eps, F, 0.1, 0.05)
    assert theta.norm() < 0.5  # from 3.6; standardised steps keep jittering near 0


@pytest.mark.parametrize("cls", [HillClimbing, EvolutionStrategy])
def test_policy_search_counts_episodes_and_resumes_exactly(cls):
    a = cls(4, 2, hidden=8, rng=0)
    a.learn("CartPole-v1", 12)
    assert a.episodes_ == len(a.history) >= 12
    b = cls(4, 2, hidden=8, rng=1)
    b.load_state_dict(a.state_dict())
    a.learn("CartPole-v1", 8)
    b.learn("CartPole-v1", 8)
    assert torch.equal(a.theta_, b.theta_) and a.history == b.history
    assert a.greedy(np.zeros((3, 4))).shape == (3,)


def test_fitness_of_several_vectors_is_each_one_alone():
    a = HillClimbing(4, 2, hidden=8, episodes=2, rng=0)
    thetas = torch.stack([a.theta_, a.theta_ + 0.5])
    both = a.fitness(thetas, "CartPole-v1")
    assert both.shape == (2,) and len(a.history) == 4
    # the vmapped network equals the module with theta's parameters
    torch.nn.utils.vector_to_parameters(thetas[1], a.policy.parameters())
    x = torch.randn(5, 4)
    p = a._params(thetas[1:])
    out = torch.func.functional_call(a.policy, {k: v[0] for k, v in p.items()}, (x,))
    assert torch.allclose(out, a.policy(x))
