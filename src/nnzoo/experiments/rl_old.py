"""Reinforcement learning: TD(0), Q-learning, REINFORCE (CartPole and Pong from pixels), DQN
with replay and double Q, A2C, A3C.

Heavy imports (numpy, torch, gymnasium, matplotlib) happen inside the run functions, so
that `nnzoo list` and `nnzoo show` can read this file's configs without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from nnzoo.random import stream
from nnzoo.registry import (
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    UnitFloat,
    experiment,
    family,
)
from nnzoo.rl.tasks import DQN_TASKS
from nnzoo.runs import Result, Run

family("rl", "Reinforcement learning", position=4)


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Small networks on a CPU run fastest on one thread; the old setting comes back after."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


# --------------------------------------------------------------------------- td-gridworld
@dataclass
class TDGridworldConfig:
    slip: UnitFloat = 0.2
    """Probability that a move slips to one side (0.1 each way); 0 = deterministic world."""
    gamma: UnitFloat = 0.9
    """Discount factor gamma of the infinite discounted reward."""
    episodes: PositiveInt = 100_000
    """Episodes of the policy, each from a random start cell."""
    lr: PositiveFloat = 1.0
    """eta_0: the step size of a state's first update."""
    decay: NonNegativeFloat = 0.1
    """eta_n = eta_0 / (1 + decay n) after n updates of the state (0: eta stays eta_0)."""


def _grid_labels(env) -> dict[int, str]:
    return {s: c for s, c in enumerate(env.cells) if c in "GP"}


@experiment(
    "td-gridworld", family="rl", kind="reinforcement", config=TDGridworldConfig,
    claim="TD(0), V(s_t) <- V(s_t) + eta [r_t + gamma V(s_{t+1}) - V(s_t)], learns the value "
          "of the optimal policy in Russell and Norvig's stochastic 4x3 grid world",
    expects="every cell's V within 0.01 of the exact V* (value iteration)",
    smoke={"episodes": 2000},
)
def td_gridworld(cfg: TDGridworldConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.rl.gridworld import GridWorld, value_iteration
    from nnzoo.rl.tabular import TDZero

    env = GridWorld(slip=cfg.slip, random_start=True)
    n = env.observation_space.n
    V_star, _, pi = value_iteration(env.P, n, 4, cfg.gamma)
    free = ~env.terminal & ~env.wall
    td = TDZero(n, gamma=cfg.gamma, lr=cfg.lr, decay=cfg.decay, rng=stream(run.seed, "agent"))
    chunk = max(cfg.episodes // 50, 1)
    done, curve = 0, []
    for _ in run.progress(range(0, cfg.episodes, chunk), desc="episodes"):
        k = min(chunk, cfg.episodes - done)
        td.fit(env, pi, k)
        done += k
        err = float(np.abs(td.V_ - V_star)[free].max())
        curve.append((done, err))
        run.log_metrics(done, max_error=err)
    err = curve[-1][1]
    run.log(f"after {done} episodes ({int(td.visits_.sum())} updates): "
            f"max |V - V*| = {err:.4f}")
    run.save_figure(_td_figure(env, td.V_, V_star, curve), "values")
    return Result(err < 0.01, f"max |V - V*| = {err:.4f} over {int(free.sum())} cells",
                  {"max_error": err, "episodes": done, "updates": int(td.visits_.sum())})


def _td_figure(env, V, V_star, curve):
    from nnzoo.viz import figure
    from nnzoo.viz.rl import value_map

    fig, axes = figure(1, 3, size=3.4)
    labels = _grid_labels(env)
    value_map(axes[0, 0], V, env.shape, "TD(0) estimate V", env.wall, labels)
    value_map(axes[0, 1], V_star, env.shape, "exact V* (value iteration)", env.wall, labels)
    ax = axes[0, 2]
    ax.semilogy(*zip(*curve))
    ax.axhline(0.01, color="gray", ls="--", lw=1)
    ax.set(xlabel="episodes", ylabel="max |V - V*|", title="convergence")
    return fig


# --------------------------------------------------------------------------- q-learning
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
    "q-learning", family="rl", kind="reinforcement", config=QLearningConfig,
    claim="tabular Q-learning, Q(s_t, a_t) <- r_t + gamma max_b Q(s_{t+1}, b) and its "
          "stochastic form with eta, finds an optimal policy on CliffWalking, FrozenLake and "
          "Taxi",
    expects="the greedy policy's exact value equals V* from value iteration (within 1e-6) in "
            "every reachable state",
    data="gymnasium toy-text environments (installed with nnzoo)",
    smoke={"episodes": 30},
)
def q_learning(cfg: QLearningConfig, run: Run) -> Result:
    import gymnasium as gym
    import numpy as np

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
    ql = QLearning(S, A, gamma=cfg.gamma, lr=None if update == "deterministic" else cfg.lr,
                   decay=cfg.decay, explore=cfg.explore,
                   schedule=LinearSchedule(1.0, 0.05, episodes // 2), rng=stream(run.seed, "agent"))
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

    from nnzoo.viz import figure
    from nnzoo.viz.rl import learning_curve, policy_arrows

    u = env.unwrapped
    shape = (u.nrow, u.ncol) if hasattr(u, "nrow") else u.shape
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


# --------------------------------------------------------------------------- dqn
@dataclass
class DQNConfig:
    steps: PositiveInt = 50_000
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
    exploration_fraction: UnitFloat = 0.16
    """epsilon goes from 1 to its final value over this fraction of the budget."""
    final_epsilon: UnitFloat = 0.04
    """The final epsilon of epsilon-greedy."""
    loss: Literal["mse", "huber"] = "mse"
    """The course's squared TD error, or the Huber loss (linear beyond 1)."""
    eval_every: PositiveInt = 2000
    """Evaluate the greedy policy (10 episodes) about every this many steps."""
    stop_when_solved: bool = False
    """Stop at the first evaluation that reaches the target (500 on CartPole, where both
    variants use the whole budget by default: over-estimation shows once values have grown)."""


@dataclass
class DQNAcrobotConfig(DQNConfig):
    """rl-zoo's DQN hyper-parameters for Acrobot-v1."""

    steps: PositiveInt = 100_000
    compare: bool = False
    lr: PositiveFloat = 6.3e-4
    batch_size: PositiveInt = 128
    buffer_size: PositiveInt = 50_000
    learning_starts: NonNegativeInt = 0
    train_freq: PositiveInt = 4
    gradient_steps: PositiveInt = 4
    target_update: PositiveInt = 250
    exploration_fraction: UnitFloat = 0.12
    final_epsilon: UnitFloat = 0.1
    stop_when_solved: bool = True


@dataclass
class DQNMountainCarConfig(DQNConfig):
    """rl-zoo's DQN hyper-parameters for MountainCar-v0."""

    steps: PositiveInt = 120_000
    compare: bool = False
    lr: PositiveFloat = 4e-3
    gamma: UnitFloat = 0.98
    batch_size: PositiveInt = 128
    buffer_size: PositiveInt = 10_000
    train_freq: PositiveInt = 16
    gradient_steps: PositiveInt = 8
    target_update: PositiveInt = 600
    exploration_fraction: UnitFloat = 0.2
    final_epsilon: UnitFloat = 0.07
    stop_when_solved: bool = True


def make_dqn(cfg: DQNConfig, run: Run, double: bool, env):
    from nnzoo.rl.dqn import DQN
    from nnzoo.rl.exploration import LinearSchedule

    return DQN(env.observation_space.shape[0], env.action_space.n,
               hidden=(cfg.hidden, cfg.hidden), lr=cfg.lr, gamma=cfg.gamma,
               batch_size=cfg.batch_size, buffer_size=cfg.buffer_size,
               learning_starts=cfg.learning_starts, train_freq=cfg.train_freq,
               gradient_steps=cfg.gradient_steps, target_update=cfg.target_update,
               epsilon=LinearSchedule(1.0, cfg.final_epsilon,
                                      int(cfg.exploration_fraction * cfg.steps)),
               double=double, loss=cfg.loss, device=run.device,
               rng=stream(run.seed, "agent"))  # both variants start from the same weights


def train_dqn(agent, env, cfg: DQNConfig, run: Run, name: str, saved: dict,
              target: float) -> list[dict]:
    """Learn in `env` in parts of eval_every steps; after each, evaluate greedily (10
    episodes) and checkpoint. `saved` holds every agent's state and evaluations so far."""
    import numpy as np

    from nnzoo.rl.envs import evaluate

    env_id, evals = env.spec.id, saved.setdefault(f"{name}_evals", [])
    if f"{name}_agent" in saved:
        agent.load_state_dict(saved[f"{name}_agent"])
    bar = run.progress(total=cfg.steps, desc=name, initial=agent.t)
    while agent.t < cfg.steps and not (cfg.stop_when_solved and evals
                                       and evals[-1]["return"] >= target):
        before = agent.t
        episodes = agent.learn(env, min(cfg.eval_every, cfg.steps - agent.t))
        returns, discounted, first = evaluate(agent.greedy, env_id, 10,
                                              rng=stream(run.seed, "eval"), gamma=cfg.gamma)
        q_start = float(agent.q_values(first).max(axis=1).mean())
        evals.append({"step": agent.t, "return": float(returns.mean()),
                      "q_start": q_start, "g_start": float(discounted.mean()),
                      "train_return": float(np.mean([e["return"] for e in episodes]))})
        run.check_loss(episodes[-1].get("loss", 0.0), agent.t)
        run.log_metrics(agent.t, agent=name, **{k: v for k, v in evals[-1].items() if k != "step"})
        bar.update(agent.t - before)
        saved[f"{name}_agent"] = agent.state_dict()
        run.checkpoint(saved)
    bar.close()
    return evals


def run_dqn(cfg: DQNConfig, run: Run, task: str) -> Result:
    """Train DQN (or double DQN) on the task, and with `compare` the other one too."""
    t = DQN_TASKS[task]
    env_id, target, budget, r_max = t.env_id, t.solved, t.budget, t.r_max
    saved = run.restore() or {}
    from nnzoo.rl.envs import make_env

    env, names = make_env(env_id), {False: "dqn", True: "double"}
    main = names[cfg.double]
    with torch_threads(1):  # the asked-for variant first, then with `compare` the other
        evals = {names[d]: train_dqn(make_dqn(cfg, run, d, env), env, cfg, run, names[d], saved,
                                     target)
                 for d in ([cfg.double, not cfg.double] if cfg.compare else [cfg.double])}

    def reached(ev: list[dict]) -> int | None:  # the first evaluation at the target, if any
        return next((e["step"] for e in ev if e["return"] >= target), None)

    solved_at = reached(evals[main])
    ceiling = r_max / (1 - cfg.gamma)  # no state is worth more than r_max every step
    for name, ev in evals.items():
        q_end = ev[-1]["q_start"]
        run.log(f"{name}: best evaluation {max(e['return'] for e in ev):.1f}, final "
                f"{ev[-1]['return']:.1f} after {ev[-1]['step']} steps; final max_a Q(s_0, a) = "
                f"{q_end:.1f} against the true discounted return {ev[-1]['g_start']:.1f}"
                + (f" and the ceiling r_max/(1 - gamma) = {ceiling:.0f}: over-estimated"
                   if q_end > ceiling else ""))
    run.save_figure(_dqn_figure(evals, env_id, target, ceiling), "learning")
    labels = {"dqn": "DQN", "double": "double DQN"}
    headline = "; ".join(
        f"{labels[n]}: evaluation return {target:g} at step {reached(ev)}" if reached(ev) else
        f"{labels[n]}: evaluation return below {target:g} for {ev[-1]['step']} steps "
        f"(best {max(e['return'] for e in ev):.1f})" for n, ev in evals.items())
    return Result(solved_at is not None and solved_at <= budget, f"{env_id}: {headline}",
                  {"solved_at": solved_at, "steps": evals[main][-1]["step"],
                   "final_return": evals[main][-1]["return"],
                   **{f"{n}_final_q_start": ev[-1]["q_start"] for n, ev in evals.items()},
                   **{f"{n}_final_g_start": ev[-1]["g_start"] for n, ev in evals.items()}})


DQN_CLAIM = ("deep Q-learning with experience replay, epsilon-greedy and a target network, "
             "minimising [r + gamma max_b Q_wbar(s', b) - Q_w(s, a)]^2 (--double: "
             "Q_wbar(s', argmax_b Q_w(s', b))), ")


@experiment(
    "dqn", family="rl", kind="reinforcement", config=DQNConfig,
    claim=DQN_CLAIM + "balances CartPole-v1",
    expects="the greedy policy's evaluation return (mean of 10 episodes) reaches 500 within "
            "50,000 steps",
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"steps": 600, "hidden": 32, "learning_starts": 100, "train_freq": 50,
           "gradient_steps": 4, "eval_every": 300, "compare": True},
)
def dqn(cfg: DQNConfig, run: Run) -> Result:
    return run_dqn(cfg, run, "dqn")


@experiment(
    "dqn-acrobot", family="rl", kind="reinforcement", config=DQNAcrobotConfig,
    claim=DQN_CLAIM + "swings Acrobot-v1's lower link up to the line",
    expects="the greedy policy's evaluation return (mean of 10 episodes) reaches -100 "
            "(gymnasium's threshold) within 100,000 steps",
    data="gymnasium Acrobot-v1 (installed with nnzoo)",
    smoke={"steps": 600, "hidden": 32, "learning_starts": 100, "eval_every": 300},
)
def dqn_acrobot(cfg: DQNAcrobotConfig, run: Run) -> Result:
    return run_dqn(cfg, run, "dqn-acrobot")


@experiment(
    "dqn-mountaincar", family="rl", kind="reinforcement", config=DQNMountainCarConfig,
    claim=DQN_CLAIM + "drives MountainCar-v0's underpowered car up the hill",
    expects="the greedy policy's evaluation return (mean of 10 episodes) reaches -110 "
            "(gymnasium's threshold) within 120,000 steps",
    data="gymnasium MountainCar-v0 (installed with nnzoo)",
    smoke={"steps": 600, "hidden": 32, "learning_starts": 100, "eval_every": 300},
)
def dqn_mountaincar(cfg: DQNMountainCarConfig, run: Run) -> Result:
    return run_dqn(cfg, run, "dqn-mountaincar")


def _dqn_figure(evals, env_id: str, target: float, ceiling: float):
    from nnzoo.viz import figure
    from nnzoo.viz.rl import learning_curve

    fig, axes = figure(1, 2, size=4.2)
    for (name, ev), colour in zip(evals.items(), ["tab:blue", "tab:orange"]):
        steps = [e["step"] for e in ev]
        learning_curve(axes[0, 0], steps, [e["return"] for e in ev], label=f"{name} (greedy)",
                       xlabel="environment steps", target=target, color=colour)
        axes[0, 1].plot(steps, [e["q_start"] for e in ev], color=colour,
                        label=f"{name}: max_a Q(s_0, a)")
        axes[0, 1].plot(steps, [e["g_start"] for e in ev], color=colour, ls="--",
                        label=f"{name}: true discounted return")
    axes[0, 1].axhline(ceiling, color="gray", ls=":", lw=1.2,
                       label=f"r_max/(1-gamma) = {ceiling:.0f}: no state is worth more")
    axes[0, 0].set_title(f"evaluation return on {env_id}")
    axes[0, 0].legend(fontsize=8)
    axes[0, 1].set(title="over-estimation: value estimate vs truth at s_0",
                   xlabel="environment steps")
    axes[0, 1].legend(fontsize=7)
    for ax in axes[0]:  # 50k, not 50000
        ax.xaxis.set_major_formatter(lambda x, _: f"{x / 1000:g}k")
    return fig


# --------------------------------------------------------------------------- policy gradients
SOLVED_MEAN = 475.0  # gymnasium's CartPole-v1 threshold: mean return over 100 episodes


def solved_at(history: list[dict]) -> int | None:
    """The step at which the mean return of the last 100 episodes first reached 475."""
    import numpy as np

    returns = np.array([h["return"] for h in history])
    if len(returns) < 100:
        return None
    means = np.convolve(returns, np.ones(100) / 100, mode="valid")  # (episodes - 99,)
    hits = np.flatnonzero(means >= SOLVED_MEAN)
    return int(history[hits[0] + 99]["step"]) if len(hits) else None


def train_until_solved(agent, envs, steps: int, run: Run, saved: dict, key: str) -> int | None:
    """agent.learn in parts (20,000 steps, at most a quarter of the budget) until solved or
    `steps` are spent, with a checkpoint after each part (saved[key]: the agent's state)."""
    chunk = max(min(20_000, steps // 4), 1)
    bar = run.progress(total=steps, desc=key, initial=agent.t)
    while agent.t < steps and solved_at(agent.history) is None:
        before = agent.t
        agent.learn(envs, min(chunk, steps - agent.t))
        recent = [h["return"] for h in agent.history[-100:]]
        run.log_metrics(agent.t, run_key=key, mean_return_100=sum(recent) / len(recent))
        bar.update(agent.t - before)
        saved[key] = agent.state_dict()
        run.checkpoint(saved)
    bar.close()
    return solved_at(agent.history)


def _returns_figure(histories: dict[str, list[dict]], title: str):
    from nnzoo.viz import figure
    from nnzoo.viz.rl import learning_curve

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    for name, hist in histories.items():
        learning_curve(ax, [h["step"] for h in hist], [h["return"] for h in hist], label=name,
                       window=min(100, max(len(hist), 1)), xlabel="environment steps",
                       ylabel="return (mean of 100 episodes)")
    ax.axhline(SOLVED_MEAN, color="gray", ls="--", lw=1)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig


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
    """R_t: the discounted reward from step t on, or the course's r_total of the trial."""


@experiment(
    "reinforce", family="rl", kind="reinforcement", config=ReinforceConfig,
    claim="REINFORCE, theta <- theta + eta (r_total - b) grad log pi(a_t|s_t), with a "
          "baseline, learns to balance CartPole-v1 from its returns alone",
    expects="mean return >= 475 over 100 consecutive episodes on at least 4 of 5 seeds "
            "within 300,000 steps each",
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"seeds": 2, "need": 1, "steps": 2000, "hidden": 16},
)
def reinforce(cfg: ReinforceConfig, run: Run) -> Result:
    import time

    from nnzoo.rl.policy_gradient import REINFORCE, vector_env

    saved = run.restore() or {}
    results = saved.setdefault("results", [])
    histories = {}
    with torch_threads(1):
        for i in range(len(results), cfg.seeds):
            start = time.time()
            agent = REINFORCE(4, 2, hidden=cfg.hidden, lr=cfg.lr, gamma=cfg.gamma,
                              batch_episodes=cfg.batch_episodes, baseline=cfg.baseline,
                              returns=cfg.returns, rng=stream(run.seed, "agent", i))
            if "agent" in saved:
                agent.load_state_dict(saved.pop("agent"))
            at = train_until_solved(agent, vector_env("CartPole-v1", cfg.batch_episodes),
                                    cfg.steps, run, saved, "agent")
            results.append({"solved_at": at, "episodes": len(agent.history),
                            "seconds": time.time() - start,
                            "history": [{"step": h["step"], "return": h["return"]}
                                        for h in agent.history]})
            saved.pop("agent", None)
            run.checkpoint(saved)
            run.log(f"seed {i}: " + (f"solved at step {at} ({len(agent.history)} episodes)"
                                      if at else f"not solved in {agent.t} steps"))
    for i, r in enumerate(results):
        histories[f"seed {i}"] = r["history"]
    run.save_figure(_returns_figure(histories, "REINFORCE on CartPole-v1"), "returns")
    n = sum(r["solved_at"] is not None for r in results)
    steps = [r["solved_at"] for r in results if r["solved_at"]]
    return Result(n >= cfg.need, f"{n}/{cfg.seeds} seeds solved CartPole-v1"
                  + (f" (median {sorted(steps)[len(steps) // 2]} steps)" if steps else ""),
                  {"solved": n, "seeds": cfg.seeds, "solved_at": [r["solved_at"] for r in results]})

# --------------------------------------------------------------------------- pong-reinforce
@dataclass
class PongReinforceConfig:
    episodes: PositiveInt = 10_000
    """Episodes (games to 21) to play; the full run takes many hours."""
    hidden: PositiveInt = 200
    """ReLU units in the policy network's hidden layer."""
    lr: PositiveFloat = 1e-4
    """RMSProp's learning rate eta (Karpathy's)."""
    gamma: UnitFloat = 0.99
    """Discount of the rewards, the sum restarting at each point (reward != 0)."""
    batch: PositiveInt = 10
    """Episodes per update, played side by side."""
    max_steps: NonNegativeInt = 0
    """Cut each episode after this many steps (0: play every game to 21)."""
    window: PositiveInt = 100
    """Episodes in the running mean of the return."""
    need: PositiveFloat = 10.0
    """How many points the running mean must rise from its first value for the claim."""


@experiment(
    "pong-reinforce", family="rl", kind="reinforcement", config=PongReinforceConfig,
    claim="REINFORCE from raw pixels (Karpathy's Pong from pixels): a 6400-200-1 policy "
          "network on the difference of two preprocessed frames, returns discounted within "
          "each point and standardised, RMSProp, learns to return the ball in Atari Pong",
    expects="the running mean return (over 100 episodes) rises at least 10 points from its "
            "first value (about -21) within 10,000 episodes",
    data="Atari Pong, ALE/Pong-v5 (ale-py, installed with nnzoo, bundles the game)",
    smoke={"episodes": 4, "batch": 2, "max_steps": 150, "hidden": 8, "window": 2},
    notes="the full run needs a GPU and many hours (tens of thousands of episodes; Karpathy's "
          "took three nights on a CPU): run it alone with `nnzoo run pong-reinforce`, stop it "
          "at will and continue with `nnzoo run --resume RUN_DIR`. A resumed run restarts at "
          "its last finished batch and, as the games are re-seeded at every batch, ends with "
          "the same numbers as one never stopped.",
    tour=False,
)
def pong_reinforce(cfg: PongReinforceConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.rl.policy_gradient import REINFORCE
    from nnzoo.rl.pong import SIZE, PongPolicy, pong_envs

    with torch_threads(1 if run.device.type == "cpu" else 4):
        agent = REINFORCE(SIZE * SIZE, 2, gamma=cfg.gamma, lr=cfg.lr, batch_episodes=cfg.batch,
                          policy=PongPolicy(cfg.hidden, rng=stream(run.seed, "init")),
                          optimizer="rmsprop", reset=True, device=run.device,
                          rng=stream(run.seed, "agent"))
        saved = run.restore() or {}
        if saved:
            agent.load_state_dict(saved["agent"])
        sample = saved.get("sample")  # (80, 80) tensor: a difference frame, for the picture
        envs = pong_envs(cfg.batch, cfg.max_steps)
        bar = run.progress(total=cfg.episodes, desc="episodes", initial=len(agent.history))
        while len(agent.history) < cfg.episodes:
            trials, new = agent.learn_batch(envs)
            loss = run.check_loss(new[0]["loss"], len(agent.history))
            if sample is None:  # a frame with the most motion in it, for the picture
                obs = trials[0]["obs"]
                sample = obs[int((obs != 0).sum(1).argmax())].reshape(SIZE, SIZE).clone()
            returns = [h["return"] for h in agent.history]
            mean = float(np.mean(returns[-cfg.window:]))
            run.log_metrics(len(agent.history), running_mean=mean, loss=loss)
            bar.update(len(trials))
            run.checkpoint({"agent": agent.state_dict(), "sample": sample})
        envs.close()
    returns = [h["return"] for h in agent.history]
    curve = [float(np.mean(returns[max(0, i + 1 - cfg.window):i + 1]))
             for i in range(len(returns))]
    first = float(np.mean(returns[:cfg.window]))
    last = float(np.mean(returns[-cfg.window:]))
    run.log(f"{len(returns)} episodes, {agent.t} steps: running mean of the return "
            f"{first:.1f} -> {last:.1f}")
    W1 = agent.policy.input_weights().detach().cpu().numpy()
    run.save_figure(_pong_curve(curve, cfg.window), "returns")
    run.save_figure(_pong_pictures(sample.numpy(), W1, SIZE), "pixels_and_weights")
    rise = last - first
    return Result(rise >= cfg.need,
                  f"running mean return {first:.1f} -> {last:.1f} ({rise:+.1f}) "
                  f"over {len(returns)} episodes",
                  {"first_mean": first, "last_mean": last, "rise": rise,
                   "episodes": len(returns), "steps": agent.t})


def _pong_curve(curve, window):
    from nnzoo.viz import figure

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    ax.plot(range(1, len(curve) + 1), curve)
    ax.axhline(0, color="gray", ls="--", lw=1)
    ax.set(xlabel="episode", ylabel=f"return (mean of the last {window} episodes)",
           title="REINFORCE on Pong from pixels")
    return fig


def _pong_pictures(sample, W1, size):
    from nnzoo.viz.images import image_grid

    k = min(len(W1), 7)
    return image_grid([sample] + [w.reshape(size, size) for w in W1[:k]],
                      ["input: frame difference"] + [f"unit {i} weights" for i in range(k)],
                      ncols=4, symmetric=True, size=2.2,
                      title="what the network sees (80x80), and its first-layer weights")


@dataclass
class A2CConfig:
    steps: PositiveInt = 500_000
    """Budget of environment steps (all environments together)."""
    envs: PositiveInt = 8
    """Environments stepped side by side."""
    n_steps: PositiveInt = 5
    """n of the n-step estimate of Q."""
    hidden: PositiveInt = 64
    """Units in each of the two hidden layers of the policy and of the value network."""
    lr: PositiveFloat = 7e-4
    """Adam's learning rate."""
    gamma: UnitFloat = 0.99
    """Discount factor gamma."""
    entropy: NonNegativeFloat = 0.0
    """Weight of the entropy bonus (rl-zoo's CartPole value, 0: at 0.01 one seed in three
    hovered at 400-450 for 500,000 steps)."""


@experiment(
    "a2c", family="rl", kind="reinforcement", config=A2CConfig,
    claim="advantage actor-critic: n-step Q(s_t, a_t) minus a learned V_u(s_t) weighs "
          "grad log pi; V_u learns by minimising [Q - V_u]^2; it balances CartPole-v1",
    expects="mean return >= 475 over 100 consecutive episodes within 500,000 steps",
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"steps": 2000, "envs": 4},
)
def a2c(cfg: A2CConfig, run: Run) -> Result:
    import time

    from nnzoo.rl.a2c import A2C
    from nnzoo.rl.policy_gradient import vector_env

    saved = run.restore() or {}
    start = time.time()
    with torch_threads(1):
        agent = A2C(4, 2, hidden=cfg.hidden, lr=cfg.lr, gamma=cfg.gamma, n_steps=cfg.n_steps,
                    entropy_coef=cfg.entropy, rng=stream(run.seed, "agent"))
        envs = vector_env("CartPole-v1", cfg.envs)
        if "agent" in saved:
            agent.load_state_dict(saved["agent"])
        at = train_until_solved(agent, envs, cfg.steps, run, saved, "agent")
    seconds = run.elapsed_before + time.time() - start
    run.log(f"A2C: {'solved at step ' + str(at) if at else 'not solved'}; "
            f"{agent.t} steps, {len(agent.history)} episodes, {seconds:.0f} s")
    run.save_figure(_returns_figure({"A2C": agent.history}, "A2C on CartPole-v1"), "returns")
    return Result(at is not None, f"A2C: {'solved at step ' + str(at) if at else 'not solved'}"
                  f" ({seconds:.0f} s)", {"solved_at": at, "steps": agent.t,
                                           "episodes": len(agent.history)})


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
    "a3c", family="rl", kind="reinforcement", config=A3CConfig,
    claim="asynchronous advantage actor-critic: worker processes apply their actor-critic "
          "gradients to shared parameters without locks; it balances CartPole-v1",
    expects="mean return >= 475 over 100 consecutive episodes within 500,000 steps",
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"steps": 3000, "envs_per_worker": 2},
    notes="Asynchronous updates interleave differently on every run, so two runs with the "
          "same seed differ, and --resume goes on from the last checkpoint (shared "
          "parameters, Adam's moments, step count, episodes) without repeating the numbers "
          "of an uninterrupted run. Ctrl-C stops the workers cleanly.",
)
def a3c(cfg: A3CConfig, run: Run) -> Result:
    import time

    from nnzoo.rl.a3c import A3C

    saved = run.restore() or {}
    start = time.time()
    agent = A3C(4, 2, workers=cfg.workers, envs_per_worker=cfg.envs_per_worker, lr=cfg.lr,
                rng=stream(run.seed, "agent"), start_method=cfg.start_method, hidden=cfg.hidden,
                gamma=cfg.gamma, n_steps=cfg.n_steps, entropy_coef=cfg.entropy)
    if "agent" in saved:
        agent.load_state_dict(saved["agent"])
    bar = run.progress(total=cfg.steps, desc="a3c", initial=agent.t)
    last = {"checkpoint": agent.t, "bar": agent.t}

    def watch(episode: dict) -> None:  # called in the main process for each finished episode
        bar.update(episode["step"] - last["bar"])
        last["bar"] = episode["step"]
        if episode["step"] - last["checkpoint"] >= 20_000:
            last["checkpoint"] = episode["step"]
            recent = [h["return"] for h in agent.history[-100:]]
            run.log_metrics(episode["step"], mean_return_100=sum(recent) / len(recent))
            agent.t = episode["step"]
            run.checkpoint({"agent": agent.state_dict()})

    if solved_at(agent.history) is None and agent.t < cfg.steps:
        agent.learn("CartPole-v1", cfg.steps - agent.t, solved=SOLVED_MEAN, on_episode=watch)
    bar.close()
    run.checkpoint({"agent": agent.state_dict()})
    at = solved_at(agent.history)
    seconds = run.elapsed_before + time.time() - start
    run.log(f"A3C, {cfg.workers} workers: {'solved at step ' + str(at) if at else 'not solved'}"
            f"; {agent.t} steps, {len(agent.history)} episodes, {seconds:.0f} s")
    run.save_figure(_returns_figure({"A3C": agent.history}, "A3C on CartPole-v1"), "returns")
    return Result(at is not None, f"A3C: {'solved at step ' + str(at) if at else 'not solved'}"
                  f" ({seconds:.0f} s, {cfg.workers} workers)",
                  {"solved_at": at, "steps": agent.t, "episodes": len(agent.history),
                   "seconds": seconds})
