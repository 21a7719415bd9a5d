"""The experiment registry: name -> (config dataclass, run function, family, claim).

One registry drives the CLI (`nnzoo list/show/run`), the tour, the README's catalogue
and the parametrised tests. An experiment is a `@dataclass` config whose fields each
carry a docstring, plus a run function registered with `@experiment(...)`:

    @dataclass
    class PerceptronConfig:
        lr: PositiveFloat = 1.0
        '''Learning rate eta of the perceptron rule.'''

    @experiment("perceptron", kind="supervised", config=PerceptronConfig,
                claim="...", expects="...", smoke={"max_epochs": 5})
    def run(cfg: PerceptronConfig, run: Run) -> Result: ...

Each field becomes the option `--lr` with its type, default, docstring and range check;
one validator (`Option.check`) applies them to the command line, the smoke settings, a
resumed run's config.json and Python callers alike. Checks across fields go in the
config's `__post_init__` (raising UserError), so they run before any run folder is made.

Experiments are discovered: every package under `nnzoo/experiments/` is a family (its
`__init__.py` calls `family(...)`), every module in it is one experiment. The family
declares its position in the course and the order of its experiments, once.

This module must stay light: `nnzoo list` and `nnzoo show` import it without torch.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import math
import pkgutil
import textwrap
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from nnzoo.errors import UserError, nearest
from nnzoo.paths import PathTo

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
    path: PathTo | None = None  # a file or folder that the run reads

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

    def check(self, value: Any, experiment: str | None, shown: str | None = None) -> Any:
        """`value` if it is one this option takes (an int is taken as a float), else a
        UserError: the one validator of every option, wherever its value comes from.
        `experiment` is the experiment whose option it is (None: a common option); `shown`
        is the value as the user wrote it, for the message."""
        fix = f"see `nnzoo show {experiment}` for the options" if experiment else \
            "see `nnzoo --help` for the common options"
        if self.choices:
            if value in self.choices:
                return value
            raise UserError(
                f"expected {self.flag} to be one of {', '.join(self.choices)}, got {value!r}"
                f"{nearest(str(value), self.choices)}"
            )
        shown = str(value) if shown is None else shown  # as given: -1, not -1.0
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            raise UserError(f"expected {self.flag} to be {_article(self.type_name)}, "
                            f"got {value!r}; {fix}")
        if self.range is not None and value not in self.range:
            raise UserError(
                f"expected {self.flag} to be {_article(self.type_name)}, got {shown}; {fix}"
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
        hint, rng, path = hints[f.name], None, None
        if typing.get_origin(hint) is Annotated:
            hint, *extras = typing.get_args(hint)
            rng = next((e for e in extras if isinstance(e, Range)), None)
            path = next((e for e in extras if isinstance(e, PathTo)), None)
        choices = None
        if typing.get_origin(hint) is Literal:
            choices, hint = tuple(str(c) for c in typing.get_args(hint)), str
        if hint not in (int, float, str, bool):
            raise TypeError(f"{config.__name__}.{f.name}: unsupported option type {hint!r}")
        if f.name not in docs:
            raise TypeError(f"{config.__name__}.{f.name} needs a docstring (it is the --help)")
        options.append(Option(f.name, hint, f.default, docs[f.name], choices, rng, path))
    return tuple(options)


def check_values(config: type, values: dict[str, Any], experiment: str | None
                 ) -> dict[str, Any]:
    """`values` checked against the options of `config`: known names, types, ranges."""
    options = {o.name: o for o in options_of(config)}
    checked = {}
    for key, value in values.items():
        if key not in options:
            flag = "--" + key.replace("_", "-")
            flags = [o.flag for o in options.values()]
            where = f"see `nnzoo show {experiment}`" if experiment else "see `nnzoo --help`"
            raise UserError(f"{experiment or 'a run'} has no option {flag}"
                            f"{nearest(flag, flags)}; {where}")
        checked[key] = options[key].check(value, experiment)
    return checked


# --------------------------------------------------------------------------- run options
@dataclass(frozen=True)
class RunOptions:
    """The options common to every experiment's run (the one place of their defaults)."""

    seed: NonNegativeInt = 0
    """Seed of every random stream of the run."""
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    """Where to compute: auto takes a GPU when PyTorch sees one."""
    out: str = "runs"
    """The folder where run folders go."""
    smoke: bool = False
    """A seconds-long version, to check that everything works."""
    quiet: bool = False
    """No progress bars and no messages but the verdict."""

    @classmethod
    def make(cls, **values: Any) -> RunOptions:
        """RunOptions from keyword values, each checked as a command-line value would be."""
        values = {k: str(v) if k == "out" and v is not None else v for k, v in values.items()}
        return cls(**check_values(cls, values, None))


# --------------------------------------------------------------------------- building
def build(cls: type, cfg: Any, **extra: Any) -> Any:
    """cls(**the config fields named like cls's parameters, **extra): configs build models
    and agents through this, so a field and the parameter it sets share one name, and
    `tests/test_registry.py` checks that they share one default too."""
    params = inspect.signature(cls).parameters
    values = {f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)
              if f.name in params and f.name not in extra}
    return cls(**values, **extra)


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
    seconds: int | None = None  # its default run's wall time on a 2-core laptop CPU, measured
    parallel: bool = False  # True: all its training is train.fit's, so `--nproc N` may split it

    @property
    def options(self) -> tuple[Option, ...]:
        return options_of(self.config)

    def make_config(self, values: dict[str, Any] | None = None, smoke: bool = False) -> Any:
        """The config with smoke overrides (if asked) and then the user's values applied,
        every value checked (range, choices, type) and then the config's own cross-field
        checks (its __post_init__): all before any run folder exists."""
        values = {**(self.smoke if smoke else {}), **(values or {})}
        return self.config(**check_values(self.config, values, self.name))


@dataclass(frozen=True)
class Family:
    """A family of experiments: one package under nnzoo/experiments."""

    name: str
    title: str
    position: int  # its place in the course: the order of `nnzoo list`, the tour, the report
    about: str = ""  # a paragraph for `nnzoo list` and the report
    order: tuple[str, ...] = ()  # its experiments in the course's order (others follow)


FAMILIES: dict[str, Family] = {}
EXPERIMENTS: dict[str, Experiment] = {}


def family(name: str, title: str, *, position: int, about: str = "",
           order: tuple[str, ...] = ()) -> Family:
    """Declare a family of experiments (in nnzoo/experiments/<name>/__init__.py)."""
    FAMILIES.setdefault(name, Family(name, title, position, " ".join(about.split()),
                                     tuple(order)))
    return FAMILIES[name]


def experiment(name: str, *, kind: str, config: type, claim: str, expects: str,
               data: str = "generated", smoke: dict[str, Any] | None = None, notes: str = "",
               tour: bool = True, seconds: int | None = None, family: str | None = None,
               parallel: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn(cfg, run) -> Result` as the experiment `name` of the family whose
    package holds fn's module (or `family`); `tour=False` keeps `nnzoo tour` from running
    its default settings (an experiment of hours); `seconds` is its default run's wall time
    on a 2-core laptop CPU, as `nnzoo tour` measured it (the catalogue says it in words);
    `parallel=True` when every network it trains goes through `nnzoo.train.fit` with a
    mean loss, so that `nnzoo run NAME --nproc N` may train it data-parallel."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        nonlocal family
        if family is None:
            parts = fn.__module__.split(".")
            family = parts[2] if parts[:2] == ["nnzoo", "experiments"] and len(parts) > 3 \
                else None
        if name in EXPERIMENTS:
            raise ValueError(f"experiment {name!r} is registered twice")
        if family not in FAMILIES:
            raise ValueError(f"experiment {name!r}: unknown family {family!r}")
        if kind not in KINDS:
            raise ValueError(f"experiment {name!r}: kind must be one of {KINDS}")
        # smoke keys and field docstrings are checked by tests/test_registry.py, not here:
        # parsing every config's source at import would make `nnzoo list` slow
        EXPERIMENTS[name] = Experiment(name, family, kind, claim, expects, config, fn, data,
                                       smoke or {}, notes, tour, seconds, parallel)
        return fn

    return register


_loaded = False


def load_all() -> dict[str, Experiment]:
    """Import every family package under nnzoo/experiments and every experiment module in
    it, so that they register; return the registry in the course's order."""
    global _loaded
    if not _loaded:
        package = importlib.import_module("nnzoo.experiments")  # nnzoo.experiments: a function

        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if info.ispkg:
                for sub in pkgutil.iter_modules(module.__path__):
                    if not sub.name.startswith("_"):
                        importlib.import_module(f"{module.__name__}.{sub.name}")
        _loaded = True
        _sort()
    return EXPERIMENTS


def _sort() -> None:
    """Order FAMILIES by position and EXPERIMENTS by family, then the family's order."""
    def key(exp: Experiment) -> tuple:
        fam = FAMILIES[exp.family]
        place = fam.order.index(exp.name) if exp.name in fam.order else len(fam.order)
        return (fam.position, fam.name, place, exp.name)

    families = sorted(FAMILIES.values(), key=lambda f: (f.position, f.name))
    experiments = sorted(EXPERIMENTS.values(), key=key)
    FAMILIES.clear()
    FAMILIES.update((f.name, f) for f in families)
    EXPERIMENTS.clear()
    EXPERIMENTS.update((e.name, e) for e in experiments)


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
    """Experiments grouped by family, in the course's order."""
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
