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

import dataclasses
import difflib
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nnzoo.errors import UserError, nearest
from nnzoo.options import (
    MAX_SEED,
    NonNegativeFloat,
    NonNegativeInt,
    Option,
    PositiveFloat,
    PositiveInt,
    Range,
    RunOptions,
    Seed,
    UnitFloat,
    check_folder,
    check_values,
    field_docs,
    options_of,
)

__all__ = [  # the options' names are used from here too (`from nnzoo.registry import ...`)
    "KINDS", "MAX_SEED", "Experiment", "Family", "NonNegativeFloat", "NonNegativeInt",
    "Option", "Plan", "PositiveFloat", "PositiveInt", "Range", "RunOptions", "Seed", "UnitFloat",
    "build", "by_family", "check_folder", "check_values", "experiment", "family",
    "field_docs", "get", "load_all", "options_of", "suggestions"]

KINDS = ("supervised", "unsupervised", "reinforcement")  # the course's three types of learning


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

    def command_line(self, saved: dict[str, Any]) -> str:
        """The arguments of `nnzoo run` for a new run with a saved config.json's options
        (those off the defaults), e.g. `perceptron --seed 3 --lr 0.5 --shuffle`."""
        import shlex

        smoke = bool(saved.get("smoke"))
        defaults = self.make_config(smoke=smoke)
        words = [self.name] + [f"--seed {saved['seed']}"] * bool(saved.get("seed"))
        words += ["--smoke"] * smoke
        for opt in self.options:
            value = saved["config"].get(opt.name, opt.default)
            if value != getattr(defaults, opt.name):
                words.append(opt.flag if value is True else f"--no-{opt.flag[2:]}"
                             if value is False else f"{opt.flag} {shlex.quote(str(value))}")
        return " ".join(words)

    def make_config(self, values: dict[str, Any] | None = None, smoke: bool = False,
                    python: bool = False) -> Any:
        """The config with smoke overrides (if asked) and then the user's values applied,
        every value checked (range, choices, type) and then the config's own cross-field
        checks (its __post_init__): all before any run folder exists. `python`: the values
        come from a Python caller, told in keywords."""
        return self.config_of(check_values(self.config, values or {}, self.name,
                                           python=python), smoke)

    def config_of(self, checked: dict[str, Any], smoke: bool = False) -> Any:
        """The config of values checked already (by `make_config`, or by the command line
        as it reads them), over the smoke settings when `smoke` (the experiment's own, which
        are checked here); the config's cross-field checks run as it is made."""
        settings = check_values(self.config, self.smoke, self.name) if smoke else {}
        return self.config(**{**settings, **checked})


@dataclass(frozen=True)
class Plan:
    """A run ready to start: the experiment, its config and the common options, each value
    checked once by its Option (the command line checks it as it reads it, `nnzoo.run` as
    it is called). It goes down unchanged to the run folder that `Run.new` makes."""

    experiment: Experiment
    config: Any
    options: RunOptions


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
    `parallel=True` when every network it trains goes through
    `nnzoo.training.supervised.fit` with a mean loss, so that `nnzoo run NAME --nproc N` may
    train it data-parallel."""

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
        package = importlib.import_module("nnzoo.experiments")

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
        close = suggestions(name, experiments)
        raise UserError(
            f"no experiment called {name!r}"
            + (f" (did you mean {', '.join(close)}?)" if close else "")
            + "; `nnzoo list` shows them all"
        )
    return experiments[name]


def suggestions(name: str, experiments: dict[str, Experiment], n: int = 4) -> list[str]:
    """The experiments nearest to a mistyped `name`: those whose words (of the name, its
    data and what its options name by default: CartPole for dqn)
    match the most of the typed words, then those whose name is spelt alike."""
    typed = _words(name)
    scores = {}
    for exp in experiments.values():
        words = _words(exp.name) + _words(exp.data) + [w for f in dataclasses.fields(exp.config)
                                    if isinstance(f.default, str) for w in _words(f.default)]
        score = sum(bool(difflib.get_close_matches(w, words, n=1, cutoff=0.8)) for w in typed)
        if score:
            scores[exp.name] = score
    by_words = sorted(scores, key=lambda k: -scores[k])[:n - 1]
    alike = difflib.get_close_matches(name, list(experiments), n=3, cutoff=0.5)
    return list(dict.fromkeys(by_words + alike))[:n]


def _words(text: str) -> list[str]:
    """The words of a name of three letters or more: "dqn-CartPole-v1" -> dqn, cartpole."""
    return [w for w in re.split(r"[^a-z0-9]+", str(text).lower()) if len(w) >= 3]


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
