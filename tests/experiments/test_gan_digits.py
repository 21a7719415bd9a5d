"""gan-digits on the embedded 8x8 digits (smoke settings): both generator losses run with the
saturating contrast, the figures are drawn; a generator that draws the test digits themselves
is judged exactly as the test digits are; options are checked."""

import pytest
import torch
from experiment_runs import execute

from nnzoo import registry
from nnzoo.errors import UserError
from nnzoo.models.gan import GAN


@pytest.mark.parametrize("loss", ["non-saturating", "saturating"])
def test_both_generator_losses_run_with_the_contrast(runs_dir, loss):
    run, s = execute("gan-digits", runs_dir, smoke=True, generator_loss=loss)
    m = s["metrics"]
    assert loss in s["headline"] and "saturating loss from the same start" in s["headline"]
    assert len(m["class_shares"]) == 10 and sum(m["class_shares"]) == pytest.approx(1)
    assert m["min_share"] == min(m["class_shares"])
    # a smoke run is not judged, but its checks still run: six rounds of a tiny GAN draw no digits
    assert s["status"] == "SMOKE OK" and not s["passed"] and "(FAILED: score" in s["headline"]
    assert sorted(s["figures"]) == ["losses.png", "samples.png"]
    lines = [line for line in (run.dir / "metrics.jsonl").read_text().splitlines()
             if "loss_D" in line]
    assert len(lines) == 2  # one line per snapshot (smoke: 2)


def test_a_generator_of_the_test_digits_is_judged_as_the_test_digits(runs_dir, monkeypatch):
    # G replaced by one that returns the test digits in turn (scaled to [-1, 1], as G's tanh
    # is), so that the scored samples are the test set once, in some rotation: the score
    # and the Frechet distance must then be the test digits' own, which they are not if the
    # samples reach the judge scaled or standardised wrongly
    from nnzoo.data import load

    X_test = load("digits").tensors()[2]  # (N, 1, 8, 8) in [0, 1]
    at = {"i": 0}

    def draws_test_digits(self, z):
        i = (at["i"] + torch.arange(len(z))) % len(X_test)
        at["i"] += len(z)
        return X_test[i] * 2 - 1

    monkeypatch.setattr(GAN, "sample", draws_test_digits)
    run, s = execute("gan-digits", runs_dir, smoke=True, scored=len(X_test),
                     saturating_rounds=0)
    m = s["metrics"]
    assert m["score"] == pytest.approx(m["real_score"], rel=1e-6)
    assert m["frechet"] == pytest.approx(0, abs=1e-6)
    assert 0.05 < m["min_share"] <= 0.1  # every digit is among the test digits


@pytest.mark.parametrize("values", [{"generator_loss": "wasserstein"}, {"k": 0},
                                    {"lr": -1.0}, {"saturating_rounds": -1}])
def test_bad_options_are_user_errors(values):
    with pytest.raises(UserError):
        registry.get("gan-digits").make_config(values)
