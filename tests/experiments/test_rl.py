"""The RL family's experiments: the quick claims, resuming in the middle of a DQN
comparison and after Pong's last batch, and the slow reproductions."""

import pytest
from experiment_runs import execute, interrupted_then_resumed

from nnzoo import registry


def test_td_gridworld_claim(runs_dir):
    _, s = execute("td-gridworld", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["max_error"] < 0.01


@pytest.mark.parametrize("env", ["cliffwalking", "frozenlake", "taxi"])
def test_q_learning_claim(env, runs_dir):
    run, s = execute("q-learning", runs_dir, env=env)
    assert s["status"] == "PASS" and s["metrics"]["optimal"]
    assert (run.dir / "figures" / "policy.png").stat().st_size > 1000


def test_dqn_resumes_mid_training_to_the_same_numbers(runs_dir, monkeypatch):
    _, whole = execute("dqn", runs_dir / "a", smoke=True)
    # killed after the third checkpoint: during the second agent (smoke compares both)
    _, resumed = interrupted_then_resumed("dqn", runs_dir / "b", monkeypatch, 3, smoke=True)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert {"dqn_final_q_start", "double_final_q_start"} <= set(whole["metrics"])


def test_pong_reinforce_resumed_after_its_last_batch_ends_with_the_same_numbers(runs_dir,
                                                                               monkeypatch):
    # the games are re-seeded at every batch: a resumed run is number-for-number; killed
    # after the last batch, the resumed run only draws (the first batch's frame restored)
    _, whole = execute("pong-reinforce", runs_dir / "a", smoke=True)
    _, resumed = interrupted_then_resumed("pong-reinforce", runs_dir / "b", monkeypatch, 2,
                                          smoke=True)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert whole["metrics"]["episodes"] == 4 and not registry.get("pong-reinforce").tour
    assert resumed["figures"] == whole["figures"] == ["pixels_and_weights.png", "returns.png"]


@pytest.mark.slow
def test_reinforce_claim(runs_dir):
    _, s = execute("reinforce", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["solved"] >= 4


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dqn", "dqn-acrobot", "dqn-mountaincar", "a2c", "a3c"])
def test_control_claims(name, runs_dir):
    _, s = execute(name, runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["solved_at"] is not None


def test_double_q_claim(runs_dir):
    run, s = execute("double-q", runs_dir, runs=2000)
    m = s["metrics"]
    assert s["status"] == "PASS" and m["q_left_early"] > 3 * m["double_left_early"]
    assert (run.dir / "figures" / "left.png").stat().st_size > 1000


@pytest.mark.slow
def test_policy_search_claim(runs_dir):
    _, s = execute("policy-search", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["solved_at_reinforce"] is not None
