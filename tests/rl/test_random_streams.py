"""Every agent draws only from its own stream: the global generators of torch, NumPy and
Python are left as they were, and the same stream gives the same numbers."""

import random

import gymnasium as gym
import numpy as np
import pytest
import torch

from nnzoo.random import stream
from nnzoo.rl.a2c import A2C
from nnzoo.rl.a3c import A3C
from nnzoo.rl.dqn import DQN
from nnzoo.rl.envs import evaluate, make_env
from nnzoo.rl.exploration import LinearSchedule
from nnzoo.rl.gridworld import GridWorld, value_iteration
from nnzoo.rl.policy_gradient import REINFORCE, vector_env
from nnzoo.rl.pong import PongPolicy
from nnzoo.rl.replay import ReplayBuffer
from nnzoo.rl.tabular import QLearning, TDZero


def global_states():
    return torch.get_rng_state(), np.random.get_state()[1].copy(), random.getstate()


def assert_untouched(before):
    after = global_states()
    assert torch.equal(before[0], after[0]), "torch's global generator was used"
    assert np.array_equal(before[1], after[1]), "NumPy's global generator was used"
    assert before[2] == after[2], "Python's random was used"


def td(rng):
    env = GridWorld(slip=0.2, random_start=True)
    _, _, pi = value_iteration(env.P, 12, 4, 0.9)
    return TDZero(12, rng=rng), lambda a: a.fit(env, pi, 50), lambda a: a.V_.tolist()


def ql(rng):
    env = gym.make("FrozenLake-v1")
    return QLearning(16, 4, rng=rng), lambda a: a.fit(env, 50), lambda a: a.Q_.tolist()


def dqn(rng):
    agent = DQN(4, 2, hidden=(16,), learning_starts=50, train_freq=25, gradient_steps=2,
                epsilon=LinearSchedule(1.0, 0.1, 200), rng=rng)
    env = make_env("CartPole-v1")
    return agent, lambda a: a.learn(env, 300), lambda a: a.history


def reinforce(rng):
    envs = vector_env("CartPole-v1", 4)
    return REINFORCE(4, 2, hidden=8, batch_episodes=4, rng=rng), \
        lambda a: a.learn(envs, 300), lambda a: a.history


def a2c(rng):
    envs = vector_env("CartPole-v1", 4)
    return A2C(4, 2, hidden=8, rng=rng), lambda a: a.learn(envs, 400), lambda a: a.history


AGENTS = {"td": td, "q-learning": ql, "dqn": dqn, "reinforce": reinforce, "a2c": a2c}


@pytest.mark.parametrize("name", AGENTS)
def test_agents_leave_the_global_generators_alone_and_repeat_from_the_same_stream(name):
    torch.manual_seed(5), np.random.seed(5), random.seed(5)
    before = global_states()
    agent, learn, numbers = AGENTS[name](stream(7, "agent"))
    learn(agent)
    assert_untouched(before)
    again, learn_again, _ = AGENTS[name](stream(7, "agent"))
    learn_again(again)
    assert numbers(again) == numbers(agent)
    other, learn_other, _ = AGENTS[name](stream(8, "agent"))
    learn_other(other)
    assert numbers(other) != numbers(agent)


def test_a3c_leaves_the_global_generators_alone():
    before = global_states()
    agent = A3C(4, 2, workers=1, envs_per_worker=2, hidden=8, rng=0, start_method="fork")
    agent.learn("CartPole-v1", 300)
    agent.act(np.zeros((3, 4), dtype=np.float32))
    assert_untouched(before)
    same = A3C(4, 2, hidden=8, rng=0)
    for a, b in zip(agent.shared.parameters(), A3C(4, 2, hidden=8, rng=0).shared.parameters()):
        assert not torch.equal(a, b)  # learned
    for a, b in zip(same.shared.parameters(), A3C(4, 2, hidden=8, rng=0).shared.parameters()):
        assert torch.equal(a, b)  # initial weights from the stream


def test_the_small_pieces_draw_from_their_streams_only():
    before = global_states()
    buf = ReplayBuffer(10, 2, rng=3)
    for i in range(10):
        buf.add([i, i], 0, float(i), [i, i], False)
    draws = buf.sample((4, 8))["reward"]
    net = PongPolicy(4, rng=3)
    returns, _, first = evaluate(lambda o: np.zeros(len(o), dtype=np.int64), "CartPole-v1",
                                 3, rng=3)
    assert_untouched(before)
    buf2 = ReplayBuffer(10, 2, rng=3)
    for i in range(10):
        buf2.add([i, i], 0, float(i), [i, i], False)
    assert torch.equal(buf2.sample((4, 8))["reward"], draws)
    assert torch.equal(PongPolicy(4, rng=3).input_weights(), net.input_weights())
    assert np.array_equal(evaluate(lambda o: np.zeros(len(o), dtype=np.int64), "CartPole-v1",
                                   3, rng=3)[2], first)


def test_a_resumed_reinforce_equals_an_uninterrupted_one():
    import io

    def make():
        return REINFORCE(4, 2, hidden=8, batch_episodes=4, rng=0), vector_env("CartPole-v1", 4)

    whole, envs = make()
    whole.learn(envs, 200)
    whole.learn(envs, 200)
    first, envs1 = make()
    first.learn(envs1, 200)
    f = io.BytesIO()
    torch.save(first.state_dict(), f)
    f.seek(0)
    resumed, envs2 = REINFORCE(4, 2, hidden=8, batch_episodes=4, rng=99), vector_env(
        "CartPole-v1", 4)
    resumed.load_state_dict(torch.load(f, weights_only=True))
    resumed.learn(envs2, 200)
    assert resumed.history == whole.history
