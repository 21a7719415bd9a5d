import gymnasium as gym
import numpy as np
import pytest

from nnzoo.rl.gridworld import (
    GridWorld,
    policy_values,
    reachable_states,
    terminal_states,
    value_iteration,
)


def test_value_iteration_on_the_deterministic_world_by_hand():
    env = GridWorld(slip=0.0, step_reward=-0.04)
    V, Q, pi = value_iteration(env.P, 12, 4, gamma=0.9)
    # row 0 is "...G": next to G the best move enters it (+1); one further: -0.04 + 0.9 * 1
    assert V[2] == pytest.approx(1.0)
    assert V[1] == pytest.approx(-0.04 + 0.9)
    assert V[0] == pytest.approx(-0.04 + 0.9 * (-0.04 + 0.9))
    assert pi[2] == 1 and pi[1] == 1  # right, right
    assert Q[2, 3] == pytest.approx(-0.04 + 0.9 * V[1])  # left from next-to-G


def test_stochastic_world_values_satisfy_bellman_and_the_policy_equation():
    env = GridWorld(slip=0.2)
    V, Q, pi = value_iteration(env.P, 12, 4, gamma=0.95)
    for s in set(range(12)) - terminal_states(env.P) - {5}:  # 5 is the wall
        bellman = max(sum(p * (r + (0 if t else 0.95 * V[s2])) for p, s2, r, t in env.P[s][a])
                      for a in range(4))
        assert V[s] == pytest.approx(bellman, abs=1e-10)
    np.testing.assert_allclose(policy_values(env.P, 12, 4, 0.95, pi), V, atol=1e-9)
    # a slippery world is worth less than a deterministic one
    V0, *_ = value_iteration(GridWorld(slip=0.0).P, 12, 4, gamma=0.95)
    assert (V <= V0 + 1e-12).all() and V[8] < V0[8]


def test_grid_world_follows_its_model():
    env = GridWorld(slip=0.2)
    s, _ = env.reset(seed=0)
    assert s == env.start == 8
    seen = {}
    for _ in range(4000):
        env.s = 8
        s2, r, term, trunc, _ = env.step(0)  # up from the start: 0.8 up, 0.1 right, 0.1 stay
        seen[s2] = seen.get(s2, 0) + 1
        assert r == -0.04 and not term and not trunc
    assert seen[4] / 4000 == pytest.approx(0.8, abs=0.03)
    assert seen[9] / 4000 == pytest.approx(0.1, abs=0.02)
    assert seen[8] / 4000 == pytest.approx(0.1, abs=0.02)
    assert terminal_states(env.P) == {3, 7}


def test_random_starts_avoid_walls_and_terminals():
    env = GridWorld(random_start=True)
    starts = {env.reset(seed=i)[0] for i in range(200)}
    assert starts == set(range(12)) - {3, 5, 7}


def test_model_of_a_gymnasium_toy_text_env():
    u = gym.make("CliffWalking-v1").unwrapped
    V, _, pi = value_iteration(u.P, 48, 4, gamma=1.0, max_iter=1000)
    assert V[36] == pytest.approx(-13)  # the shortest path along the cliff: 13 steps of -1
    assert 40 not in reachable_states(u.P, 36)  # the cliff sends the agent back to the start
    with pytest.raises(ValueError):
        GridWorld(slip=2)


def test_the_rl_package_imports_its_agents_lazily():
    import nnzoo.rl
    from nnzoo.rl.dqn import DQN

    assert nnzoo.rl.GridWorld is GridWorld and nnzoo.rl.DQN is DQN
    with pytest.raises(AttributeError):
        nnzoo.rl.NoSuchAgent  # noqa: B018
