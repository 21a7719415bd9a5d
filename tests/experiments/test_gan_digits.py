"""gan-digits on the embedded 8x8 digits (smoke settings): both generator losses run, the
figures are drawn, and the judge's numbers are reported; options are checked."""

import pytest
from experiment_runs import execute

from nnzoo import registry
from nnzoo.errors import UserError


@pytest.mark.parametrize("loss", ["non-saturating", "saturating"])
def test_both_generator_losses_run_and_are_judged(runs_dir, loss):
    run, s = execute("gan-digits", runs_dir, smoke=True, generator_loss=loss)
    m = s["metrics"]
    assert 1.0 <= m["score"] <= 10.0 and m["frechet"] >= 0.0
    assert m["real_score"] > m["score"]  # a few rounds of a tiny GAN: worse than real digits
    assert loss in s["headline"]
    assert sorted(s["figures"]) == ["losses.png", "samples.png"]
    lines = [line for line in (run.dir / "metrics.jsonl").read_text().splitlines()
             if "loss_D" in line]
    assert len(lines) == 2  # one line per snapshot (smoke: 2)


@pytest.mark.parametrize("values", [{"generator_loss": "wasserstein"}, {"k": 0},
                                    {"lr": -1.0}])
def test_bad_options_are_user_errors(values):
    with pytest.raises(UserError):
        registry.get("gan-digits").make_config(values)
