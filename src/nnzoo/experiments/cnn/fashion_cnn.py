"""fashion-cnn: the same NetConv as mnist-cnn on Fashion-MNIST, where clothes are harder than
digits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.experiments.cnn.mnist_cnn import MnistCnnConfig, classify_images
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class FashionCnnConfig(MnistCnnConfig):
    data: Literal["mnist", "fashion-mnist", "digits", "cifar10"] = "fashion-mnist"
    """Data set: MNIST digits or Fashion-MNIST clothes (fetched into the cache on first
    use), scikit-learn's 8x8 digits (embedded; for quick runs), or CIFAR-10 (your own copy,
    with --data-dir)."""
    epochs: PositiveInt = 4
    """Passes through the training images."""


@experiment(
    "fashion-cnn", kind="supervised", config=FashionCnnConfig,
    claim="the same NetConv on Fashion-MNIST: clothes are harder than digits (shirts, "
          "T-shirts, pullovers and coats are confused)",
    expects="test accuracy >= 90% on Fashion-MNIST's 10,000 test images",
    data="Fashion-MNIST (fetched on first use: apt-get download of a 31 MB Debian package)",
    smoke={"data": "digits", "epochs": 1, "channels1": 4, "channels2": 8, "hidden": 16},
)
def run(cfg: FashionCnnConfig, run: Run) -> Result:
    # mnist-cnn's story, told on clothes: the confusion matrix shows which ones look alike
    return classify_images(cfg, run, target=0.90)
