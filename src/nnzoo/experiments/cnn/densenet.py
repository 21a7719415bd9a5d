"""densenet: a DenseNet, where each layer reads all preceding layers of its block, matches a
ResNet's accuracy with a fraction of its weights."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.experiments.cnn._shared import DIGITS_DATA, DigitsConfig
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class DensenetConfig(DigitsConfig):
    growth: PositiveInt = 12
    """DenseNet: channels each layer adds to its block (the growth rate k)."""
    layers: PositiveInt = 4
    """DenseNet: layers per dense block (three blocks)."""
    blocks: PositiveInt = 3
    """ResNet: residual blocks per stage (depth 6 * blocks + 2)."""
    width: PositiveInt = 16
    """ResNet: channels of the first stage."""
    epochs: PositiveInt = 20
    """Passes through the training images."""


@experiment(
    "densenet", kind="supervised", config=DensenetConfig, seconds=20, parallel=True,
    claim="a DenseNet, where each layer reads all preceding layers of its block, matches a "
          "ResNet's accuracy with a fraction of its weights",
    expects="the DenseNet's test accuracy is at most 1 point below the ResNet's, with fewer "
            "than half as many weights",
    data=DIGITS_DATA,
    smoke={"growth": 4, "layers": 2, "blocks": 1, "width": 4, "epochs": 2},
)
def run(cfg: DensenetConfig, run: Run) -> Result:
    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import DenseNet, ResNet
    from nnzoo.registry import build
    from nnzoo.training.classifiers import train_several
    from nnzoo.viz.images import comparison_curves

    depth = 6 * cfg.blocks + 2
    names = (f"densenet (k={cfg.growth}, {cfg.layers} layers per block)", f"resnet-{depth}")
    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    results = train_several({
        names[0]: lambda s, k: build(DenseNet, cfg, in_shape=s, classes=k),
        names[1]: lambda s, k: build(ResNet, cfg, in_shape=s, classes=k),
    }, images, run, epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr)
    dense, res = results[names[0]], results[names[1]]
    run.save_figure(comparison_curves(results, "DenseNet vs ResNet"), "training_curves")
    run.save_figure(_weights_vs_accuracy(results), "weights_vs_accuracy")
    passed = dense["test_acc"] >= res["test_acc"] - 0.01 and dense["weights"] < res["weights"] / 2
    return Result(passed, f"DenseNet {dense['test_acc']:.2%} with {dense['weights']:,} weights; "
                          f"ResNet-{depth} {res['test_acc']:.2%} with {res['weights']:,}",
                  {"densenet_test_acc": dense["test_acc"], "densenet_weights": dense["weights"],
                   "resnet_test_acc": res["test_acc"], "resnet_weights": res["weights"]})


def _weights_vs_accuracy(results: dict):
    from nnzoo.viz import figure

    fig, axes = figure(1, 1, size=4.5)
    ax = axes[0, 0]
    for k, (name, r) in enumerate(results.items()):
        ax.scatter(r["weights"], r["test_acc"], s=60, color=f"C{k}", label=name, zorder=3)
    ax.set(xscale="log", xlabel="weights (log scale)", ylabel="test accuracy",
           title="accuracy against size")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig
