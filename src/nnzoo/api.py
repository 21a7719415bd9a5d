"""nnzoo from Python: `nnzoo.run`, `resume`, `catalogue`, `show` and `load_run`.

    >>> import nnzoo
    >>> result = nnzoo.run("twin-spirals", net="short", smoke=True)   # as `nnzoo run ...`
    >>> result.verdict, result.headline, result.figures["spirals"]

`nnzoo run` and `nnzoo.run` are one code path from the plan down: each checks every value
once by its Option (the command line as it reads it, `nnzoo.run` as it is called) into a
`registry.Plan`, which `create_run` turns into the run folder and `execute` runs, keeping
the verdict in its log; the CLI prints what they return, the Python face returns it as a
`RunResult` (which a notebook displays). A mistake raises the UserError (a ValueError)
whose one line the CLI prints. Options take their Python spelling: `max_epochs=5` is
`--max-epochs 5`. Nothing here imports torch until a run starts, so `import nnzoo` stays
light.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnzoo import registry
from nnzoo.errors import OptionTypeError
from nnzoo.registry import RunOptions
from nnzoo.views import Catalogue, ExperimentView, RunResult, wrap

if TYPE_CHECKING:  # nnzoo.runs is imported when a run starts
    from nnzoo.runs import Run

__all__ = ["catalogue", "load_run", "resume", "run", "show"]


# --------------------------------------------------------------------------- the one code path
def echo(quiet: bool) -> Callable[[str], None]:
    """How a run tells its user something: printed, unless quiet."""
    return (lambda msg: None) if quiet else (lambda msg: print(msg, flush=True))


def create_run(plan: registry.Plan) -> Run:
    """The run folder of a plan, every value of which is checked (inside a data-parallel
    launch: rank 0's only)."""
    return _run_class().new(plan, echo=echo(plan.options.quiet))


def reopen_run(run_dir: str | Path, *, device: str | None = None, quiet: bool = False) -> Run:
    """The stopped run in `run_dir`, ready to continue from its last checkpoint."""
    return _run_class().reopen(run_dir, device=device, quiet=quiet, echo=echo(quiet))


def _run_class():
    """Run, or RankRun in a process of a data-parallel launch (torchrun, `--nproc`)."""
    from nnzoo.launch import RankRun, launched
    from nnzoo.runs import Run

    return RankRun if launched() else Run


def execute(run: Run, interrupted: str) -> tuple[dict[str, Any], str]:
    """Execute `run` (from its checkpoint, if any), as `nnzoo run` and `nnzoo.run` both do:
    say where it goes (unless quiet), then keep the verdict in its log.txt; -> (summary,
    verdict text). On Ctrl-C, print `interrupted` (how to continue, in the caller's words)
    and let the KeyboardInterrupt go on."""
    if not run.quiet:
        print(f"{'resuming' if run.reopened else 'running'} {run.experiment.name} -> "
              f"{run.dir}", flush=True)
    try:
        summary = run.execute()
    except KeyboardInterrupt:
        print(interrupted, file=sys.stderr)
        raise
    verdict = verdict_text(summary, run.dir)
    run.log(verdict, echo=False)
    return summary, verdict


def verdict_text(summary: dict[str, Any], run_dir) -> str:
    smoke = " (smoke: a quick check, the claim is for the default settings)" \
        if summary["smoke"] else ""
    figures = ", ".join(summary["figures"]) or "none"
    return "\n".join([
        f"{summary['status']}  {summary['experiment']}: {summary['headline']}{smoke}",
        wrap(f"expected: {summary['expects']}", 6),
        f"      run folder: {run_dir} (figures: {figures})",
        f"      wall time {summary['wall_time_s']:.1f} s on {summary['device']}"])


# --------------------------------------------------------------------------- the Python face
def run(name: str, *, seed: int = RunOptions.seed, device: str = RunOptions.device,
        out: str | Path = RunOptions.out, smoke: bool = RunOptions.smoke,
        quiet: bool = RunOptions.quiet, **options: Any) -> RunResult:
    """Run the experiment `name` as `nnzoo run` does and return its result (verdict,
    headline, metrics, figures, run folder, metrics rows). `options` are the experiment's,
    in Python spelling (`nnzoo.show(name)` lists them): `nnzoo.run("perceptron",
    max_epochs=5)` is `nnzoo run perceptron --max-epochs 5`. A bad name or value raises a
    ValueError (nnzoo.errors.UserError), a value of the wrong type or an unknown keyword a
    TypeError too (nnzoo.errors.OptionTypeError), before any folder is made."""
    if not isinstance(name, str):
        raise OptionTypeError(f"nnzoo.run() takes an experiment's name as a str, got "
                              f"{name!r}; nnzoo.catalogue() lists them")
    exp = registry.get(name)
    common = RunOptions.make(python=True, seed=seed, device=device, out=out, smoke=smoke,
                             quiet=quiet)
    plan = registry.Plan(exp, exp.make_config(options, smoke=common.smoke, python=True), common)
    return _result(create_run(plan))


def resume(run_dir: str | Path, *, device: str | None = None, quiet: bool = False
           ) -> RunResult:
    """Continue the stopped run in `run_dir` from its last checkpoint, with its saved
    options (`device` may change); -> its result, as `run` returns it."""
    return _result(reopen_run(_folder(run_dir, "resume"), device=device, quiet=quiet))


def _folder(run_dir: Any, function: str) -> Path:
    """`run_dir` as a Path, or the TypeError (a UserError too) that Python would raise."""
    if not isinstance(run_dir, (str, PathLike)):
        raise OptionTypeError(f"nnzoo.{function}() takes a run folder as a str or Path, got "
                              f"{run_dir!r}")
    return Path(run_dir)


def _result(run: Run) -> RunResult:
    """The result of executing `run`, as the Python face returns it."""
    execute(run, f"interrupted; continue with: nnzoo.resume({str(run.dir)!r})")
    return RunResult(run.dir)


def load_run(run_dir: str | Path) -> RunResult:
    """A finished run's result, read from its folder (summary.json, metrics.jsonl, figures)."""
    return RunResult(_folder(run_dir, "load_run"))


def catalogue(family: str | None = None) -> Catalogue:
    """The catalogue as data: one dict per experiment (name, family, kind, claim, expects,
    data, seconds, tour), in the course's order; `family` keeps one family."""
    rows = []
    for fam, exps in registry.by_family(family).items():
        title = registry.FAMILIES[fam].title
        rows += [{"name": e.name, "family": fam, "family_title": title, "kind": e.kind,
                  "claim": e.claim, "expects": e.expects, "data": e.data,
                  "seconds": e.seconds, "tour": e.tour} for e in exps]
    return Catalogue(rows)


def show(name: str) -> ExperimentView:
    """An experiment's claim and options (Python spelling, type, default, help) and what
    `smoke=True` sets; displays itself in a notebook."""
    return ExperimentView(registry.get(name))
