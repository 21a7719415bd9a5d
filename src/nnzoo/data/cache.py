"""The data cache: one folder per data set under $NNZOO_DATA (default ~/.cache/nnzoo).

    mnist/
      x_train.npy  y_train.npy  x_test.npy  y_test.npy   arrays (read with allow_pickle=False)
      meta.json     name, where it came from, the SHA-256 of the source file(s), and what the
                    data set needs to read itself back (e.g. the class names of an image set)
      SHA256SUMS    the SHA-256 of each file above, in `sha256sum -c` format

Which arrays a folder holds is up to its data set (an image set has the four above; a
text corpus or a set of network weights has others): SHA256SUMS lists them all.

A folder is built complete under a temporary name in the cache and then renamed into
place, so an interrupted or failed fetch leaves no folder under the data set's name,
and a folder under that name whose files do not match SHA256SUMS has been changed
since: `verify_cached` reports it and `read_cached` refuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np

from nnzoo.errors import DataError

SUMS = "SHA256SUMS"


def cache_dir() -> Path:
    """$NNZOO_DATA, or ~/.cache/nnzoo."""
    return Path(os.environ.get("NNZOO_DATA") or Path.home() / ".cache" / "nnzoo").expanduser()


def cached_path(name: str) -> Path:
    return cache_dir() / name


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


STALE_S = 3600  # a temporary folder this old was left by a fetch that was killed


@contextmanager
def scratch(name: str) -> Iterator[Path]:
    """A temporary folder inside the cache (same file system: a rename is atomic), always
    removed afterwards, also after an error or Ctrl-C. Ones left by a killed process
    (older than STALE_S) are removed first."""
    root = cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        for old in root.glob(f".{name}-*"):
            with suppress(FileNotFoundError):  # another fetch may be removing it
                if time.time() - old.stat().st_mtime > STALE_S:
                    shutil.rmtree(old, ignore_errors=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    except OSError as e:
        raise DataError(f"cannot write to the data cache {root}: {e}; set NNZOO_DATA to a "
                        f"writable folder") from None
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_cached(name: str, arrays: dict[str, np.ndarray], meta: dict, tmp: Path) -> Path:
    """Save `arrays` and `meta` as the cache folder of `name`, replacing an older one.

    Everything is written into `tmp` (a `scratch` folder) first, checksummed, and renamed
    into place only when complete.
    """
    build = tmp / "build"
    build.mkdir()
    for key, array in arrays.items():
        np.save(build / f"{key}.npy", np.ascontiguousarray(array), allow_pickle=False)
    (build / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    files = sorted(p.name for p in build.iterdir())
    (build / SUMS).write_text("".join(f"{sha256_file(build / f)}  {f}\n" for f in files))
    final = cached_path(name)
    if final.exists():  # --force: move the old one aside, then swap
        final.rename(tmp / "old")
    try:
        build.rename(final)
    except OSError:
        if not final.is_dir():  # not another fetch of the same data set finishing first
            raise
    return final


def verify_cached(name: str) -> list[str]:
    """Problems with the cache folder of `name` (empty: every file matches SHA256SUMS)."""
    folder = cached_path(name)
    if not folder.is_dir():
        return [f"{name} is not in the cache ({folder})"]
    try:
        lines = (folder / SUMS).read_text().splitlines()
        sums = dict(reversed(line.split("  ", 1)) for line in lines if line.strip())
    except (OSError, ValueError) as e:
        return [f"{folder / SUMS} is missing or unreadable ({e})"]
    problems = []
    if not any(f.endswith(".npy") for f in sums):
        problems.append(f"{folder / SUMS} lists no arrays")
    for f in sorted(set(sums) | {"meta.json"}):
        if "/" in f or f.startswith("."):
            problems.append(f"{folder / SUMS} names {f!r}, which is not a file of the folder")
        elif f not in sums:
            problems.append(f"{folder / SUMS} does not list {f}")
        elif not (folder / f).is_file():
            problems.append(f"{folder / f} is missing")
        elif sha256_file(folder / f) != sums[f]:
            problems.append(f"{folder / f} does not match its SHA-256 in {SUMS} (changed or "
                            f"damaged since it was fetched)")
    return problems


def read_cached(name: str) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and meta.json of a verified cache folder; DataError when it fails."""
    problems = verify_cached(name)
    if problems:
        raise DataError(f"{problems[0]}{f' (and {len(problems) - 1} more)' if problems[1:] else ''}"
                        f"; fetch it again with `nnzoo data fetch {name} --force`")
    folder = cached_path(name)
    sums = [line.split("  ", 1)[1] for line in (folder / SUMS).read_text().splitlines()
            if line.strip()]
    arrays = {f.removesuffix(".npy"): np.load(folder / f, allow_pickle=False)
              for f in sums if f.endswith(".npy")}
    return arrays, json.loads((folder / "meta.json").read_text())
