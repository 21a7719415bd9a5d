"""td-gridworld: TD(0) learns the value of the optimal policy in Russell and Norvig's
stochastic 4x3 grid world."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import NonNegativeFloat, PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run


@dataclass
class TDGridworldConfig:
    slip: UnitFloat = 0.2
    """Probability that a move slips to one side (0.1 each way); 0 = deterministic world."""
    gamma: UnitFloat = 0.9
    """Discount factor gamma of the infinite discounted reward."""
    episodes: PositiveInt = 1_000_000
    """Episodes of the policy, each from a random start cell."""
    lr: PositiveFloat = 1.0
    """eta_0: the step size of a state's first update."""
    decay: NonNegativeFloat = 0.1
    """eta_n = eta_0 / (1 + decay n) after n updates of the state (0: eta stays eta_0)."""


@experiment(
    "td-gridworld", kind="reinforcement", config=TDGridworldConfig, seconds=22,
    claim="TD(0), V(s_t) <- V(s_t) + eta [r_t + gamma V(s_{t+1}) - V(s_t)], learns the value "
          "of the optimal policy in Russell and Norvig's stochastic 4x3 grid world",
    expects="every cell's V within 0.01 of the exact V* (value iteration)",
    smoke={"episodes": 2000},
)
def run(cfg: TDGridworldConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.registry import build
    from nnzoo.rl.gridworld import GridWorld, value_iteration
    from nnzoo.rl.tabular import TDZero

    env = GridWorld(slip=cfg.slip, random_start=True)
    n = env.observation_space.n
    V_star, _, pi = value_iteration(env.P, n, 4, cfg.gamma)  # the exact V* and a policy to follow
    free = ~env.terminal & ~env.wall
    td = build(TDZero, cfg, n_states=n, rng=run.rng("agent"))
    # TD(0) follows pi for the episodes, in 50 parts; after each, how far V is from V*
    chunk = max(cfg.episodes // 50, 1)
    parts = run.parts(-(-cfg.episodes // chunk), label="episodes", desc="episodes",
                      keep={"td": td})
    for i in parts:
        done = min((i + 1) * chunk, cfg.episodes)
        td.fit(env, pi, done - i * chunk)
        err = float(np.abs(td.V_ - V_star)[free].max())
        run.log_metrics(done, max_error=err)
        parts.done((done, err))
    curve = parts.results
    done, err = curve[-1]
    run.log(f"after {done} episodes ({int(td.visits_.sum())} updates): "
            f"max |V - V*| = {err:.4f}")
    run.save_figure(_td_figure(env, td.V_, V_star, curve), "values")
    return Result(err < 0.01, f"max |V - V*| = {err:.4f} over {int(free.sum())} cells",
                  {"max_error": err, "episodes": done, "updates": int(td.visits_.sum())})


def _td_figure(env, V, V_star, curve):
    from nnzoo.viz import figure
    from nnzoo.viz.rl import value_map

    fig, axes = figure(1, 3, size=3.4)
    labels = {s: c for s, c in enumerate(env.cells) if c in "GP"}  # goal and pit
    value_map(axes[0, 0], V, env.shape, "TD(0) estimate V", env.wall, labels)
    value_map(axes[0, 1], V_star, env.shape, "exact V* (value iteration)", env.wall, labels)
    ax = axes[0, 2]
    ax.semilogy(*zip(*curve))
    ax.axhline(0.01, color="gray", ls="--", lw=1)
    ax.set(xlabel="episodes", ylabel="max |V - V*|", title="convergence")
    return fig
