"""The files of run folders: atomic writes, JSON, new folders and the folder's owner.

A run folder is owned by one process at a time: `take_lock` makes its run.lock holding
the process's id, only if there is none (O_EXCL); a lock whose process is gone is stale
and taken over; `release_lock` removes it when the run ends. Two `nnzoo run --resume` of
one folder cannot then interleave its log and metrics.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nnzoo.errors import UserError

LOCK = "run.lock"  # the id of the process that owns the run folder while it runs
# A smoke run is not judged: it ran to the end (SMOKE OK), or the tour saw it stop on an
# error (SMOKE ERROR); one whose loss diverged is DIVERGED, as any run
SMOKE_OK, SMOKE_ERROR = "SMOKE OK", "SMOKE ERROR"


def atomic_write(path: Path, write: Callable[[Any], None], mode: str = "w") -> None:
    """Write through `write(file)` into a temp file beside `path`, then rename into place."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, mode) as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def jsonable(x: Any) -> Any:
    """Plain JSON values from numpy scalars, tensors, tuples and dataclasses."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        x = dataclasses.asdict(x)
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if hasattr(x, "tolist"):  # numpy arrays and scalars, torch tensors
        return jsonable(x.tolist())
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return x


def write_json(path: Path, obj: Any) -> None:
    atomic_write(path, lambda f: json.dump(jsonable(obj), f, indent=2))


def new_folder(parent: Path, name: str) -> Path:
    """Make and return the folder parent/name, or parent/name-2, -3, ... if that is taken."""
    for i in range(1, 1000):
        directory = parent / (name + (f"-{i}" if i > 1 else ""))
        try:
            make_folder(directory, exist_ok=False)
            return directory
        except FileExistsError:
            pass
    raise UserError(f"{parent} has 999 folders called {name}-N already; clear some out")


def make_folder(directory: Path, exist_ok: bool = True) -> None:
    """mkdir -p, a folder that cannot be made (no permission, a read-only or virtual file
    system) told in one UserError line."""
    try:
        directory.mkdir(parents=True, exist_ok=exist_ok)
    except FileExistsError:
        if not exist_ok or not directory.is_dir():
            raise
    except OSError as e:
        raise UserError(f"cannot make the folder {directory} ({e.strerror or e}); name "
                        "another with --out") from None


def discard_if_empty(directory: Path) -> bool:
    """Remove a new run's folder that kept nothing (no checkpoint, figure or metric: a run
    stopped by a user's or a data error before its work began); -> whether it did."""
    kept = [p for sub in ("checkpoints", "figures") for p in (directory / sub).glob("*")]
    metrics = directory / "metrics.jsonl"
    if kept or (metrics.exists() and metrics.stat().st_size) or \
            (directory / "summary.json").exists():
        return False
    shutil.rmtree(directory, ignore_errors=True)
    try:
        directory.parent.rmdir()  # OUT/<experiment>, when this was its only run
    except OSError:
        pass
    return True


# --------------------------------------------------------------------------- the owner
def take_lock(directory: Path) -> None:
    """Make directory/run.lock with this process's id, or a UserError when a live process
    owns the folder; a stale lock (its process gone, or this very process's) is replaced."""
    path = directory / LOCK
    for _ in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = lock_owner(path)
            if owner is not None and owner != os.getpid() and alive(owner):
                raise UserError(f"{directory} is in use by process {owner} (its {LOCK}); "
                                "wait for that run to end, or stop it first") from None
            path.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()}\n")
        return
    raise UserError(f"cannot take {path}: other processes keep making it; try again")


def release_lock(directory: Path) -> None:
    """Remove directory/run.lock if this process owns it."""
    path = directory / LOCK
    if lock_owner(path) == os.getpid():
        path.unlink(missing_ok=True)


def lock_owner(path: Path) -> int | None:
    """The process id written in a lock file, or None when it cannot be read."""
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int) -> bool:
    """Whether the process `pid` exists (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
