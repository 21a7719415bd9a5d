"""texture-synthesis and style-transfer: without the weights they stop with the fetch command,
--weights takes a user's VGG-19 state dict (checked), --features random needs no download."""

import pytest
import torch
from experiment_runs import execute

from nnzoo.cli import main
from nnzoo.errors import DataError, UserError
from nnzoo.models.style import CONVS
from nnzoo.models.style.vgg import TORCHVISION_INDEX

EXPERIMENTS = ["texture-synthesis", "style-transfer"]


@pytest.fixture
def no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "empty-cache"))


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_without_the_weights_the_run_stops_with_the_fetch_command(name, runs_dir, no_cache,
                                                                  capsys):
    with pytest.raises(DataError, match=r"fetch it with `nnzoo data fetch vgg19`"):
        execute(name, runs_dir, smoke=True, features="vgg19")
    assert main(["run", name, "--smoke", "--features", "vgg19", "--size", "16"]) == 2
    assert "nnzoo data fetch vgg19" in capsys.readouterr().err


def small_torchvision_vgg(path):
    """torchvision's layout, each filter averaging its inputs (1 / fan-in), broadcast from one
    number: a few bytes on disk."""
    state = {}
    for i, (_, c_in, c_out) in zip(TORCHVISION_INDEX, CONVS):
        state[f"features.{i}.weight"] = torch.full((1,), 1 / (9 * c_in)).expand(c_out, c_in, 3, 3)
        state[f"features.{i}.bias"] = torch.zeros(1).expand(c_out)
    torch.save(state, path)
    return path


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_a_users_own_weights(name, runs_dir, tmp_path, no_cache):
    weights = small_torchvision_vgg(tmp_path / "mine.pth")
    run, summary = execute(name, runs_dir, smoke=True, features="vgg19", weights=str(weights))
    assert summary["status"] == "SMOKE OK" and summary["figures"]  # a smoke run: not judged
    torch.save({"features.0.weight": torch.zeros(1)}, tmp_path / "bad.pth")
    with pytest.raises(UserError, match="missing features.0.bias"):
        execute(name, runs_dir, smoke=True, features="vgg19", weights=str(tmp_path / "bad.pth"))


def test_options_that_do_not_go_together(runs_dir):
    with pytest.raises(UserError, match="drop --weights, or use --features vgg19"):
        execute("texture-synthesis", runs_dir, smoke=True, weights="w.pth")
    with pytest.raises(UserError, match="--snapshots at most --steps"):
        execute("style-transfer", runs_dir, smoke=True, steps=2, snapshots=3)
    with pytest.raises(UserError, match="--texture brik: .*did you mean brick"):
        execute("texture-synthesis", runs_dir, smoke=True, texture="brik")


def test_a_smoke_run_with_random_features_lowers_the_cost(runs_dir, no_cache):
    _, summary = execute("style-transfer", runs_dir, smoke=True, steps=10, snapshots=2)
    m = summary["metrics"]
    assert m["total_final"] < m["total_start"] and m["style_final"] < m["style_start"]
    _, summary = execute("texture-synthesis", runs_dir, smoke=True, steps=10, snapshots=2)
    assert summary["metrics"]["loss_fall"] > 10


def test_a_texture_that_copies_its_source_fails(runs_dir, no_cache, monkeypatch):
    """The check of "a new picture, not a copy": the run's result swapped for the source
    shifted by a few pixels (a copy whose texture loss is near zero) FAILs on its crops."""
    import torch

    from nnzoo import registry
    from nnzoo.training import pixels

    names = registry.get("texture-synthesis").fn.__globals__  # the experiment's own names
    real_picture, real_optimise, seen = names["picture"], pixels.optimise, {}

    def picture(*args, **kwargs):
        seen["source"] = real_picture(*args, **kwargs)
        return seen["source"]

    def copying(cost, x0, run, **kwargs):
        start, _, parts = real_optimise(cost, x0, run, **kwargs)
        copy = torch.roll(seen["source"][0], (3, 5), dims=(1, 2)).cpu()  # (3, h, w)
        parts[-1]["image"] = copy
        with torch.no_grad():
            final = {k: float(v) for k, v in cost.terms(copy[None]).items()}
        return start, final, parts

    monkeypatch.setitem(names, "picture", picture)
    monkeypatch.setattr(pixels, "optimise", copying)
    _, summary = execute("texture-synthesis", runs_dir, smoke=True, size=64, steps=2,
                         snapshots=1)
    m = summary["metrics"]
    assert m["copy_score"] < 1e-3 and m["loss_fall"] > 100 and not summary["passed"]


def test_a_grey_source_is_synthesised_in_grey(runs_dir, no_cache):
    _, summary = execute("texture-synthesis", runs_dir, smoke=True)  # brick: grey
    assert summary["metrics"]["grey"] is True and summary["metrics"]["copy_score"] > 0.5
    _, summary = execute("texture-synthesis", runs_dir, smoke=True, texture="coffee")
    assert summary["metrics"]["grey"] is False


def test_style_transfer_measures_the_content_against_the_style_alone(runs_dir, no_cache):
    _, summary = execute("style-transfer", runs_dir, smoke=True)
    m = summary["metrics"]
    assert m["content_start"] == 0  # it starts from the photograph
    assert m["content_kept"] == pytest.approx(m["content_alone"] / m["content_final"])
    assert m["content_alone"] > m["content_final"] and m["style_fall"] > 1
