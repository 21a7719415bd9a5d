"""Training the agents of nnzoo.rl in a run: learning in parts that the run checkpoints,
until the task is solved or the budget is spent.

Both loops cut learning into parts through `run.parts` (the run's one resume mechanism),
keeping the agent: its `state_dict` (networks, optimiser, replay, step count, history,
random streams) is saved after each part and loaded back when a resumed run makes the
same parts again, so that it goes on exactly.

Solving CartPole-v1 is gymnasium's test: the mean return of 100 consecutive episodes
reaches 475 (`SOLVED_MEAN`). Claims are judged on the policy a user keeps, played again on
`JUDGE_EPISODES` new episodes whose start states come from a stream of their own
(`judge_policy`): for DQN's tasks the weights of the best greedy evaluation during training
(`train_dqn` saves them; `judge`), for the policy gradients and policy search the policy
that training ends with (a run that reached 475 once and then collapsed does not pass).

Both loops are the run's divergence guard for the agent: after each `learn` they pass
every update's loss (`agent.losses`, (step, loss) pairs) to `run.check_loss`, which ends
the run (exit status 3) at the first that is NaN or infinite, before the part is
checkpointed.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import torch

from nnzoo.rl.envs import evaluate
from nnzoo.rl.tasks import JUDGE_EPISODES, SOLVED_MEAN
from nnzoo.training.protocol import TrainingRun


def solved_at(history: list[dict], threshold: float = SOLVED_MEAN) -> int | None:
    """The step at which the mean return of the last 100 episodes first reached
    `threshold`, or None."""
    returns = np.array([h["return"] for h in history])
    if len(returns) < 100:
        return None
    means = np.convolve(returns, np.ones(100) / 100, mode="valid")  # (episodes - 99,)
    hits = np.flatnonzero(means >= threshold)
    return int(history[hits[0] + 99]["step"]) if len(hits) else None


def check_losses(run: TrainingRun, agent) -> None:
    """The divergence guard: every update's loss of the agent's last `learn` call
    (`agent.losses`) must be finite, or the run ends (nnzoo.errors.Diverged, exit status 3)."""
    for step, loss in agent.losses:
        run.check_loss(loss, step)


def train_until_solved(agent, env: Any, steps: int, run: TrainingRun, label: str = "agent",
                       chunk: int | None = None, **learn_kw: Any) -> int | None:
    """`agent.learn(env, ...)` until its step count reaches `steps` or it has solved the
    task (`solved_at`), in parts of `chunk` steps (default: 20,000, at most a quarter of
    the budget), each checkpointed with the agent once its losses are checked
    (`check_losses`); -> the step it was solved at, or None. `learn_kw` go to every
    `agent.learn` call (e.g. A3C's `solved`)."""
    chunk = chunk or max(min(20_000, steps // 4), 1)
    # each learn(env, k) goes at least k steps on: ceil(steps / chunk) parts are enough
    parts = run.parts(math.ceil(steps / chunk), label=label, desc=label, keep={"agent": agent},
                      until=lambda _: agent.t >= steps or solved_at(agent.history) is not None)
    for _ in parts:
        agent.learn(env, min(chunk, steps - agent.t), **learn_kw)
        check_losses(run, agent)
        recent = [h["return"] for h in agent.history[-100:]]
        run.log_metrics(agent.t, run_key=label,
                        mean_return_100=sum(recent) / len(recent) if recent else float("nan"))
        parts.done(agent.t)
    return solved_at(agent.history)


class BestWeights:
    """The Q-network's weights at the best evaluation so far (the first of the highest
    mean returns), with its step and return; kept by the run's parts, so that a resumed
    run knows them."""

    def __init__(self):
        self.step: int | None = None
        self.ret = -math.inf
        self.q: dict | None = None

    def offer(self, step: int, ret: float, q: torch.nn.Module) -> bool:
        """Keep q's weights if `ret` beats the best so far; -> whether it did."""
        if ret <= self.ret:
            return False
        self.step, self.ret = step, ret
        self.q = {k: v.detach().cpu().clone() for k, v in q.state_dict().items()}
        return True

    def state_dict(self) -> dict:
        return {"step": self.step, "return": self.ret, "q": self.q}

    def load_state_dict(self, state: dict) -> None:
        self.step, self.ret, self.q = state["step"], state["return"], state["q"]


def train_dqn(agent, env, run: TrainingRun, *, steps: int, eval_every: int, gamma: float,
              label: str, target: float | None = None) -> tuple[list[dict], BestWeights]:
    """DQN learns in `env` for `steps` steps in parts of `eval_every` steps; after each, its
    losses are checked (`check_losses`), its greedy policy is evaluated (10 episodes, the
    same first states every time, from the run's stream "eval"), the weights of the best
    evaluation so far are kept and saved as checkpoints/best-<label>.pt (step, return and
    "q", the Q-network's state_dict), and the run checkpoints with the agent. With
    `target`, it stops at the first evaluation whose mean return reaches it.
    -> the evaluations: step, return (greedy, mean of 10), q_start (the mean of
    max_a Q(s_0, a) over their first states), g_start (their true discounted return) and
    train_return (the mean return of the episodes learned from); and the best weights."""
    def stop(evals: list[dict]) -> bool:
        return agent.t >= steps or (target is not None and evals[-1]["return"] >= target)

    best = BestWeights()
    parts = run.parts(math.ceil(steps / eval_every), label=label, desc=label,
                      keep={"agent": agent, "best": best}, until=stop)
    for _ in parts:
        episodes = agent.learn(env, min(eval_every, steps - agent.t))
        check_losses(run, agent)
        returns, discounted, first = evaluate(agent.greedy, env.spec.id, 10,
                                              rng=run.rng("eval"), gamma=gamma)
        ev = {"step": agent.t, "return": float(returns.mean()),
              "q_start": float(agent.q_values(first).max(axis=1).mean()),
              "g_start": float(discounted.mean()),
              "train_return": float(np.mean([e["return"] for e in episodes]))}
        if best.offer(agent.t, ev["return"], agent.q):
            run.save_weights(f"best-{label}", best.state_dict())
        run.log_metrics(agent.t, agent=label, **{k: v for k, v in ev.items() if k != "step"})
        parts.done(ev)
    return parts.results, best


def judge_policy(policy, env_id: str, rng, episodes: int = JUDGE_EPISODES,
                 gamma: float = 1.0) -> np.ndarray:
    """`policy` (observations (B, D) -> actions (B,), e.g. an agent's `greedy`) played on
    `episodes` episodes whose first states come from `rng` (a stream used for nothing
    else). -> their returns (episodes,)"""
    return evaluate(policy, env_id, episodes, rng=rng, gamma=gamma)[0]


def judge(agent, weights: dict, env_id: str, rng, episodes: int = JUDGE_EPISODES,
          gamma: float = 1.0) -> np.ndarray:
    """The greedy policy of the Q-network `weights` (a state_dict of `agent.q`), played on
    `episodes` episodes whose first states come from `rng` (a stream used for nothing
    else). -> their returns (episodes,)"""
    q = copy.deepcopy(agent.q)
    q.load_state_dict(weights)

    @torch.inference_mode()
    def greedy(obs: np.ndarray) -> np.ndarray:  # argmax_a Q(s, a)  (B, D) -> (B,)
        x = torch.as_tensor(obs, dtype=torch.float32, device=next(q.parameters()).device)
        return q(x).argmax(dim=1).cpu().numpy()

    return judge_policy(greedy, env_id, rng, episodes, gamma)
