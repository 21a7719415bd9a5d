"""Bad inputs found by machine: for every option of every registered experiment (from the
registry), of the common options and of `sweep` and `data`, values drawn from the option's
own type and far beyond it (empty, huge, negative, non-finite, unicode, paths to files,
folders, /dev/null and nothing) go through the validator (`make_config`), the CLI
(`main([...])` in-process) and the Python face (`nnzoo.run`). Each draw is accepted, checked
up to the point where the run folder would be made (`Run.new`, which makes every run's
folder, and `sweeps.start` are stopped there), or refused with the user-error type and one
line; never another exception, never a folder left.

Eight examples per experiment by default; HYPOTHESIS_PROFILE=check (`make check`, CI) draws
60 (12 s in all on this 2-core machine)."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnzoo
from nnzoo import registry
from nnzoo.cli import main
from nnzoo.errors import NnzooError, UserError

EXAMPLES = {"check": 60}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 8)
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
EXPERIMENTS = list(registry.load_all())

SCRATCH = Path(tempfile.mkdtemp(prefix="nnzoo-bad-inputs-"))  # the working folder of the draws
(SCRATCH / "words.txt").write_text("the cat sat on the mat\n")
(SCRATCH / "bytes.bin").write_bytes(bytes(range(256)))
(SCRATCH / "folder").mkdir()
PATHS = ["", " ", ".", "..", "/", "~", "~0", "~nobody-at-all/x", "/dev/null", "/proc/nope",
         "/nonexistent/x",
         str(SCRATCH / "words.txt"), str(SCRATCH / "bytes.bin"), str(SCRATCH / "folder"),
         "words.txt", "folder", "bytes.bin/x", "a\x00b"]
BEYOND = ["", " ", "-1", "0", "-0", "1e400", "-1e400", str(2**64), str(-2**64), "9" * 40,
          "nan", "inf", "-inf", "NaN", "1_000", "0x10", "½", "١٢", "ünïcødé", "名前", "a,b",
          "--seed", "-", "=", "true", "None", *PATHS]


class Accepted(Exception):
    """Raised where the run folder would be made: the draw was accepted."""


def stop(*args, **kwargs):
    raise Accepted


def texts(opt: registry.Option):
    """Command-line text for `opt`: of its own type, and far beyond it."""
    if opt.choices:
        own = st.sampled_from(opt.choices)
    elif opt.type is int:
        own = st.integers(-10**30, 10**30).map(str)
    elif opt.type is float:
        own = st.floats(allow_nan=True, allow_infinity=True).map(repr)
    else:
        own = st.text(max_size=12)
    return st.one_of(own, st.sampled_from(BEYOND), st.text(max_size=12))


def values(opt: registry.Option):
    """Python values for `opt`: of its own type, of other types, and beyond."""
    own = st.sampled_from(opt.choices) if opt.choices else st.just(opt.default)
    return st.one_of(own, st.none(), st.booleans(), st.integers(-10**30, 10**30),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                     st.sampled_from(BEYOND), st.binary(max_size=4),
                     st.lists(st.integers(), max_size=2), st.sampled_from([Path("words.txt")]))


def one_line(e: BaseException) -> None:
    text = str(e)
    assert text and "\n" not in text and "Traceback" not in text, repr(text)


@contextlib.contextmanager
def in_scratch():
    """The draw runs in SCRATCH, whose listing must not change (no folder left)."""
    before = sorted(p.name for p in SCRATCH.iterdir())
    here = os.getcwd()
    os.chdir(SCRATCH)
    try:
        with mock.patch("nnzoo.runs.Run.new", stop), mock.patch("nnzoo.sweeps.start", stop):
            yield
    finally:
        os.chdir(here)
    assert sorted(p.name for p in SCRATCH.iterdir()) == before, "a folder was left"


def cli(args: list[str]) -> None:
    """`nnzoo ARGS` in-process: accepted, or exit 2 with one line on stderr."""
    err = io.StringIO()
    with in_scratch(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = main(args)
        except Accepted:
            return
    lines = err.getvalue().strip().splitlines()
    assert status in (0, 2), (args, status, err.getvalue())
    if status == 2:
        assert len(lines) == 1 and lines[0].startswith("nnzoo: error: "), (args, lines)


def python(name, **kwargs) -> None:
    """`nnzoo.run(name, **kwargs)`: accepted, or a UserError (ValueError; TypeError too for
    a type) of one line."""
    with in_scratch():
        try:
            nnzoo.run(name, **{"quiet": True, **kwargs})
        except Accepted:
            return
        except UserError as e:
            one_line(e)


def validator(exp: registry.Experiment, values: dict) -> None:
    with in_scratch():
        try:
            exp.make_config(values)
        except UserError as e:
            one_line(e)


# --------------------------------------------------------------------------- every experiment
@pytest.mark.parametrize("name", EXPERIMENTS)
@SETTINGS
@given(data=st.data())
def test_every_option_of_every_experiment_is_accepted_or_refused_in_one_line(name, data):
    exp = registry.get(name)
    if not exp.options:
        return
    opt = data.draw(st.sampled_from(exp.options), label="option")
    if opt.type is bool:
        args = [data.draw(st.sampled_from([opt.flag, "--no-" + opt.flag[2:],
                                           opt.flag + "=" + data.draw(texts(opt))]))]
    else:
        text = data.draw(texts(opt), label="text")
        args = data.draw(st.sampled_from([[opt.flag, text], [f"{opt.flag}={text}"]]))
    cli(["run", name, *args, "--out", "runs"])
    value = data.draw(values(opt), label="value")
    validator(exp, {opt.name: value})
    python(name, **{opt.name: value}, out="runs")


# --------------------------------------------------------------------------- common options
@SETTINGS
@given(data=st.data())
def test_the_common_options_are_accepted_or_refused_in_one_line(data):
    common = registry.options_of(registry.RunOptions)
    opt = data.draw(st.sampled_from(common), label="option")
    if opt.type is bool:
        args = [data.draw(st.sampled_from([opt.flag, opt.flag + "=" + data.draw(texts(opt))]))]
    else:
        args = [opt.flag, data.draw(texts(opt), label="text")]
    cli(["run", "perceptron", *args])
    cli(["tour", "--only", "neuron", *args])
    python("perceptron", **{opt.name: data.draw(values(opt), label="value")})
    python(data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=12),
                               st.sampled_from(EXPERIMENTS)), label="name"))


# --------------------------------------------------------------------------- sweep and data
@SETTINGS
@given(data=st.data())
def test_sweep_options_are_accepted_or_refused_in_one_line(data):
    name = data.draw(st.sampled_from(["perceptron", "xor-backprop", "word2vec"]))
    exp = registry.get(name)
    own = [o for o in exp.options if o.type is not bool]
    opt = data.draw(st.sampled_from(own), label="option")
    listed = ",".join(data.draw(st.lists(texts(opt), min_size=1, max_size=3), label="list"))
    flag = data.draw(st.sampled_from(["--seeds", "--jobs", "--out", "--device", opt.flag]))
    text = listed if flag == opt.flag else data.draw(
        st.one_of(st.sampled_from(BEYOND), st.text(max_size=12),
                  st.sampled_from(["0-2", "0,3,7", "0-99999999999", "5-1", "0-4,10", "1,1"])))
    cli(["sweep", name, flag, text, *(["--out", "runs"] if flag != "--out" else [])])


@SETTINGS
@given(command=st.sampled_from(["path", "verify", "fetch"]),
       name=st.one_of(st.sampled_from(BEYOND), st.text(max_size=12)))
def test_data_commands_are_accepted_or_refused_in_one_line(command, name):
    from nnzoo.data import datasets

    if command == "fetch" and name in datasets.DATASETS:
        return  # a real name would download: the names beyond it are what is tested
    with mock.patch.dict(os.environ, {"NNZOO_DATA": str(SCRATCH / "cache")}):
        cli(["data", command, name])


def test_the_draws_can_find_what_they_guard():
    """Broken on purpose, the checks above fail: a traceback and a folder are seen."""
    with pytest.raises(AssertionError, match="a folder was left"):
        with in_scratch():
            (SCRATCH / "left").mkdir()
    (SCRATCH / "left").rmdir()
    with mock.patch.object(registry.Option, "check", side_effect=KeyError("boom")):
        with pytest.raises(KeyError):
            validator(registry.get("perceptron"), {"lr": 1.0})
    assert issubclass(UserError, NnzooError)
