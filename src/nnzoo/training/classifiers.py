"""Image classifiers trained the one way the CNN experiments (and the MNIST benchmark) train
them: standardised images (`nnzoo.data.imageset.load_images`), Adam under a one-cycle schedule,
`nnzoo.training.supervised.fit` measuring the test accuracy after every epoch, then the
confusion matrix of the test images.

    images = load_images("mnist", device=run.device, log=run.log)
    c = train_classifier(lambda shape, k: NetConv(shape, classes=k), images, run,
                         epochs=2, batch_size=128, lr=0.005)
    c.test_acc, c.confusion, c.history
    confused_pairs(c.confusion)[:3]  # [(i, j, images of i labelled j and of j labelled i)]

`train_several` trains a comparison of networks on the same images, each network a part of
the run (`run.parts`), so that a resumed run skips the ones already trained. Each network
is built inside `run.seeded("init", name)` and shuffled by the stream ("shuffle", name).
`train_cnn(build, cfg, run)` is what mnist-cnn and fashion-cnn share: a CNN trained by
their options, with its pictures.

Shapes: N images, C channels, H x W an image, K classes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from nnzoo.data.imageset import Images
from nnzoo.errors import UserError
from nnzoo.training.protocol import TrainingRun
from nnzoo.training.supervised import Data, History, fit, predict

Build = Callable[[tuple[int, int, int], int], nn.Module]  # (in_shape, classes) -> network


def adam_one_cycle(model: nn.Module, *, lr: float, epochs: int, batch_size: int,
                   n_train: int):
    """Adam whose learning rate rises to `lr` over the first quarter of the mini-batches of
    `epochs` epochs, then anneals to almost zero (a one-cycle schedule, stepped every
    mini-batch): -> (optimizer, scheduler)."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * -(-n_train // batch_size)
    return opt, torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps,
                                                    pct_start=0.25)


@dataclass
class Classified:
    """A trained classifier and what it got right on the test images."""

    model: nn.Module
    images: Images
    pred: np.ndarray  # (N_test,) predicted classes
    confusion: np.ndarray  # (K, K): [i, j] = test images of class i labelled j
    test_acc: float
    history: History
    weights: int  # number of trained parameters

    @property
    def errors(self) -> int:
        return int(self.confusion.sum() - self.confusion.trace())


def confused_pairs(confusion: np.ndarray) -> list[tuple[int, int, int]]:
    """The pairs of classes taken for each other, most often first: [(i, j, count), ...]
    over every i < j, count = confusion[i, j] + confusion[j, i] (images of class i labelled
    j plus images of j labelled i); ties keep the order (i, j)."""
    cm = np.asarray(confusion)
    pairs = [(i, j, int(cm[i, j] + cm[j, i]))
             for i in range(len(cm)) for j in range(i + 1, len(cm))]
    return sorted(pairs, key=lambda p: -p[2])  # sorted is stable: ties stay in (i, j) order


def class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """(K,) the fraction of each class's test images labelled correctly: confusion[k, k]
    over row k's sum (nan for a class without test images)."""
    cm = np.asarray(confusion, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diag(cm) / cm.sum(axis=1)


def train_classifier(build: Build, images: Images, run: TrainingRun, *, epochs: int = 2,
                     batch_size: int = 128, lr: float = 0.005, name: str = "") -> Classified:
    """Train build(in_shape, classes) on `images` by Adam with a one-cycle schedule,
    measuring test accuracy after every epoch (checkpointed every epoch through `fit`).
    `name` (default: the data set's) names the network's random streams, and its fit
    within a comparison (train_several). The defaults are mnist-cnn's (its options share
    them: tests/training/test_classifiers.py)."""
    ds = images.data
    shape = tuple(images.X.shape[1:])
    with run.seeded("init", name or ds.name):
        try:
            model = build(shape, len(ds.classes))
        except ValueError as e:
            raise UserError(f"this network does not fit the {ds.name} images "
                            f"({'x'.join(map(str, shape))}): {e}; choose another --data or "
                            f"--model") from e
    model.to(images.X.device)
    n_weights = sum(p.numel() for p in model.parameters())
    run.log(f"{name or ds.name}: {ds!r}; {n_weights:,} weights")
    opt, sched = adam_one_cycle(model, lr=lr, epochs=epochs, batch_size=batch_size,
                                n_train=len(images.X))
    data = Data(images.X, images.y, images.X_test, images.y_test, eval_batch_size=1000,
                eval_train=False)
    # -log Prob(correct class) of the softmax: F.cross_entropy, proved equal to the
    # course's nnzoo.nn.nll in tests/nn/test_losses.py
    history = fit(model, opt, F.cross_entropy, data, epochs=epochs, batch_size=batch_size,
                  scheduler=sched, rng=run.rng("shuffle", name or ds.name).torch,
                  run=run, label=name or "fit")
    pred = predict(model, images.X_test, 1000).argmax(dim=1)  # (N_test,)
    K = len(ds.classes)
    confusion = torch.bincount(images.y_test * K + pred, minlength=K * K).view(K, K)  # (K, K)
    confusion = confusion.cpu().numpy()
    return Classified(model, images, pred.cpu().numpy(), confusion,
                      float(confusion.trace() / confusion.sum()), history, n_weights)


def train_several(builds: dict[str, Build], images: Images, run: TrainingRun, *, epochs: int,
                  batch_size: int, lr: float) -> dict[str, dict]:
    """Train each of {name: build} in turn on the same images, each a part of the run (a
    resumed run skips the finished ones): -> {name: {test_acc, weights, epochs, loss
    (training loss per epoch), curve (test accuracy per epoch)}}."""
    names = list(builds)
    models = run.parts(len(names), label="models")
    for i in models:
        c = train_classifier(builds[names[i]], images, run, epochs=epochs,
                             batch_size=batch_size, lr=lr, name=names[i])
        h = c.history
        run.log(f"{names[i]}: final training loss {h.last()['loss']:.4f}, test accuracy "
                f"{c.test_acc:.2%}, {c.weights:,} weights")
        models.done({"test_acc": c.test_acc, "weights": c.weights, "epochs": h.epochs,
                     "loss": h.series("loss"), "curve": h.series("val_acc")})
    return dict(zip(names, models.results))


def train_fully_connected(name: str, images: Images, run: TrainingRun, *, epochs: int,
                          batch_size: int, lr: float, **netfull: Any) -> Classified:
    """The zoo's fully connected network `name` ("netlin": one linear unit per class, or
    "netfull": one hidden layer, of NetFull's parameters `netfull`: hidden, activation)
    trained on `images` by `epochs`, `batch_size` and `lr`, under its own name in `run`;
    the CNN experiments compare against these."""
    from nnzoo.models.cnn import NetFull, NetLin

    net = (lambda shape, k: NetLin(shape, k)) if name == "netlin" else \
        (lambda shape, k: NetFull(in_shape=shape, classes=k, **netfull))
    return train_classifier(net, images, run, epochs=epochs, batch_size=batch_size, lr=lr,
                            name=name)


def train_cnn(build: Build, images: Images, run: TrainingRun, *, epochs: int, batch_size: int,
              lr: float) -> Classified:
    """The CNN build(in_shape, classes) trained on `images` as mnist-cnn and fashion-cnn
    train theirs (`epochs`, `batch_size`, `lr`), its pictures saved in `run`: kernels, a
    test image through the layers, curves, confusion matrix."""
    from nnzoo.viz.images import classifier_figures

    c = train_classifier(build, images, run, epochs=epochs, batch_size=batch_size, lr=lr)
    model = c.model.eval()
    kernels = model.input_weights().detach().cpu()  # (C_1, C, M, N)
    with torch.no_grad():  # one test image through the convolution layers
        maps = model.hidden(images.X_test[:1])  # [(1, C_1, H/2, W/2), ...]
    stages = [("input", images.X_test[0])] + [(f"layer {k}", m[0])
                                              for k, m in enumerate(maps, 1)]
    size = "x".join(map(str, kernels.shape[2:]))
    for name, fig in classifier_figures(c, kernels, f"first-layer kernels, {size} (red +, "
                                        "blue -)", stages=stages).items():
        run.save_figure(fig, name)
    return c
