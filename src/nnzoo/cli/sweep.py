"""`nnzoo sweep`: one experiment over seeds and option lists, `--jobs` runs at a time.

Each run is its own process (`work` below), exactly what `nnzoo run` would do in a fresh
interpreter, writing an ordinary run folder in the sweep folder (nnzoo.sweeps); its stray
output goes to stderr.txt in its folder, so the sweep shows one progress bar. Ctrl-C
interrupts every run (each keeps its last checkpoint) and names the command that resumes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from nnzoo import registry, sweeps
from nnzoo.cli.args import COMMON, HELP, Flag, experiment_flags, parse_tokens
from nnzoo.errors import Diverged, NnzooError, UserError

JOBS = registry.Option("jobs", int, 0, "", range=registry.Range(lo=1))
FLAGS = {**HELP, **{k: v for k, v in COMMON.items() if k != "--seed"},
         "--seeds": Flag("seeds", parse=sweeps.parse_seeds),
         "--jobs": Flag("jobs", parse=lambda t: JOBS.parse(t, None)),
         "--resume": Flag("resume")}
DEFAULT_SEEDS = "0-2"  # the seeds at which every claim is checked

USAGE = f"""\
usage: nnzoo sweep NAME [--seeds {DEFAULT_SEEDS}] [--jobs N] [--OPTION V1,V2,...] [--smoke]
                        [--device D] [--out DIR] [--quiet]
       nnzoo sweep --resume SWEEP_DIR [--jobs N] [--quiet]

Runs NAME at every seed of --seeds (e.g. 0-9, 0,3,7; default {DEFAULT_SEEDS}) and every
combination of the values listed for its options (--lr 0.1,0.01 --hidden 2,4: four
combinations), each run an ordinary run folder under OUT/NAME/sweep-<time>/, --jobs at a
time (default: one per core), then prints per combination the PASS rate over the seeds and
the mean, std (n - 1), min and max of each final numeric metric, writes sweep.json and draws
sweep.png (the first numeric metric over seeds, PASS/FAIL marked). Every combination is
checked before anything starts. --resume continues a stopped sweep: finished runs are kept,
unfinished ones resumed from their checkpoints, missing ones started."""


def cmd_sweep(args: list[str]) -> int:
    name = args[0] if args and not args[0].startswith("-") else None  # NAME comes first
    if name is None:
        _, opts = parse_tokens(args, FLAGS, "sweep", 0)
        if opts.get("help") or not opts.get("resume"):
            if not opts.get("help"):
                raise UserError("`nnzoo sweep` needs an experiment name (e.g. `nnzoo sweep "
                                "perceptron --seeds 0-9`) or --resume SWEEP_DIR")
            print(USAGE)
            return 0
        extra = [f"--{k}" for k in opts if k not in ("resume", "jobs", "quiet", "device")]
        if extra:
            raise UserError(f"--resume continues a sweep with its saved plan; drop "
                            f"{', '.join(extra)}, or give the experiment's name first")
        plan = sweeps.read_plan(opts["resume"])
        return _sweep(plan, Path(opts["resume"]), opts)
    exp = registry.get(name)
    flags = {**FLAGS, **{k: _listed(f) for k, f in experiment_flags(exp).items()}}
    _, opts = parse_tokens(args, flags, f"sweep {name}", 1)
    if opts.get("help"):
        print(USAGE + f"\n\n`nnzoo show {name}` lists {name}'s options.")
        return 0
    common = registry.RunOptions.of({k: opts.pop(k) for k in ("device", "out", "smoke")
                                     if k in opts})
    own = {k: opts.pop(k) for k in list(opts) if k not in FLAGS_KEYS}
    grid = {k: v if isinstance(v, list) else [v] for k, v in own.items()}
    seeds = opts.get("seeds") or sweeps.parse_seeds(DEFAULT_SEEDS)
    plan = sweeps.make_plan(exp, grid, seeds, smoke=common.smoke, device=common.device)
    if opts.get("resume"):
        saved = sweeps.read_plan(opts["resume"])
        differs = sweeps.same_plan(saved, plan)
        if differs:
            raise UserError(f"{opts['resume']} is another sweep ({differs}); continue it with "
                            f"`nnzoo sweep --resume {opts['resume']}`")
        return _sweep(saved, Path(opts["resume"]), opts)
    if common.device in ("cuda", "mps"):  # a device that is not there fails before any folder
        from nnzoo.runs import resolve_device

        resolve_device(common.device)
    return _sweep(plan, sweeps.start(plan, common.out), opts)


FLAGS_KEYS = {f.name for f in FLAGS.values()}


def _listed(flag: Flag) -> Flag:
    """An experiment's option that takes a comma list: every value parsed and checked."""
    if not flag.takes_value:
        return flag

    def parse(text: str) -> list[Any]:
        values = [flag.parse(item.strip()) for item in text.split(",")]
        twice = [v for i, v in enumerate(values) if v in values[:i]]
        if twice:
            raise UserError(f"the list {text!r} names {twice[0]} twice; name each value once")
        return values if len(values) > 1 else values[0]

    return Flag(flag.name, parse=parse)


# --------------------------------------------------------------------------- running
def cores() -> int:
    """The CPU cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        os.cpu_count() or 1


def _sweep(plan: dict[str, Any], directory: Path, opts: dict[str, Any]) -> int:
    from tqdm.auto import tqdm

    from nnzoo.runs import show_progress

    quiet, device = opts.get("quiet", False), opts.get("device") or plan["device"]
    todo = [r for r in plan["runs"] if sweeps.summary_of(directory / r["folder"]) is None]
    jobs = min(opts.get("jobs") or cores(), max(len(todo), 1))
    threads = max(1, cores() // jobs)  # jobs x threads <= cores
    total, done = len(plan["runs"]), len(plan["runs"]) - len(todo)
    print(f"sweep {plan['experiment']}: {total} runs"
          + (f" ({done} finished already)" if done else "")
          + f", {jobs} at a time x {threads} torch thread{'s' * (threads > 1)} -> {directory}",
          flush=True)
    bar = tqdm(total=total, initial=done, desc=plan["experiment"], unit="run",
               disable=not show_progress(quiet), dynamic_ncols=True, file=sys.stderr)
    kept = [sweeps.summary_of(directory / r["folder"]) for r in plan["runs"] if r not in todo]
    count = {"done": done, "PASS": sum(s["status"] == "PASS" for s in kept)}
    errors: list[str] = []

    def finished(r: dict[str, Any], code: int) -> None:
        s = sweeps.summary_of(directory / r["folder"])
        status = s["status"] if s else "ERROR"
        count["done"] += 1
        count["PASS"] += status == "PASS"
        if s is None:
            why = f"killed by signal {-code}" if code < 0 else \
                f"exit status {code}, see {directory / r['folder'] / 'stderr.txt'}"
            errors.append(f"the run {r['folder']} did not finish ({why})")
        bar.set_postfix_str(f"PASS {count['PASS']}", refresh=False)
        bar.update(1)
        if bar.disable and not quiet:  # no terminal: a line per run instead of the bar
            print(f"[{count['done']}/{total}] {r['folder']}: {status}", flush=True)

    bar.set_postfix_str(f"PASS {count['PASS']}")
    task = {"experiment": plan["experiment"], "smoke": plan["smoke"], "device": device,
            "threads": threads}
    try:
        _pool(plan, directory, todo, jobs, task, finished)
        bar.close()
        table = sweeps.finish(directory, plan)
    except KeyboardInterrupt:
        bar.close()
        print(f"\ninterrupted; continue with: nnzoo sweep --resume {directory}",
              file=sys.stderr)
        return 130
    print(sweep_table(table, directory))
    for line in errors:
        print(f"nnzoo: error: {line}", file=sys.stderr)
    if errors:
        print(f"nnzoo: continue the unfinished runs with: nnzoo sweep --resume {directory}",
              file=sys.stderr)
    return 1 if errors else 0


def _pool(plan, directory: Path, todo: list[dict], jobs: int, task: dict[str, Any],
          finished) -> None:
    """Run `todo`, `jobs` processes at a time; on Ctrl-C (or SIGTERM) interrupt them all,
    wait for them to stop (each keeps its last checkpoint) and raise KeyboardInterrupt.
    Each run is in a session of its own, so that it gets that one signal from us alone."""
    waiting, running = list(todo), {}
    signal.signal(signal.SIGTERM, _interrupt)
    before = signal.signal(signal.SIGINT, _interrupt)  # also when started with SIGINT ignored
    # (as a shell's background job is): Ctrl-C must stop a sweep
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                r = waiting.pop(0)
                values = plan["combinations"][r["combo"]]["values"]
                held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)  # none unrecorded
                _LAUNCH["now"] = True
                try:
                    running[_launch(directory / r["folder"], {**task, "seed": r["seed"],
                                                              "values": values})] = r
                finally:
                    _LAUNCH["now"] = False
                    signal.pthread_sigmask(signal.SIG_SETMASK, held)
                if _LAUNCH.pop("stop", False):
                    raise KeyboardInterrupt
            time.sleep(0.1)
            for proc in [p for p in running if p.poll() is not None]:
                _tidy(directory / running[proc]["folder"])
                finished(running.pop(proc), proc.returncode)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not orphan them
        try:
            for proc in running:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGINT)
            for proc in running:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:  # a checkpoint is atomic: killing is safe
                    proc.kill()
                    proc.wait()
                _tidy(directory / running[proc]["folder"])
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        raise
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, before)


STOPS = {signal.SIGINT, signal.SIGTERM}


# The mask above blocks the stop for the main thread only: another thread (tqdm's monitor)
# can take the signal, and Python then runs the handler in the main thread anyway, possibly
# inside Popen after the fork, which would leave that run unrecorded and running. So while a
# run is launched the handler only notes the stop, and the pool raises it once the run is
# recorded.
_LAUNCH: dict[str, bool] = {"now": False}


def _interrupt(signum, frame):
    if _LAUNCH["now"]:
        _LAUNCH["stop"] = True
        return
    raise KeyboardInterrupt


def _launch(run_dir: Path, task: dict[str, Any]) -> subprocess.Popen:
    import nnzoo

    run_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "OMP_NUM_THREADS": str(task["threads"]),
           "MKL_NUM_THREADS": str(task["threads"]),
           "OPENBLAS_NUM_THREADS": str(task["threads"]),
           "PYTHONPATH": os.pathsep.join([str(Path(nnzoo.__file__).parents[1]),
                                          os.environ.get("PYTHONPATH", "")])}
    with open(run_dir / "stderr.txt", "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", "import sys; from nnzoo.cli.sweep import work; "
             "sys.exit(work(sys.argv[1:]))", str(run_dir), json.dumps(task)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env, start_new_session=True)


def _tidy(run_dir: Path) -> None:
    """Remove the run's stderr.txt when nothing was written to it."""
    out = run_dir / "stderr.txt"
    if out.exists() and out.stat().st_size == 0:
        out.unlink()


def work(argv: list[str]) -> int:
    """One run of a sweep, in its own process: the run in folder argv[0], resumed when it
    was started before, else created from the task argv[1] (JSON); -> the exit status."""
    directory, task = Path(argv[0]), json.loads(argv[1])
    try:
        # The sweep's stop must reach the run: a child starts with the signal mask of the
        # moment it was launched (SIGINT, SIGTERM blocked) and with SIGINT ignored when the
        # sweep was started so (a shell's background job)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
        from nnzoo.api import verdict_text
        from nnzoo.runs import Run
        from nnzoo.training.supervised import torch_threads

        if (directory / "config.json").exists():
            run = Run.reopen(directory, device=task["device"], quiet=True)
        else:
            exp = registry.get(task["experiment"])
            run = Run.create(exp, exp.make_config(task["values"], smoke=task["smoke"]),
                             directory=directory, seed=task["seed"], device=task["device"],
                             smoke=task["smoke"], quiet=True)
        with torch_threads(task["threads"]):
            summary = run.execute()
        run.log(verdict_text(summary, run.dir), echo=False)
        return 0
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        return 130
    except NnzooError as e:
        if isinstance(e, Diverged):  # its summary.json says DIVERGED
            return e.exit_status
        print(f"nnzoo: error: {e}", file=sys.stderr)
        return e.exit_status


# --------------------------------------------------------------------------- the table
def _number(x: float | None) -> str:
    return "-" if x is None else f"{x:.4g}"


def sweep_table(table: dict[str, Any], directory: Path) -> str:
    """Per option combination: its PASS rate over seeds and each numeric metric's spread."""
    lines = [f"\n{table['experiment']}{' (smoke)' if table['smoke'] else ''}: "
             f"{sweeps.pass_rate_text(table)}"]
    for combo in table["combinations"]:
        rate = "-" if combo["pass_rate"] is None else f"{100 * combo['pass_rate']:.0f}%"
        rate = "" if table["smoke"] else f" ({rate})"
        lines.append(f"\n{combo['label']}: {sweeps.verdicts(table, [combo])}{rate}"
                     + (f", {combo['runs'] - combo['finished']} unfinished"
                        if combo["finished"] < combo["runs"] else ""))
        if not combo["metrics"]:
            continue
        w = max(len(m) for m in combo["metrics"]) + 2
        lines.append(f"  {'metric':<{w}}{'mean':>10}{'std':>10}{'min':>10}{'max':>10}")
        for name, s in combo["metrics"].items():
            lines.append(f"  {name:<{w}}" + "".join(f"{_number(s[k]):>10}" for k in
                                                     ("mean", "std", "min", "max")))
    figure = f", {sweeps.FIGURE} ({table['metric']} over seeds)" if table["metric"] else ""
    lines.append(f"\nsweep folder: {directory} ({sweeps.TABLE}{figure})")
    return "\n".join(lines)
