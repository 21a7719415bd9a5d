"""double-q: Q-learning's maximisation bias, and double Q-learning's cure, on Sutton and
Barto's two-state example (Example 6.7, Figure 6.5).

From A, right ends the episode with reward 0; left leads to B, where each of 10 actions ends
it with reward ~ N(-0.1, 1). Left is worth -0.1, right 0: an epsilon-greedy learner that
knew it would choose left only when it explores and then picks left, epsilon/2 of the time.
Q-learning values B by max_b Q(B, b), the largest of ten noisy estimates, which is above 0
long before each of them has averaged its noise away, and so it goes left for most of its
first episodes. Double Q-learning selects B's best action with one table and values it with
the other, whose noise is independent:

    Q_A(s, a) <- Q_A(s, a) + eta [r + gamma Q_B(s', argmax_b Q_A(s', b)) - Q_A(s, a)]

(the tables swapping roles at random), and goes left far less often from the start. Both
learn with eta = 0.1, gamma = 1 and epsilon-greedy (0.1) exploration, double Q on the sum
of its two tables, ties broken at random; the fraction of left choices in each episode is
averaged over many independent runs, stepped side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run

LEARNERS = ("Q-learning", "double Q-learning")


@dataclass
class DoubleQConfig:
    runs: PositiveInt = 10_000
    """Independent runs of each learner, stepped side by side (the curves average them)."""
    episodes: PositiveInt = 300
    """Episodes of each run."""
    early: PositiveInt = 100
    """The claim compares the left choices over the first `early` episodes."""
    b_actions: PositiveInt = 10
    """Actions in B, each ending the episode with reward ~ N(-0.1, 1)."""
    lr: PositiveFloat = 0.1
    """Constant step size eta of both learners."""
    epsilon: UnitFloat = 0.1
    """Exploration: a uniformly random action with probability epsilon."""

    def __post_init__(self):
        from nnzoo.errors import UserError

        if self.early > self.episodes:
            raise UserError(f"expected --early at most --episodes ({self.episodes}), got "
                            f"{self.early}; lower --early")


@experiment(
    "double-q", kind="reinforcement", config=DoubleQConfig, seconds=4,
    claim="Q-learning's max_b Q(s', b) over noisy estimates is biased upwards: on Sutton and "
          "Barto's two-state example it prefers the worse action (left, to B), while double "
          "Q-learning, one table selecting argmax_b and the other evaluating it, chooses it "
          "far less often from the start",
    expects="averaged over 10,000 runs (eta 0.1, epsilon-greedy 0.1), over the first 100 "
            "episodes Q-learning goes left in A in at least 70% of them and double "
            "Q-learning in at most 25% (the best epsilon-greedy policy: epsilon/2 = 5%)",
    data="none: the two-state task is generated (nnzoo.rl.gridworld.MaximizationBias)",
    smoke={"runs": 200, "episodes": 30, "early": 30},
)
def run(cfg: DoubleQConfig, run: Run) -> Result:
    from nnzoo.rl.gridworld import MaximizationBias
    from nnzoo.rl.tabular import QLearners

    env = MaximizationBias(b_actions=cfg.b_actions)
    learners = run.parts(len(LEARNERS), label="learners", desc="learners")
    for i in learners:
        L = QLearners(cfg.runs, env.n_states, env.n_actions, double=i == 1, gamma=1.0,
                      lr=cfg.lr, epsilon=cfg.epsilon, valid=env.valid,
                      rng=run.rng("agent", LEARNERS[i]))
        L.fit(env, cfg.episodes)
        left = [float((a == env.LEFT).mean()) for a in L.first_actions_]  # per episode
        Q = L.Q_  # (runs, S, A)
        learners.done({"left": left, "q_left": float(Q[:, env.A, env.LEFT].mean()),
                       "q_b_max": float(Q[:, env.B, :cfg.b_actions].max(axis=1).mean())})
    q, dq = learners.results
    early = {name: sum(r["left"][:cfg.early]) / cfg.early for name, r in zip(LEARNERS, (q, dq))}
    for name, r in zip(LEARNERS, (q, dq)):
        run.log(f"{name}: left in {early[name]:.1%} of the first {cfg.early} episodes, peak "
                f"{max(r['left']):.1%}, last episode {r['left'][-1]:.1%}; mean Q(A, left) "
                f"{r['q_left']:.3f}, max_b Q(B, b) {r['q_b_max']:.3f} (true -0.1)")
    for e in range(cfg.episodes):
        run.log_metrics(e + 1, q_left=q["left"][e], double_left=dq["left"][e])
    run.save_figure(_left_figure(cfg, q["left"], dq["left"]), "left")
    ok = early[LEARNERS[0]] >= 0.70 and early[LEARNERS[1]] <= 0.25
    return Result(ok, f"left over the first {cfg.early} episodes: Q-learning "
                  f"{early[LEARNERS[0]]:.1%}, double Q-learning {early[LEARNERS[1]]:.1%} "
                  f"(optimal {cfg.epsilon / 2:.0%})",
                  {"q_left_early": early[LEARNERS[0]], "double_left_early": early[LEARNERS[1]],
                   "q_left_peak": max(q["left"]), "double_left_peak": max(dq["left"]),
                   "q_left_last": q["left"][-1], "double_left_last": dq["left"][-1]})


def _left_figure(cfg: DoubleQConfig, q_left: list[float], dq_left: list[float]):
    import numpy as np

    from nnzoo.viz import figure

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    episodes = np.arange(1, cfg.episodes + 1)
    ax.plot(episodes, 100 * np.array(q_left), color="tab:red", label=LEARNERS[0])
    ax.plot(episodes, 100 * np.array(dq_left), color="tab:green", label=LEARNERS[1])
    ax.axhline(100 * cfg.epsilon / 2, color="gray", ls="--", lw=1,
               label=f"optimal: epsilon/2 = {cfg.epsilon / 2:.0%}")
    ax.set(xlabel="episode", ylabel="% left actions from A", ylim=(0, 100),
           title=f"maximisation bias: mean of {cfg.runs:,} runs")
    ax.legend(fontsize=8)
    return fig
