"""Pictures made of images: grids of digits or filters, feature maps, confusion matrices,
and the pictures of a trained image classifier."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nnzoo.viz.planes import figure


def _as_image(a) -> np.ndarray:
    """(H, W), (1, H, W) or (3, H, W) array or tensor -> (H, W) or (H, W, 3) numpy."""
    a = np.asarray(a.detach().cpu() if hasattr(a, "detach") else a, dtype=float)
    if a.ndim == 3:
        a = a[0] if a.shape[0] == 1 else np.moveaxis(a, 0, -1)
    return a


def _show(ax: Axes, img: np.ndarray, cmap: str, symmetric: bool) -> None:
    if img.ndim == 3:  # colour: stretch to [0, 1]
        lo, hi = img.min(), img.max()
        ax.imshow((img - lo) / (hi - lo + 1e-12))
    elif symmetric:  # weights: zero is grey, red positive, blue negative
        m = np.abs(img).max() + 1e-12
        ax.imshow(img, cmap="RdBu_r", vmin=-m, vmax=m)
    else:
        ax.imshow(img, cmap=cmap)
    ax.set_xticks([])
    ax.set_yticks([])


def image_grid(images: Sequence, titles: Sequence[str] | None = None, ncols: int = 8,
               title: str = "", cmap: str = "gray_r", symmetric: bool = False,
               size: float = 1.2) -> Figure:
    """A grid of images, each with an optional title. `symmetric` draws signed values
    (weights, kernels) with zero as white, positive red and negative blue."""
    n = len(images)
    ncols = min(ncols, n)
    fig, axes = figure(math.ceil(n / ncols), ncols, size=size)
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.axis("off")
            continue
        _show(ax, _as_image(images[k]), cmap, symmetric)
        if titles is not None:
            ax.set_title(titles[k], fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def feature_maps(stages: Sequence[tuple[str, object]], per_stage: int = 8,
                 size: float = 1.2) -> Figure:
    """One row per stage: (name, maps) with maps (C, H, W); shows the first `per_stage`."""
    fig, axes = figure(len(stages), per_stage, size=size)
    for row, (name, maps) in zip(axes, stages):
        maps = np.asarray(maps.detach().cpu() if hasattr(maps, "detach") else maps)
        if maps.ndim == 2:
            maps = maps[None]
        for k, ax in enumerate(row):
            if k >= len(maps):
                ax.axis("off")
                continue
            _show(ax, maps[k], "viridis", symmetric=False)
        row[0].set_ylabel(name, fontsize=8)
    return fig


def confusion_matrix(cm, classes: Sequence[str], title: str = "") -> Figure:
    """cm[i, j] = how many images of class i were labelled j; counts written in the cells."""
    cm = np.asarray(cm)
    fig, axes = figure(1, 1, size=max(4.0, 0.45 * len(classes)))
    ax = axes[0, 0]
    ax.imshow(np.log1p(cm), cmap="Blues")
    k = len(classes)
    ax.set_xticks(range(k), classes, rotation=90 if max(map(len, classes)) > 2 else 0)
    ax.set_yticks(range(k), classes)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    big = cm.max() / 2 if cm.size else 0
    for i in range(k):
        for j in range(k):
            if cm[i, j]:
                ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=7,
                        color="w" if cm[i, j] > big else "k")
    ax.set_title(title or f"{cm.trace():,} of {cm.sum():,} correct")
    return fig


def curves(series: dict[str, tuple[Sequence[float], Sequence[float]]], xlabel: str,
           ylabel: str, title: str = "", logy: bool = False, ax: Axes | None = None) -> Figure:
    """Line plots of named (x, y) series on one set of axes."""
    fig = None
    if ax is None:
        fig, axes = figure(1, 1, size=4.5)
        ax = axes[0, 0]
    for name, (x, y) in series.items():
        ax.plot(x, y, lw=1.5, label=name)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig if fig is not None else ax.figure


def classifier_figures(c, first_layer, first_layer_title: str,
                       per_class: bool = False, stages: Sequence | None = None) -> dict:
    """The pictures of a trained image classifier `c` (what
    nnzoo.training.classifiers.train_classifier returns: its images, pred, confusion,
    test_acc and history): "confusion", "misclassified" (up to 32 test images, when any),
    "learning_curve", "first_layer" (the images `first_layer`, one per class when
    `per_class`) and, given `stages` [(name, maps (C, H, W)), ...], "feature_maps"."""
    ds, pred = c.images.data, c.pred
    short = [name.split("/")[0] for name in ds.classes]
    figs = {"confusion": confusion_matrix(c.confusion, short,
                                          f"{ds.name}: {c.test_acc:.2%} of the test set")}
    wrong = np.flatnonzero(pred != ds.y_test)[:32]
    if len(wrong):
        figs["misclassified"] = image_grid(
            ds.x_test[wrong], [f"{short[ds.y_test[i]]}->{short[pred[i]]}" for i in wrong],
            title="misclassified test images (true -> predicted)")
    h = c.history
    fig, axes = figure(1, 2, size=4.0)
    curves({"test accuracy": (h.epochs, h.series("val_acc"))}, "epoch", "accuracy",
           ax=axes[0, 0])
    curves({"training loss (mean over the epoch)": (h.epochs, h.series("loss"))}, "epoch",
           "cross-entropy", logy=True, ax=axes[0, 1])
    figs["learning_curve"] = fig
    figs["first_layer"] = image_grid(first_layer, short if per_class else None,
                                     ncols=5 if per_class else 8, symmetric=True,
                                     title=first_layer_title)
    if stages is not None:
        figs["feature_maps"] = feature_maps(stages)
    return figs


def comparison_curves(results: dict[str, dict], title: str) -> Figure:
    """Networks compared (nnzoo.training.classifiers.train_several's results): training
    loss and test accuracy per epoch, each network one line."""
    fig, axes = figure(1, 2, size=4.2)
    curves({n: (r["epochs"], r["loss"]) for n, r in results.items()}, "epoch",
           "training loss (cross-entropy)", title, logy=True, ax=axes[0, 0])
    curves({f"{n} ({r['test_acc']:.1%})": (r["epochs"], r["curve"])
            for n, r in results.items()}, "epoch", "test accuracy", ax=axes[0, 1])
    return fig
