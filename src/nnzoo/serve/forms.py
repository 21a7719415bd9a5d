"""The experiment form: its schema from the registry's options, and a submitted form checked
by the CLI's own validators and turned into the argument list of `nnzoo run`.

The form sends each option as the text the user typed (a switch as true/false); every value
goes through `Option.parse`, as on the command line, then the config's cross-field checks
(`Experiment.make_config`), so the browser and the CLI accept the same runs, but for one
thing: a path option (a file or folder the run reads) may name, from a page, only what is
inside the runs folder (the files uploaded to its uploads folder, the runs' own files) or one
of the names it takes instead of a path (a sample picture); the command line names any file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nnzoo import registry
from nnzoo.errors import UserError
from nnzoo.serve import files

# the common options a form offers: --out is the server's runs folder, --quiet changes nothing
# that a run leaves behind (log.txt keeps every message either way)
FORM_COMMON = ("seed", "device", "smoke")
FORM_ERROR = "_form"  # the key of an error that belongs to no single field
COMMON_KEY = "common."  # the key of a common option's error: "common.seed"


def option_schema(opt: registry.Option) -> dict[str, Any]:
    rng = opt.range
    return {
        "name": opt.name, "flag": opt.flag,
        "type": {bool: "bool", int: "int", float: "float", str: "str"}[opt.type],
        "type_name": opt.type_name, "default": opt.default, "help": opt.help,
        "choices": list(opt.choices) if opt.choices else None,
        "path": None if opt.path is None else {"kind": opt.path.kind,
                                               "names": list(opt.path.names)},
        "range": None if rng is None else {"lo": rng.lo, "hi": rng.hi, "lo_open": rng.lo_open,
                                           "hi_open": rng.hi_open, "text": rng.describe()},
    }


def common_options() -> list[registry.Option]:
    return [o for o in registry.options_of(registry.RunOptions) if o.name in FORM_COMMON]


def schema(exp: registry.Experiment) -> dict[str, Any]:
    """What the form shows: every option of the experiment and the common ones."""
    return {"experiment": exp.name, "options": [option_schema(o) for o in exp.options],
            "common": [option_schema(o) for o in common_options()],
            "smoke": dict(exp.smoke)}


def page_path(opt: registry.Option, text: str, runs: Path) -> str:
    """A path option's value given on a page: empty (unused), one of its names, or a path
    relative to the runs folder that stays inside it, made absolute; else a UserError."""
    assert opt.path is not None
    if text == "" or text in opt.path.names:
        return text
    what = "folder" if opt.path.kind == "dir" else "file"
    names = f", or one of {', '.join(opt.path.names)}" if opt.path.names else ""
    try:
        return str(files.inside(runs, text, want=opt.path.kind))
    except files.Refused as e:
        why = f"there is no such {what} in the runs folder" if e.status == 404 else \
            f"from this page, give a {what} in the runs folder"
        raise UserError(f"{opt.flag} {text}: {why} (upload yours: it goes to "
                        f"{files.UPLOADS}/NAME){names}; other paths only with `nnzoo run` on "
                        "the command line") from None


def _value(opt: registry.Option, raw: Any, owner: str | None, runs: Path) -> Any:
    """The checked value of one submitted field, or a UserError in the CLI's words."""
    if opt.type is bool:
        if not isinstance(raw, bool):
            raise UserError(f"expected {opt.flag} to be true or false, got {raw!r}")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise UserError(f"expected {opt.flag} to be {opt.type_name}, got {raw!r}")
    text = str(raw).strip()
    if opt.path is not None:
        return opt.parse(page_path(opt, text, runs), owner)
    if text == "":
        raise UserError(f"{opt.flag} is empty; write a value, e.g. {opt.default}")
    return opt.parse(text, owner)


def _flag(opt: registry.Option, value: Any) -> list[str]:
    if opt.type is bool:
        return [opt.flag if value else "--no-" + opt.flag[2:]]
    return [opt.flag, str(value)]


def check_form(exp: registry.Experiment, form: Any, runs: Path
               ) -> tuple[list[str], dict[str, str]]:
    """(the arguments of `nnzoo run` after `run`, {}) for a valid form, else ([], {field:
    one-line error}) (a common option's key is "common.NAME"). `form` is {"options":
    {name: value}, "common": {name: value}}; a field left out takes its default (or the
    smoke setting, with smoke)."""
    if not isinstance(form, dict) or not all(isinstance(form.get(k, {}), dict)
                                             for k in ("options", "common")):
        raise UserError('expected a JSON object {"options": {...}, "common": {...}}')
    unknown = set(form) - {"options", "common"}
    if unknown:
        raise UserError(f"unexpected key {sorted(unknown)[0]!r}; the form sends options and "
                        "common")
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    common: dict[str, Any] = {}
    for (given, owner, options, into, key) in (
            (form.get("options", {}), exp.name, exp.options, values, ""),
            (form.get("common", {}), None, common_options(), common, COMMON_KEY)):
        by_name = {o.name: o for o in options}
        for name, raw in given.items():
            if name not in by_name:
                errors[key + str(name)] = (
                    f"{exp.name} has no option --{str(name).replace('_', '-')}" if owner
                    else f"the form has no common option {name!r}")
                continue
            try:
                into[name] = _value(by_name[name], raw, owner, runs)
            except UserError as e:
                errors[key + name] = str(e)
    if errors:
        return [], errors
    try:
        opts = registry.RunOptions.make(**common, out=str(runs))
        exp.make_config(values, smoke=opts.smoke)  # the config's cross-field checks
    except UserError as e:
        return [], {FORM_ERROR: str(e)}
    args = [exp.name, "--out", str(runs), "--seed", str(opts.seed), "--device", opts.device]
    args += ["--smoke"] if opts.smoke else []
    by_name = {o.name: o for o in exp.options}
    for name, value in values.items():  # as typed: the child parses the same text again
        opt = by_name[name]
        args += _flag(opt, value if opt.type is bool or opt.path
                      else str(form["options"][name]).strip())
    return args, {}
