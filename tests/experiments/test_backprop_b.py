"""The claims of encoder, backprop-variations, ockham and weight-space-search, and the
encoder's resume in the middle of training."""

import pytest

from nnzoo import registry
from nnzoo.runs import Run


def execute(name, runs_dir, **values):
    exp = registry.get(name)
    run = Run.create(exp, exp.make_config(values), runs_dir, seed=0, device="cpu")
    return run, run.execute()


def test_encoder_claim(runs_dir):
    _, s = execute("encoder", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["reproduced"]


def test_encoder_resumed_mid_training_draws_the_same_hidden_codes(runs_dir, monkeypatch):
    # checkpoints every 1000 epochs: killed after the first, the snapshots of epochs 50 to
    # 800 must come back from the checkpoint, not be lost
    whole_run, whole = execute("encoder", runs_dir / "a")
    real, calls = Run.checkpoint, {"n": 0}

    def die_after_first_checkpoint(self):
        real(self)
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", die_after_first_checkpoint)
    exp = registry.get("encoder")
    run = Run.create(exp, exp.make_config({}), runs_dir / "b", seed=0, device="cpu")
    with pytest.raises(KeyboardInterrupt):
        run.execute()
    monkeypatch.setattr(Run, "checkpoint", real)
    resumed = Run.reopen(run.dir).execute()
    assert whole["metrics"]["epochs"] > 1000 and resumed["resumed"]
    assert resumed["metrics"] == whole["metrics"]
    figure = "figures/hidden_dynamics.png"
    assert (run.dir / figure).read_bytes() == (whole_run.dir / figure).read_bytes()


@pytest.mark.slow
def test_backprop_variations_claim(runs_dir):
    _, s = execute("backprop-variations", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["best_test_acc"] >= 0.92


@pytest.mark.slow
def test_ockham_claim(runs_dir):
    _, s = execute("ockham", runs_dir)
    assert s["status"] == "PASS" and 1 < s["metrics"]["best_hidden"] < 64


@pytest.mark.slow
def test_weight_space_search_claim(runs_dir):
    _, s = execute("weight-space-search", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["gd_median"] < s["metrics"]["hill_median"]
