"""The RL family's experiments: the quick claims, resuming in the middle of a DQN
comparison and after Pong's last batch, and the slow reproductions."""

import pytest

from nnzoo import registry
from nnzoo.runs import Run


def execute(name, runs_dir, smoke=False, **values):
    exp = registry.get(name)
    run = Run.create(exp, exp.make_config(values, smoke=smoke), runs_dir, seed=0, device="cpu",
                     smoke=smoke)
    return run, run.execute()


def interrupted_then_resumed(name, runs_dir, monkeypatch, kill_at, smoke=False, **values):
    """Run `name` until its checkpoint number `kill_at`, 'kill' it there and resume it from
    its folder -> the resumed run's summary."""
    real, calls = Run.checkpoint, {"n": 0}

    def die_after_checkpoint(self):
        real(self)
        calls["n"] += 1
        if calls["n"] == kill_at:
            raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", die_after_checkpoint)
    exp = registry.get(name)
    run = Run.create(exp, exp.make_config(values, smoke=smoke), runs_dir, seed=0, device="cpu",
                     smoke=smoke)
    with pytest.raises(KeyboardInterrupt):
        run.execute()
    monkeypatch.setattr(Run, "checkpoint", real)
    return Run.reopen(run.dir).execute()


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
    resumed = interrupted_then_resumed("dqn", runs_dir / "b", monkeypatch, 3, smoke=True)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert {"dqn_final_q_start", "double_final_q_start"} <= set(whole["metrics"])


def test_pong_reinforce_resumed_after_its_last_batch_ends_with_the_same_numbers(runs_dir,
                                                                               monkeypatch):
    # the games are re-seeded at every batch: a resumed run is number-for-number; killed
    # after the last batch, the resumed run only draws (the first batch's frame restored)
    _, whole = execute("pong-reinforce", runs_dir / "a", smoke=True)
    resumed = interrupted_then_resumed("pong-reinforce", runs_dir / "b", monkeypatch, 2,
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
