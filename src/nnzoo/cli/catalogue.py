"""`nnzoo list` and `nnzoo show`: the catalogue and one experiment's options. Neither
imports torch."""

from __future__ import annotations

from nnzoo import registry
from nnzoo.cli.args import HELP, Flag, common_help, parse_tokens
from nnzoo.errors import UserError
from nnzoo.views import wrap


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
        family = registry.FAMILIES[fam]
        print(f"{family.title} (--only {fam})")
        if family.about:
            print(wrap(family.about, 2))
        for exp in exps:
            print(f"  {exp.name:<18} {exp.kind} learning; takes {takes(exp)}; data: {exp.data}")
            print(wrap(exp.claim, 21))
            print(wrap("expects: " + exp.expects, 21))
        print()
    print("`nnzoo show NAME` for an experiment's options; `nnzoo run NAME` to run it.")
    return 0


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
    fam = registry.FAMILIES[exp.family]
    lines = [f"{exp.name} — {fam.title} ({exp.kind} learning)",
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
    smoke = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in exp.smoke.items())
    lines += ["", "common options:", common_help(),
              f"  {'--resume RUN_DIR':<20}continue a stopped run from its last checkpoint"]
    if smoke:
        lines.append(f"  --smoke sets: {smoke}")
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
