"""Every registered experiment runs --smoke, draws its pictures, and, killed after its first
checkpoint, resumes to the same result."""

import pytest
from experiment_runs import execute, interrupted_then_resumed

from nnzoo import registry

EXPERIMENTS = list(registry.load_all())
SMOKE = {}  # name -> summary of its smoke run, for the resume test to compare with


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_smoke(name, runs_dir):
    run, summary = execute(name, runs_dir, smoke=True)
    SMOKE[name] = summary
    assert summary["status"] == "SMOKE OK" and summary["smoke"]  # a smoke run is not judged
    assert summary["figures"], "every experiment draws its picture"
    for fig in summary["figures"]:
        assert (run.dir / "figures" / fig).stat().st_size > 1000


# Experiments that a resumed run cannot repeat number for number, and why.
NOT_REPEATABLE = {
    "a3c": "its workers update shared weights asynchronously: runs with one seed differ",
}
# Experiments that never checkpoint: they take a second or two, nothing to resume.
NO_CHECKPOINT = {"logic-gates", "perceptron", "activations", "bayes", "vanishing-gradients",
                 "cooccurrence",
                 "q-learning", "hopfield-recall"}


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_a_run_killed_after_its_first_checkpoint_resumes_to_the_same_result(name, runs_dir,
                                                                            monkeypatch):
    killed = interrupted_then_resumed(name, runs_dir / "b", monkeypatch, 1, smoke=True)
    if killed is None:
        assert name in NO_CHECKPOINT, f"{name} never checkpoints: make its work parts"
        return
    _, resumed = killed
    assert name not in NO_CHECKPOINT and resumed["resumed"]
    if name in NOT_REPEATABLE:
        assert resumed["status"] == "SMOKE OK"
        return
    whole = SMOKE.get(name) or execute(name, runs_dir / "a", smoke=True)[1]
    for key in ("status", "headline", "metrics", "figures"):
        assert resumed[key] == whole[key], key
