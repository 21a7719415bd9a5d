"""Training agents in a run: learning in parts that the run checkpoints, until the task is
solved or the budget is spent.

Both loops cut learning into parts through `run.parts` (the run's one resume mechanism),
keeping the agent: its `state_dict` (networks, optimiser, replay, step count, history,
random streams) is saved after each part and loaded back when a resumed run makes the
same parts again, so that it goes on exactly.

Solving CartPole-v1 is gymnasium's test: the mean return of 100 consecutive episodes
reaches 475 (`SOLVED_MEAN`); DQN's tasks are judged by evaluating the greedy policy.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from nnzoo.rl.envs import evaluate
from nnzoo.train import torch_threads  # noqa: F401  (the RL experiments' import)

if TYPE_CHECKING:
    from nnzoo.runs import Run

SOLVED_MEAN = 475.0  # gymnasium's CartPole-v1 threshold: mean return over 100 episodes


def solved_at(history: list[dict], threshold: float = SOLVED_MEAN) -> int | None:
    """The step at which the mean return of the last 100 episodes first reached
    `threshold`, or None."""
    returns = np.array([h["return"] for h in history])
    if len(returns) < 100:
        return None
    means = np.convolve(returns, np.ones(100) / 100, mode="valid")  # (episodes - 99,)
    hits = np.flatnonzero(means >= threshold)
    return int(history[hits[0] + 99]["step"]) if len(hits) else None


def train_until_solved(agent, env: Any, steps: int, run: Run, label: str = "agent",
                       chunk: int | None = None, **learn_kw: Any) -> int | None:
    """`agent.learn(env, ...)` until its step count reaches `steps` or it has solved the
    task (`solved_at`), in parts of `chunk` steps (default: 20,000, at most a quarter of
    the budget), each checkpointed with the agent; -> the step it was solved at, or None.
    `learn_kw` go to every `agent.learn` call (e.g. A3C's `solved`)."""
    chunk = chunk or max(min(20_000, steps // 4), 1)
    # each learn(env, k) goes at least k steps on: ceil(steps / chunk) parts are enough
    parts = run.parts(math.ceil(steps / chunk), label=label, desc=label, keep={"agent": agent},
                      until=lambda _: agent.t >= steps or solved_at(agent.history) is not None)
    for _ in parts:
        agent.learn(env, min(chunk, steps - agent.t), **learn_kw)
        recent = [h["return"] for h in agent.history[-100:]]
        run.log_metrics(agent.t, run_key=label,
                        mean_return_100=sum(recent) / len(recent) if recent else float("nan"))
        parts.done(agent.t)
    return solved_at(agent.history)


def train_dqn(agent, env, run: Run, *, steps: int, eval_every: int, gamma: float,
              label: str, target: float | None = None) -> list[dict]:
    """DQN learns in `env` for `steps` steps in parts of `eval_every` steps; after each, its
    greedy policy is evaluated (10 episodes, the same first states every time) and the run
    checkpoints with the agent. With `target`, it stops at the first evaluation whose mean
    return reaches it. -> the evaluations: step, return (greedy, mean of 10), q_start (the
    mean of max_a Q(s_0, a) over their first states), g_start (their true discounted
    return) and train_return (the mean return of the episodes learned from)."""
    def stop(evals: list[dict]) -> bool:
        return agent.t >= steps or (target is not None and evals[-1]["return"] >= target)

    parts = run.parts(math.ceil(steps / eval_every), label=label, desc=label,
                      keep={"agent": agent}, until=stop)
    for _ in parts:
        episodes = agent.learn(env, min(eval_every, steps - agent.t))
        returns, discounted, first = evaluate(agent.greedy, env.spec.id, 10,
                                              rng=run.rng("eval"), gamma=gamma)
        ev = {"step": agent.t, "return": float(returns.mean()),
              "q_start": float(agent.q_values(first).max(axis=1).mean()),
              "g_start": float(discounted.mean()),
              "train_return": float(np.mean([e["return"] for e in episodes]))}
        run.check_loss(episodes[-1].get("loss", 0.0), agent.t)
        run.log_metrics(agent.t, agent=label, **{k: v for k, v in ev.items() if k != "step"})
        parts.done(ev)
    return parts.results
