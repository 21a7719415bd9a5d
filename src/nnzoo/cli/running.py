"""`nnzoo run`, `nnzoo tour` and `nnzoo report`: the commands that train."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from nnzoo import registry
from nnzoo.api import create_run, execute, reopen_run
from nnzoo.cli.args import COMMON, HELP, NPROC, Flag, parse_tokens, run_flags, usage
from nnzoo.cli.catalogue import show_text
from nnzoo.cli.exits import exit_status
from nnzoo.errors import Diverged, NnzooError, UserError
from nnzoo.folders import SMOKE_ERROR, SMOKE_OK
from nnzoo.registry import Plan, RunOptions


def _nproc_here(nproc: int) -> int:
    from nnzoo.launch import launched

    if nproc > 1 and launched():
        raise UserError("--nproc starts its own processes; under torchrun leave it out "
                        "(torchrun's --nproc-per-node says how many)")
    return nproc


def cmd_run(args: list[str]) -> int:
    name = args[0] if args and not args[0].startswith("-") else None  # NAME comes first
    resume_flags = {**HELP, **COMMON, "--resume": Flag("resume"), **NPROC}
    if name is None:
        _, opts = parse_tokens(args, resume_flags, "run", 0)
        if opts.get("help") or not opts.get("resume"):
            if not opts.get("help"):
                raise UserError("`nnzoo run` needs an experiment name (e.g. `nnzoo run perceptron`)"
                                " or --resume RUN_DIR; `nnzoo list` shows the experiments")
            print(usage())
            return 0
        return _resume(opts, args=args)
    exp = registry.get(name)
    _, opts = parse_tokens(args, run_flags(exp), f"run {name}", 1)  # each value checked
    if opts.get("help"):
        print(show_text(exp))
        return 0
    if opts.get("resume"):
        return _resume(opts, name, args)
    nproc = _nproc_here(opts.pop("nproc", 1))
    common = RunOptions.of({k: opts.pop(k) for k in list(opts) if f"--{k}" in COMMON})
    plan = Plan(exp, exp.config_of(opts, common.smoke), common)  # before any folder
    from nnzoo.launch import check_supported, launch, launched

    if nproc > 1 or launched():
        check_supported(exp)
        if not launched():  # start the processes; each runs this command (rank 0 writes)
            return launch(exp, args, nproc, common.device, rank_main)
    return _finish(create_run(plan))  # the code path of nnzoo.run(...)


def rank_main(args: list[str]) -> int:
    """One process of `nnzoo run ARGS --nproc N`: `nnzoo run ARGS`, ended as `nnzoo` ends."""
    return exit_status(lambda: cmd_run(args))


def _resume(opts: dict[str, Any], name: str | None = None, args: list[str] = ()) -> int:
    from nnzoo.launch import check_supported, launch, launched

    nproc = _nproc_here(opts.pop("nproc", 1))
    extra = [f"--{k}" for k in opts if k not in ("resume", "quiet", "device")]
    if extra:
        raise UserError(f"--resume continues a run with its saved options; drop "
                        f"{', '.join(extra)}, or start a new run without --resume")
    run = reopen_run(opts["resume"], device=opts.get("device"), quiet=opts.get("quiet", False))
    if name is not None and run.experiment.name != name:
        raise UserError(f"{opts['resume']} is a run of {run.experiment.name}, not {name}; "
                        f"use `nnzoo run --resume {opts['resume']}`")
    if nproc > 1 or launched():
        check_supported(run.experiment)
    if nproc > 1 and not launched():  # the folder is checked: now start the processes
        run._unlock()  # rank 0 of the launch owns the folder from here (its own run.lock)
        return launch(run.experiment, list(args), nproc, run.device_name, rank_main)
    return _finish(run)


def _finish(run) -> int:
    """nnzoo.api.execute(run), its verdict printed; -> the exit status."""
    try:
        summary, verdict = execute(run, f"\ninterrupted; continue with: nnzoo run --resume "
                                        f"{run.dir}")
    except KeyboardInterrupt:
        return 130
    print(verdict)
    return 0 if summary["passed"] or run.smoke else 1


# --------------------------------------------------------------------------- tour and report
def cmd_tour(args: list[str]) -> int:
    flags = {**HELP, **COMMON, "--only": Flag("only")}
    _, opts = parse_tokens(args, flags, "tour", 0)
    if opts.get("help"):
        print("usage: nnzoo tour [--only FAMILY] [--smoke] [--seed N] [--device D] [--out DIR] "
              "[--quiet]\n  runs every experiment at its default settings (or --smoke), "
              "prints a table and writes OUT/index.html")
        return 0
    from nnzoo.report import write_report
    from nnzoo.runs import Run

    groups = registry.by_family(opts.pop("only", None))
    exps = [e for es in groups.values() for e in es]
    common = RunOptions.of(opts)  # each value checked as it was read
    out, smoke = common.out, common.smoke
    rows = []
    for k, exp in enumerate(exps, 1):
        if not smoke and not exp.tour:  # hours long: only `nnzoo run NAME` starts it
            rows.append((exp.name, SKIPPED, f"hours long; run it with `nnzoo run {exp.name}`",
                         0.0))
            continue
        if not common.quiet:
            print(f"[{k}/{len(exps)}] {exp.name} ...", flush=True)
        run = Run.new(Plan(exp, exp.config_of({}, smoke), common))
        started = time.time()
        try:
            s = run.execute()
            rows.append((exp.name, s["status"], s["headline"], s["wall_time_s"]))
        except NnzooError as e:
            status = "DIVERGED" if isinstance(e, Diverged) else SMOKE_ERROR if smoke else "ERROR"
            rows.append((exp.name, status, str(e), round(time.time() - started, 1)))
    print(tour_table(rows, smoke))
    Path(out).mkdir(parents=True, exist_ok=True)
    index = write_report(out)
    print(f"\nreport: {index}")
    if smoke:  # as `nnzoo run --smoke`: success is having run, not the claim
        return 0 if all(r[1] == SMOKE_OK for r in rows) else 1
    return 0 if all(r[1] in ("PASS", SKIPPED) for r in rows) else 1


SKIPPED = "SKIPPED"  # the tour's status of an experiment registered with tour=False


def tour_table(rows: list[tuple[str, str, str, float]], smoke: bool = False) -> str:
    w = max([len(r[0]) for r in rows] + [10])
    v = max([len(r[1]) for r in rows] + [8])
    lines = [f"\n{'experiment':<{w}}  {'result':<{v}}  {'seconds':>7}  key metric",
             f"{'-' * w}  {'-' * v}  {'-' * 7}  {'-' * 40}"]
    for name, status, headline, secs in rows:
        lines.append(f"{name:<{w}}  {status:<{v}}  {secs:>7.1f}  {headline}")
    passed = sum(r[1] == "PASS" for r in rows)
    if smoke:
        ran = sum(r[1] == SMOKE_OK for r in rows)
        lines.append(f"\n{ran}/{len(rows)} smoke runs {SMOKE_OK} (a smoke run is not judged: "
                     f"the claims are for the default settings)")
    else:
        skipped = sum(r[1] == SKIPPED for r in rows)
        lines.append(f"\n{passed}/{len(rows) - skipped} experiments PASS"
                     + (f" ({skipped} skipped: hours long, see the table)" if skipped else ""))
    return "\n".join(lines)


def cmd_report(args: list[str]) -> int:
    dirs, opts = parse_tokens(args, HELP, "report", 1)
    if opts.get("help"):
        print("usage: nnzoo report [RUNS_DIR]   writes RUNS_DIR/index.html (default runs/)")
        return 0
    from nnzoo.report import write_report

    if dirs and not dirs[0].strip():  # '' is not the current folder, as for --out
        raise UserError("expected `nnzoo report` to name a runs folder, got ''; e.g. "
                        "`nnzoo report runs` (`.` for the current folder)")
    print(f"report: {write_report(dirs[0] if dirs else 'runs')}")
    return 0
