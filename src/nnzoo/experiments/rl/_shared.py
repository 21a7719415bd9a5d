"""What the three DQN experiments share (declarations only): their options, the start of
their claim, and a task's config class and expected outcome made from the one table of
DQN's tasks, `nnzoo.rl.tasks.DQN_TASKS` (torch-free: `nnzoo list` reads this)."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from nnzoo.registry import NonNegativeInt, PositiveFloat, PositiveInt, UnitFloat
from nnzoo.rl.tasks import DQN_TASKS, EXPLORATION_FRACTION, FINAL_EPSILON

CLAIM = ("deep Q-learning with experience replay, epsilon-greedy and a target network, "
         "minimising [r + gamma max_b Q_wbar(s', b) - Q_w(s, a)]^2 (--double: "
         "Q_wbar(s', argmax_b Q_w(s', b))), ")
KEPT = (" (judged on the policy it keeps, the weights of its best evaluation during training, "
        "played on 100 new episodes)")


@dataclass
class DQNConfig:
    """DQN's options; their defaults are DQN's own, rl-zoo's for CartPole-v1."""

    not_the_default: ClassVar[dict[str, str]] = {
        "hidden": "the width of both of DQN's hidden layers: hidden=(256, 256)"}

    steps: PositiveInt = DQN_TASKS["dqn"].budget
    """Budget of environment steps."""
    double: bool = False
    """Double Q: the online net chooses argmax_b Q_w(s', b), the target net judges it."""
    compare: bool = True
    """Also train the other variant (DQN vs double DQN) for the over-estimation figure."""
    hidden: PositiveInt = 256
    """Units in each of the Q-network's two hidden layers."""
    lr: PositiveFloat = 2.3e-3
    """Adam's learning rate."""
    gamma: UnitFloat = 0.99
    """Discount factor gamma."""
    batch_size: PositiveInt = 64
    """Transitions per minibatch sampled from the replay buffer."""
    buffer_size: PositiveInt = 100_000
    """Capacity of the replay buffer."""
    learning_starts: NonNegativeInt = 1000
    """Steps of acting before the first update."""
    train_freq: PositiveInt = 256
    """Act this many steps between training phases."""
    gradient_steps: PositiveInt = 128
    """Minibatch updates in each training phase."""
    target_update: PositiveInt = 10
    """Copy the online weights w into the target weights wbar every this many steps."""
    exploration_fraction: UnitFloat = EXPLORATION_FRACTION
    """epsilon goes from 1 to its final value over this fraction of the budget."""
    final_epsilon: UnitFloat = FINAL_EPSILON
    """The final epsilon of epsilon-greedy."""
    loss: Literal["mse", "huber"] = "mse"
    """The course's squared TD error, or the Huber loss (linear beyond 1)."""
    eval_every: PositiveInt = 2000
    """Evaluate the greedy policy (10 episodes) about every this many steps; the weights
    of the best evaluation are kept (checkpoints/best-<variant>.pt) and judged at the end
    on 100 new episodes."""
    stop_when_solved: bool = False
    """Stop at the first evaluation that reaches the target (475 on CartPole, where both
    variants use the whole budget by default: over-estimation shows once values have grown)."""


def task_config(name: str, **choices: Any) -> type:
    """The config class of the DQN experiment `name`: DQNConfig with the task's budget as
    --steps and rl-zoo's hyper-parameters for it as defaults, from DQN_TASKS, and the
    experiment's own `choices` (e.g. compare=False)."""
    task = DQN_TASKS[name]
    defaults = {"steps": task.budget, **task.hyper, **choices}
    hints = typing.get_type_hints(DQNConfig, include_extras=True)
    why = f"rl-zoo's value for {task.env_id} (nnzoo.rl.tasks.DQN_TASKS)"
    return dataclasses.make_dataclass(
        f"DQN{task.env_id.split('-')[0]}Config", [(k, hints[k], v) for k, v in defaults.items()],
        bases=(DQNConfig,), namespace={
            "__doc__": f"rl-zoo's DQN hyper-parameters for {task.env_id}.",
            "__module__": __name__,
            "not_the_default": {**DQNConfig.not_the_default, **dict.fromkeys(task.hyper, why)}})


def task_expects(name: str, note: str = "") -> str:
    """The expected outcome of the DQN experiment `name`: the weights a user keeps, those
    of the best evaluation within the task's budget, reach its target on new episodes
    (`note`: where the target comes from)."""
    task = DQN_TASKS[name]
    return (f"the weights of the greedy policy's best evaluation (mean return of 10 "
            f"episodes) in training on a budget of {task.budget:,} steps, saved in the run "
            f"folder, score a mean "
            f"return >= {task.solved:g}{f' ({note})' if note else ''} on 100 new episodes "
            f"(start states from their own random stream, never used in training)")
