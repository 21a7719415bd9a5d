"""Sweeps: one experiment over seeds and lists of option values, each (option values, seed)
an ordinary run folder under one sweep folder; then the verdicts and final metrics summed up.

    runs/<experiment>/sweep-<YYYYmmdd-HHMMSS>/
        plan.json        the experiment, seeds, option lists, smoke flag and every run's folder
        <values>-s<seed>/   an ordinary run folder (`nnzoo run --resume` continues it)
        sweep.json       per option combination: the PASS rate over seeds and the mean, std,
                         min and max of each final numeric metric
        sweep.png        the figure's metric over seeds, PASS/FAIL marked

A run is finished when its folder holds a summary.json (PASS, FAIL or DIVERGED), and counts
in the PASS rate then; an unfinished one is resumed by the run's own mechanism. The figure's
metric is the first numeric metric of the runs' summaries (an experiment lists its key
number first). Light: no torch, so that the sweep's own process stays small.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import statistics
import time
from pathlib import Path
from typing import Any

from nnzoo.errors import UserError, user_path
from nnzoo.folders import new_folder, write_json
from nnzoo.registry import MAX_SEED, Experiment, RunOptions

PLAN, TABLE, FIGURE = "plan.json", "sweep.json", "sweep.png"
SEEDS_FORM = "a range or list of seeds such as 0-9, 0,3,7 or 0-4,10"
MAX_RUNS = 10_000  # the most runs a sweep plans: more is a typo, or a job for a cluster


# --------------------------------------------------------------------------- the plan
def parse_seeds(text: str) -> list[int]:
    """The seeds of `--seeds` ("0-9", "0,3,7", "0-4,10"), in order, each once."""
    seeds: list[int] = []
    for item in text.split(","):
        lo, dash, hi = item.strip().partition("-")
        try:
            first, last = int(lo), int(hi) if dash else int(lo)
        except ValueError:
            raise UserError(f"expected --seeds to be {SEEDS_FORM}, got {text!r}") from None
        if last < first:
            raise UserError(f"expected --seeds ranges to go up (e.g. {last}-{first}), got "
                            f"{item.strip()!r} in --seeds {text}")
        if first < 0 or last > MAX_SEED:
            raise UserError(f"expected --seeds to name seeds from 0 to {MAX_SEED}, got "
                            f"{item.strip()!r} in --seeds {text}")
        if len(seeds) + last - first + 1 > MAX_RUNS:  # counted before any list is made
            raise UserError(f"--seeds {text} names more than {MAX_RUNS:,} seeds; a sweep "
                            f"plans at most {MAX_RUNS:,} runs")
        seeds += range(first, last + 1)
    twice = sorted({s for s in seeds if seeds.count(s) > 1})
    if twice:
        raise UserError(f"--seeds {text} names seed {twice[0]} twice; name each seed once")
    return seeds


def seeds_text(seeds: list[int]) -> str:
    """"0-9" for a run of consecutive seeds, else "0,3,7"."""
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[-1] + 1)):
        return f"{seeds[0]}-{seeds[-1]}"
    return ",".join(map(str, seeds))


def label(values: dict[str, Any]) -> str:
    """--lr 0.1 --momentum 0.9 (the options that vary over the sweep), or "defaults"."""
    return " ".join(f"--{k.replace('_', '-')} {v}" for k, v in values.items()) or "defaults"


def make_plan(exp: Experiment, grid: dict[str, list[Any]], seeds: list[int], *,
              smoke: bool, device: str) -> dict[str, Any]:
    """Every (combination of the option lists in `grid`, seed) of `exp`, each config and run
    option checked as `nnzoo run` checks them (the config's own cross-field checks too):
    a UserError here means that nothing has started."""
    if not seeds:
        raise UserError(f"expected --seeds to be {SEEDS_FORM}, got none")
    planned = len(seeds) * math.prod(len(v) for v in grid.values())
    if planned > MAX_RUNS:
        raise UserError(f"the sweep would make {planned:,} runs ({len(seeds)} seeds x the "
                        f"option combinations); a sweep plans at most {MAX_RUNS:,} runs")
    for seed in seeds:
        RunOptions.make(seed=seed, device=device, smoke=smoke)
    names = list(grid)
    varying = [k for k in names if len(grid[k]) > 1]
    combos, runs = [], []
    for k, chosen in enumerate(itertools.product(*(grid[n] for n in names))):
        values = dict(zip(names, chosen))
        exp.make_config(values, smoke=smoke)  # raises the option's own one-line UserError
        shown = {n: values[n] for n in varying}
        combos.append({"label": label(shown), "values": values})
        stem = ",".join(f"{n}={v}" for n, v in shown.items())
        stem = re.sub(r"[^\w.=,+-]", "_", stem)
        for seed in seeds:
            runs.append({"folder": f"{stem}-s{seed}" if stem else f"s{seed}", "combo": k,
                         "seed": seed})
    if len({r["folder"] for r in runs}) < len(runs):  # values that differ in odd characters
        for r in runs:
            r["folder"] = f"c{r['combo']}-s{r['seed']}"
    return {"experiment": exp.name, "seeds": seeds, "grid": grid, "smoke": smoke,
            "device": device, "combinations": combos, "runs": runs}


def start(plan: dict[str, Any], out: str | Path) -> Path:
    """A new sweep folder OUT/<experiment>/sweep-<time> holding the plan."""
    directory = new_folder(user_path(out) / plan["experiment"],
                           f"sweep-{time.strftime('%Y%m%d-%H%M%S')}")
    write_json(directory / PLAN, plan)
    return directory


def read_plan(directory: str | Path) -> dict[str, Any]:
    fix = "give the folder of a sweep, e.g. runs/perceptron/sweep-20261126-101500"
    if not Path(directory).is_dir():
        raise UserError(f"cannot resume {directory}: there is no such folder; {fix}")
    try:
        plan = json.loads((Path(directory) / PLAN).read_text())
        missing = {"experiment", "seeds", "grid", "smoke", "device", "combinations",
                   "runs"} - set(plan)
        if missing:
            raise KeyError(", ".join(sorted(missing)))
        return plan
    except FileNotFoundError:
        raise UserError(f"cannot resume {directory}: it has no {PLAN}; {fix}") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"cannot resume {directory}: {PLAN} is unreadable ({e}); {fix}") from None


def same_plan(saved: dict[str, Any], asked: dict[str, Any]) -> str | None:
    """None when `asked` is the sweep `saved`, else what differs, in words."""
    for key, what in (("experiment", "experiment"), ("seeds", "seeds"),
                      ("grid", "options"), ("smoke", "--smoke")):
        if json.loads(json.dumps(asked[key])) != saved[key]:
            return f"its {what}: {json.dumps(saved[key])} there, {json.dumps(asked[key])} here"
    return None


def summary_of(run_dir: Path) -> dict[str, Any] | None:
    """The run's summary.json, or None while the run is unfinished."""
    try:
        return json.loads((run_dir / "summary.json").read_text())
    except FileNotFoundError:
        return None


# --------------------------------------------------------------------------- the table
def numeric(metrics: dict[str, Any]) -> dict[str, float]:
    """The final metrics that are numbers (not flags, texts or lists)."""
    return {k: v for k, v in metrics.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}


def spread(xs: list[float]) -> dict[str, Any]:
    """n, mean, sample standard deviation (n - 1 in the denominator; none for one value),
    min and max."""
    return {"n": len(xs), "mean": statistics.fmean(xs),
            "std": statistics.stdev(xs) if len(xs) > 1 else None,
            "min": min(xs), "max": max(xs)}


def summarise(directory: str | Path, plan: dict[str, Any]) -> dict[str, Any]:
    """sweep.json's content from the run folders: per combination the PASS rate over its
    finished runs and the spread of each numeric metric; `metric` is the figure's."""
    directory = Path(directory)
    summaries = {r["folder"]: summary_of(directory / r["folder"]) for r in plan["runs"]}
    metric = next((name for s in summaries.values() if s for name in numeric(s["metrics"])),
                  None)
    combos = []
    for k, combo in enumerate(plan["combinations"]):
        runs = [r for r in plan["runs"] if r["combo"] == k]
        done = [(r, summaries[r["folder"]]) for r in runs if summaries[r["folder"]]]
        values: dict[str, list[float]] = {}
        for _, s in done:
            for name, x in numeric(s["metrics"]).items():
                values.setdefault(name, []).append(x)
        passed = sum(s["status"] == "PASS" for _, s in done)
        combos.append({
            **combo, "runs": len(runs), "finished": len(done), "passed": passed,
            "smoke_ok": sum(s["status"] == "SMOKE OK" for _, s in done),
            "pass_rate": passed / len(done) if done else None,
            "metrics": {name: spread(xs) for name, xs in values.items()},
            "seeds": [{"seed": r["seed"], "folder": r["folder"], "status": s["status"],
                       "value": numeric(s["metrics"]).get(metric)} for r, s in done]})
    return {"experiment": plan["experiment"], "smoke": plan["smoke"], "seeds": plan["seeds"],
            "metric": metric, "combinations": combos,
            "unfinished": [f for f, s in summaries.items() if s is None],
            "made": time.strftime("%Y-%m-%d %H:%M:%S")}


def finish(directory: str | Path, plan: dict[str, Any]) -> dict[str, Any]:
    """Sum the sweep up: sweep.json (atomically) and sweep.png; -> sweep.json's content."""
    from nnzoo.viz.sweep import seeds_figure

    table = summarise(directory, plan)
    write_json(Path(directory) / TABLE, table)
    if table["metric"] is not None:
        fig = seeds_figure(table, verdicts(table))
        fig.savefig(Path(directory) / FIGURE, dpi=110, bbox_inches="tight")
    return table


def latest_sweeps(root: str | Path) -> dict[str, Path]:
    """experiment name -> its newest sweep folder that has a sweep.json."""
    latest: dict[str, Path] = {}
    for path in sorted(Path(root).glob(f"*/sweep-*/{TABLE}"),
                       key=lambda p: (p.stat().st_mtime, p.parent.name)):
        latest[path.parent.parent.name] = path.parent
    return latest


def verdicts(table: dict[str, Any], combos: list[dict[str, Any]] | None = None) -> str:
    """"5/9 PASS" over `combos` (default: all of the table's); a smoke sweep's runs are not
    judged: "9/9 SMOKE OK"."""
    combos = table["combinations"] if combos is None else combos
    finished = sum(c["finished"] for c in combos)
    if table["smoke"]:
        return f"{sum(c.get('smoke_ok', 0) for c in combos)}/{finished} SMOKE OK"
    return f"{sum(c['passed'] for c in combos)}/{finished} PASS"


def pass_rate_text(table: dict[str, Any]) -> str:
    """"3/3 PASS at seeds 0-2" (over every combination: "5/9 PASS over 3 option
    combinations x seeds 0-2"; a smoke sweep: "3/3 SMOKE OK at seeds 0-2")."""
    combos = table["combinations"]
    over = f"over {len(combos)} option combinations x " if len(combos) > 1 else "at "
    unfinished = f" ({len(table['unfinished'])} unfinished)" if table["unfinished"] else ""
    return f"{verdicts(table)} {over}seeds {seeds_text(table['seeds'])}{unfinished}"
