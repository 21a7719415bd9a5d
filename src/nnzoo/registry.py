"""The experiment registry: name -> (config dataclass, run function, family, claim).

One registry drives the CLI (`nnzoo list/show/run`), the tour, the README's catalogue
and the parametrised tests. An experiment is a `@dataclass` config whose fields each
carry a docstring, plus a run function registered with `@experiment(...)`:

    @dataclass
    class PerceptronConfig:
        lr: PositiveFloat = 1.0
        '''Learning rate eta of the perceptron rule.'''

    @experiment("perceptron", family="neuron", kind="supervised", config=PerceptronConfig,
                claim="...", expects="...", smoke={"max_epochs": 5})
    def perceptron(cfg: PerceptronConfig, run: Run) -> Result: ...

Each field becomes the option `--lr` with its type, default, docstring and range check.
This module must stay light: `nnzoo list` and `nnzoo show` import it without torch.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import math
import textwrap
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from nnzoo.errors import UserError, nearest

KINDS = ("supervised", "unsupervised", "reinforcement")  # the course's three types of learning


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
        lo = None if self.lo is None else f"{'>' if self.lo_open else '>='} {self.lo:g}"
        hi = None if self.hi is None else f"{'<' if self.hi_open else '<='} {self.hi:g}"
        return " and ".join(p for p in (lo, hi) if p)


PositiveInt = Annotated[int, Range(lo=1)]
NonNegativeInt = Annotated[int, Range(lo=0)]
PositiveFloat = Annotated[float, Range(lo=0, lo_open=True)]
NonNegativeFloat = Annotated[float, Range(lo=0)]
UnitFloat = Annotated[float, Range(lo=0, hi=1, hi_open=True)]  # e.g. momentum, dropout


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

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def type_name(self) -> str:
        if self.type is bool:
            return "flag"
        if self.choices:
            return "|".join(self.choices)
        base = {int: "integer", float: "number", str: "text"}[self.type]
        return f"{base} {self.range.describe()}" if self.range else base

    def parse(self, text: str, experiment: str) -> Any:
        """The value of `text` for this option, or a UserError that says how to fix it."""
        fix = f"see `nnzoo show {experiment}` for the options"
        if self.choices:
            if text in self.choices:
                return text
            raise UserError(
                f"expected {self.flag} to be one of {', '.join(self.choices)}, got {text!r}"
                f"{nearest(text, self.choices)}"
            )
        try:
            value = {int: int, float: float, str: str}[self.type](text)
        except ValueError:
            raise UserError(
                f"expected {self.flag} to be {_article(self.type_name)}, got {text!r}; "
                f"e.g. {self.flag} {self.default}"
            ) from None
        if self.range is not None and value not in self.range:
            raise UserError(
                f"expected {self.flag} to be {_article(self.type_name)}, got {text}; {fix}"
            )
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
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
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


def options_of(config: type) -> list[Option]:
    """The options of a config dataclass: type, default, docstring and range of each field."""
    hints = typing.get_type_hints(config, include_extras=True)
    docs = field_docs(config)
    options = []
    for f in dataclasses.fields(config):
        hint, rng = hints[f.name], None
        if typing.get_origin(hint) is Annotated:
            hint, *extras = typing.get_args(hint)
            rng = next((e for e in extras if isinstance(e, Range)), None)
        choices = None
        if typing.get_origin(hint) is Literal:
            choices, hint = tuple(str(c) for c in typing.get_args(hint)), str
        if hint not in (int, float, str, bool):
            raise TypeError(f"{config.__name__}.{f.name}: unsupported option type {hint!r}")
        if f.name not in docs:
            raise TypeError(f"{config.__name__}.{f.name} needs a docstring (it is the --help)")
        options.append(Option(f.name, hint, f.default, docs[f.name], choices, rng))
    return options


# --------------------------------------------------------------------------- experiments
@dataclass(frozen=True)
class Experiment:
    """A registered experiment: what it claims, how to configure it, and how to run it."""

    name: str
    family: str
    kind: str  # supervised | unsupervised | reinforcement
    claim: str  # one line: what the experiment shows
    expects: str  # the checkable statement that decides PASS/FAIL at default settings
    config: type
    fn: Callable[..., Any]
    data: str = "generated"
    smoke: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    tour: bool = True  # False: `nnzoo tour` skips it at its defaults (hours long); --smoke runs it

    @property
    def options(self) -> list[Option]:
        return options_of(self.config)

    def make_config(self, values: dict[str, Any] | None = None, smoke: bool = False) -> Any:
        """The config with smoke overrides (if asked) and then the user's values applied."""
        values = {**(self.smoke if smoke else {}), **(values or {})}
        known = {o.name for o in self.options}
        for key in values:
            if key not in known:
                flag = "--" + key.replace("_", "-")
                flags = ["--" + k.replace("_", "-") for k in known]
                raise UserError(
                    f"{self.name} has no option {flag}{nearest(flag, flags)}; "
                    f"see `nnzoo show {self.name}`"
                )
        return self.config(**values)


@dataclass(frozen=True)
class Family:
    name: str
    title: str


FAMILIES: dict[str, Family] = {}
EXPERIMENTS: dict[str, Experiment] = {}


def family(name: str, title: str) -> Family:
    """Declare a family of experiments (one file under nnzoo/experiments)."""
    FAMILIES.setdefault(name, Family(name, title))
    return FAMILIES[name]


def experiment(
    name: str,
    *,
    family: str,
    kind: str,
    config: type,
    claim: str,
    expects: str,
    data: str = "generated",
    smoke: dict[str, Any] | None = None,
    notes: str = "",
    tour: bool = True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn(cfg, run) -> Result` as the experiment `name`; `tour=False` keeps
    `nnzoo tour` from running its default settings (an experiment of hours)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        if name in EXPERIMENTS:
            raise ValueError(f"experiment {name!r} is registered twice")
        if family not in FAMILIES:
            raise ValueError(f"experiment {name!r}: unknown family {family!r}")
        if kind not in KINDS:
            raise ValueError(f"experiment {name!r}: kind must be one of {KINDS}")
        exp = Experiment(name, family, kind, claim, expects, config, fn, data, smoke or {}, notes,
                         tour)
        exp.make_config(smoke=True)  # fail at import, not at run time, on a bad smoke key
        options_of(config)  # and on a field without type or docstring
        EXPERIMENTS[name] = exp
        return fn

    return register


def load_all() -> dict[str, Experiment]:
    """Import every family module so that its experiments register; return the registry."""
    import nnzoo.experiments  # noqa: F401  (importing registers)

    return EXPERIMENTS


def get(name: str) -> Experiment:
    """The experiment called `name`, or a UserError naming the nearest ones."""
    experiments = load_all()
    if name not in experiments:
        raise UserError(
            f"no experiment called {name!r}{nearest(name, experiments)}; "
            "`nnzoo list` shows them all"
        )
    return experiments[name]


def by_family(only: str | None = None) -> dict[str, list[Experiment]]:
    """Experiments grouped by family, in registration order."""
    experiments = load_all()
    if only is not None and only not in FAMILIES:
        raise UserError(
            f"no family called {only!r}{nearest(only, FAMILIES)}; "
            f"the families are {', '.join(FAMILIES)}"
        )
    groups: dict[str, list[Experiment]] = {}
    for exp in experiments.values():
        if only is None or exp.family == only:
            groups.setdefault(exp.family, []).append(exp)
    return groups
