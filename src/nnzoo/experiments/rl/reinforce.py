"""reinforce: REINFORCE with a baseline learns to balance CartPole-v1 from its returns alone,
on most seeds.

Each seed's training stops at gymnasium's test (the mean return of 100 consecutive
training episodes reaches 475) or at the budget; the claim judges the policy it ends with,
played greedily on 100 new episodes from the stream ("judge", i), not the running mean of
training, which averages over the last ~12 updates' policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.rl.tasks import judged_expects
from nnzoo.runs import Result, Run


@dataclass
class ReinforceConfig:
    seeds: PositiveInt = 5
    """Independent runs (run i's agent draws from the run's stream ("agent", i))."""
    need: PositiveInt = 4
    """How many runs must solve CartPole-v1 for the claim."""
    steps: PositiveInt = 300_000
    """Budget of environment steps per run."""
    hidden: PositiveInt = 128
    """Units in the policy network's hidden layer."""
    lr: PositiveFloat = 1e-2
    """Adam's learning rate eta."""
    gamma: UnitFloat = 0.99
    """Discount of the rewards-to-go (--returns to-go)."""
    batch_episodes: PositiveInt = 8
    """Trials per update, run side by side."""
    baseline: bool = True
    """Subtract the baseline b = the batch's mean of R."""
    returns: Literal["to-go", "total"] = "to-go"
    """R_t: the discounted reward from step t on, or the course's r_total of the trial
    (either way R - b is divided by the standard deviation of R over the batch)."""


@experiment(
    "reinforce", kind="reinforcement", config=ReinforceConfig, seconds=29,
    claim="REINFORCE: Adam ascends sum_t (R_t - b) / sd(R) grad log pi(a_t|s_t), averaged "
          "over batches of 8 trials, with R_t the discounted reward-to-go "
          "sum_{i>=t} gamma^{i-t} r_i (gamma 0.99) and b, sd(R) the mean and standard "
          "deviation of R over the batch's steps (--returns total: the course's r_total in "
          "place of R_t); it learns to balance CartPole-v1 from its returns alone",
    expects="on at least 4 of 5 seeds, " + judged_expects("300,000 steps"),
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"seeds": 2, "need": 1, "steps": 2000, "hidden": 16},
)
def run(cfg: ReinforceConfig, run: Run) -> Result:
    from nnzoo.registry import build
    from nnzoo.rl.policy_gradient import REINFORCE, vector_env
    from nnzoo.training.agents import SOLVED_MEAN, judge_policy, train_until_solved
    from nnzoo.training.supervised import torch_threads
    from nnzoo.viz.rl import returns_figure

    seeds = run.parts(cfg.seeds, label="seeds", desc="seeds")
    with torch_threads(1):
        for i in seeds:  # each seed's agent learns until solved, in checkpointed chunks
            agent = build(REINFORCE, cfg, obs_dim=4, n_actions=2, rng=run.rng("agent", i))
            at = train_until_solved(agent, vector_env("CartPole-v1", cfg.batch_episodes),
                                    cfg.steps, run, "agent")
            judged = judge_policy(agent.greedy, "CartPole-v1", run.rng("judge", i))
            run.log(f"seed {i}: " + (f"training's mean of 100 reached {SOLVED_MEAN:g} at step "
                                      f"{at} ({len(agent.history)} episodes)" if at else
                                      f"training's mean of 100 never reached {SOLVED_MEAN:g} in "
                                      f"{agent.t} steps") + f"; the policy it ended with scores "
                    f"{judged.mean():.1f} on {len(judged)} new episodes (min {judged.min():.0f})")
            seeds.done({"solved_at": at, "judged": float(judged.mean()),
                        "judged_min": float(judged.min()), "history": [
                            {"step": h["step"], "return": h["return"]} for h in agent.history]})
    results = seeds.results
    run.save_figure(returns_figure({f"seed {i} (judged {r['judged']:.0f})": r["history"]
                                    for i, r in enumerate(results)},
                                   "REINFORCE on CartPole-v1", SOLVED_MEAN), "returns")
    n = sum(r["judged"] >= SOLVED_MEAN for r in results)
    return Result(n >= cfg.need, f"{n}/{cfg.seeds} seeds' final policies score >= "
                  f"{SOLVED_MEAN:g} on 100 new episodes (" + ", ".join(
                      f"{r['judged']:.1f}" for r in results) + ")",
                  {"solved": n, "seeds": cfg.seeds, "judged": [r["judged"] for r in results],
                   "judged_min": [r["judged_min"] for r in results],
                   "solved_at": [r["solved_at"] for r in results]})
