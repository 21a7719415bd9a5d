import dataclasses
from dataclasses import dataclass, replace
from typing import Literal

import pytest

from nnzoo import registry
from nnzoo.errors import UserError
from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, options_of


@dataclass
class ToyConfig:
    task: Literal["and", "xor"] = "and"
    """Which gate."""
    lr: PositiveFloat = 0.5
    """Learning rate
    eta, on two lines."""
    epochs: PositiveInt = 10
    """Epochs."""
    momentum: UnitFloat = 0.9
    """Momentum."""
    shuffle: bool = False
    """Shuffle."""
    name: str = "x"
    """A name."""


def test_options_come_from_fields_types_defaults_and_docstrings():
    opts = {o.name: o for o in options_of(ToyConfig)}
    assert list(opts) == ["task", "lr", "epochs", "momentum", "shuffle", "name"]
    assert opts["task"].choices == ("and", "xor") and opts["task"].default == "and"
    assert opts["lr"].help == "Learning rate eta, on two lines."
    assert opts["lr"].type is float and opts["lr"].type_name == "number > 0"
    assert opts["epochs"].type_name == "integer >= 1"
    assert opts["momentum"].type_name == "number >= 0 and < 1"
    assert opts["shuffle"].type is bool and opts["shuffle"].flag == "--shuffle"
    assert opts["name"].type is str


def test_a_config_made_by_a_function_takes_its_bases_docstrings():
    # e.g. the DQN experiments' configs, made from the table of tasks
    made = dataclasses.make_dataclass("Made", [("lr", PositiveFloat, 0.1)], bases=(ToyConfig,))
    opts = {o.name: o for o in options_of(made)}
    assert list(opts) == ["task", "lr", "epochs", "momentum", "shuffle", "name"]
    assert opts["lr"].default == 0.1 and opts["lr"].help == "Learning rate eta, on two lines."


def test_option_parsing_and_its_errors():
    opts = {o.name: o for o in options_of(ToyConfig)}
    assert opts["lr"].parse("0.25", "toy") == 0.25
    assert opts["epochs"].parse("3", "toy") == 3
    with pytest.raises(UserError, match=r"expected --lr to be a number > 0, got -1"):
        opts["lr"].parse("-1", "toy")
    with pytest.raises(UserError, match=r"expected --epochs to be an integer >= 1, got '2.5'"):
        opts["epochs"].parse("2.5", "toy")
    with pytest.raises(UserError, match=r"one of and, xor, got 'xr' \(did you mean xor\?\)"):
        opts["task"].parse("xr", "toy")
    with pytest.raises(UserError, match="< 1"):
        opts["momentum"].parse("1", "toy")
    with pytest.raises(UserError, match="> 0"):
        opts["lr"].parse("nan", "toy")


def test_a_field_without_docstring_is_refused():
    @dataclass
    class Bad:
        lr: float = 1.0

    with pytest.raises(TypeError, match="needs a docstring"):
        options_of(Bad)


def test_duplicate_and_unknown_names():
    registry.load_all()
    with pytest.raises(ValueError, match="registered twice"):
        registry.experiment("perceptron", family="neuron", kind="supervised", config=ToyConfig,
                            claim="c", expects="e")(lambda cfg, run: None)
    with pytest.raises(UserError, match=r"did you mean perceptron"):
        registry.get("perceptrn")
    with pytest.raises(UserError, match=r"no option --max-epoch \(did you mean --max-epochs"):
        registry.get("perceptron").make_config({"max_epoch": 3})


def test_every_registered_experiment_is_complete():
    for exp in registry.load_all().values():
        assert exp.kind in registry.KINDS and exp.claim and exp.expects
        assert exp.family in registry.FAMILIES
        exp.make_config()
        exp.make_config(smoke=True)
        # how long its default run takes is measured and said (the tour's experiments)
        assert exp.seconds is not None or not exp.tour, f"{exp.name}: declare seconds="


def test_how_long_is_said_in_words():
    from nnzoo.cli.catalogue import takes

    exp = registry.load_all()["logic-gates"]
    assert takes(replace(exp, seconds=1)) == "about 5 s"
    assert takes(replace(exp, seconds=42)) == "about 40 s"
    assert takes(replace(exp, seconds=100)) == "about 1.5 min"
    assert takes(replace(exp, seconds=None, tour=False)) == "hours"


def test_one_validator_for_every_source_of_values(runs_dir):
    import json

    from nnzoo.runs import Run

    exp = registry.get("perceptron")
    with pytest.raises(UserError, match=r"expected --lr to be a number > 0, got -1; "):
        exp.make_config({"lr": -1})  # a Python caller: the value as written, as the CLI shows it
    with pytest.raises(UserError, match=r"expected --max-epochs to be an integer >= 1"):
        exp.make_config({"max_epochs": True})  # a bool is not an int
    assert exp.make_config({"lr": 2}).lr == 2.0  # an int is a float
    with pytest.raises(UserError, match=r"expected --task to be one of"):
        exp.make_config({"task": "xr"})
    run = Run.create(exp, exp.make_config(), runs_dir, seed=0, device="cpu")
    saved = json.loads((run.dir / "config.json").read_text())
    saved["config"]["margin"] = 0
    (run.dir / "config.json").write_text(json.dumps(saved))
    with pytest.raises(UserError, match=r"expected --margin to be a number > 0, got 0"):
        Run.reopen(run.dir)  # a resumed run's config.json


def test_common_options_are_checked_before_any_folder_exists(runs_dir):
    from nnzoo.runs import Run

    exp = registry.get("perceptron")
    with pytest.raises(UserError, match=r"expected --seed to be an integer >= 0 and <= "
                                        r"4294967295, got -1; see `nnzoo --help`"):
        Run.create(exp, exp.make_config(), runs_dir, seed=-1)
    with pytest.raises(UserError, match=r"a run has no option --sead \(did you mean --seed"):
        registry.RunOptions.make(sead=1)
    assert not runs_dir.exists()
    assert registry.RunOptions.make() == registry.RunOptions()


def test_smoke_settings_are_checked_like_any_value():
    exp = registry.get("perceptron")
    bad = dataclasses.replace(exp, smoke={"max_epochs": 0})
    with pytest.raises(UserError, match=r"expected --max-epochs to be an integer >= 1, got 0"):
        bad.make_config(smoke=True)


def test_cross_field_checks_run_when_the_config_is_made():
    @dataclass
    class Depth:
        blocks: PositiveInt = 5
        """Blocks."""
        reference: PositiveInt = 2
        """Reference."""

        def __post_init__(self):
            if self.blocks <= self.reference:
                raise UserError("expected --blocks > --reference")

    exp = registry.Experiment("toy", "neuron", "supervised", "c", "e", Depth, lambda c, r: None)
    assert exp.make_config().blocks == 5
    with pytest.raises(UserError, match="expected --blocks > --reference"):
        exp.make_config({"blocks": 1})


def test_build_passes_the_fields_named_like_parameters():
    class Model:
        def __init__(self, lr=0.5, epochs=10, extra=None):
            self.lr, self.epochs, self.extra = lr, epochs, extra

    m = registry.build(Model, ToyConfig(lr=0.25), extra="x")
    assert (m.lr, m.epochs, m.extra) == (0.25, 10, "x")


def test_experiments_come_in_the_course_order():
    names = list(registry.load_all())
    assert names[:3] == ["logic-gates", "perceptron", "xor-backprop"]
    families = [e.family for e in registry.load_all().values()]
    assert families == sorted(families, key=lambda f: registry.FAMILIES[f].position)
