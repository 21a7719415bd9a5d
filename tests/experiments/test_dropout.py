"""dropout's measurement on a smaller net and training set: the network without dropout learns
most of the wrong labels, the one with dropout far fewer; the options are checked."""

import pytest
from experiment_runs import execute

from nnzoo import registry
from nnzoo.errors import UserError

SMALL = {"n_train": 100, "hidden": 128, "epochs": 150, "lr": 0.05, "eval_every": 50}


def test_without_dropout_the_wrong_labels_are_learned_with_dropout_far_fewer(runs_dir):
    _, s = execute("dropout", runs_dir, **SMALL)
    m = s["metrics"]
    assert m["wrong_learned_plain"] >= 0.6
    assert m["wrong_learned_dropout"] <= m["wrong_learned_plain"] - 0.3
    assert m["train_err_dropout"] >= m["train_err_plain"] + 0.1


def test_clean_labels_leave_nothing_wrong_to_learn(runs_dir):
    _, s = execute("dropout", runs_dir, label_noise=0.0, **SMALL)
    assert s["metrics"]["wrong_learned_plain"] == s["metrics"]["wrong_learned_dropout"] == 0


@pytest.mark.parametrize("values", [{"dropout": 0.0}, {"n_train": 2000}])
def test_options_out_of_range_are_user_errors(values):
    with pytest.raises(UserError):
        registry.get("dropout").make_config(values)
