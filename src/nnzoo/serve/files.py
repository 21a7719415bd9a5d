"""The runs folder as the server sees it: paths checked to stay inside it, the list of run
folders (only those the routes serve), the files uploaded from the pages, and a run followed
as its files grow (the live view's server-sent events)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Callable
from pathlib import Path
from typing import Any

from nnzoo.errors import UserError

POLL_S = 0.2  # how often a follower looks at the run's files: the live view's latency
HEARTBEAT_S = 15.0  # a comment line now and then keeps proxies and browsers from timing out
UPLOADS = "uploads"  # the folder of the runs folder that the pages' uploads go to: no run in it
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")  # what an uploaded file's name may not hold
MAX_NAME = 100  # characters of an uploaded file's name
MAX_UPLOADS = 4 * 1024**3  # bytes that the uploads folder holds at most, all files together


class Refused(UserError):
    """A path that leads outside the runs folder (status 403), or a path or name that leads
    to nothing (404)."""

    def __init__(self, message: str, status: int = 404):
        super().__init__(message)
        self.status = status


def inside(root: Path, rel: str, *, want: str = "any") -> Path:
    """root/rel, resolved (symbolic links followed), if it lies inside the resolved root and
    exists as `want` ("file", "dir" or "any"); else Refused. Absolute paths and `..` that
    leave the root are refused, as are links that point outside it."""
    base = root.resolve()
    if not rel or "\x00" in rel or Path(rel).is_absolute() or rel.startswith(("/", "\\")):
        raise Refused(f"refused path {rel!r}: give a path relative to the runs folder", 403)
    path = (base / rel).resolve()
    if path != base and base not in path.parents:
        raise Refused(f"refused path {rel!r}: it leads outside the runs folder", 403)
    if not path.exists() or (want == "file" and not path.is_file()) or \
            (want == "dir" and not path.is_dir()):
        raise Refused(f"no {'run folder' if want == 'dir' else 'file'} {rel!r} in the runs "
                      "folder")
    return path


def run_folder(root: Path, rel: str) -> Path:
    """The run folder `rel` (it holds a config.json), checked to be inside the runs folder
    and outside its uploads (an uploaded config.json makes no run). The one test of what a
    run folder is: the routes take these, and the lists show these alone."""
    path = inside(root, rel, want="dir")
    if path.relative_to(root.resolve()).parts[:1] == (UPLOADS,):
        raise Refused(f"{rel!r} is in the uploads folder, not a run folder")
    if not (path / "config.json").is_file():
        raise Refused(f"{rel!r} is not a run folder (it has no config.json)")
    return path


def is_run_folder(root: Path, rel: str) -> bool:
    try:
        run_folder(root, rel)
    except Refused:
        return False
    return True


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def list_runs(root: Path) -> list[dict[str, Any]]:
    """Every run folder under `root` (sweeps' runs too), newest first: experiment, seed,
    smoke, and its summary's status and headline once it has one."""
    base = root.resolve()
    found = list(base.glob("*/*/config.json")) + list(base.glob("*/sweep-*/*/config.json"))
    rows = []
    for cfg_path in found:
        rel = cfg_path.parent.relative_to(base).as_posix()
        if not is_run_folder(base, rel):  # e.g. a link to a folder elsewhere
            continue
        cfg, summary = read_json(cfg_path), read_json(cfg_path.parent / "summary.json")
        if not isinstance(cfg, dict):
            continue
        summary = summary if isinstance(summary, dict) else {}
        rows.append({
            "run": rel,
            "experiment": cfg.get("experiment"), "seed": cfg.get("seed"),
            "smoke": bool(cfg.get("smoke")), "status": summary.get("status"),
            "headline": summary.get("headline"), "wall_time_s": summary.get("wall_time_s"),
            "started": cfg_path.stat().st_mtime})
    rows.sort(key=lambda r: (r["started"], r["run"]), reverse=True)
    return rows


class UploadsFull(UserError):
    """The uploads folder holds as much as the server takes (status 413)."""

    status = 413

    def __init__(self, folder: Path, limit: int):
        super().__init__(f"the uploads folder {folder} would hold over {limit // 1024**2} MiB "
                         "of files, the most this server keeps; delete the files you no "
                         "longer need there, then upload again")


def uploads_folder(root: Path) -> Path:
    """The runs folder's uploads folder, made if missing; Refused if it leads elsewhere."""
    (root / UPLOADS).mkdir(parents=True, exist_ok=True)
    return inside(root, UPLOADS, want="dir")


def list_uploads(root: Path) -> list[dict[str, Any]]:
    """The files uploaded so far: [{"path": "uploads/NAME", "bytes": size}], by name."""
    folder = root.resolve() / UPLOADS
    if not folder.is_dir() or folder.is_symlink():
        return []
    return [{"path": f"{UPLOADS}/{p.name}", "bytes": p.stat().st_size}
            for p in sorted(folder.iterdir())
            if p.is_file() and not p.is_symlink() and not p.name.startswith(".")]


def upload_name(name: str) -> str:
    """A safe file name made from the name a browser sent: its last part, characters other
    than letters, digits, dot, dash and underscore made "_", no leading dot; or UserError."""
    safe = UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1])[-MAX_NAME:].lstrip("._")
    if not safe.strip("_"):
        raise UserError(f"cannot make a file name of {name!r}; give the file a name with "
                        "letters or digits")
    return safe


async def save_upload(root: Path, name: str, chunks: AsyncIterable[bytes]) -> Path:
    """Write `chunks` into the uploads folder as `name` made safe, never over a file that is
    there (then NAME-1.EXT, NAME-2.EXT, ...): the path of the new file. The file appears
    whole or not at all (written aside, then linked in under its free name)."""
    folder, safe = uploads_folder(root), upload_name(name)
    room = MAX_UPLOADS - sum(u["bytes"] for u in list_uploads(root))
    fd, part = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        size = 0
        with os.fdopen(fd, "wb") as f:
            async for chunk in chunks:
                size += len(chunk)
                if size > room:  # one file under its own limit can still fill the disk
                    raise UploadsFull(folder, MAX_UPLOADS)
                f.write(chunk)
        if size == 0:
            raise UserError(f"{name!r} is empty; upload a file with something in it")
        stem, suffix = Path(safe).stem, Path(safe).suffix
        for path in itertools.chain([folder / safe], (folder / f"{stem}-{i}{suffix}"
                                                      for i in itertools.count(1))):
            with contextlib.suppress(FileExistsError):
                os.link(part, path)  # fails if the name is taken: no overwrite, no race
                return path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(part)


class Tail:
    """The complete lines added to a file since the last look; `reset` is True when the
    file was replaced or shortened (a resumed run truncates metrics.jsonl), and the lines
    then start again from its beginning."""

    def __init__(self, path: Path):
        self.path, self.offset, self.inode, self.partial = path, 0, None, b""

    def read(self) -> tuple[bool, list[str]]:
        try:
            st = os.stat(self.path)
        except OSError:
            return False, []
        reset = self.inode is not None and (st.st_ino != self.inode or st.st_size < self.offset)
        if reset:
            self.offset, self.partial = 0, b""
        self.inode = st.st_ino
        if st.st_size == self.offset:
            return reset, []
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        self.offset += len(data)
        *lines, self.partial = (self.partial + data).split(b"\n")
        return reset, [line.decode("utf-8", "replace") for line in lines]


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


async def follow(run_dir: Path, rel: str, job_state: Callable[[], dict[str, Any] | None],
                 stopping: Callable[[], bool]) -> AsyncIterator[str]:
    """The events of one run, from its beginning: `hello`, then `metrics` (parsed lines),
    `log` (lines), `figure` (a picture saved or redrawn), `state` (the server's job of this
    run, when it changes), `reset` (the metrics were truncated by a resume: start again),
    `summary` and finally `end` once the run has a summary or its job has ended."""
    metrics, log = Tail(run_dir / "metrics.jsonl"), Tail(run_dir / "log.txt")
    figures: dict[str, tuple[int, int]] = {}  # name -> (mtime_ns, size) announced
    seen: dict[str, tuple[int, int]] = {}  # name -> (mtime_ns, size) of the last look
    last_state, quiet_for = None, 0.0
    yield sse("hello", {"run": rel})
    while not stopping():
        # the job's state and the summary first: once they say the run is over, the lines
        # read below are all there will be
        state = job_state()
        summary = read_json(run_dir / "summary.json")
        out = []
        reset, lines = metrics.read()
        if reset:
            out.append(sse("reset", {}))
        rows = []
        for line in lines:
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue
        if rows:
            out.append(sse("metrics", rows))
        _, lines = log.read()
        if lines:
            out.append(sse("log", lines))
        out += _figures(run_dir / "figures", rel, figures, seen)
        key = None if state is None else (state["state"], state["returncode"], state["run"])
        if key != last_state:  # not on every line of its output
            out.append(sse("state", state))
            last_state = key
        job_over = state is not None and state["state"] not in ("queued", "running")
        if isinstance(summary, dict) and (state is None or job_over):
            out += _figures(run_dir / "figures", rel, figures, seen, settled=True)
            out.append(sse("summary", summary))
            out.append(sse("end", {"status": summary.get("status")}))
        elif job_over:
            out.append(sse("end", {"status": state["state"]}))
        if out:
            quiet_for = 0.0
            yield "".join(out)
            if out[-1].startswith("event: end"):
                return
        elif quiet_for >= HEARTBEAT_S:
            quiet_for = 0.0
            yield ": still here\n\n"
        await asyncio.sleep(POLL_S)
        quiet_for += POLL_S


def _figures(folder: Path, rel: str, announced: dict, seen: dict,
             settled: bool = False) -> list[str]:
    """Events for the pictures that are new or redrawn and have not changed since the last
    look (a picture being written is announced once it is whole), or all of them `settled`."""
    events = []
    try:
        entries = sorted(p for p in folder.iterdir() if p.suffix == ".png")
    except OSError:
        return events
    for p in entries:
        try:
            st = p.stat()
        except OSError:
            continue
        now = (st.st_mtime_ns, st.st_size)
        steady = settled or seen.get(p.name) == now
        seen[p.name] = now
        if steady and announced.get(p.name) != now:
            announced[p.name] = now
            events.append(sse("figure", {"name": p.name,
                                         "url": f"/files/{rel}/figures/{p.name}?v={now[0]}"}))
    return events
