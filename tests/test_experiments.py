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


def test_activations_claim(runs_dir):
    _, s = execute("activations", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["max_error"] < 1e-12


@pytest.mark.parametrize("prior", ["uniform", "fair"])
def test_bayes_claim(prior, runs_dir):
    _, s = execute("bayes", runs_dir, prior=prior)
    assert s["status"] == "PASS" and s["metrics"]["wd_map_error"] < 1e-6


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
NO_CHECKPOINT = {"logic-gates", "perceptron", "activations", "bayes", "q-learning"}


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


def test_twin_spirals_resumes_mid_training_to_the_same_numbers(runs_dir, monkeypatch):
    values = {"net": "raw", "hidden": 4, "epochs": 2500, "runs": 2}
    _, whole = execute("twin-spirals", runs_dir / "a", **values)
    # killed after run 1's epoch-2000 checkpoint
    resumed = interrupted_then_resumed("twin-spirals", runs_dir / "b", monkeypatch, 5, **values)
    assert resumed["metrics"] == whole["metrics"]


@pytest.mark.slow
@pytest.mark.parametrize("net", ["polar", "raw", "short"])
def test_twin_spirals_claim(net, runs_dir):
    _, s = execute("twin-spirals", runs_dir, net=net, runs=3)
    assert s["status"] == "PASS" and s["metrics"]["solved"] == 3


def test_encoder_claim(runs_dir):
    run, s = execute("encoder", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["reproduced"]


@pytest.mark.slow
def test_backprop_variations_claim(runs_dir):
    _, s = execute("backprop-variations", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["best_test_acc"] >= 0.97


@pytest.mark.slow
def test_ockham_claim(runs_dir):
    _, s = execute("ockham", runs_dir)
    assert s["status"] == "PASS" and 1 < s["metrics"]["best_hidden"] < 64


@pytest.mark.slow
def test_weight_space_search_claim(runs_dir):
    _, s = execute("weight-space-search", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["gd_median"] < s["metrics"]["hill_median"]


def test_hill_climbing_solves_an_easy_problem():
    import torch

    from nnzoo.experiments.backprop import hill_climb
    from nnzoo.models.mlp import MLP

    # one step unit, AND: local search finds weights with zero errors quickly
    X = torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    t = torch.tensor([[0.0], [0], [0], [1]])
    net = MLP([2, 1], activation="step", output="step")
    n = hill_climb(net, X, t, budget=5000, sigma=0.5, gen=torch.Generator().manual_seed(0))
    assert n is not None and (net(X) == t).all()
