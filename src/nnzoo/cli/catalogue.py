"""`nnzoo list` and `nnzoo show`: the catalogue and one experiment's options. Neither
imports torch."""

from __future__ import annotations

import shutil
import textwrap

from nnzoo import registry
from nnzoo.cli.args import HELP, Flag, cli_words, common_help, parse_tokens
from nnzoo.errors import UserError
from nnzoo.views import family_and_kind, wrap


def cmd_list(args: list[str]) -> int:
    flags = {**HELP, "--family": Flag("family"), "--long": Flag("long", False),
             "--markdown": Flag("markdown", False)}
    _, opts = parse_tokens(args, flags, "list", 0)
    if opts.get("help"):
        print("usage: nnzoo list [--family F] [--long] [--markdown]\n"
              "  the experiments by family, one line each: name, time of its default run\n"
              "  and claim; --long adds the family's story, kind of learning, data and\n"
              "  expected outcome; --markdown prints the README's catalogue table")
        return 0
    groups = registry.by_family(opts.get("family"))
    if opts.get("markdown"):
        print(catalogue_markdown(groups))
        return 0
    print(catalogue_long(groups) if opts.get("long") else catalogue_short(groups))
    print("`nnzoo show NAME` for an experiment's options; `nnzoo run NAME` to run it"
          + ("." if opts.get("long") else "; `nnzoo list --long` for more."))
    return 0


def catalogue_short(groups: dict[str, list[registry.Experiment]], width: int | None = None
                    ) -> str:
    """One line per experiment (name, time, claim cut to the terminal's width), under its
    family's title."""
    width = width or min(shutil.get_terminal_size((100, 24)).columns, 160)
    exps = [e for es in groups.values() for e in es]
    w = max(len(e.name) for e in exps)
    t = max(len(takes(e)) for e in exps)
    lines = []
    for fam, es in groups.items():
        lines.append(f"{registry.FAMILIES[fam].title} (--family {fam})")
        for e in es:
            line = f"  {e.name:<{w}}  {takes(e):<{t}}  {e.claim}"
            lines.append(line if len(line) <= width else line[:width - 1].rstrip() + "…")
        lines.append("")
    return "\n".join(lines)


def catalogue_long(groups: dict[str, list[registry.Experiment]]) -> str:
    """Per family its story; per experiment its kind of learning, time, data, claim and
    expected outcome."""
    w = max(len(e.name) for es in groups.values() for e in es)
    lines = []
    for fam, exps in groups.items():
        family = registry.FAMILIES[fam]
        lines.append(f"{family.title} (--family {fam})")
        if family.about:
            lines.append(wrap(family.about, 2))
        for exp in exps:
            lines.append(f"  {exp.name:<{w}}  {exp.kind} learning; takes {takes(exp)}; "
                         f"data: {exp.data}")
            lines.append(wrap(exp.claim, w + 4))
            lines.append(wrap("expects: " + exp.expects, w + 4))
        lines.append("")
    return "\n".join(lines)


def takes(exp: registry.Experiment) -> str:
    """How long its default run takes on a 2-core CPU, in words ("about 40 s")."""
    if exp.seconds is None:
        return "hours" if not exp.tour else "not measured"
    if exp.seconds < 60:
        return f"about {max(5, 5 * round(exp.seconds / 5))} s"
    return f"about {round(exp.seconds / 30) / 2:g} min"


def catalogue_markdown(groups: dict[str, list[registry.Experiment]] | None = None) -> str:
    """The README's catalogue: one row per registered experiment."""
    groups = groups or registry.by_family()
    rows = ["| experiment | family | learning | claim | expected outcome | data "
            "| time, 2-core CPU |", "|---|---|---|---|---|---|---|"]
    for fam, exps in groups.items():
        for e in exps:
            rows.append(f"| `{e.name}` | {registry.FAMILIES[fam].title} | {e.kind} | {e.claim} "
                        f"| {e.expects} | {e.data} | {takes(e)} |")
    return "\n".join(rows)


def show_text(exp: registry.Experiment) -> str:
    lines = [f"{exp.name} — {family_and_kind(exp)}",
             wrap("claim:   " + exp.claim, 2), wrap("expects: " + exp.expects, 2),
             f"  data:    {exp.data}", f"  takes:   {takes(exp)} (default run, 2-core CPU)"]
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
    lines += ["", "common options:", common_help(extra=(
        ("--resume RUN_DIR", "continue a stopped run from its last checkpoint"),))]
    if exp.smoke:
        lines.append(textwrap.fill(f"--smoke sets: {cli_words(exp.smoke)}", 100,
                                   initial_indent="  ", subsequent_indent=" " * 16))
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
