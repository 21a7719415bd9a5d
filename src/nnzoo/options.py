"""Options: the values a run takes, each from one config field, and their one validator.

A config dataclass field becomes the option `--lr` with its type, default, docstring and
range (`Annotated[float, Range(...)]`); `Option.check` applies them to the command line,
the smoke settings, a resumed run's config.json and Python callers alike (told in flags or
in keywords). `RunOptions` are the options common to every run (seed, device, out, smoke,
quiet), the one place of their defaults. Light: no torch, no numpy (`nnzoo list`).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import math
import textwrap
import typing
from dataclasses import dataclass
from os import PathLike
from typing import Annotated, Any, Literal

from nnzoo.errors import OptionTypeError, UserError, nearest, user_path
from nnzoo.paths import PathTo


# --------------------------------------------------------------------------- value ranges
@dataclass(frozen=True)
class Range:
    """A closed or open interval that an option's value must lie in."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False

    def __contains__(self, x: float) -> bool:
        if self.lo is not None and (x < self.lo or (self.lo_open and x == self.lo)):
            return False
        if self.hi is not None and (x > self.hi or (self.hi_open and x == self.hi)):
            return False
        return not (isinstance(x, float) and math.isnan(x))

    def describe(self) -> str:
        lo = None if self.lo is None else f"{'>' if self.lo_open else '>='} {_number(self.lo)}"
        hi = None if self.hi is None else f"{'<' if self.hi_open else '<='} {_number(self.hi)}"
        return " and ".join(p for p in (lo, hi) if p)


def _number(x: float) -> str:
    """4294967295, not 4.29497e+09: a bound as the user would type it."""
    return str(x) if isinstance(x, int) else f"{x:g}"


@dataclass(frozen=True)
class RunsFolder:
    """The mark of a text option naming a folder that run folders are made in: it must be
    there or be makeable (`check_folder`), which its check says before any folder is made."""


PositiveInt = Annotated[int, Range(lo=1)]
NonNegativeInt = Annotated[int, Range(lo=0)]
PositiveFloat = Annotated[float, Range(lo=0, lo_open=True)]
NonNegativeFloat = Annotated[float, Range(lo=0)]
UnitFloat = Annotated[float, Range(lo=0, hi=1, hi_open=True)]  # e.g. momentum, dropout
MAX_SEED = 2**32 - 1  # NumPy's legacy seeding and most libraries take 32 bits
Seed = Annotated[int, Range(lo=0, hi=MAX_SEED)]


# --------------------------------------------------------------------------- options
@dataclass(frozen=True)
class Option:
    """One command-line option made from one config field."""

    name: str  # the field name, e.g. "max_epochs"
    type: type  # int, float, str or bool
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    range: Range | None = None
    path: PathTo | None = None  # a file or folder that the run reads
    makes: bool = False  # a folder the run makes its folder in (RunsFolder): there, or makeable

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def label(self, python: bool = False) -> str:
        """How the user names it: `--max-epochs` on the command line, `max_epochs=` in
        Python."""
        return f"{self.name}=" if python else self.flag

    @property
    def type_name(self) -> str:
        if self.type is bool:
            return "flag"
        if self.choices:
            return "|".join(self.choices)
        base = {int: "integer", float: "number", str: "text"}[self.type]
        return f"{base} {self.range.describe()}" if self.range else base

    def parse(self, text: str, experiment: str | None) -> Any:
        """The value of the command-line `text` for this option, checked; or a UserError that
        says how to fix it."""
        if self.choices or self.type is str:
            return self.check(text, experiment)
        try:
            value = {int: int, float: float}[self.type](text)
        except ValueError:
            raise UserError(
                f"expected {self.flag} to be {_article(self.type_name)}, got {text!r}; "
                f"e.g. {self.flag} {self.default}"
            ) from None
        return self.check(value, experiment, shown=text)

    def check(self, value: Any, experiment: str | None, shown: str | None = None,
              python: bool = False) -> Any:
        """`value` if it is one this option takes (an int is taken as a float), else a
        UserError: the one validator of every option, wherever its value comes from.
        `experiment` is the experiment whose option it is (None: a common option); `shown`
        is the value as the user wrote it, for the message; `python`: the user is a Python
        caller (`nnzoo.run(..., lr=0.1)`), told in keywords, a wrong type as a TypeError."""
        flag = self.label(python)
        if python:
            fix = f"see nnzoo.show({experiment!r}) for the options" if experiment else \
                "see help(nnzoo.run) for the common options"
        else:
            fix = f"see `nnzoo show {experiment}` for the options" if experiment else \
                "see `nnzoo --help` for the common options"
        if self.choices:
            if value in self.choices:
                return value
            kind = OptionTypeError if python and not isinstance(value, str) else UserError
            raise kind(
                f"expected {flag} to be one of {', '.join(self.choices)}, got {value!r}"
                f"{nearest(str(value), self.choices)}"
            )
        shown = str(value) if shown is None else shown  # as given: -1, not -1.0
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            kind = OptionTypeError if python else UserError
            raise kind(f"expected {flag} to be {_article(self.type_name)}, "
                       f"got {value!r}" + (f" (a {type(value).__name__})" if python else "")
                       + f"; {fix}")
        if self.type is float and not math.isfinite(value):  # one rule: inf, 1e999 and nan
            raise UserError(f"expected {flag} to be a finite {self.type_name}, got {shown}; "
                            f"{fix}")
        if self.range is not None and value not in self.range:
            raise UserError(
                f"expected {flag} to be {_article(self.type_name)}, got {shown}; {fix}"
            )
        if self.makes:
            check_folder(value, flag)
        return value


def _article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def field_docs(cls: type) -> dict[str, str]:
    """The docstring written under each field of a dataclass, read from its source (and
    from its dataclass bases', the subclass's own docstring winning)."""
    docs = {}
    for base in reversed(cls.__mro__):
        if dataclasses.is_dataclass(base):
            docs.update(_own_field_docs(base))
    return docs


def _own_field_docs(cls: type) -> dict[str, str]:
    try:
        source = inspect.getsource(cls)
    except OSError:  # made by a function (dataclasses.make_dataclass): its bases' docstrings
        return {}
    tree = ast.parse(textwrap.dedent(source))
    body = tree.body[0].body
    docs = {}
    for stmt, nxt in zip(body, body[1:]):
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
            and isinstance(nxt.value.value, str)
        ):
            docs[stmt.target.id] = " ".join(inspect.cleandoc(nxt.value.value).split())
    return docs


@functools.cache
def options_of(config: type) -> tuple[Option, ...]:
    """The options of a config dataclass: type, default, docstring and range of each field
    (read once per class: parsing the source is the slow part of `nnzoo show`)."""
    hints = typing.get_type_hints(config, include_extras=True)
    docs = field_docs(config)
    options = []
    for f in dataclasses.fields(config):
        hint, rng, path, makes = hints[f.name], None, None, False
        if typing.get_origin(hint) is Annotated:
            hint, *extras = typing.get_args(hint)
            rng = next((e for e in extras if isinstance(e, Range)), None)
            path = next((e for e in extras if isinstance(e, PathTo)), None)
            makes = any(isinstance(e, RunsFolder) for e in extras)
        choices = None
        if typing.get_origin(hint) is Literal:
            choices, hint = tuple(str(c) for c in typing.get_args(hint)), str
        if hint not in (int, float, str, bool):
            raise TypeError(f"{config.__name__}.{f.name}: unsupported option type {hint!r}")
        if f.name not in docs:
            raise TypeError(f"{config.__name__}.{f.name} needs a docstring (it is the --help)")
        options.append(Option(f.name, hint, f.default, docs[f.name], choices, rng, path,
                              makes))
    return tuple(options)


def check_values(config: type, values: dict[str, Any], experiment: str | None,
                 python: bool = False) -> dict[str, Any]:
    """`values` checked against the options of `config`: known names, types, ranges; told
    in keywords to a Python caller (`python`), in flags to the command line's."""
    options = {o.name: o for o in options_of(config)}
    checked = {}
    for key, value in values.items():
        if key not in options:
            if python:
                where = f"nnzoo.show({experiment!r})" if experiment else "help(nnzoo.run)"
                raise OptionTypeError(
                    f"nnzoo.run() got an unexpected keyword argument {key!r}"
                    f"{nearest(str(key), options)}; {where} lists the options")
            flag = "--" + key.replace("_", "-")
            flags = [o.flag for o in options.values()]
            where = f"see `nnzoo show {experiment}`" if experiment else "see `nnzoo --help`"
            raise UserError(f"{experiment or 'a run'} has no option {flag}"
                            f"{nearest(flag, flags)}; {where}")
        checked[key] = options[key].check(value, experiment, python=python)
    return checked


# --------------------------------------------------------------------------- run options
@dataclass(frozen=True)
class RunOptions:
    """The options common to every experiment's run (the one place of their defaults)."""

    seed: Seed = 0
    """Seed of every random stream of the run."""
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    """Where to compute: auto takes a GPU when PyTorch sees one."""
    out: Annotated[str, RunsFolder()] = "runs"
    """The folder where run folders go."""
    smoke: bool = False
    """A seconds-long version, to check that everything works."""
    quiet: bool = False
    """No progress bars and no messages but the verdict."""

    @classmethod
    def make(cls, *, python: bool = False, **values: Any) -> RunOptions:
        """RunOptions from keyword values, each checked as a command-line value is (told in
        keywords to a Python caller: `python`); --out must name a folder that can be made,
        before any run folder is."""
        values = {k: str(v) if k == "out" and isinstance(v, PathLike) else v
                  for k, v in values.items()}
        return cls.of(check_values(cls, values, None, python=python), python=python)

    @classmethod
    def of(cls, checked: dict[str, Any], *, python: bool = False) -> RunOptions:
        """RunOptions of values checked already (`make`'s, or the command line's, which
        checks each as it reads it), and the defaults of the others, checked here: whether
        the default --out's folder can be made depends on where the command runs."""
        rest = {o.name: o.check(o.default, None, python=python) for o in options_of(cls)
                if o.name not in checked}
        return cls(**rest, **checked)


def check_folder(out: str, flag: str = "--out") -> None:
    """A UserError unless `out` names a folder that is there or can be made: not empty, not
    a file, not under a file (where it would be made: permissions show only on trying)."""
    if not out.strip():
        example = "out='runs'" if flag.endswith("=") else f"{flag} runs"
        raise UserError(f"expected {flag} to name a folder, got {out!r}; e.g. {example} "
                        "(`.` for the current folder)")
    path = user_path(out)
    for place in (path, *path.parents):
        if place.exists() or place.is_symlink():
            if not place.is_dir():
                what = "is a file" if place == path else f"is inside {place}, a file"
                raise UserError(f"{flag} {out}: {what}, not a folder; name a folder for the "
                                "run folders")
            break


