"""The tasks DQN is tested on: one table, the one source of their targets, budgets and
hyper-parameters (imports neither torch nor gymnasium: experiment configs read it, and
`nnzoo list` must stay light).

Per experiment name:
    env_id   the gymnasium environment
    solved   the mean return on new episodes that solves it, for the weights kept from
             training (475, -100 and -110: gymnasium's thresholds; on CartPole the first
             evaluation at 500, its most, can be a spike: at seed 1 those weights scored
             487.4 on 100 new episodes, min 317);
             with stop_when_solved, training stops at the first evaluation reaching it
    budget   the environment steps the claim allows (the experiment's default --steps)
    r_max    the largest reward of one step (r_max / (1 - gamma) bounds every true value)
    hyper    rl-zoo's hyper-parameters for the task where they differ from DQN's
             constructor defaults (which are rl-zoo's CartPole-v1 ones), under the names
             of DQN's keywords and of the experiments' options; exploration is given as
             rl-zoo gives it: epsilon goes from 1 to `final_epsilon` over the first
             `exploration_fraction` of the budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class DQNTask:
    env_id: str
    solved: float
    budget: int
    r_max: float
    hyper: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))


# CartPole's exploration, the default of DQN's epsilon: 1 -> 0.04 over 16% of 50,000 steps
EXPLORATION_FRACTION, FINAL_EPSILON = 0.16, 0.04

DQN_TASKS: dict[str, DQNTask] = {
    "dqn": DQNTask("CartPole-v1", 475.0, 50_000, 1.0),
    "dqn-acrobot": DQNTask("Acrobot-v1", -100.0, 100_000, 0.0, MappingProxyType({
        "lr": 6.3e-4, "batch_size": 128, "buffer_size": 50_000, "learning_starts": 0,
        "train_freq": 4, "gradient_steps": 4, "target_update": 250,
        "exploration_fraction": 0.12, "final_epsilon": 0.1})),
    "dqn-mountaincar": DQNTask("MountainCar-v0", -110.0, 120_000, 0.0, MappingProxyType({
        "lr": 4e-3, "gamma": 0.98, "batch_size": 128, "buffer_size": 10_000,
        "train_freq": 16, "gradient_steps": 8, "target_update": 600,
        "exploration_fraction": 0.2, "final_epsilon": 0.07})),
}


# CartPole-v1 for the policy gradients and policy search: gymnasium's threshold, and how
# their claims judge the policy a run ends with (nnzoo.training.agents.judge_policy)
SOLVED_MEAN = 475.0  # gymnasium's CartPole-v1 threshold: mean return over 100 episodes
JUDGE_EPISODES = 100  # new episodes that judge the policy a run keeps


def judged_words(at: int | None, judged) -> tuple[str, str]:
    """A policy-gradient run on CartPole-v1 in words: when training's mean of 100 episodes
    reached the threshold (`at`, a step, or None), and what the final policy scored on the
    judging episodes (`judged`, their returns)."""
    outcome = (f"training's mean of 100 reached {SOLVED_MEAN:g} at step {at}" if at else
               f"training's mean of 100 never reached {SOLVED_MEAN:g}")
    score = f"the final policy scores {judged.mean():.1f} on {len(judged)} new episodes"
    return outcome, score


def judged_expects(budget: str) -> str:
    """The expected outcome of a policy-gradient experiment on CartPole-v1 whose training
    stops at gymnasium's test or at `budget` (e.g. "500,000 steps"): the policy it ends
    with, played greedily on new episodes, reaches the threshold."""
    return (f"the policy that training ends with (it stops once the mean return of 100 "
            f"consecutive training episodes reaches {SOLVED_MEAN:g}, or after {budget}), "
            f"acting greedily (argmax_a pi(a|s)), scores a mean return >= {SOLVED_MEAN:g} on "
            f"{JUDGE_EPISODES} new episodes (start states from their own random stream)")
