"""The claims of encoder, backprop-variations, ockham and weight-space-search, and the
encoder's resume in the middle of training."""

import json

import pytest
from experiment_runs import execute, interrupted_then_resumed


def test_encoder_claim(runs_dir):
    _, s = execute("encoder", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["reproduced"]


def test_encoder_resumed_mid_training_draws_the_same_hidden_codes(runs_dir, monkeypatch):
    # checkpoints every 1000 epochs: killed after the first, the snapshots of epochs 50 to
    # 800 must come back from the checkpoint, not be lost
    whole_run, whole = execute("encoder", runs_dir / "a")
    run, resumed = interrupted_then_resumed("encoder", runs_dir / "b", monkeypatch, 1)
    assert whole["metrics"]["epochs"] > 1000 and resumed["resumed"]
    assert resumed["metrics"] == whole["metrics"]
    figure = "figures/hidden_dynamics.png"
    assert (run.dir / figure).read_bytes() == (whole_run.dir / figure).read_bytes()


@pytest.mark.slow
def test_backprop_variations_claim(runs_dir):
    _, s = execute("backprop-variations", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["best_test_acc"] >= 0.92
    assert s["metrics"]["ce_beats_sse"]


@pytest.mark.slow
def test_ockham_claim(runs_dir):
    _, s = execute("ockham", runs_dir)
    assert s["status"] == "PASS" and 1 < s["metrics"]["best_hidden"] < 64


def test_ockham_stops_with_exit_status_3_when_its_error_is_not_finite(runs_dir, monkeypatch):
    from nnzoo.data import synthetic
    from nnzoo.errors import Diverged

    real = synthetic.noisy_sine

    def one_nan_target(n, noise, rng):
        x, t = real(n, noise, rng)
        t[n // 2] = float("nan")
        return x, t

    monkeypatch.setattr(synthetic, "noisy_sine", one_nan_target)
    with pytest.raises(Diverged) as e:  # L-BFGS's first evaluation of E is NaN
        execute("ockham", runs_dir, smoke=True)
    assert e.value.exit_status == 3 and e.value.step == 0
    summary = json.loads(next(runs_dir.glob("ockham/*/summary.json")).read_text())
    assert summary["status"] == "DIVERGED"


@pytest.mark.slow
def test_weight_space_search_claim(runs_dir):
    _, s = execute("weight-space-search", runs_dir)
    assert s["status"] == "PASS" and s["metrics"]["gd_median"] < s["metrics"]["hill_median"]
