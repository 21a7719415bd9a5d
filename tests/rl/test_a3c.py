import multiprocessing

import numpy as np
import pytest
import torch

from nnzoo.random import stream
from nnzoo.rl.a3c import A3C, shared_adam, shared_adam_state, worker_stream


def test_shared_adam_equals_adam():
    torch.manual_seed(0)
    p1 = torch.nn.Parameter(torch.randn(5))
    p2 = torch.nn.Parameter(p1.detach().clone())
    ref = torch.optim.Adam([p1], lr=0.1)
    state = shared_adam_state([p2])
    opt = shared_adam([p2], state, lr=0.1)
    for _ in range(3):
        for p, o in ((p1, ref), (p2, opt)):
            o.zero_grad()
            (p**2).sum().backward()
            o.step()
    torch.testing.assert_close(p1, p2)
    assert state[0]["step"].item() == 3 and state[0]["exp_avg"].is_shared()


def test_a3c_workers_update_the_shared_parameters_and_stop():
    agent = A3C(4, 2, workers=2, envs_per_worker=2, hidden=8, rng=0, start_method="fork")
    before = [p.detach().clone() for p in agent.shared.parameters()]
    new = agent.learn("CartPole-v1", 800)
    assert new == agent.history and all({"step", "return"} <= set(h) for h in new)
    assert agent.t >= 800 and agent.history
    assert {h["worker"] for h in agent.history} == {0, 1}
    assert any(not torch.equal(a, b) for a, b in zip(before, agent.shared.parameters()))
    assert not multiprocessing.active_children()


def test_ctrl_c_stops_the_workers_cleanly():
    agent = A3C(4, 2, workers=2, envs_per_worker=2, hidden=8, rng=0, start_method="fork")

    def interrupt(episode):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        agent.learn("CartPole-v1", 10**6, on_episode=interrupt)
    assert not multiprocessing.active_children()


def test_workers_of_a_resumed_run_draw_new_random_streams():
    def first_draw(seed, rank, start):
        return worker_stream(stream(seed, "agent"), rank, start).seed()

    first = {first_draw(0, rank, 0) for rank in range(4)}
    resumed = {first_draw(0, rank, 40_000) for rank in range(4)}
    assert len(first) == len(resumed) == 4 and not first & resumed
    assert first_draw(0, 1, 40_000) == first_draw(0, 1, 40_000) != first_draw(1, 1, 40_000)


def test_a3c_acts_by_sampling_and_refuses_an_environment_object():
    agent = A3C(1, 2, hidden=8, rng=0)
    obs = np.ones((2000, 1), dtype=np.float32)
    p1 = torch.softmax(agent.shared.policy(torch.ones(1, 1)), 1)[0, 1].item()
    assert abs(agent.act(obs).mean() - p1) < 0.04
    assert set(agent.greedy(obs)) == {int(p1 > 0.5)}
    with pytest.raises(TypeError, match="gymnasium id"):
        agent.learn(object(), 10)
