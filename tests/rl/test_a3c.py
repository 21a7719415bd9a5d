import multiprocessing

import pytest
import torch

from nnzoo.rl.a3c import A3C, shared_adam, shared_adam_state, worker_seed


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
    agent = A3C(4, 2, workers=2, envs_per_worker=2, hidden=8, seed=0, start_method="fork")
    before = [p.detach().clone() for p in agent.shared.parameters()]
    agent.learn(800)
    assert agent.t >= 800 and agent.history
    assert {h["worker"] for h in agent.history} == {0, 1}
    assert any(not torch.equal(a, b) for a, b in zip(before, agent.shared.parameters()))
    assert not multiprocessing.active_children()


def test_ctrl_c_stops_the_workers_cleanly():
    agent = A3C(4, 2, workers=2, envs_per_worker=2, hidden=8, seed=0, start_method="fork")

    def interrupt(episode):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        agent.learn(10**6, on_episode=interrupt)
    assert not multiprocessing.active_children()


def test_workers_of_a_resumed_run_draw_new_random_streams():
    first = {worker_seed(0, rank, 0) for rank in range(4)}
    resumed = {worker_seed(0, rank, 40_000) for rank in range(4)}
    assert len(first) == len(resumed) == 4 and not first & resumed
    assert worker_seed(0, 1, 40_000) == worker_seed(0, 1, 40_000) != worker_seed(1, 1, 40_000)
