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


def scripted_fitness(agent, values):
    """Replace agent.fitness by one that records the parameter vectors it is asked about
    and answers the next of `values`. -> the list of vectors asked"""
    asked, answers = [], iter(values)

    def fitness(thetas, env_id):
        asked.append(thetas.clone())
        return torch.tensor(next(answers), dtype=torch.float32)

    agent.fitness = fitness
    return asked


def next_normal(stream, shape):
    """The N(0, I) draw that the stream's torch generator will give next (it is not moved)."""
    gen = torch.Generator()
    gen.set_state(stream.torch.get_state())
    return torch.randn(shape, generator=gen)


def test_hill_climbings_step_proposes_theta_plus_sigma_eps_beside_the_incumbent():
    a = HillClimbing(4, 2, hidden=8, sigma=0.3, episodes=2, rng=0)
    theta = a.theta_.clone()
    eps = next_normal(a.rng, theta.shape)
    asked = scripted_fitness(a, [[10.0, 12.0]])
    assert a.step("CartPole-v1")
    incumbent, candidate = asked[0]
    assert torch.equal(incumbent, theta)  # measured again, beside the candidate
    assert torch.allclose(candidate, theta + 0.3 * eps)  # theta' = theta + sigma eps
    assert torch.equal(a.theta_, candidate) and a.F_best_ == 12.0 and a.measured_ == 1


def test_hill_climbing_averages_the_incumbents_measurements_so_a_lucky_one_fades():
    a = HillClimbing(4, 2, hidden=8, rng=0)
    theta = a.theta_.clone()
    # F(theta) measured 10 (lucky), then 4, then 1; the candidates 8, 6.5, 6
    asked = scripted_fitness(a, [[10.0, 8.0], [4.0, 6.5], [1.0, 6.0]])
    assert not a.step("CartPole-v1") and a.F_best_ == 10.0  # 8 < 10
    assert not a.step("CartPole-v1") and a.F_best_ == 7.0  # 6.5 < (10 + 4) / 2
    assert torch.equal(a.theta_, theta) and a.measured_ == 2
    assert a.step("CartPole-v1")  # 6 >= (10 + 4 + 1) / 3 = 5: kept, though 6 < 10
    assert torch.equal(a.theta_, asked[2][1]) and a.F_best_ == 6.0 and a.measured_ == 1
    assert all(torch.equal(x[0], theta) for x in asked)


def test_es_step_evaluates_theta_plus_sigma_eps_i_and_moves_along_the_weighted_sum():
    a = EvolutionStrategy(4, 2, hidden=8, sigma=0.5, population=3, lr=0.1, rng=0)
    theta = a.theta_.clone()
    eps = next_normal(a.rng, (3, len(theta)))  # (n, P)
    asked = scripted_fitness(a, [[1.0, 2.0, 6.0]])
    a.step("CartPole-v1")
    assert torch.allclose(asked[0], theta + 0.5 * eps)  # the population theta + sigma eps_i
    # F = (1, 2, 6): mean 3, population std sqrt(14 / 3); A = (-2, -1, 3) / sqrt(14 / 3)
    A = torch.tensor([-2.0, -1.0, 3.0]) / (14 / 3) ** 0.5
    # theta + alpha / (n sigma) sum_i A_i eps_i,  alpha / (n sigma) = 0.1 / 1.5
    expected = theta + 0.1 / 1.5 * (A[0] * eps[0] + A[1] * eps[1] + A[2] * eps[2])
    assert torch.allclose(a.theta_, expected, atol=1e-6)
    assert (a.theta_ - theta) @ eps[2] > 0  # towards the fittest perturbation


@pytest.mark.parametrize("cls, per_step", [(HillClimbing, 8), (EvolutionStrategy, 10)])
def test_policy_search_counts_its_episodes_acts_with_theta_and_resumes_exactly(cls, per_step):
    # per step: hill climbing 2 vectors x 4 episodes, ES 10 vectors x 1 episode
    a = cls(4, 2, hidden=8, rng=0)
    theta = a.theta_.clone()
    a.learn("CartPole-v1", 12)
    steps = -(-12 // per_step)
    assert a.episodes_ == len(a.history) == steps * per_step
    assert not torch.equal(a.theta_, theta)  # (hill climbing at seed 0 keeps a step)
    b = cls(4, 2, hidden=8, rng=1)
    b.load_state_dict(a.state_dict())
    a.learn("CartPole-v1", 8)
    b.learn("CartPole-v1", 8)
    assert torch.equal(a.theta_, b.theta_) and a.history == b.history
    # greedy acts with theta_: argmax of the network whose parameters are theta_
    obs = torch.randn(200, 4, generator=torch.Generator().manual_seed(0))

    def argmax_with(t):
        p = {k: v[0] for k, v in a._params(t[None]).items()}
        return torch.func.functional_call(a.policy, p, (obs,)).argmax(1).numpy()

    assert np.array_equal(a.greedy(obs.numpy()), argmax_with(a.theta_))
    a.theta_ = torch.randn(len(theta), generator=torch.Generator().manual_seed(1))
    assert np.array_equal(a.greedy(obs.numpy()), argmax_with(a.theta_))
    assert not np.array_equal(argmax_with(a.theta_), argmax_with(b.theta_))


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
