"""The CNN experiments: a classifier resumes to the same numbers, user errors fail before any
run folder exists, and (slow) every claim holds at its defaults."""

import pytest
from experiment_runs import execute, interrupted_then_resumed

from nnzoo import registry
from nnzoo.cli import main
from nnzoo.errors import UserError
from nnzoo.runs import Run

CNN = ["mnist-linear", "mnist-mlp", "mnist-cnn", "fashion-cnn", "resnet-vs-plain", "densenet",
       "conv-filters"]


def create(name, runs_dir, **values):
    exp = registry.get(name)
    return Run.create(exp, exp.make_config(values), runs_dir, seed=0, device="cpu")


def test_the_family_is_these_seven_in_the_course_order():
    assert [n for n, e in registry.load_all().items() if e.family == "cnn"] == CNN


def test_classifier_resumes_to_the_same_numbers(runs_dir, monkeypatch):
    values = {"data": "digits", "epochs": 3, "channels1": 4, "channels2": 8, "hidden": 16}
    first, whole = execute("mnist-cnn", runs_dir / "a", **values)
    run, resumed = interrupted_then_resumed("mnist-cnn", runs_dir / "b", monkeypatch, 2,
                                            **values)  # killed after epoch 2 of 3
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]
    assert (run.dir / "metrics.jsonl").read_text() == (first.dir / "metrics.jsonl").read_text()


def test_a_comparison_resumed_in_its_second_network_ends_as_one_never_stopped(runs_dir,
                                                                               monkeypatch):
    values = {"growth": 4, "layers": 2, "blocks": 1, "width": 4, "epochs": 2}
    _, whole = execute("densenet", runs_dir / "a", **values)
    # killed after DenseNet's 2 epochs, its part, and ResNet's first epoch
    _, resumed = interrupted_then_resumed("densenet", runs_dir / "b", monkeypatch, 4, **values)
    assert resumed["resumed"] and resumed["metrics"] == whole["metrics"]


def test_mnist_cnn_compares_with_the_fully_connected_networks_as_their_experiments_train_them(
        runs_dir):
    # at their defaults (on the small digits), mnist-mlp's NetFull and its NetLin reference
    # are the very networks mnist-cnn measures itself against
    _, mlp = execute("mnist-mlp", runs_dir / "mlp", data="digits")
    _, cnn = execute("mnist-cnn", runs_dir / "cnn", smoke=True)
    assert cnn["metrics"]["netfull_errors"] == mlp["metrics"]["errors"]
    assert cnn["metrics"]["netlin_errors"] == mlp["metrics"]["netlin_errors"]
    assert f"NetFull {mlp['metrics']['errors']}, NetLin" in cnn["headline"]


def test_a_network_too_big_for_the_images_is_a_user_error(runs_dir):
    run = create("mnist-cnn", runs_dir, data="digits", model="lenet5")
    with pytest.raises(UserError, match=r"does not fit the digits images \(1x8x8\)"):
        run.execute()


def test_resnet_vs_plain_needs_deeper_networks_than_its_reference_before_any_folder(
        runs_dir, capsys):
    assert main(["run", "resnet-vs-plain", "--blocks", "1", "--quiet", "--out",
                 str(runs_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert "expected --blocks (the deep networks) to be larger than --shallow" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not runs_dir.exists() or not any(runs_dir.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("name", CNN)
def test_cnn_claims_at_defaults(name, runs_dir):
    summary = create(name, runs_dir).execute()
    assert summary["status"] == "PASS", summary["headline"]
