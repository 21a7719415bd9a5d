"""Every registered experiment runs --smoke; the quick ones reproduce their claim."""

import pytest

from nnzoo import registry
from nnzoo.runs import Run

EXPERIMENTS = sorted(registry.load_all())


def execute(name, runs_dir, smoke=False, **values):
    exp = registry.get(name)
    run = Run.create(exp, exp.make_config(values, smoke=smoke), runs_dir, seed=0, device="cpu",
                     smoke=smoke)
    return run, run.execute()


SMOKE = {}  # name -> summary of its smoke run, for the resume test to compare with


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_smoke(name, runs_dir):
    run, summary = execute(name, runs_dir, smoke=True)
    SMOKE[name] = summary
    assert summary["status"] in ("PASS", "FAIL") and summary["smoke"]
    assert summary["figures"], "every experiment draws its picture"
    for fig in summary["figures"]:
        assert (run.dir / "figures" / fig).stat().st_size > 1000


def test_logic_gates_claim(runs_dir):
    _, s = execute("logic-gates", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["gates_exact"] == 5


@pytest.mark.parametrize("task", ["and", "or", "nor", "separable"])
def test_perceptron_converges_on_separable_tasks(task, runs_dir):
    _, s = execute("perceptron", runs_dir, task=task)
    assert s["status"] == "PASS" and s["metrics"]["training_errors"] == 0


def test_perceptron_reports_xor_not_separable(runs_dir):
    _, s = execute("perceptron", runs_dir, task="xor")
    assert s["status"] == "PASS" and s["metrics"]["cycled"] and not s["metrics"]["converged"]
    assert "not linearly separable" in s["headline"]


def test_xor_backprop_claim_at_defaults(runs_dir):
    _, s = execute("xor-backprop", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["solved"] >= 9


def test_xor_backprop_reports_stalled_runs(runs_dir):
    # large initial weights make many runs stall in a local minimum: the count must show it
    _, s = execute("xor-backprop", runs_dir, init=2.0, epochs=1000, runs=6)
    assert s["metrics"]["stalled"] >= 1 and s["metrics"]["solved"] + s["metrics"]["stalled"] == 6


def interrupted_then_resumed(name, runs_dir, monkeypatch, kill_at, smoke=False, **values):
    """Run `name` until its checkpoint number `kill_at`, 'kill' it there, resume it from its
    folder; -> the resumed run's summary, or None when the run ended before that checkpoint."""
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
    try:
        run.execute()
        return None
    except KeyboardInterrupt:
        pass
    finally:
        monkeypatch.setattr(Run, "checkpoint", real)
    return Run.reopen(run.dir).execute()


# Experiments that a resumed run cannot repeat number for number, and why.
NOT_REPEATABLE = {
    "a3c": "its workers update shared weights asynchronously: runs with one seed differ",
}
# Experiments that never checkpoint: they take a second or two, nothing to resume.
NO_CHECKPOINT = {"logic-gates", "perceptron", "activations", "bayes", "vanishing-gradients"}


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_a_run_killed_after_its_first_checkpoint_resumes_to_the_same_result(name, runs_dir,
                                                                            monkeypatch):
    resumed = interrupted_then_resumed(name, runs_dir / "b", monkeypatch, 1, smoke=True)
    if resumed is None:
        assert name in NO_CHECKPOINT, f"{name} never checkpoints: make its work parts"
        return
    assert name not in NO_CHECKPOINT and resumed["resumed"]
    if name in NOT_REPEATABLE:
        assert resumed["status"] in ("PASS", "FAIL")
        return
    whole = SMOKE.get(name) or execute(name, runs_dir / "a", smoke=True)[1]
    for key in ("status", "headline", "metrics", "figures"):
        assert resumed[key] == whole[key], key


@pytest.mark.parametrize("kill_at", [1, 2])  # after the first batch; after the last one
def test_pong_reinforce_resumes_to_the_same_numbers(kill_at, runs_dir, monkeypatch):
    # the games are re-seeded at every batch: a resumed run is number-for-number
    _, whole = execute("pong-reinforce", runs_dir / "a", smoke=True)
    resumed = interrupted_then_resumed("pong-reinforce", runs_dir / "b", monkeypatch, kill_at,
                                       smoke=True)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert whole["metrics"]["episodes"] == 4 and not registry.get("pong-reinforce").tour
    assert resumed["figures"] == whole["figures"] == ["pixels_and_weights.png", "returns.png"]




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
    assert resumed["metrics"] == whole["metrics"]


@pytest.mark.parametrize("name", ["reinforce", "a2c"])
def test_policy_gradients_resume_mid_training_to_the_same_numbers(name, runs_dir, monkeypatch):
    values = {"steps": 4000, "hidden": 16} if name == "reinforce" else {"steps": 6000}
    _, whole = execute(name, runs_dir / "a", smoke=True, **values)
    resumed = interrupted_then_resumed(name, runs_dir / "b", monkeypatch, 2, smoke=True,
                                       **values)
    assert resumed["metrics"] == whole["metrics"]


@pytest.mark.slow
def test_reinforce_claim(runs_dir):
    _, s = execute("reinforce", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["solved"] >= 4


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dqn", "dqn-acrobot", "dqn-mountaincar", "a2c", "a3c"])
def test_control_claims(name, runs_dir):
    _, s = execute(name, runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["solved_at"] is not None
