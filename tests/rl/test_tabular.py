import gymnasium as gym
import numpy as np
import pytest

from nnzoo.rl.exploration import LinearSchedule
from nnzoo.rl.gridworld import GridWorld, policy_values, value_iteration
from nnzoo.rl.tabular import QLearning, TDZero


def test_one_q_learning_update_by_hand():
    ql = QLearning(3, 2, gamma=0.9, lr=0.5)
    ql.Q_[:] = [[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]]
    # Q(0,1) <- 2 + 0.5 [1 + 0.9 * max(3, 4) - 2] = 2 + 0.5 * 2.6
    assert ql.update(0, 1, 1.0, 1, False) == pytest.approx(3.3)
    # deterministic update: Q(1,0) <- -1 + 0.9 max(Q(0, .)) = -1 + 0.9 * 3.3
    det = QLearning(3, 2, gamma=0.9, lr=None)
    det.Q_[:] = ql.Q_
    assert det.update(1, 0, -1.0, 0, False) == pytest.approx(-1 + 0.9 * 3.3)
    # into a terminal state there is no future term
    assert det.update(1, 1, 5.0, 2, True) == pytest.approx(5.0)


def test_td0_one_update_by_hand():
    td = TDZero(2, gamma=0.5, lr=0.1)
    td.V_[:] = [1.0, 4.0]
    # V(0) <- 1 + 0.1 [2 + 0.5 * 4 - 1]
    assert td.update(0, 2.0, 1, False) == pytest.approx(3.0)
    assert td.V_[0] == pytest.approx(1.3)


def test_td0_on_a_two_state_chain_converges_to_the_closed_form():
    # a Markov chain with rewards r(s) and transitions M; V = (I - gamma M)^{-1} r
    M, r, gamma = np.array([[0.3, 0.7], [0.6, 0.4]]), np.array([1.0, -2.0]), 0.5
    exact = np.linalg.solve(np.eye(2) - gamma * M, r)
    rng, td, s = np.random.default_rng(0), TDZero(2, gamma=gamma, lr=0.002, decay=0.0), 0
    for _ in range(100_000):
        s2 = int(rng.random() > M[s, 0])
        td.update(s, r[s], s2, False)
        s = s2
    np.testing.assert_allclose(td.V_, exact, atol=0.05)  # the noise of a constant eta


def test_td0_fit_on_the_deterministic_grid_is_exact_with_eta_1():
    env = GridWorld(slip=0.0, random_start=True)
    V, _, pi = value_iteration(env.P, 12, 4, 0.9)
    td = TDZero(12, gamma=0.9, lr=1.0, decay=0.0, rng=0).fit(env, pi, episodes=300)
    free = [s for s in range(12) if s not in (3, 5, 7)]
    np.testing.assert_allclose(td.V_[free], V[free], atol=1e-12)


def test_q_learning_finds_the_optimal_path_on_cliff_walking():
    env = gym.make("CliffWalking-v1")
    P = env.unwrapped.P
    V, _, _ = value_iteration(P, 48, 4, 0.9)
    ql = QLearning(48, 4, gamma=0.9, lr=None, schedule=LinearSchedule(1.0, 0.05, 150), rng=0)
    ql.fit(env, 300)
    assert (ql.greedy(np.arange(48)) == ql.policy_).all()
    assert policy_values(P, 48, 4, 0.9, ql.policy_)[36] == pytest.approx(V[36], abs=1e-9)


def test_softmax_exploration_learns_too():
    env = GridWorld(slip=0.0)
    V, _, _ = value_iteration(env.P, 12, 4, 0.9)
    ql = QLearning(12, 4, gamma=0.9, lr=None, explore="softmax",
                   schedule=LinearSchedule(1.0, 0.05, 200), rng=0).fit(env, 400)
    assert policy_values(env.P, 12, 4, 0.9, ql.policy_)[8] == pytest.approx(V[8], abs=1e-9)
    with pytest.raises(ValueError):
        QLearning(2, 2, explore="greedy")


def test_td_zero_fit_in_parts_resumes_from_its_state_dict():
    import io

    import torch

    env = GridWorld(slip=0.2, random_start=True)
    _, _, pi = value_iteration(env.P, 12, 4, 0.9)
    whole = TDZero(12, rng=3).fit(env, pi, 50).fit(env, pi, 50)
    saved = io.BytesIO()
    torch.save(TDZero(12, rng=3).fit(env, pi, 50).state_dict(), saved)
    saved.seek(0)
    resumed = TDZero(12, rng=99)  # a resumed run's learner: its state comes from the file
    resumed.load_state_dict(torch.load(saved, weights_only=True))
    resumed.fit(GridWorld(slip=0.2, random_start=True), pi, 50)
    assert (resumed.V_ == whole.V_).all() and (resumed.visits_ == whole.visits_).all()
