"""One source of every default, where tests/test_house.py cannot see it: options whose
name differs from the parameter they set (--entropy -> entropy_coef), A3C's options that
reach A2C through **agent_kw, and the DQN experiments, whose defaults are DQN's
constructor's overridden by the one task table (dqn-acrobot's and dqn-mountaincar's
configs are made from it, and built by dqn's story)."""

import dataclasses
import inspect

import pytest

from nnzoo import registry
from nnzoo.rl.a2c import A2C
from nnzoo.rl.dqn import DQN
from nnzoo.rl.tasks import DQN_TASKS, EXPLORATION_FRACTION, FINAL_EPSILON

registry.load_all()


def defaults(cls) -> dict:
    return {k: p.default for k, p in inspect.signature(cls).parameters.items()
            if p.default is not inspect.Parameter.empty}


def config(name):
    return registry.get(name).make_config({}, smoke=False)


@pytest.mark.parametrize("name, names", [
    ("a2c", {"entropy": "entropy_coef"}),  # A2C's other options: test_house, through build
    ("a3c", {"hidden": "hidden", "gamma": "gamma", "n_steps": "n_steps",
             "entropy": "entropy_coef"}),  # passed on to the shared A2C
])
def test_options_passed_under_another_name_default_to_a2cs_defaults(name, names):
    cfg, d = vars(config(name)), defaults(A2C)
    assert {k: cfg[k] for k in names} == {k: d[p] for k, p in names.items()}


@pytest.mark.parametrize("name", DQN_TASKS)
def test_dqn_configs_are_dqns_defaults_with_the_tasks_hyper_parameters(name):
    task, exp, d = DQN_TASKS[name], registry.get(name), defaults(DQN)
    cfg = vars(config(name))
    expected = {k: v for k, v in d.items() if k in cfg}
    expected.update(hidden=d["hidden"][0], exploration_fraction=EXPLORATION_FRACTION,
                    final_epsilon=FINAL_EPSILON, steps=task.budget)
    expected.update(task.hyper)
    assert {k: cfg[k] for k in expected} == expected
    assert d["hidden"] == (d["hidden"][0],) * 2
    eps = d["epsilon"]  # DQN's default exploration is CartPole's
    assert (eps.start, eps.end, eps.steps) == (
        1.0, FINAL_EPSILON, int(EXPLORATION_FRACTION * DQN_TASKS["dqn"].budget))
    assert f"{task.solved:g}" in exp.expects and f"{task.budget:,}" in exp.expects
    assert task.env_id in exp.claim + exp.data


@pytest.mark.parametrize("name", DQN_TASKS)
def test_a_dqn_option_differs_from_dqns_default_only_where_the_task_says_so(name):
    # test_house's rule for the configs that dqn's story builds DQN from
    config_cls, params = registry.get(name).config, inspect.signature(DQN).parameters
    differ = config_cls.not_the_default
    assert set(differ) == {"hidden"} | set(DQN_TASKS[name].hyper)
    for f in dataclasses.fields(config_cls):
        if f.name in params and f.name not in differ:
            assert f.default == params[f.name].default, f.name


def test_the_task_table_imports_no_torch():
    import subprocess
    import sys

    code = "import sys, nnzoo.rl.tasks; print('torch' in sys.modules, 'gymnasium' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
