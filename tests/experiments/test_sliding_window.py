"""sliding-window's options and what its smoke run measures (the claim itself needs the CMU
dictionary and two minutes: it is checked by running the experiment at seeds 0, 1, 2)."""

import pytest
from experiment_runs import execute

from nnzoo import registry
from nnzoo.errors import UserError


@pytest.mark.parametrize("widths, width", [("1,4,7", 7), ("1,3,5", 7), ("one", 7), ("", 1)])
def test_widths_must_be_odd_and_hold_the_claimed_one(widths, width):
    exp = registry.get("sliding-window")
    with pytest.raises(UserError, match="expected --widths to be odd positive widths"):
        exp.make_config({"widths": widths, "width": width})


def test_asking_for_more_words_than_there_are(runs_dir):
    with pytest.raises(UserError, match=r"--train-words \+ --test-words at most 150"):
        execute("sliding-window", runs_dir, smoke=True, train_words=140)


def test_the_smoke_run_measures_every_width_on_aligned_held_out_words(runs_dir):
    run, s = execute("sliding-window", runs_dir, smoke=True, widths="1,3,7")
    m = s["metrics"]
    for w in (1, 3, 7):
        assert 0 <= m[f"word_w{w}"] <= m[f"spoken_w{w}"] <= 1 and 0 <= m[f"phoneme_w{w}"] <= 1
    assert m["unaligned_train"] == 0 and m["symbols"] > 39
    assert {p.name for p in (run.dir / "figures").iterdir()} == {"accuracy_by_width.png",
                                                                  "examples.png"}
