import io

import numpy as np
import pytest
import torch
from torch import nn

from nnzoo.rl.dqn import DQN, QNetwork, td_targets
from nnzoo.rl.envs import evaluate, make_env
from nnzoo.rl.exploration import LinearSchedule
from nnzoo.rl.replay import ReplayBuffer


class Table(torch.nn.Module):
    """A 'network' whose Q(s, .) is a row of a table, s being an index stored as a float."""

    def __init__(self, rows):
        super().__init__()
        self.table = torch.tensor(rows)

    def forward(self, s):
        return self.table[s[..., 0].long()]


def test_dqn_and_double_q_targets_by_hand():
    online = Table([[1.0, 5.0], [2.0, 0.0]])
    target = Table([[3.0, 4.0], [7.0, 6.0]])
    r, s2, done = torch.tensor([1.0, 1.0, 2.0]), torch.tensor([[0.0], [1.0], [1.0]]), \
        torch.tensor([0.0, 0.0, 1.0])
    # DQN: r + 0.5 max_b Q_wbar(s', b)
    y = td_targets(r, s2, done, 0.5, online, target, double=False)
    assert y.tolist() == [1 + 0.5 * 4, 1 + 0.5 * 7, 2.0]
    # double: r + 0.5 Q_wbar(s', argmax_b Q_w(s', b)); argmax online: s'=0 -> 1, s'=1 -> 0
    y = td_targets(r, s2, done, 0.5, online, target, double=True)
    assert y.tolist() == [1 + 0.5 * 4, 1 + 0.5 * 7, 2.0]
    target.table = torch.tensor([[4.0, 3.0], [6.0, 7.0]])
    assert td_targets(r, s2, done, 0.5, online, target, True).tolist() == [2.5, 4.0, 2.0]
    assert td_targets(r, s2, done, 0.5, online, target, False).tolist() == [3.0, 4.5, 2.0]


def test_double_q_never_exceeds_the_max():
    g = torch.Generator().manual_seed(0)
    online, target = torch.nn.Linear(3, 4), torch.nn.Linear(3, 4)
    s2 = torch.randn(50, 3, generator=g)
    r, done = torch.zeros(50), torch.zeros(50)
    assert (td_targets(r, s2, done, 0.9, online, target, True)
            <= td_targets(r, s2, done, 0.9, online, target, False) + 1e-7).all()


def test_update_minimises_the_squared_td_error():
    agent = DQN(4, 2, hidden=(16,), lr=1e-2, rng=0)
    g = torch.Generator().manual_seed(1)
    batch = {"obs": torch.randn(32, 4, generator=g), "action": torch.randint(2, (32,),
                                                                             generator=g),
             "reward": torch.ones(32), "next_obs": torch.randn(32, 4, generator=g),
             "terminated": torch.zeros(32)}
    y = td_targets(batch["reward"], batch["next_obs"], batch["terminated"], agent.gamma,
                   agent.q, agent.q_target, False)
    q = agent.q(batch["obs"]).gather(1, batch["action"][:, None]).squeeze(1)
    out = agent.update(batch)
    assert out["loss"].item() == pytest.approx(((y - q) ** 2).mean().item(), rel=1e-6)
    losses = [agent.update({**batch, "y": y})["loss"].item() for _ in range(100)]
    assert losses[-1] < 0.1 * losses[0]


@pytest.mark.parametrize("loss", ["mse", "huber"])
@pytest.mark.parametrize("hidden", [(), (7,), (6, 5)])
def test_backprop_by_hand_equals_autograd(loss, hidden):
    torch.manual_seed(0)
    net = QNetwork(4, 3, hidden).double()
    s, a = torch.randn(9, 4, dtype=torch.float64), torch.randint(3, (9,))
    y = 3 * torch.randn(9, dtype=torch.float64)  # errors on both sides of Huber's 1
    q = net(s).gather(1, a[:, None]).squeeze(1)
    E = (nn.functional.mse_loss if loss == "mse" else nn.functional.smooth_l1_loss)(q, y)
    expected = torch.autograd.grad(E, list(net.parameters()))
    E_hand, q_hand = net.backprop(s, a, y, loss)
    assert torch.allclose(E_hand, E) and torch.allclose(q_hand, q)
    for p, g in zip(net.parameters(), expected):
        assert torch.allclose(p.grad, g, atol=1e-12)
    net.backprop(s, a, y, loss)  # a second call overwrites: it does not accumulate
    assert all(torch.allclose(p.grad, g, atol=1e-12) for p, g in zip(net.parameters(),
                                                                    expected))


def test_acting_in_numpy_equals_the_networks_greedy_choice():
    agent = DQN(4, 3, hidden=(32, 32), rng=0)
    obs = np.random.default_rng(0).normal(size=(200, 4))
    actions = [agent.greedy_action(o) for o in obs]
    assert actions == agent.greedy(obs).tolist() and len(set(actions)) > 1
    agent.epsilon = LinearSchedule(0.0, 0.0, 1)  # no exploration: act is the greedy action
    assert [agent.act(o) for o in obs] == actions


def test_act_explores_with_the_scheduled_epsilon():
    agent = DQN(4, 3, hidden=(8,), epsilon=LinearSchedule(1.0, 0.0, 100), rng=0)
    obs = np.zeros(4, dtype=np.float32)
    assert len({agent.act(obs) for _ in range(100)}) == 3  # epsilon(0) = 1: uniform
    agent.t = 100  # epsilon(100) = 0: always the greedy action
    assert {agent.act(obs) for _ in range(20)} == {agent.greedy_action(obs)}


def test_replay_buffer_is_a_ring_and_restores():
    buf = ReplayBuffer(3, 2)
    for i in range(5):
        buf.add([i, -i], i % 2, float(i), [i + 1, 0], i == 4)
    assert len(buf) == 3 and buf.pos == 2
    assert sorted(buf.reward.tolist()) == [2.0, 3.0, 4.0]
    batch = buf.gather(torch.tensor([[0, 1], [2, 0]]))
    assert batch["obs"].shape == (2, 2, 2) and batch["terminated"][0, 1] == 1.0  # slot 1: i = 4
    copy = ReplayBuffer(3, 2, rng=1)
    copy.load_state_dict(buf.state_dict())
    assert torch.equal(copy.obs, buf.obs) and copy.pos == buf.pos and len(copy) == 3
    # the sampling stream is restored too: both draw the same minibatches next
    assert torch.equal(copy.sample((4, 5))["reward"], buf.sample((4, 5))["reward"])
    assert set(buf.sample((100,))["reward"].tolist()) == {2.0, 3.0, 4.0}


def test_evaluate_discounts_cartpoles_unit_rewards():
    returns, discounted, first = evaluate(lambda obs: np.zeros(len(obs), dtype=np.int64),
                                          "CartPole-v1", episodes=4, rng=3, gamma=0.9)
    assert first.shape == (4, 4) and (returns > 5).all() and (returns < 30).all()
    np.testing.assert_allclose(discounted, (1 - 0.9**returns) / (1 - 0.9), rtol=1e-6)


def small_agent(seed=0):
    return DQN(4, 2, hidden=(32,), learning_starts=100, train_freq=50, gradient_steps=4,
               epsilon=LinearSchedule(1.0, 0.05, 500), rng=seed)


def test_a_resumed_dqn_equals_an_uninterrupted_one():
    whole = small_agent()
    env = make_env("CartPole-v1")
    whole.learn(env, 600)
    whole.learn(env, 600)

    first = small_agent()
    first.learn(make_env("CartPole-v1"), 600)
    f = io.BytesIO()
    torch.save(first.state_dict(), f)
    f.seek(0)
    resumed = small_agent(seed=123)  # everything, random state included, comes from the file
    resumed.load_state_dict(torch.load(f, weights_only=True))
    resumed.learn(make_env("CartPole-v1"), 600)

    assert resumed.t == whole.t and resumed.history == whole.history
    for a, b in zip(resumed.q.parameters(), whole.q.parameters()):
        assert torch.equal(a, b)
    assert torch.equal(resumed.buffer.obs, whole.buffer.obs)
