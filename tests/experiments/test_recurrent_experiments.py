"""The recurrent experiments' options and checks (the claims themselves take minutes: they are
checked by running each experiment at seeds 0, 1, 2)."""

import pytest
from experiment_runs import execute, interrupted_then_resumed

from nnzoo import registry
from nnzoo.errors import UserError

SMALL_LAGS = {"lags": "3,30", "tries": 1, "epochs": 3, "train_sequences": 64,
              "test_sequences": 64, "hidden": 4, "short": 3, "long": 30, "srn_at_most": 0,
              "gated_at_least": 1}


@pytest.mark.parametrize("values, message", [
    ({"lags": "10,x"}, "expected --lags to be positive integers"),
    ({"lags": "0,10"}, "expected --lags to be positive integers"),
    ({"srn_at_most": 4}, "between 0 and --tries"),
    ({"gated_at_least": 4}, "between 0 and --tries")])
def test_long_range_options(values, message):
    with pytest.raises(UserError, match=message):
        registry.get("long-range").make_config(values)


def test_long_range_counts_the_tries_each_network_solves(runs_dir):
    run, s = execute("long-range", runs_dir, **SMALL_LAGS)
    m = s["metrics"]
    for cell in ("srn", "lstm", "gru"):
        for lag in (3, 30):
            held_out = m[f"{cell}_held_out_lag{lag}"]
            assert len(held_out) == 1 and 0 <= held_out[0] <= 1
            assert m[f"{cell}_solved_lag{lag}"] == (held_out[0] >= 0.95)
    assert (s["status"] == "PASS") == (
        all(m[f"{c}_solved_lag3"] == 1 for c in ("srn", "lstm", "gru"))
        and m["srn_solved_lag30"] == 0 and m["lstm_solved_lag30"] == m["gru_solved_lag30"] == 1)
    assert {p.name for p in (run.dir / "figures").iterdir()} == {"solved_by_lag.png"}


def test_long_range_resumes_mid_sweep_to_the_same_numbers(runs_dir, monkeypatch):
    _, whole = execute("long-range", runs_dir / "a", **SMALL_LAGS)
    # a checkpoint after each evaluation of each network and after each network: killed
    # in the middle of the six networks
    _, resumed = interrupted_then_resumed("long-range", runs_dir / "b", monkeypatch, 9,
                                          **SMALL_LAGS)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]


def test_long_range_reber_option_runs(runs_dir):
    _, s = execute("long-range", runs_dir, smoke=True, task="reber")
    assert {"srn_long_range", "lstm_long_range", "gru_long_range"} <= set(s["metrics"])


@pytest.mark.parametrize("name", ["anbn", "anbncn"])
def test_counting_claims_fail_when_all_or_none_learn(name):
    cfg = registry.get(name).make_config({})
    assert 0 < cfg.at_least <= cfg.at_most < cfg.copies
    assert cfg.holds(cfg.at_least) and cfg.holds(cfg.at_most)
    assert not cfg.holds(cfg.copies) and not cfg.holds(0)  # every copy, or none, learned
    assert not cfg.holds(cfg.at_least - 1) and not cfg.holds(cfg.at_most + 1)
    with pytest.raises(UserError, match="--at-least <= --at-most <= --copies"):
        registry.get(name).make_config({"copies": 8, "at_most": 9})


def test_reber_passes_on_the_share_of_strings_predicted_legally(runs_dir):
    _, s = execute("reber", runs_dir / "a", smoke=True)  # 100 epochs on 20 strings: too few
    assert s["metrics"]["legal_strings"] < 0.95 and not s["passed"]  # judged, not shown: SMOKE OK
    _, s = execute("reber", runs_dir / "b", epochs=300, test_strings=200)
    assert s["metrics"]["legal_strings"] >= 0.95 and s["status"] == "PASS"
