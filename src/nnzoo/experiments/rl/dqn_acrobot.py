"""dqn-acrobot: deep Q-learning, with rl-zoo's hyper-parameters for the task, swings
Acrobot-v1's lower link up to the line."""

from __future__ import annotations

from nnzoo.experiments.rl import dqn
from nnzoo.experiments.rl._shared import CLAIM, KEPT, task_config, task_expects
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run

# --steps = the task's budget, rl-zoo's hyper-parameters from nnzoo.rl.tasks
DQNAcrobotConfig = task_config("dqn-acrobot", compare=False, stop_when_solved=True)


@experiment(
    "dqn-acrobot", kind="reinforcement", config=DQNAcrobotConfig, seconds=36,
    claim=CLAIM + "swings Acrobot-v1's lower link up to the line" + KEPT,
    expects=task_expects("dqn-acrobot", "gymnasium's threshold"),
    data="gymnasium Acrobot-v1 (installed with nnzoo)",
    smoke={"steps": 600, "hidden": 32, "learning_starts": 100, "eval_every": 300},
)
def run(cfg: DQNAcrobotConfig, run: Run) -> Result:
    """dqn's story (experiments/rl/dqn.py) on Acrobot-v1."""
    return dqn.learn_task(cfg, run, "dqn-acrobot")
