"""a3c: asynchronous advantage actor-critic, worker processes updating shared parameters
without locks, balances CartPole-v1 (judged, as a2c, on the shared network the workers
leave, played greedily on 100 new episodes from the stream ("judge")).

The one experiment that a resumed run cannot repeat number for number: the workers'
updates interleave differently on every run (see the notes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import NonNegativeFloat, PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.rl.tasks import judged_expects, judged_words
from nnzoo.runs import Result, Run


@dataclass
class A3CConfig:
    steps: PositiveInt = 500_000
    """Budget of environment steps (all workers together)."""
    workers: PositiveInt = 2
    """Worker processes updating the shared parameters."""
    envs_per_worker: PositiveInt = 4
    """Environments each worker steps side by side."""
    n_steps: PositiveInt = 5
    """n of the n-step estimate of Q."""
    hidden: PositiveInt = 64
    """Units in each of the two hidden layers of the policy and of the value network."""
    lr: PositiveFloat = 7e-4
    """Learning rate of the shared Adam."""
    gamma: UnitFloat = 0.99
    """Discount factor gamma."""
    entropy: NonNegativeFloat = 0.0
    """Weight of the entropy bonus (0, as a2c: at A2C's 0.01 a run hovered at 400-460)."""
    start_method: Literal["spawn", "fork", "forkserver"] = "spawn"
    """How torch.multiprocessing starts the workers."""


@experiment(
    "a3c", kind="reinforcement", config=A3CConfig, seconds=16,
    claim="asynchronous advantage actor-critic: worker processes apply their actor-critic "
          "gradients to shared parameters without locks; it balances CartPole-v1",
    expects=judged_expects("500,000 steps"),
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"steps": 3000, "envs_per_worker": 2},
    notes="Asynchronous updates interleave differently on every run, so two runs with the "
          "same seed differ, and --resume goes on from the last checkpoint (taken after each "
          "fifth of the budget: shared parameters, Adam's moments, step count, episodes) without "
          "repeating the numbers of an uninterrupted run. Ctrl-C stops the workers cleanly.",
)
def run(cfg: A3CConfig, run: Run) -> Result:
    import time

    from nnzoo.registry import build
    from nnzoo.rl.a3c import A3C
    from nnzoo.training.agents import SOLVED_MEAN, judge_policy, train_until_solved
    from nnzoo.viz.rl import returns_figure

    start = time.time()
    agent = build(A3C, cfg, obs_dim=4, n_actions=2, rng=run.rng("agent"), hidden=cfg.hidden,
                  gamma=cfg.gamma, n_steps=cfg.n_steps, entropy_coef=cfg.entropy)
    # the workers run in chunks of a fifth of the budget (at least 20,000 steps), each
    # checkpointed with the shared agent (workers start afresh for each chunk, which costs
    # seconds: hence few chunks); each worker makes its own CartPole-v1s, and all stop as
    # soon as the task is solved
    at = train_until_solved(agent, "CartPole-v1", cfg.steps, run, "agent",
                            chunk=max(cfg.steps // 5, 20_000), solved=SOLVED_MEAN)
    # the shared network the workers leave, played greedily on new episodes
    judged = judge_policy(agent.greedy, "CartPole-v1", run.rng("judge"))
    seconds = run.elapsed_before + time.time() - start
    outcome, score = judged_words(at, judged)
    run.log(f"A3C, {cfg.workers} workers: {outcome}; {agent.t} steps, "
            f"{len(agent.history)} episodes, {seconds:.0f} s; {score} (min {judged.min():.0f})")
    run.save_figure(returns_figure({f"A3C (final policy judged {judged.mean():.0f})":
                                    agent.history}, "A3C on CartPole-v1", SOLVED_MEAN),
                    "returns")
    return Result(judged.mean() >= SOLVED_MEAN,
                  f"A3C: {outcome}; {score} ({seconds:.0f} s, {cfg.workers} workers)",
                  {"judged_mean": float(judged.mean()), "judged_min": float(judged.min()),
                   "solved_at": at, "steps": agent.t, "episodes": len(agent.history),
                   "seconds": seconds})
