"""q-learning: tabular Q-learning, deterministic and stochastic, finds an optimal policy on
gymnasium's toy-text worlds (CliffWalking, FrozenLake, Taxi)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.registry import NonNegativeFloat, NonNegativeInt, PositiveFloat, UnitFloat, experiment
from nnzoo.runs import Result, Run

TOY_TEXT = {  # --env -> (gymnasium id, marks in the env's action order, episodes, update)
    "cliffwalking": ("CliffWalking-v1", "↑→↓←", 500, "deterministic"),
    "frozenlake": ("FrozenLake-v1", "←↓→↑", 10_000, "stochastic"),
    "taxi": ("Taxi-v4", "↓↑→←PD", 10_000, "deterministic"),  # P pick up, D drop off
}


@dataclass
class QLearningConfig:
    env: Literal["cliffwalking", "frozenlake", "taxi"] = "cliffwalking"
    """The world: CliffWalking-v1 (deterministic), FrozenLake-v1 (slippery 4x4) or Taxi-v4
    (deterministic, 500 states: where the taxi, the passenger and the destination are)."""
    update: Literal["auto", "deterministic", "stochastic"] = "auto"
    """Q <- r + gamma max Q (deterministic) or Q <- Q + eta [...] (stochastic); auto picks
    the one the environment needs."""
    gamma: UnitFloat = 0.95
    """Discount factor gamma."""
    episodes: NonNegativeInt = 0
    """Training episodes; 0 = the environment's default (500 CliffWalking, 10,000 FrozenLake
    and Taxi)."""
    lr: PositiveFloat = 0.5
    """eta_0 of the stochastic update; eta_n = eta_0 / (1 + decay n) after n updates of (s, a)."""
    decay: NonNegativeFloat = 0.01
    """Step-size decay of the stochastic update."""
    explore: Literal["epsilon", "softmax"] = "epsilon"
    """epsilon-greedy (epsilon 1 -> 0.05) or softmax (temperature 1 -> 0.05) over the first
    half of the episodes."""


@experiment(
    "q-learning", kind="reinforcement", config=QLearningConfig, seconds=1,
    claim="tabular Q-learning, Q(s_t, a_t) <- r_t + gamma max_b Q(s_{t+1}, b) and its "
          "stochastic form with eta, finds an optimal policy on a gymnasium toy-text world: "
          "CliffWalking by default, FrozenLake (slippery) and Taxi with --env",
    expects="on the --env world, the greedy policy's exact value equals V* from value "
            "iteration (within 1e-6) in every reachable state",
    data="gymnasium toy-text environments (installed with nnzoo)",
    smoke={"episodes": 30},
)
def run(cfg: QLearningConfig, run: Run) -> Result:
    import gymnasium as gym
    import numpy as np

    from nnzoo.registry import build
    from nnzoo.rl.exploration import LinearSchedule
    from nnzoo.rl.gridworld import policy_values, reachable_states, terminal_states, value_iteration
    from nnzoo.rl.tabular import QLearning

    env_id, marks, default_episodes, default_update = TOY_TEXT[cfg.env]
    env = gym.make(env_id)
    P, S, A = env.unwrapped.P, env.observation_space.n, env.action_space.n
    starts = np.flatnonzero(env.unwrapped.initial_state_distrib)  # where episodes begin
    update = default_update if cfg.update == "auto" else cfg.update
    episodes = cfg.episodes or default_episodes
    V_star, _, _ = value_iteration(P, S, A, cfg.gamma)
    # exploration (epsilon or the temperature) goes from 1 to 0.05 over the first half
    ql = build(QLearning, cfg, n_states=S, n_actions=A,
               lr=None if update == "deterministic" else cfg.lr,
               schedule=LinearSchedule(1.0, 0.05, episodes // 2), rng=run.rng("agent"))
    ql.fit(env, episodes)
    for e in range(0, episodes, max(episodes // 100, 1)):
        run.log_metrics(e + 1, episode_return=ql.returns_[e])
    V_pi = policy_values(P, S, A, cfg.gamma, ql.policy_)
    check = sorted(set().union(*(reachable_states(P, int(s)) for s in starts))
                   - terminal_states(P))
    gap = float(np.abs(V_pi - V_star)[check].max())
    optimal = gap < 1e-6
    where = "V(start)" if len(starts) == 1 else f"mean V over the {len(starts)} start states"
    V_start, V_star_start = float(V_pi[starts].mean()), float(V_star[starts].mean())
    run.log(f"{env_id}, {update} update, {episodes} episodes: greedy policy's {where} = "
            f"{V_start:.4f}, V* = {V_star_start:.4f}; largest gap {gap:.2e} over "
            f"{len(check)} states")
    figure = _taxi_figure if cfg.env == "taxi" else _q_figure
    run.save_figure(figure(env, ql, V_star, marks, check, episodes), "policy")
    return Result(optimal, f"{env_id}: greedy policy {'optimal' if optimal else 'NOT optimal'} "
                  f"(max |V^pi - V*| = {gap:.1e} over {len(check)} states)",
                  {"max_gap": gap, "optimal": optimal, "episodes": episodes, "update": update,
                   "V_start": V_start, "V_star_start": V_star_start})


def _q_figure(env, ql, V_star, arrows, check, episodes):
    import numpy as np

    from nnzoo.rl.envs import grid_shape
    from nnzoo.viz import figure
    from nnzoo.viz.rl import learning_curve, policy_arrows

    shape = grid_shape(env)
    fig, axes = figure(1, 2, size=4.2)
    marks = [arrows[a] if s in check else "" for s, a in enumerate(ql.policy_)]
    policy_arrows(axes[0, 0], marks, shape, "greedy policy argmax_a Q(s, a) over V*",
                  shade=np.where(np.isin(np.arange(len(V_star)), check), V_star, np.nan))
    learning_curve(axes[0, 1], np.arange(1, episodes + 1), ql.returns_,
                   window=max(episodes // 50, 1), label="return (running mean)")
    axes[0, 1].set_title("learning curve")
    return fig


def _taxi_figure(env, ql, V_star, marks, check, episodes):
    """The greedy policy on Taxi's 5x5 map for one trip (passenger at Y, destination G):
    before the pick-up and with the passenger on board; the walls drawn as on the map."""
    import numpy as np

    from nnzoo.viz import figure
    from nnzoo.viz.rl import learning_curve, policy_arrows

    u = env.unwrapped
    Y, G, in_taxi = 2, 1, 4  # passenger locations R, G, Y, B = 0..3, 4 = in the taxi
    # the map has a border and a column between cells (':' or a wall '|')
    R, C = u.desc.shape[0] - 2, (u.desc.shape[1] - 1) // 2
    fig, axes = figure(1, 3, size=3.8)
    for ax, passenger, title in ((axes[0, 0], Y, "to Y, pick up (P)"),
                                 (axes[0, 1], in_taxi, "on board, to G, drop off (D)")):
        states = [u.encode(r, c, passenger, G) for r in range(R) for c in range(C)]
        actions = ql.policy_[states]
        arrows = [marks[a] if a < 4 else "" for a in actions]
        labels = {i: marks[a] for i, a in enumerate(actions) if a >= 4}
        policy_arrows(ax, arrows, (R, C), f"greedy policy: {title}", labels=labels,
                      shade=V_star[states])
        for (r, c), name in zip(u.locs, "RGYB"):
            ax.text(c - 0.42, r - 0.3, name, fontsize=7, color="tab:red")
        for r in range(R):  # walls between cells: '|' in the map's row r + 1
            for c in range(C - 1):
                if u.desc[r + 1, 2 * c + 2] == b"|":
                    ax.plot([c + 0.5, c + 0.5], [r - 0.5, r + 0.5], color="k", lw=3)
    learning_curve(axes[0, 2], np.arange(1, episodes + 1), ql.returns_,
                   window=max(episodes // 50, 1), label="return (running mean)")
    axes[0, 2].set_title("learning curve")
    return fig
