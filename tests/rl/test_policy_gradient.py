import io

import gymnasium as gym
import numpy as np
import pytest
import torch

from nnzoo.rl.a2c import A2C
from nnzoo.rl.policy_gradient import REINFORCE, vector_env


class Bandit(gym.Env):
    """A one-step environment: action 1 pays +1, action 0 pays 0; the observation is 1."""

    observation_space = gym.spaces.Box(0, 1, (1,))
    action_space = gym.spaces.Discrete(2)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return np.ones(1, dtype=np.float32), {}

    def step(self, a):
        return np.ones(1, dtype=np.float32), float(a), True, False, {}


def bandit_envs(n):
    return gym.vector.SyncVectorEnv([Bandit for _ in range(n)])


def test_reinforce_solves_a_two_armed_bandit():
    agent = REINFORCE(1, 2, hidden=8, lr=0.05, batch_episodes=16, returns="total", rng=0)
    agent.learn(bandit_envs(16), 16 * 40)
    pi = torch.softmax(agent.policy(torch.ones(1, 1)), dim=1)[0, 1].item()
    assert pi > 0.95
    assert np.mean([h["return"] for h in agent.history[-32:]]) > 0.9


def test_reinforce_without_baseline_learns_the_bandit_too():
    agent = REINFORCE(1, 2, hidden=8, lr=0.05, batch_episodes=16, baseline=False,
                      returns="to-go", rng=1)
    agent.learn(bandit_envs(16), 16 * 40)
    assert torch.softmax(agent.policy(torch.ones(1, 1)), dim=1)[0, 1].item() > 0.9


def test_reinforce_with_pongs_settings_learns_the_bandit():
    # Pong's agent: its own network (P(action 0) = sigmoid(z)), RMSProp, returns reset at
    # each point; a bandit pays +1 for action 0 (UP) here
    from nnzoo.rl.pong import UpLogit

    class Up(Bandit):
        def step(self, a):
            return np.ones(1, dtype=np.float32), float(a == 0), True, False, {}

    net = torch.nn.Sequential(torch.nn.Linear(1, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1),
                              UpLogit())
    agent = REINFORCE(1, 2, lr=0.03, batch_episodes=16, policy=net, optimizer="rmsprop",
                      reset=True, rng=0)
    assert isinstance(agent.optimizer, torch.optim.RMSprop) and agent.policy is net
    agent.learn(gym.vector.SyncVectorEnv([Up for _ in range(16)]), 16 * 40)
    assert torch.softmax(agent.policy(torch.ones(1, 1)), dim=1)[0, 0].item() > 0.95


def test_reinforce_refuses_an_unknown_optimizer():
    with pytest.raises(ValueError, match="rmsprop"):
        REINFORCE(1, 2, optimizer="sgd")


def test_reinforce_gradient_is_the_course_update():
    # one trial, r_total = 2, no baseline: the loss gradient is -(r_total / std) grad log pi
    agent = REINFORCE(1, 2, hidden=4, baseline=False, returns="total", rng=0)
    trial = {"obs": torch.ones(2, 1), "actions": torch.tensor([1, 0]),
             "rewards": torch.tensor([1.0, 1.0])}
    agent.policy.zero_grad()
    log_pi = torch.log_softmax(agent.policy(trial["obs"]), 1)[[0, 1], [1, 0]].sum()
    (-2.0 / (torch.tensor([2.0, 2.0]).std() + 1e-8) * log_pi).backward()
    expected = [p.grad.clone() for p in agent.policy.parameters()]
    lr = agent.optimizer.param_groups[0]["lr"]
    agent.optimizer = torch.optim.SGD(agent.policy.parameters(), lr=lr)
    before = [p.detach().clone() for p in agent.policy.parameters()]
    agent.update([trial])
    for p, b, g in zip(agent.policy.parameters(), before, expected):
        torch.testing.assert_close(p.detach(), b - lr * g)


def test_a2c_solves_a_two_armed_bandit():
    agent = A2C(1, 2, hidden=8, lr=0.03, n_steps=4, rng=0)
    agent.learn(bandit_envs(8), 1200)
    assert torch.softmax(agent.policy(torch.ones(1, 1)), dim=1)[0, 1].item() > 0.95
    # V_u(s) learns the value of the state: 1 under the learned policy
    assert abs(agent.V(torch.ones(1, 1)).item() - 1.0) < 0.1


def test_a_resumed_a2c_equals_an_uninterrupted_one():
    def make():
        return A2C(4, 2, hidden=16, rng=0), vector_env("CartPole-v1", 4)

    whole, envs = make()
    whole.learn(envs, 200)
    whole.learn(envs, 200)

    first, envs1 = make()
    first.learn(envs1, 200)
    f = io.BytesIO()
    torch.save(first.state_dict(), f)  # the environments' state between rollouts included
    f.seek(0)
    resumed, envs2 = make()
    resumed.load_state_dict(torch.load(f, weights_only=True))
    resumed.learn(envs2, 200)
    assert resumed.history == whole.history and resumed.t == whole.t
    for a, b in zip(resumed.parameters(), whole.parameters()):
        assert torch.equal(a, b)


def test_act_samples_from_pi_and_greedy_takes_its_argmax():
    agent = A2C(1, 2, hidden=8, rng=0)
    with torch.no_grad():  # pi(1|s) = sigmoid(0.5) ~ 0.62 for every s
        agent.policy.layers[-1].weight.zero_()
        agent.policy.layers[-1].bias.copy_(torch.tensor([0.0, 0.5]))
    obs = np.ones((4000, 1), dtype=np.float32)
    assert abs(agent.act(obs).mean() - torch.sigmoid(torch.tensor(0.5)).item()) < 0.03
    assert (agent.greedy(obs) == 1).all()
