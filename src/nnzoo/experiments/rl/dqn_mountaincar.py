"""dqn-mountaincar: deep Q-learning, with rl-zoo's hyper-parameters for the task, drives
MountainCar-v0's underpowered car up the hill."""

from __future__ import annotations

from nnzoo.experiments.rl import dqn
from nnzoo.experiments.rl._shared import CLAIM, KEPT, task_config, task_expects
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run

# --steps = the task's budget, rl-zoo's hyper-parameters from nnzoo.rl.tasks
DQNMountainCarConfig = task_config("dqn-mountaincar", compare=False, stop_when_solved=True)


@experiment(
    "dqn-mountaincar", kind="reinforcement", config=DQNMountainCarConfig, seconds=69,
    claim=CLAIM + "drives MountainCar-v0's underpowered car up the hill" + KEPT,
    expects=task_expects("dqn-mountaincar", "gymnasium's threshold"),
    data="gymnasium MountainCar-v0 (installed with nnzoo)",
    smoke={"steps": 600, "hidden": 32, "learning_starts": 100, "eval_every": 300},
)
def run(cfg: DQNMountainCarConfig, run: Run) -> Result:
    """dqn's story (experiments/rl/dqn.py) on MountainCar-v0."""
    return dqn.learn_task(cfg, run, "dqn-mountaincar")
