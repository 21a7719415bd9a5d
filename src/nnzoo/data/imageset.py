"""ImageSet: a labelled image data set split into training and test images, as uint8 arrays;
Images: one as standardised tensors on a device, as the image classifiers take it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from torch import Tensor


@dataclass
class ImageSet:
    """Images as uint8 (N, H, W) (grey) or (N, H, W, 3) (colour), labels as int64 (N,).

    `classes[k]` names label k. The arrays are numpy's; `tensors()` gives PyTorch's.
    """

    name: str
    classes: tuple[str, ...]
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    def __post_init__(self):
        for split in ("train", "test"):
            x = getattr(self, f"x_{split}")
            y = np.asarray(getattr(self, f"y_{split}"), dtype=np.int64)
            if x.dtype != np.uint8 or x.ndim not in (3, 4) or (x.ndim == 4 and x.shape[3] != 3):
                raise ValueError(f"x_{split} must be uint8 (N, H, W) or (N, H, W, 3), "
                                 f"got {x.dtype} {x.shape}")
            if y.shape != (len(x),):
                raise ValueError(f"y_{split} must have shape ({len(x)},), got {y.shape}")
            setattr(self, f"y_{split}", y)

    def __repr__(self) -> str:
        return (f"ImageSet({self.name!r}: {len(self.x_train):,} training and "
                f"{len(self.x_test):,} test images of {'x'.join(map(str, self.x_train.shape[1:]))}"
                f", {len(self.classes)} classes)")

    def validation_split(self, n: int, rng) -> ImageSet:
        """The training images split in two, for choosing by validation without looking at the
        test images: an ImageSet whose training part keeps all but `n` of them and whose test
        part is those `n`, drawn at random without replacement (rng: a nnzoo.random Stream,
        an int seed, or None). Each part keeps its images' original order."""
        from nnzoo.random import as_stream

        if not 0 < n < len(self.x_train):
            raise ValueError(f"expected 0 < n < {len(self.x_train)} validation images, got {n}")
        held = np.zeros(len(self.x_train), dtype=bool)
        held[as_stream(rng).numpy.choice(len(self.x_train), n, replace=False)] = True
        return ImageSet(f"{self.name} (validation split)", self.classes,
                        self.x_train[~held], self.y_train[~held],
                        self.x_train[held], self.y_train[held])

    def tensors(self, device="cpu", dtype=None):
        """(X_train, y_train, X_test, y_test): images as floats in [0, 1], shape (N, C, H, W)
        (pixel / 255), labels int64; on `device`, in `dtype` (default torch.float32)."""
        import torch

        dtype = torch.float32 if dtype is None else dtype

        def images(x: np.ndarray):
            t = torch.from_numpy(x).to(device)
            t = t.unsqueeze(1) if x.ndim == 3 else t.permute(0, 3, 1, 2)  # (N, C, H, W)
            return t.to(dtype).div_(255).contiguous()

        def labels(y: np.ndarray):
            return torch.from_numpy(y).to(device)

        return images(self.x_train), labels(self.y_train), images(self.x_test), labels(self.y_test)


def nudged(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The images x (N, H, W) followed by four copies shifted by one pixel (down, up, right,
    left; zeros shifted in), and their labels: 5N images, as scikit-learn's example
    "Restricted Boltzmann Machine features for digit classification" enlarges its digits."""
    copies = [x]
    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        s = np.zeros_like(x)
        H, W = x.shape[1:3]
        s[:, max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \
            x[:, max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
        copies.append(s)
    return np.concatenate(copies), np.tile(y, 5)


@dataclass
class Images:
    """An image set as tensors on one device, standardised with the training images' mean
    and standard deviation (kept: `standardise` treats new images, e.g. a generative
    model's, as the classifier's inputs were); `data` keeps the original ImageSet (names,
    uint8 pictures)."""

    data: ImageSet
    X: Tensor  # (N, C, H, W)
    y: Tensor  # (N,)
    X_test: Tensor  # (N_test, C, H, W)
    y_test: Tensor  # (N_test,)
    mean: float = 0.0
    std: float = 1.0

    def standardise(self, x: Tensor) -> Tensor:
        """Images x with grey levels in [0, 1] (B, C, H, W), standardised like X."""
        return (x - self.mean) / self.std


def load_images(name: str, data_dir: str = "", device: Any = "cpu",
                log: Callable[[str], None] | None = None) -> Images:
    """The data set `name` (or your own files in `data_dir`) as standardised tensors."""
    from nnzoo.data import load

    ds = load(name, data_dir=data_dir or None, log=log)
    X, y, Xt, yt = ds.tensors(device)  # (N, C, H, W) in [0, 1]
    mean, std = X.mean(), X.std()
    return Images(ds, (X - mean) / std, y, (Xt - mean) / std, yt, float(mean), float(std))
