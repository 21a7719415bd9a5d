from dataclasses import dataclass
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
