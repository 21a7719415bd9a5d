"""The server's queue of runs: each an ordinary `nnzoo run` in its own process.

A job is `python -m nnzoo run ARGS` started from an argument list (never a shell), so a run
started from the browser leaves the same folder as one started from a terminal. At most
`limit` jobs run at once; the others wait in order. Stop sends the run an interrupt (as
Ctrl-C would): it keeps its last checkpoint and `--resume` continues it.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnzoo.errors import UserError
from nnzoo.serve.files import Refused

STARTED = re.compile(r"^(?:running|resuming) \S+ -> (.+)$")  # cmd_run's first line
INTERRUPTED = 130  # `nnzoo run`'s exit status when interrupted


@dataclass
class Job:
    id: int
    experiment: str
    args: list[str]  # after `nnzoo run`
    state: str = "queued"  # queued | running | finished | stopped | failed | cancelled
    returncode: int | None = None
    run: str | None = None  # the run folder, relative to the runs folder, once it exists
    output: deque = field(default_factory=lambda: deque(maxlen=200))
    queued_at: float = field(default_factory=time.time)
    proc: subprocess.Popen | None = None
    stop_asked: bool = False

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "experiment": self.experiment, "args": self.args,
                "state": self.state, "returncode": self.returncode, "run": self.run,
                "output": list(self.output)[-20:]}


class Jobs:
    """Runs queued and running under one server; `limit` of them at once."""

    def __init__(self, root: Path, limit: int = 1):
        self.root, self.limit = Path(root).resolve(), limit
        self.jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closing = False

    def submit(self, experiment: str, args: list[str], run: str | None = None) -> Job:
        """Queue `nnzoo run *args` (args already checked); start it if a slot is free.
        `run`: the run folder (relative) when it is known already, as for a resume."""
        with self._lock:
            if self._closing:
                raise UserError("the server is stopping; start the run again after restarting")
            job = Job(next(self._ids), experiment, list(args), run=run)
            self.jobs[job.id] = job
            self._schedule()
        return job

    def get(self, job_id: int) -> Job:
        if job_id not in self.jobs:
            raise Refused(f"no job {job_id} in this server; the jobs are listed at /api/jobs")
        return self.jobs[job_id]

    def for_run(self, run: str) -> Job | None:
        """The newest job of the run folder `run` (relative), if this server started one."""
        found = [j for j in self.jobs.values() if j.run == run]
        return found[-1] if found else None

    def running_runs(self) -> set[str]:
        return {j.run for j in self.jobs.values() if j.active and j.run}

    def stop(self, job_id: int) -> Job:
        """Cancel a queued job, or interrupt a running one (it keeps its checkpoint)."""
        with self._lock:
            job = self.get(job_id)
            if job.state == "queued":
                job.state = "cancelled"
            elif job.state == "running" and job.proc is not None:
                job.stop_asked = True
                _interrupt(job.proc)
        return job

    def shutdown(self, wait: float = 10.0) -> list[Job]:
        """Interrupt every running job and cancel the queued ones; -> the jobs stopped."""
        with self._lock:
            self._closing = True
            stopped = [j for j in self.jobs.values() if j.state == "running" and j.proc]
            for job in self.jobs.values():
                if job.state == "queued":
                    job.state = "cancelled"
            for job in stopped:
                job.stop_asked = True
                _interrupt(job.proc)
        deadline = time.time() + wait
        for job in stopped:
            try:
                job.proc.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                job.proc.kill()
        return stopped

    # ---- inside the lock
    def _schedule(self) -> None:
        running = sum(j.state == "running" for j in self.jobs.values())
        for job in self.jobs.values():
            if running >= self.limit:
                break
            if job.state == "queued":
                self._start(job)
                running += 1

    def _start(self, job: Job) -> None:
        try:
            job.proc = subprocess.Popen(
                [sys.executable, "-m", "nnzoo", "run", *job.args], stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                start_new_session=True)  # a Ctrl-C at the server's terminal is the server's
        except OSError as e:
            job.state, job.output = "failed", deque([f"could not start: {e}"])
            return
        job.state = "running"
        threading.Thread(target=self._follow, args=(job,), daemon=True).start()

    def _follow(self, job: Job) -> None:
        """Read the run's output (its folder is on its first line); when it ends, the next."""
        assert job.proc is not None and job.proc.stdout is not None
        for line in job.proc.stdout:
            line = line.rstrip("\n")
            job.output.append(line)
            m = STARTED.match(line)
            if m and job.run is None:
                job.run = self._relative(m.group(1))
        rc = job.proc.wait()
        with self._lock:
            job.returncode = rc
            job.state = "stopped" if job.stop_asked or rc == INTERRUPTED else \
                "finished" if rc in (0, 1, 3) else "failed"
            self._schedule()

    def _relative(self, path: str) -> str | None:
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None


def _interrupt(proc: subprocess.Popen) -> None:
    try:
        proc.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
    except ProcessLookupError:
        pass
