"""One source of every default: the experiments' options default to the agents' own
defaults, and the DQN experiments' to DQN's constructor overridden by the task table."""

import inspect

import pytest

from nnzoo import registry
from nnzoo.rl.a2c import A2C
from nnzoo.rl.a3c import A3C
from nnzoo.rl.dqn import DQN
from nnzoo.rl.policy_gradient import REINFORCE
from nnzoo.rl.tabular import QLearning, TDZero
from nnzoo.rl.tasks import DQN_TASKS, EXPLORATION_FRACTION, FINAL_EPSILON

registry.load_all()


def defaults(cls) -> dict:
    return {k: p.default for k, p in inspect.signature(cls).parameters.items()
            if p.default is not inspect.Parameter.empty}


def config(name):
    return registry.get(name).make_config({}, smoke=False)


@pytest.mark.parametrize("name, cls, names", [
    ("td-gridworld", TDZero, {}),
    ("q-learning", QLearning, {}),
    ("reinforce", REINFORCE, {}),
    ("a2c", A2C, {"entropy": "entropy_coef"}),
    ("a3c", A2C, {"entropy": "entropy_coef"}),
    ("a3c", A3C, {}),
])
def test_experiment_options_default_to_the_agents_defaults(name, cls, names):
    cfg, d = vars(config(name)), defaults(cls)
    shared = {k for k in cfg if names.get(k, k) in d and k not in ("episodes",)}
    assert shared, "nothing in common"
    if name == "q-learning":
        shared -= {"update"}
    assert {k: cfg[k] for k in shared} == {k: d[names.get(k, k)] for k in shared}


@pytest.mark.parametrize("name", DQN_TASKS)
def test_dqn_configs_are_dqns_defaults_with_the_tasks_hyper_parameters(name):
    task, cfg, d = DQN_TASKS[name], vars(config(name)), defaults(DQN)
    expected = {k: v for k, v in d.items() if k in cfg}
    expected.update(hidden=d["hidden"][0], exploration_fraction=EXPLORATION_FRACTION,
                    final_epsilon=FINAL_EPSILON, steps=task.budget)
    expected.update(task.hyper)
    assert {k: cfg[k] for k in expected} == expected
    assert d["hidden"] == (d["hidden"][0],) * 2
    eps = d["epsilon"]  # DQN's default exploration is CartPole's
    assert (eps.start, eps.end, eps.steps) == (
        1.0, FINAL_EPSILON, int(EXPLORATION_FRACTION * DQN_TASKS["dqn"].budget))
    assert f"{task.solved:g}" in registry.get(name).expects
    assert f"{task.budget:,}" in registry.get(name).expects


def test_the_task_table_imports_no_torch():
    import subprocess
    import sys

    code = "import sys, nnzoo.rl.tasks; print('torch' in sys.modules, 'gymnasium' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
