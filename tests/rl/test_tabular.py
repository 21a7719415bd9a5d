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


def test_one_double_q_update_by_hand():
    from nnzoo.rl.tabular import double_q_update

    # two tables, 2 states, 3 actions; table 0 learns from (s=0, a=1, r=0.5, s'=1)
    Q = np.zeros((1, 2, 2, 3))
    Q[0, 0, 1] = [1.0, 4.0, 2.0]  # Q_A(s', .): argmax_b = 1
    Q[0, 1, 1] = [9.0, -1.0, 7.0]  # Q_B(s', .): evaluates b = 1 -> -1 (not its own max 9)
    Q[0, 0, 0, 1] = 2.0
    double_q_update(Q, np.array([0]), 0, 1, 0.5, 1, False, eta=0.1, gamma=0.9)
    # Q_A(0,1) <- 2 + 0.1 [0.5 + 0.9 * Q_B(1, argmax_b Q_A(1, b)) - 2] = 2 + 0.1 (0.5 - 0.9 - 2)
    assert Q[0, 0, 0, 1] == pytest.approx(2 + 0.1 * (0.5 - 0.9 - 2))
    assert Q[0, 1, 0, 1] == 0.0  # Q_B unchanged
    # the other way round: table 1 learns, table 0 evaluates Q_B's argmax (b = 0 -> 1.0)
    double_q_update(Q, np.array([1]), 0, 1, 0.5, 1, False, eta=0.1, gamma=0.9)
    assert Q[0, 1, 0, 1] == pytest.approx(0.1 * (0.5 + 0.9 * 1.0))
    # into a terminal state: no future term
    double_q_update(Q, np.array([1]), 1, 2, -1.0, 0, True, eta=0.5, gamma=0.9)
    assert Q[0, 1, 1, 2] == pytest.approx(7 + 0.5 * (-1 - 7))


def test_q_learners_q_update_matches_the_single_learner():
    from nnzoo.rl.tabular import q_update

    Q = np.array([[[1.0, 2.0], [3.0, 4.0]]] * 2)  # two runs  (2, S, A)
    q_update(Q, np.array([0, 1]), np.array([1, 0]), np.array([1.0, 0.0]), np.array([1, 0]),
             np.array([False, True]), 0.5, 0.9)
    assert Q[0, 0, 1] == pytest.approx(3.3) and Q[1, 1, 0] == pytest.approx(1.5)


def test_maximization_bias_rewards():
    from nnzoo.rl.gridworld import MaximizationBias

    env, rng = MaximizationBias(b_actions=10, mean=-0.1, std=1.0), np.random.default_rng(0)
    s = env.reset(4)
    s2, r, done = env.step(s, np.array([0, 1, 0, 1]), rng)  # left, right, left, right
    assert s2[0] == s2[2] == env.B and (r == 0).all() and done.tolist() == [False, True] * 2
    n = 200_000
    s2, r, done = env.step(np.full(n, env.B), rng.integers(10, size=n), rng)
    assert done.all() and abs(r.mean() + 0.1) < 4 / n**0.5 and abs(r.std() - 1) < 0.01
    with pytest.raises(ValueError):
        env.step(np.array([env.A]), np.array([5]), rng)  # A has two actions
    assert env.valid.sum(axis=1).tolist() == [2, 10]


def test_q_learners_go_left_more_than_double_q_learners():
    from nnzoo.rl.gridworld import MaximizationBias
    from nnzoo.rl.tabular import QLearners

    env = MaximizationBias()
    left = {}
    for double in (False, True):
        L = QLearners(2000, 2, env.n_actions, double=double, valid=env.valid, rng=0).fit(env, 50)
        left[double] = np.mean([(a == env.LEFT).mean() for a in L.first_actions_])
        assert len(L.first_actions_) == 50 and L.Q_.shape == (2000, 2, 10)
    assert left[False] > 0.7 and left[True] < 0.4
