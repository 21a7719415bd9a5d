"""CIFAR-10, python version: a folder of pickled batches read by the restricted unpickler.

Each of data_batch_1..5 and test_batch is a dict {"data": uint8 (10000, 3072) array, rows
of 1024 red, 1024 green, 1024 blue values of a 32x32 image row by row, "labels": list of
10,000 ints, ...}; batches.meta holds "label_names". Pickled by Python 2, so the keys are
byte strings or strings depending on the reader; both are accepted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnzoo.data.imageset import ImageSet
from nnzoo.data.safe_pickle import restricted_load
from nnzoo.errors import DataError, UserError

TRAIN_BATCHES = tuple(f"data_batch_{k}" for k in range(1, 6))
CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
           "truck")


def _read(path: Path) -> dict:
    if not path.is_file():
        raise DataError(f"{path} is missing; a CIFAR-10 folder holds data_batch_1..5, "
                        f"test_batch and batches.meta (the python version)")
    with open(path, "rb") as f:
        obj = restricted_load(f, str(path))
    if not isinstance(obj, dict):
        raise DataError(f"{path} holds a {type(obj).__name__}, not a CIFAR-10 batch (a dict)")
    return {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in obj.items()}


def read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images uint8 (N, 32, 32, 3) and labels int64 (N,) of one batch file."""
    batch = _read(path)
    try:
        data, labels = np.asarray(batch["data"]), np.asarray(batch["labels"], dtype=np.int64)
    except (KeyError, TypeError, ValueError) as e:
        raise DataError(f"{path} is not a CIFAR-10 batch (needs 'data' and 'labels': {e})") \
            from None
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072 or \
            labels.shape != (len(data),):
        raise DataError(f"{path} holds data {data.dtype} {data.shape} and {labels.shape} "
                        f"labels; expected uint8 (N, 3072) and N labels")
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), labels  # (N, 32, 32, 3)


def load_cifar10(path: str | Path) -> ImageSet:
    """CIFAR-10 from the folder of its python batches (or the folder above
    cifar-10-batches-py, as the archive unpacks)."""
    folder = Path(path)
    if (folder / "cifar-10-batches-py").is_dir():
        folder = folder / "cifar-10-batches-py"
    if not folder.is_dir():
        raise UserError(f"data folder {folder} does not exist; expected the CIFAR-10 python "
                        f"batches (data_batch_1..5, test_batch, batches.meta)")
    train = [read_batch(folder / b) for b in TRAIN_BATCHES]
    x_test, y_test = read_batch(folder / "test_batch")
    classes = CLASSES
    if (folder / "batches.meta").is_file():
        names = _read(folder / "batches.meta").get("label_names")
        if names:
            classes = tuple(n.decode("latin1") if isinstance(n, bytes) else str(n) for n in names)
    return ImageSet("cifar10", classes, np.concatenate([x for x, _ in train]),
                    np.concatenate([y for _, y in train]), x_test, y_test)
