"""IDX files, the format of MNIST, Fashion-MNIST, KMNIST and EMNIST (LeCun et al.).

An IDX file is a header and the numbers, big-endian:

    0x00 0x00 TYPE NDIM   then NDIM dimensions as 32-bit integers, then the data

with TYPE 0x08 unsigned byte, 0x09 signed byte, 0x0B int16, 0x0C int32, 0x0D float32,
0x0E float64. Images are idx3 (N, rows, cols) and labels idx1 (N,). The files are
often gzipped; both forms are read, recognised by the gzip magic bytes, not the name.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

import numpy as np

from nnzoo.data.imageset import ImageSet
from nnzoo.errors import DataError, UserError

IDX_TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
             0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def parse_idx(raw: bytes, what: str = "the IDX file") -> np.ndarray:
    """The array in an IDX file's (un-gzipped) bytes, in native byte order."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_TYPES:
        raise DataError(f"{what} is not an IDX file (its first 4 bytes are {raw[:4].hex()}; "
                        f"expected 0000 then a type code 08/09/0b/0c/0d/0e and the rank)")
    dtype, ndim = IDX_TYPES[raw[2]], raw[3]
    start = 4 + 4 * ndim
    if ndim == 0 or len(raw) < start:
        raise DataError(f"{what} is truncated in its header (rank {ndim}, {len(raw)} bytes)")
    dims = tuple(int(d) for d in np.frombuffer(raw, ">u4", ndim, 4))
    expected = int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - start
    if found != expected:
        shape = "x".join(map(str, dims))
        problem = "is truncated" if found < expected else "has extra bytes"
        raise DataError(f"{what} {problem}: its header promises {shape} {dtype.name} = "
                        f"{expected:,} bytes of data, it holds {found:,}; fetch the file again")
    array = np.frombuffer(raw, dtype, offset=start).reshape(dims)
    return array.astype(dtype.newbyteorder("="))  # a writable copy in native order


def read_idx(path: str | Path) -> np.ndarray:
    """Read an IDX file, gzipped or raw (e.g. train-images-idx3-ubyte.gz)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except OSError as e:  # includes gzip.BadGzipFile
        raise DataError(f"cannot read {path}: {e}") from None
    except (EOFError, zlib.error) as e:
        raise DataError(f"{path} is a damaged or truncated gzip file ({e}); "
                        f"fetch it again") from None
    return parse_idx(raw, str(path))


# train-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte, train-images.idx3-ubyte (as some unzip
# tools name them), emnist-letters-test-images-idx3-ubyte.gz (EMNIST: a prefix, "test")
IDX_NAME = re.compile(r"^(?P<prefix>.*?)(?P<split>train|t10k|test)-(?P<kind>images|labels)"
                      r"[-.]idx[13]-ubyte(\.gz)?$")
STANDARD_NAMES = ("train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte "
                  "and t10k-labels-idx1-ubyte (each may end in .gz)")


def find_idx_files(path: str | Path) -> dict[str, Path]:
    """{"train-images": ..., "train-labels": ..., "test-images": ..., "test-labels": ...}.

    `path` is a folder of IDX files, or a folder and a file-name prefix, for folders that
    hold several sets (e.g. EMNIST's gzip/emnist-letters).
    """
    path = Path(path)
    folder, prefix = (path, "") if path.is_dir() else (path.parent, path.name)
    if not folder.is_dir():
        raise UserError(f"data folder {path} does not exist; expected a folder with "
                        f"{STANDARD_NAMES}")
    sets: dict[str, dict[str, Path]] = {}
    for f in sorted(folder.iterdir()):
        m = IDX_NAME.match(f.name)
        if m and f.name.startswith(prefix):
            split = "train" if m["split"] == "train" else "test"
            sets.setdefault(m["prefix"], {}).setdefault(f"{split}-{m['kind']}", f)
    complete = {p: files for p, files in sets.items() if len(files) == 4}
    if len(complete) == 1:
        return next(iter(complete.values()))
    if len(complete) > 1:
        choices = ", ".join(str(folder / p) for p in complete)
        raise UserError(f"{path} holds IDX files of several sets; point at one of them with "
                        f"its prefix: {choices}")
    have = ", ".join(f.name for files in sets.values() for f in files.values()) or "none"
    raise DataError(f"{path} lacks IDX files: expected {STANDARD_NAMES}; found {have}")


def load_idx_dir(path: str | Path, name: str = "idx",
                 classes: tuple[str, ...] | None = None) -> ImageSet:
    """An ImageSet from a folder of the four IDX files (see `find_idx_files`).

    `classes` name the labels 0, 1, ...; by default (or when the labels go beyond them,
    e.g. EMNIST letters) the labels' own numbers as strings.
    """
    files = find_idx_files(path)
    arrays = {key: read_idx(f) for key, f in files.items()}
    for split in ("train", "test"):
        x, y = arrays[f"{split}-images"], arrays[f"{split}-labels"]
        fx, fy = files[f"{split}-images"].name, files[f"{split}-labels"].name
        if x.ndim != 3 or x.dtype != np.uint8:
            raise DataError(f"{fx} holds {x.dtype} of shape {x.shape}; expected unsigned bytes "
                            f"of shape (N, rows, cols)")
        if y.ndim != 1 or y.dtype != np.uint8:
            raise DataError(f"{fy} holds {y.dtype} of shape {y.shape}; expected unsigned bytes "
                            f"of shape (N,)")
        if len(x) != len(y):
            raise DataError(f"{fx} has {len(x):,} images but {fy} has {len(y):,} labels")
    n_classes = int(max(arrays["train-labels"].max(initial=0),
                        arrays["test-labels"].max(initial=0))) + 1
    if classes is None or n_classes > len(classes):
        classes = tuple(str(k) for k in range(n_classes))
    return ImageSet(name, tuple(classes), arrays["train-images"], arrays["train-labels"],
                    arrays["test-images"], arrays["test-labels"])
