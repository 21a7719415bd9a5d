"""reinforce: REINFORCE with a baseline learns to balance CartPole-v1 from its returns alone,
on most seeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment
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
    expects="mean return >= 475 over 100 consecutive episodes on at least 4 of 5 seeds "
            "within 300,000 steps each",
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"seeds": 2, "need": 1, "steps": 2000, "hidden": 16},
)
def run(cfg: ReinforceConfig, run: Run) -> Result:
    from nnzoo.registry import build
    from nnzoo.rl.policy_gradient import REINFORCE, vector_env
    from nnzoo.rl.training import SOLVED_MEAN, train_until_solved
    from nnzoo.train import torch_threads
    from nnzoo.viz.rl import returns_figure

    seeds = run.parts(cfg.seeds, label="seeds", desc="seeds")
    with torch_threads(1):
        for i in seeds:  # each seed's agent learns until solved, in checkpointed chunks
            agent = build(REINFORCE, cfg, obs_dim=4, n_actions=2, rng=run.rng("agent", i))
            at = train_until_solved(agent, vector_env("CartPole-v1", cfg.batch_episodes),
                                    cfg.steps, run, "agent")
            run.log(f"seed {i}: " + (f"solved at step {at} ({len(agent.history)} episodes)"
                                      if at else f"not solved in {agent.t} steps"))
            seeds.done({"solved_at": at, "history": [
                {"step": h["step"], "return": h["return"]} for h in agent.history]})
    results = seeds.results
    run.save_figure(returns_figure({f"seed {i}": r["history"] for i, r in enumerate(results)},
                                   "REINFORCE on CartPole-v1", SOLVED_MEAN), "returns")
    n = sum(r["solved_at"] is not None for r in results)
    steps = [r["solved_at"] for r in results if r["solved_at"]]
    return Result(n >= cfg.need, f"{n}/{cfg.seeds} seeds solved CartPole-v1"
                  + (f" (median {sorted(steps)[len(steps) // 2]} steps)" if steps else ""),
                  {"solved": n, "seeds": cfg.seeds,
                   "solved_at": [r["solved_at"] for r in results]})
