"""Runs: the run folder, metrics log, figures, atomic checkpoints, resume, progress and seeds.

    runs/<experiment>/<YYYYmmdd-HHMMSS>-s<seed>/
        config.json      experiment, seed, device, smoke flag and every config value
        metrics.jsonl    one JSON object per logged step, appended and flushed line by line
        summary.json     final metrics, claim, PASS/FAIL, wall time, versions, device
        figures/*.png
        checkpoints/last.pt   written to a temp file, then renamed into place
        log.txt          a copy of what the run printed
        run.lock         while a process runs it: that process's id (one owner at a time)

metrics.jsonl and log.txt are made with the folder: empty when an experiment has no
training loop to log (hopfield-recall) or stops before it prints.

Seeds: the run seeds the global generators once (for the few torch layers that draw from
them, such as dropout) and hands out named, independent streams: `run.rng("init", i)`
(see nnzoo.random). Nothing else seeds anything.

Resume: work that lasts goes through `run.parts`, the one mechanism:

    runs = run.parts(cfg.runs, desc="runs")       # results of finished parts, restored
    for i in runs:                                # the parts not yet finished
        runs.done(train_one(cfg, run, i))         # keep its result, then checkpoint

`keep={"agent": agent}` names objects (with state_dict/load_state_dict, or torch
Generators) whose state is saved with every checkpoint and loaded when the parts are
resumed; parts made inside a part (e.g. `nnzoo.training.supervised.fit`'s epochs inside
run i) are saved with it and forgotten once it is done. A checkpoint holds every parts' results, the
kept objects' states, the global generators' states and the number of metrics lines
written, so a resumed run truncates the lines logged after the checkpoint and ends with
the same numbers as one that was never stopped.
"""

from __future__ import annotations

import dataclasses
import json
import math
import platform
import random
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnzoo import folders
from nnzoo._version import __version__
from nnzoo.errors import DataError, Diverged, UserError, user_path
from nnzoo.folders import atomic_write, jsonable, make_folder, new_folder, write_json
from nnzoo.parts import Ledger, Parts
from nnzoo.registry import Experiment, Plan, RunOptions, get

if TYPE_CHECKING:  # nnzoo.random imports numpy: not on `nnzoo list`'s path
    from nnzoo.random import Stream

CHECKPOINT = "last.pt"
DIVERGED_HINT = "lower the learning rate (--lr) or the initial weight scale"


@dataclass
class Result:
    """What a run function returns: whether its claim held, and the numbers that decide it."""

    passed: bool
    headline: str  # one line with the measured key number, e.g. "10/10 runs solved XOR"
    metrics: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- seeds and devices
def _seed_globals(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's global generators: done once, by Run.execute."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _random():
    import nnzoo.random  # imports numpy: not on `nnzoo list`'s path

    return nnzoo.random


def resolve_device(name: str):
    """torch.device for --device auto|cpu|cuda|mps; a UserError when it is not there."""
    import torch

    mps = getattr(torch.backends, "mps", None)
    has_mps = bool(mps and mps.is_available())
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if has_mps else "cpu"
    elif name == "cuda" and not torch.cuda.is_available():
        raise UserError("--device cuda was asked for but PyTorch sees no CUDA GPU; "
                        "use --device cpu (or auto)")
    elif name == "mps" and not has_mps:
        raise UserError("--device mps was asked for but PyTorch sees no Apple GPU; "
                        "use --device cpu (or auto)")
    return torch.device(name)


def show_progress(quiet: bool) -> bool:
    """Progress bars but with --quiet: in a terminal or a notebook (Jupyter's kernel)."""
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return not quiet and (sys.stderr.isatty() or "IPKernelApp" in getattr(shell, "config", {}))


def progress_bar():
    """tqdm.auto's class where ipywidgets is installed (a widget in a notebook), else
    tqdm's text bar: tqdm.auto would warn "IProgress not found" in every notebook run."""
    import importlib.util

    if importlib.util.find_spec("ipywidgets") is None:
        from tqdm.std import tqdm
    else:
        from tqdm.auto import tqdm
    return tqdm


# --------------------------------------------------------------------------- the run
class Run:
    """One run of one experiment: its folder, its logs, its random streams and its
    checkpoints. `writes` is False on the ranks but 0 of a data-parallel run
    (nnzoo.distributed): they compute the same things and write nothing."""

    writes = True

    def __init__(self, experiment: Experiment, cfg: Any, directory: Path,
                 options: RunOptions, *, echo: Callable[[str], None] | None = None):
        self.experiment, self.cfg, self.dir = experiment, cfg, Path(directory)
        self.options = options
        self.seed, self.device_name, self.smoke = options.seed, options.device, options.smoke
        self.quiet = options.quiet
        self._echo = echo or (lambda msg: None)
        self._device = None
        self._metrics_lines = 0
        self.ledger = Ledger()  # the run's parts (nnzoo.parts), and what was saved of them
        self.elapsed_before = 0.0  # wall seconds spent before the last resume
        self.resumed = False  # restored from a checkpoint
        self.reopened = False  # opened from an existing folder with --resume
        for sub in ("figures", "checkpoints") if self.writes else ():
            (self.dir / sub).mkdir(parents=True, exist_ok=True)

    # ---- creating and reopening
    @classmethod
    def create(cls, experiment: Experiment, cfg: Any, out: str | Path | None = None, *,
               directory: str | Path | None = None, echo: Callable[[str], None] | None = None,
               **options: Any) -> Run:
        """`new`, of RunOptions' keyword values (seed, device, smoke, quiet), checked."""
        if out is not None:
            options["out"] = out
        return cls.new(Plan(experiment, cfg, RunOptions.make(**options)), directory=directory,
                       echo=echo)

    @classmethod
    def new(cls, plan: Plan, *, directory: str | Path | None = None,
            echo: Callable[[str], None] | None = None) -> Run:
        """A plan's new run folder OUT/<experiment>/<time>-s<seed>, or `directory` (a sweep
        names its runs' folders; one there already must hold no run yet)."""
        experiment, cfg, opts = plan.experiment, plan.config, plan.options
        resolve_device(opts.device)  # a device that is not there fails before any folder
        if directory is None:
            directory = new_folder(user_path(opts.out) / experiment.name,
                                   f"{time.strftime('%Y%m%d-%H%M%S')}-s{opts.seed}")
        elif (Path(directory) / "config.json").exists():
            raise UserError(f"{directory} holds a run already; resume it with "
                            f"`nnzoo run --resume {directory}`")
        make_folder(Path(directory))
        run = cls(experiment, cfg, directory, opts, echo=echo)
        run._lock()
        write_json(run.dir / "config.json", {
            "experiment": experiment.name, "seed": opts.seed, "device": opts.device,
            "smoke": opts.smoke, "config": dataclasses.asdict(cfg)})
        for name in ("metrics.jsonl", "log.txt") if run.writes else ():
            (run.dir / name).touch()
        return run

    @classmethod
    def reopen(cls, directory: str | Path, *, device: str | None = None, quiet: bool = False,
               echo: Callable[[str], None] | None = None) -> Run:
        """The run saved in `directory`, with its saved config (checked again), ready to
        resume; `device` (default: the saved one) and `quiet` may change."""
        directory = Path(directory)
        fix = "give the folder of a run, e.g. runs/perceptron/20261126-101500-s0"
        if not directory.is_dir():
            raise UserError(f"cannot resume {directory}: there is no such folder; {fix}")
        try:
            saved = json.loads((directory / "config.json").read_text())
            name, values = saved["experiment"], saved["config"]
            options = {"seed": saved["seed"], "smoke": bool(saved.get("smoke")),
                       "device": device or saved.get("device", "auto"), "quiet": quiet,
                       "out": str(directory.parent.parent)}
        except FileNotFoundError:
            raise UserError(f"cannot resume {directory}: it has no config.json; {fix}") from None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise UserError(f"cannot resume {directory}: config.json is unreadable ({e}); "
                            f"{fix}") from None
        experiment = get(name)
        cfg = experiment.make_config(values)
        if (directory / "summary.json").exists():
            raise UserError(f"cannot resume {directory}: the run is finished (it has a "
                            f"summary.json); run it again in a new folder with `nnzoo run "
                            f"{experiment.command_line(saved)}`")
        run = cls(experiment, cfg, directory, RunOptions.make(**options), echo=echo)
        run._lock()
        run.reopened = True
        return run

    # ---- one owner at a time
    def _lock(self) -> None:
        """Own the run folder (its run.lock, see nnzoo.folders), released when the run ends
        (`execute`), however it ends; the ranks but 0 of a data-parallel run write nothing."""
        if self.writes:
            folders.take_lock(self.dir)
            self._locked = True

    def _unlock(self) -> None:
        if getattr(self, "_locked", False):
            folders.release_lock(self.dir)
            self._locked = False

    # ---- what the experiment uses
    @property
    def device(self):
        if self._device is None:
            self._device = resolve_device(self.device_name)
        return self._device

    def rng(self, *key: str | int) -> Stream:
        """The random stream named `key` (e.g. "init", 3) of this run: independent of every
        other name, and the same whether or not the run was resumed (nnzoo.random)."""
        from nnzoo.random import stream

        return stream(self.seed, *key)

    @contextmanager
    def seeded(self, *key: str | int):
        """A block in which torch's global generator draws from the stream named `key`, for
        PyTorch modules that initialise their own weights (nn.Linear, nn.Conv2d); the global
        generator's state is put back afterwards."""
        import torch

        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.rng(*key).seed())
            yield

    def parts(self, n: int, *, label: str = "parts", desc: str | None = None,
              keep: dict[str, Any] | None = None,
              until: Callable[[list], bool] | None = None) -> Parts:
        """The one resume mechanism: `n` parts, checkpointed as each is done (see the module
        docstring). `label` names these parts among the run's others; `desc` shows a
        progress bar; `until(results)` stops early (checked before each part)."""
        return Parts(self, n, label, desc, keep or {}, until)

    def log(self, message: str, echo: bool = True) -> None:
        """Tell the user something (unless echo=False); it is also kept in log.txt."""
        if self.writes:
            with open(self.dir / "log.txt", "a") as f:
                f.write(message + "\n")
        if echo:
            self._echo(message)

    def progress(self, iterable: Iterable | None = None, total: int | None = None,
                 desc: str | None = None, initial: int = 0):
        """A tqdm bar (a widget in a notebook that has ipywidgets, text otherwise), silent
        with --quiet and when the output is a file."""
        return progress_bar()(iterable, total=total, desc=desc or self.experiment.name,
                              initial=initial, disable=not show_progress(self.quiet),
                              leave=False, dynamic_ncols=True, file=sys.stderr)

    def log_metrics(self, step: int, **values: Any) -> None:
        """Append one line {"step": step, ...} to metrics.jsonl, flushed at once."""
        if self.writes:
            with open(self.dir / "metrics.jsonl", "a") as f:
                f.write(json.dumps(jsonable({"step": step, **values})) + "\n")
        self._metrics_lines += 1

    def save_figure(self, fig, name: str) -> Path:
        """Save a matplotlib Figure as figures/<name>.png."""
        path = self.dir / "figures" / f"{name}.png"
        if self.writes:
            fig.savefig(path, dpi=110, bbox_inches="tight")
        return path

    def check_loss(self, loss: float, step: int, hint: str = DIVERGED_HINT) -> float:
        """The divergence guard: stop the run at a NaN/inf loss, keeping the last checkpoint."""
        if not math.isfinite(loss):
            kept = self.dir / "checkpoints" / CHECKPOINT
            where = f"; the last good checkpoint is {kept}" if kept.exists() else ""
            raise Diverged(step, getattr(self, "_last_finite", None), hint + where)
        self._last_finite = loss
        return loss

    # ---- checkpoints
    def save_weights(self, name: str, state: dict[str, Any]) -> Path:
        """Keep `state` (e.g. the weights a user keeps: tensors, numbers, strings, lists,
        dicts, which torch.load(path, weights_only=True) reads back) as
        checkpoints/<name>.pt, atomically (temp file, then rename)."""
        import torch

        path = self.dir / "checkpoints" / f"{name}.pt"
        if self.writes:
            atomic_write(path, lambda f: torch.save(state, f), mode="wb")
        return path

    def checkpoint(self) -> None:
        """Save every parts' results and kept objects' states, with the global generators'
        states, atomically (temp file, then rename)."""
        import torch

        if not self.writes:
            return
        payload = {
            **self.ledger.state(), "rng": _random().rng_state(),
            "metrics_lines": self._metrics_lines,
            "elapsed": self.elapsed_before + (time.time() - self._started)}
        atomic_write(self.dir / "checkpoints" / CHECKPOINT,
                     lambda f: torch.save(payload, f), mode="wb")

    def _read_checkpoint(self) -> dict[str, Any] | None:
        """The last checkpoint's contents, or None when there is none."""
        import torch

        path = self.dir / "checkpoints" / CHECKPOINT
        if not path.exists():
            return None
        try:
            return torch.load(path, map_location="cpu", weights_only=True)
        except Exception:  # a corrupt file must not run code nor crash with a traceback
            raise UserError(f"cannot resume from {path}: the checkpoint is unreadable "
                            "(damaged, or not nnzoo's); delete it to restart this run from "
                            "the beginning") from None

    def _restore(self) -> None:
        """Load the last checkpoint, if any: generators, metrics lines, saved parts."""
        payload = self._read_checkpoint()
        if payload is None:
            return
        _random().set_rng_state(payload["rng"])
        self._truncate_metrics(payload["metrics_lines"])
        self.elapsed_before = payload.get("elapsed", 0.0)
        self.ledger.restore(payload)
        self.resumed = True

    def _truncate_metrics(self, n: int) -> None:
        path = self.dir / "metrics.jsonl"
        if self.writes:
            lines = path.read_text().splitlines(keepends=True) if path.exists() else []
            atomic_write(path, lambda f: f.writelines(lines[:n]))
        self._metrics_lines = n

    # ---- running
    def execute(self) -> dict[str, Any]:
        """Seed, run the experiment (resuming if a checkpoint exists), write summary.json;
        the run folder's lock is released however it ends. A smoke run is not judged:
        SMOKE OK when it ran to the end (DIVERGED, as any run, when its loss diverged)."""
        self._started = time.time()
        try:
            _seed_globals(self.seed)
            self._restore()
            result = self.experiment.fn(self.cfg, self)
            verdict = "PASS" if result.passed else "FAIL"
            return self._summary(folders.SMOKE_OK if self.smoke else verdict, result)
        except Diverged as e:  # smoke or not: what happened, as the exit status 3 says
            self.log(f"DIVERGED: {e}", echo=False)  # log.txt says how it ended
            self._summary("DIVERGED", Result(False, str(e), {}))
            raise
        except (UserError, DataError):  # e.g. a data set that cannot be fetched: a new run
            if self.writes and not self.reopened:  # that kept nothing leaves no folder
                folders.discard_if_empty(self.dir)
            raise
        finally:
            self._unlock()

    def _summary(self, status: str, result: Result) -> dict[str, Any]:
        import numpy as np
        import torch

        exp = self.experiment
        summary = {
            "experiment": exp.name, "family": exp.family, "kind": exp.kind,
            "claim": exp.claim, "expects": exp.expects,
            "status": status, "passed": bool(result.passed), "headline": result.headline,
            "metrics": result.metrics, "smoke": self.smoke, "seed": self.seed,
            "device": str(self.device) if self._device is not None else "cpu",
            "wall_time_s": round(self.elapsed_before + time.time() - self._started, 3),
            "resumed": self.resumed,
            "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
            "versions": {"nnzoo": __version__, "python": platform.python_version(),
                         "torch": torch.__version__, "numpy": np.__version__,
                         "platform": platform.platform()},
            "figures": sorted(p.name for p in (self.dir / "figures").glob("*.png")),
        }
        if self.writes:
            write_json(self.dir / "summary.json", summary)
        return summary
