import io
import math

import gymnasium as gym
import numpy as np
import pytest
import torch

from nnzoo.rl.a2c import A2C
from nnzoo.rl.policy_gradient import REINFORCE, vector_env
from nnzoo.rl.returns import n_step_returns


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


def test_reinforce_update_is_the_course_rule_by_hand():
    # theta <- theta + eta (r_total - b) grad log pi(a_t|s_t) for every step, averaged over
    # the 3 trials, with (r_total - b) divided by the standard deviation of the batch's R.
    # pi = softmax(W s + c), W = c = 0: pi = (1/2, 1/2) and
    # grad_W log pi(a|s) = (onehot(a) - pi) s, grad_c log pi(a|s) = onehot(a) - pi.
    policy = torch.nn.Linear(1, 2)
    with torch.no_grad():
        policy.weight.zero_()
        policy.bias.zero_()
    agent = REINFORCE(1, 2, policy=policy, returns="total", baseline=True, rng=0)
    eta = 0.1
    agent.optimizer = torch.optim.SGD(policy.parameters(), lr=eta)
    trials = [  # r_total = 1, 0 and 6; trial A has two steps, so R = (1, 1, 0, 6)
        {"obs": torch.tensor([[1.0], [2.0]]), "actions": torch.tensor([1, 0]),
         "rewards": torch.tensor([1.0, 0.0])},
        {"obs": torch.tensor([[1.0]]), "actions": torch.tensor([1]),
         "rewards": torch.tensor([0.0])},
        {"obs": torch.tensor([[-1.0]]), "actions": torch.tensor([0]),
         "rewards": torch.tensor([6.0])},
    ]
    # b = mean of R over the batch's N = 4 steps = 2; R - b = (-1, -1, -2, 4)
    # std = sqrt(sum (R - b)^2 / (N - 1)) = sqrt((1 + 1 + 4 + 16) / 3) (as torch.std)
    std = math.sqrt(22 / 3)
    # sum_t (R_t - b) grad log pi_t, row 0 / row 1 of W and of c:
    #   (s=1, a=1): W (-.5, .5) c (-.5, .5) x -1     (s=2, a=0): W (1, -1) c (.5, -.5) x -1
    #   (s=1, a=1): W (-.5, .5) c (-.5, .5) x -2     (s=-1, a=0): W (-.5, .5) c (.5, -.5) x 4
    # W: .5 - 1 + 1 - 2 = -1.5;  c: .5 - .5 + 1 + 2 = 3
    agent.update(trials)
    torch.testing.assert_close(policy.weight.detach(),
                               eta / 3 * torch.tensor([[-1.5], [1.5]]) / std)
    torch.testing.assert_close(policy.bias.detach(), eta / 3 * torch.tensor([3.0, -3.0]) / std)


def test_reinforce_update_with_rewards_to_go_by_hand():
    # the default form: R_t = sum_{i>=t} gamma^{i-t} r_i, here with gamma = 1/2, on the
    # trials of the test above; pi = softmax(W s + c) with W = c = 0 again
    policy = torch.nn.Linear(1, 2)
    with torch.no_grad():
        policy.weight.zero_()
        policy.bias.zero_()
    agent = REINFORCE(1, 2, policy=policy, returns="to-go", gamma=0.5, baseline=True, rng=0)
    eta = 0.1
    agent.optimizer = torch.optim.SGD(policy.parameters(), lr=eta)
    trials = [  # trial A's rewards (1, 0): R = (1 + 0/2, 0); B: R = 0; C: R = 6
        {"obs": torch.tensor([[1.0], [2.0]]), "actions": torch.tensor([1, 0]),
         "rewards": torch.tensor([1.0, 0.0])},
        {"obs": torch.tensor([[1.0]]), "actions": torch.tensor([1]),
         "rewards": torch.tensor([0.0])},
        {"obs": torch.tensor([[-1.0]]), "actions": torch.tensor([0]),
         "rewards": torch.tensor([6.0])},
    ]
    # R = (1, 0, 0, 6), b = 7/4, R - b = (-3/4, -7/4, -7/4, 17/4)
    # std = sqrt((9 + 49 + 49 + 289) / 16 / 3) = sqrt(8.25)
    std = math.sqrt(8.25)
    # grad log pi, rows 0 of W and c: (s=1, a=1) W -.5 c -.5; (s=2, a=0) W 1 c .5;
    # (s=1, a=1) W -.5 c -.5; (s=-1, a=0) W -.5 c .5
    # W: .375 - 1.75 + .875 - 2.125 = -2.625;  c: .375 - .875 + .875 + 2.125 = 2.5
    agent.update(trials)
    torch.testing.assert_close(policy.weight.detach(),
                               eta / 3 * torch.tensor([[-2.625], [2.625]]) / std)
    torch.testing.assert_close(policy.bias.detach(), eta / 3 * torch.tensor([2.5, -2.5]) / std)


@pytest.mark.parametrize("returns", ["total", "to-go"])
def test_reinforce_stops_learning_at_a_non_finite_loss(returns, monkeypatch):
    agent = REINFORCE(1, 2, hidden=4, batch_episodes=4, returns=returns, rng=0)
    real, calls = REINFORCE.update, {"n": 0}

    def nan_on_the_second(self, trials):
        calls["n"] += 1
        stats = real(self, trials)
        return {"loss": float("nan")} if calls["n"] == 2 else stats

    monkeypatch.setattr(REINFORCE, "update", nan_on_the_second)
    agent.learn(bandit_envs(4), 100)  # 25 updates' worth of steps: it stops at the second
    assert calls["n"] == 2 and agent.t == 8 and len(agent.losses) == 2
    assert math.isfinite(agent.losses[0][1]) and math.isnan(agent.losses[1][1])


def test_a2c_stops_learning_at_a_non_finite_loss(monkeypatch):
    agent = A2C(1, 2, hidden=4, n_steps=2, rng=0)
    real, calls = A2C.update, {"n": 0}

    def inf_on_the_third(self, batch):
        calls["n"] += 1
        stats = real(self, batch)
        return {**stats, "loss": float("inf")} if calls["n"] == 3 else stats

    monkeypatch.setattr(A2C, "update", inf_on_the_third)
    agent.learn(bandit_envs(2), 100)
    # a rollout of 2 steps in 2 one-step environments: one step counts, the next resets
    assert calls["n"] == 3 and [s for s, _ in agent.losses] == [2, 4, 6]
    assert agent.losses[-1][1] == float("inf")


def test_a2c_loss_is_the_n_step_advantage_by_hand():
    # a rollout of n = 3 steps in E = 2 environments, gamma = 1/2; V_u(s) = s and pi uniform
    agent = A2C(1, 2, gamma=0.5, value_coef=0.5, entropy_coef=0.0, rng=0)
    agent.policy, agent.value = torch.nn.Linear(1, 2), torch.nn.Linear(1, 1)
    with torch.no_grad():
        agent.policy.weight.zero_()
        agent.policy.bias.zero_()
        agent.value.weight.fill_(1.0)
        agent.value.bias.zero_()
    batch = {
        "obs": torch.tensor([[1.0, 0.0], [2.0, 1.0], [3.0, 2.0]])[..., None],  # (n, E, 1)
        "actions": torch.tensor([[0, 1], [1, 1], [0, 0]]),
        "rewards": torch.tensor([[1.0, 2.0], [0.0, 4.0], [2.0, 1.0]]),
        "dones": torch.tensor([[0.0, 0.0], [0.0, 1.0], [0.0, 0.0]]),  # env 1 ends at step 1
        "valid": torch.ones(3, 2),
        "bootstrap": torch.tensor([8.0, 4.0]),  # V_u(s_{t+n})
    }
    # env 0: Q_0 = 1 + .5*0 + .25*2 + .125*8 = 2.5, Q_1 = 0 + .5*2 + .25*8 = 3, Q_2 = 2 + .5*8 = 6
    # env 1: cut at the end: Q_0 = 2 + .5*4 = 4, Q_1 = 4; a new episode: Q_2 = 1 + .5*4 = 3
    Q = n_step_returns(batch["rewards"], batch["dones"], batch["bootstrap"], 0.5)
    torch.testing.assert_close(Q, torch.tensor([[2.5, 4.0], [3.0, 4.0], [6.0, 3.0]]))
    # A = Q - V: env 0 (1.5, 1, 3), env 1 (4, 3, 1); the means over the 6 steps:
    # value loss [Q - V]^2 = (2.25 + 1 + 9 + 16 + 9 + 1) / 6 = 6.375
    # policy loss -A log pi = 2.25 log 2 (log pi = -log 2 for every action)
    loss, stats = agent.loss(batch)
    assert stats["value_loss"] == pytest.approx(6.375)
    assert stats["policy_loss"] == pytest.approx(2.25 * math.log(2))
    assert stats["entropy"] == pytest.approx(math.log(2))
    assert loss.item() == pytest.approx(2.25 * math.log(2) + 0.5 * 6.375)
    loss.backward()
    # u minimises [Q - V_u]^2 (Q held fixed): d/dw = -2 mean(A s) = -2 * 17.5 / 6,
    # d/db = -2 mean(A) = -4.5, times value_coef
    torch.testing.assert_close(agent.value.weight.grad, torch.tensor([[-0.5 * 35 / 6]]))
    torch.testing.assert_close(agent.value.bias.grad, torch.tensor([-0.5 * 4.5]))
    # theta: -(1/6) sum_t A_t (onehot(a_t) - 1/2), the advantage held fixed:
    # row 0: -(1.5*.5 - 1*.5 + 3*.5 - 4*.5 - 3*.5 + 1*.5) / 6 = 1.25 / 6
    torch.testing.assert_close(agent.policy.bias.grad, torch.tensor([1.25 / 6, -1.25 / 6]))


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
