"""fashion-cnn: the same NetConv as mnist-cnn on Fashion-MNIST; the clothes it takes for each
other are the upper-body ones (shirts, T-shirts/tops, pullovers, coats), shirts most of all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.experiments.cnn._shared import MnistCnnConfig
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run

UPPER_BODY = {"T-shirt/top", "Pullover", "Coat", "Shirt"}  # Fashion-MNIST's class names


@dataclass
class FashionCnnConfig(MnistCnnConfig):
    data: Literal["mnist", "fashion-mnist", "digits", "cifar10"] = "fashion-mnist"
    """Data set: MNIST digits or Fashion-MNIST clothes (fetched into the cache on first
    use), scikit-learn's 8x8 digits (embedded; for quick runs), or CIFAR-10 (your own copy,
    with --data-dir)."""
    epochs: PositiveInt = 4
    """Passes through the training images."""


@experiment(
    "fashion-cnn", kind="supervised", config=FashionCnnConfig, seconds=53, parallel=True,
    claim="the same NetConv on Fashion-MNIST labels at least 9 in 10 test clothes right, and "
          "what it confuses are the upper-body clothes: the four pairs of classes most often "
          "taken for each other are all among shirts, T-shirts/tops, pullovers and coats, "
          "and shirts are the class it gets wrong most often",
    expects="test accuracy >= 90% on Fashion-MNIST's 10,000 test images; in the test "
            "confusion matrix the four largest confusion[i, j] + confusion[j, i] (i < j) "
            "pair classes among T-shirt/top, Pullover, Coat, Shirt, and Shirt has the lowest "
            "fraction of its images labelled right",
    data="Fashion-MNIST (fetched on first use: apt-get download of a 31 MB Debian package)",
    smoke={"data": "digits", "epochs": 1, "channels1": 4, "channels2": 8, "hidden": 16},
)
def run(cfg: FashionCnnConfig, run: Run) -> Result:
    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import build_cnn
    from nnzoo.registry import build
    from nnzoo.training.classifiers import class_accuracy, confused_pairs, train_cnn

    images = load_images(cfg.data, cfg.data_dir, run.device, run.log)
    c = train_cnn(lambda s, k: build(build_cnn, cfg, in_shape=s, classes=k), images, run,
                  epochs=cfg.epochs, batch_size=cfg.batch_size, lr=cfg.lr)
    # the confusion matrix shows which clothes look alike: the upper-body ones
    classes = c.images.data.classes
    top = confused_pairs(c.confusion)[:4]  # [(i, j, count), ...]
    acc = class_accuracy(c.confusion)  # (K,)
    worst = classes[int(acc.argmin())]
    passed = (c.test_acc >= 0.90 and worst == "Shirt"
              and all({classes[i], classes[j]} <= UPPER_BODY for i, j, _ in top))
    confused = ", ".join(f"{classes[i]}-{classes[j]} {n}" for i, j, n in top)
    return Result(passed, f"{c.test_acc:.2%} test accuracy on {c.images.data.name}; most "
                          f"confused: {confused}; least accurate: {worst} "
                          f"({acc.min():.1%})",
                  {"test_acc": c.test_acc, "errors": c.errors,
                   "most_confused": [[classes[i], classes[j], n] for i, j, n in top],
                   "class_accuracy": dict(zip(classes, acc.tolist())),
                   "confusion": c.confusion.tolist()})
