"""The pieces of the CNN experiments that compute something: top images, receptive patches,
the classifier loop's resume, and the image figures."""

import numpy as np
import pytest
import torch

from nnzoo import registry
from nnzoo.errors import UserError
from nnzoo.experiments.cnn import receptive_patch, top_images
from nnzoo.runs import Run
from nnzoo.viz.images import confusion_matrix, feature_maps, image_grid


def test_top_images_picks_each_units_strongest_images_and_positions():
    maps = torch.zeros(5, 2, 3, 3)  # (N, C, h, w)
    maps[3, 0, 1, 2] = 9.0  # unit 0: image 3 first (at row 1, col 2), then image 1
    maps[1, 0, 0, 0] = 4.0
    maps[0, 1, 2, 2] = 7.0  # unit 1: image 0 first, then image 4
    maps[4, 1, 2, 1] = 1.0
    images, positions = top_images(maps, top=2)
    assert images.tolist() == [[3, 1], [0, 4]]
    assert positions.tolist() == [[1 * 3 + 2, 0], [8, 7]]


def test_receptive_patch_of_a_3x3_convolution_unit():
    conv = torch.nn.Conv2d(1, 2, 3, bias=False)
    torch.nn.init.ones_(conv.weight)
    image = torch.arange(36.0).view(1, 6, 6)
    # unit 1 at (2, 1) of the 4x4 output sees input rows 2..4 and columns 1..3
    patch = receptive_patch(lambda x: [conv(x)], image, 0, 1, 2 * 4 + 1)
    torch.testing.assert_close(patch, image[:, 2:5, 1:4])


def test_image_figures_draw_what_they_are_given():
    fig = image_grid(np.random.rand(10, 8, 8), [str(k) for k in range(10)], ncols=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 10 and shown[3].get_title() == "3"
    fig = feature_maps([("input", torch.rand(1, 8, 8)), ("layer 1", torch.rand(6, 4, 4))],
                       per_stage=4)
    assert sum(bool(ax.images) for ax in fig.axes) == 1 + 4
    cm = np.array([[5, 1], [0, 3]])
    ax = confusion_matrix(cm, ["a", "b"]).axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "3", "5"]
    assert ax.get_title() == "8 of 9 correct"


def test_classifier_resumes_to_the_same_numbers(runs_dir, monkeypatch):
    exp = registry.get("mnist-cnn")
    values = {"data": "digits", "epochs": 3, "channels1": 4, "channels2": 8, "hidden": 16}

    def run_in(folder):
        return Run.create(exp, exp.make_config(values), runs_dir / folder, seed=0, device="cpu")

    first = run_in("a")
    whole = first.execute()
    real, calls = Run.checkpoint, {"n": 0}

    def die_after_epoch_2(self, state):
        real(self, state)
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(Run, "checkpoint", die_after_epoch_2)
    run = run_in("b")
    with pytest.raises(KeyboardInterrupt):
        run.execute()
    monkeypatch.setattr(Run, "checkpoint", real)
    resumed = Run.reopen(run.dir).execute()
    assert resumed["metrics"] == whole["metrics"]
    assert (run.dir / "metrics.jsonl").read_text() == (first.dir / "metrics.jsonl").read_text()


def test_a_network_too_big_for_the_images_is_a_user_error(runs_dir):
    exp = registry.get("mnist-cnn")
    run = Run.create(exp, exp.make_config({"data": "digits", "model": "lenet5"}), runs_dir,
                     seed=0, device="cpu")
    with pytest.raises(UserError, match=r"does not fit the digits images \(1x8x8\)"):
        run.execute()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mnist-linear", "mnist-mlp", "mnist-cnn", "fashion-cnn",
                                  "resnet-vs-plain", "densenet", "conv-filters"])
def test_cnn_claims_at_defaults(name, runs_dir):
    exp = registry.get(name)
    summary = Run.create(exp, exp.make_config(), runs_dir, seed=0, device="cpu").execute()
    assert summary["status"] == "PASS", summary["headline"]
