"""resnet-vs-plain: a deep plain network trains worse than a shallower one (degradation); the
same layers with skip connections (a ResNet) train faster (a lower training loss at every
epoch after the first) and end better."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.errors import UserError
from nnzoo.experiments.cnn._shared import DIGITS_DATA, DigitsConfig
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class ResnetVsPlainConfig(DigitsConfig):
    blocks: PositiveInt = 5
    """Blocks of two 3x3 convolution layers per stage; depth = 6 * blocks + 2 layers."""
    shallow: PositiveInt = 1
    """Blocks per stage of the shallower plain network trained for reference."""
    width: PositiveInt = 8
    """Channels of the first stage (the next two have twice and four times as many)."""
    epochs: PositiveInt = 15
    """Passes through the training images."""

    def __post_init__(self):
        super().__post_init__()
        if self.blocks <= self.shallow:
            raise UserError(f"expected --blocks (the deep networks) to be larger than "
                            f"--shallow (the reference), got --blocks {self.blocks} and "
                            f"--shallow {self.shallow}; raise --blocks or lower --shallow")


@experiment(
    "resnet-vs-plain", kind="supervised", config=ResnetVsPlainConfig, seconds=16,
    parallel=True,
    claim="a deep plain network of stacked 3x3 convolutions (with batch norm) trains worse "
          "than a shallower one (degradation); the same layers with a skip connection around "
          "every pair (a ResNet) train faster and end better",
    expects="at 32 layers the residual network's training loss is lower than the plain one's "
            "at every epoch after the first, and it ends with a higher test accuracy; the "
            "32-layer plain network ends with a higher training loss than the 8-layer one",
    data=DIGITS_DATA,
    smoke={"blocks": 2, "width": 4, "epochs": 2},
)
def run(cfg: ResnetVsPlainConfig, run: Run) -> Result:
    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import ResNet
    from nnzoo.training.classifiers import train_several
    from nnzoo.viz.images import comparison_curves

    depth, shallow = 6 * cfg.blocks + 2, 6 * cfg.shallow + 2
    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    results = train_several({
        f"plain-{shallow}": lambda s, k: ResNet(s, k, cfg.shallow, cfg.width, shortcut=False),
        f"plain-{depth}": lambda s, k: ResNet(s, k, cfg.blocks, cfg.width, shortcut=False),
        f"resnet-{depth}": lambda s, k: ResNet(s, k, cfg.blocks, cfg.width, shortcut=True),
    }, images, run, epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr)
    run.save_figure(comparison_curves(results, "plain and residual networks"),
                    "training_curves")
    short, plain, res = (results[f"plain-{shallow}"], results[f"plain-{depth}"],
                         results[f"resnet-{depth}"])
    # degradation: the deeper plain net ends worse; the skips cure it
    # faster: the residual net's training loss lies below the plain one's from epoch 2 on
    ahead = [r < p for r, p in zip(res["loss"], plain["loss"])][1:]
    passed = (all(ahead) and res["test_acc"] > plain["test_acc"]
              and plain["loss"][-1] > short["loss"][-1])
    return Result(passed, f"resnet-{depth}'s training loss below plain-{depth}'s at "
                          f"{sum(ahead)} of epochs 2-{len(res['loss'])}; final training "
                          f"loss: resnet-{depth} {res['loss'][-1]:.3g}, plain-{depth} "
                          f"{plain['loss'][-1]:.3g}, plain-{shallow} {short['loss'][-1]:.3g}; "
                          f"test accuracy {res['test_acc']:.1%}, {plain['test_acc']:.1%}, "
                          f"{short['test_acc']:.1%}",
                  {"depth": depth, "plain_loss": plain["loss"][-1], "resnet_loss":
                   res["loss"][-1], "shallow_loss": short["loss"][-1],
                   "plain_test_acc": plain["test_acc"], "resnet_test_acc": res["test_acc"],
                   "shallow_test_acc": short["test_acc"], "epochs_ahead": sum(ahead),
                   "resnet_losses": res["loss"], "plain_losses": plain["loss"]})
