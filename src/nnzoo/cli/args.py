"""The command line's parsing: flags, the common options of a run (from RunOptions) and an
experiment's options (from its config), each value checked by its Option."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nnzoo import registry
from nnzoo.errors import UserError, nearest


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
            raise no_option(command, key, flags)
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


def no_option(command: str, key: str, flags: dict[str, Flag]) -> UserError:
    """The error for an option `key` that `nnzoo command` has not, naming the nearest."""
    known = set(flags) | {"--no-" + f[2:] for f, spec in flags.items() if spec.negatable}
    return UserError(f"`nnzoo {command}` has no option {key}{nearest(key, known)}; "
                     f"see `nnzoo {command} --help`")


HELP = {"-h": Flag("help", False), "--help": Flag("help", False)}


def option_flags(options: tuple[registry.Option, ...], owner: str | None) -> dict[str, Flag]:
    """Flags of options: a bool is a switch (negatable for an experiment's own options),
    any other value is parsed and checked by the option itself."""
    flags = {}
    for opt in options:
        if opt.type is bool:
            flags[opt.flag] = Flag(opt.name, False, negatable=owner is not None)
        else:
            flags[opt.flag] = Flag(opt.name, parse=lambda t, o=opt: o.parse(t, owner))
    return flags


COMMON = option_flags(registry.options_of(registry.RunOptions), None)  # --seed, --device, ...


def common_help(indent: int = 2, extra: tuple[tuple[str, str], ...] = ()) -> str:
    """The common options with their defaults, from RunOptions (their one source), and
    `extra` (flag, help) rows aligned with them."""
    rows = []
    for opt in registry.options_of(registry.RunOptions):
        value = "" if opt.type is bool else " " + (opt.type_name if opt.choices else
                                                   {int: "N", str: "DIR"}[opt.type])
        default = "" if opt.type is bool else f" (default {opt.default})"
        rows.append((opt.flag + value, opt.help[0].lower() + opt.help[1:].rstrip(".") + default))
    rows += extra
    width = max(len(head) for head, _ in rows) + 2
    return "\n".join(f"{' ' * indent}{head:<{width}}{text}" for head, text in rows)


def cli_words(values: dict[str, Any]) -> str:
    """Option values as they are typed: {"steps": 600, "compare": True} -> "--steps 600
    --compare" (False: --no-compare)."""
    words = []
    for key, value in values.items():
        flag = "--" + key.replace("_", "-")
        words.append(flag if value is True else f"--no-{flag[2:]}" if value is False
                     else f"{flag} {value}")
    return " ".join(words)


def experiment_flags(exp: registry.Experiment) -> dict[str, Flag]:
    return option_flags(exp.options, exp.name)


def _nproc(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise UserError(f"--nproc takes a number of processes >= 1, not {text!r}")
    return int(text)


# data-parallel training over N processes started by PyTorch's elastic launcher
NPROC = {"--nproc": Flag("nproc", parse=_nproc)}


def run_flags(exp: registry.Experiment) -> dict[str, Flag]:
    """The options of `nnzoo run NAME`: help, the common ones, --resume, --nproc and the
    experiment's."""
    return {**HELP, **COMMON, "--resume": Flag("resume"), **NPROC, **experiment_flags(exp)}


USAGE = """\
nnzoo — the neural-network zoo, runnable

usage:
  nnzoo list [--family F] [--markdown]   the catalogue of experiments
  nnzoo show NAME                        an experiment's claim and options
  nnzoo run NAME [--OPTION VALUE ...]    run one experiment (see `nnzoo run NAME --help`)
  nnzoo run --resume RUN_DIR             continue a stopped run from its last checkpoint
  nnzoo tour [--only FAMILY] [--smoke]   run every experiment, then write the report
  nnzoo sweep NAME --seeds 0-9 [--jobs N] [--OPTION V1,V2]   over seeds and option lists
  nnzoo report [RUNS_DIR]                (re)build RUNS_DIR/index.html (default runs/)
  nnzoo data list|fetch|verify|path      the data sets: which are cached, fetch, check
  nnzoo serve [--runs DIR] [--port N]    the zoo in the browser: run, watch, compare, read
  nnzoo --version

common options of run and tour:
"""


def usage() -> str:
    return USAGE + common_help()
