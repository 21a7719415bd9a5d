"""dqn: deep Q-learning balances CartPole-v1, and double Q tames its over-estimation.

The story here is also dqn-acrobot's and dqn-mountaincar's (`learn_task`): the task, its
target and budget, and the defaults of its options all come from `nnzoo.rl.tasks`."""

from __future__ import annotations

from nnzoo.experiments.rl._shared import CLAIM, KEPT, DQNConfig, task_expects
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run


@experiment(
    "dqn", kind="reinforcement", config=DQNConfig, seconds=53,
    claim=CLAIM + "balances CartPole-v1" + KEPT,
    expects=task_expects("dqn", "gymnasium's threshold"),
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"steps": 600, "hidden": 32, "learning_starts": 100, "train_freq": 50,
           "gradient_steps": 4, "eval_every": 300, "compare": True},
)
def run(cfg: DQNConfig, run: Run) -> Result:
    return learn_task(cfg, run, "dqn")


def learn_task(cfg: DQNConfig, run: Run, name: str) -> Result:
    """DQN (or double DQN) learns the task of the experiment `name`, evaluated greedily
    every eval_every steps; with --compare the other variant learns too, from the same
    initial weights. The claim: the weights of the asked-for variant's best evaluation
    (saved in the run's checkpoints/) reach the task's target as the mean return of
    JUDGE_EPISODES new episodes, from a stream ("judge") that training never drew from."""
    from nnzoo.rl.envs import make_env
    from nnzoo.rl.tasks import DQN_TASKS
    from nnzoo.training.agents import JUDGE_EPISODES, judge, train_dqn
    from nnzoo.training.supervised import torch_threads
    from nnzoo.viz.rl import dqn_figure

    task = DQN_TASKS[name]
    env, names = make_env(task.env_id), {False: "dqn", True: "double"}
    labels = {"dqn": "DQN", "double": "double DQN"}
    main = names[cfg.double]
    evals, judged, lines = {}, {}, []
    with torch_threads(1):  # the asked-for variant first, then with --compare the other
        for double in [cfg.double, not cfg.double] if cfg.compare else [cfg.double]:
            variant = names[double]
            agent = make_dqn(cfg, run, env, double)
            evals[variant], best = train_dqn(
                agent, env, run, steps=cfg.steps, eval_every=cfg.eval_every, gamma=cfg.gamma,
                label=variant, target=task.solved if cfg.stop_when_solved else None)
            returns = judge(agent, best.q, task.env_id, run.rng("judge", variant))
            judged[variant] = {"step": best.step, "eval_return": best.ret,
                               "mean": float(returns.mean()), "std": float(returns.std()),
                               "min": float(returns.min()), "episodes": len(returns)}
            lines.append(f"{labels[variant]}: the weights of step {best.step:,} (evaluation "
                         f"{best.ret:.1f}) score {returns.mean():.1f} on {JUDGE_EPISODES} new "
                         f"episodes (min {returns.min():.0f})")
    ceiling = task.r_max / (1 - cfg.gamma)  # no state is worth more than r_max every step
    for variant, ev in evals.items():
        q_end = ev[-1]["q_start"]
        run.log(f"{variant}: best evaluation {judged[variant]['eval_return']:.1f} at step "
                f"{judged[variant]['step']} (weights in checkpoints/best-{variant}.pt), final "
                f"{ev[-1]['return']:.1f} after {ev[-1]['step']} steps; final max_a Q(s_0, a) = "
                f"{q_end:.1f} against the true discounted return {ev[-1]['g_start']:.1f}"
                + (f" and the ceiling r_max/(1 - gamma) = {ceiling:.0f}: over-estimated"
                   if q_end > ceiling else ""))
    run.save_figure(dqn_figure(evals, judged, task.env_id, task.solved, ceiling), "learning")
    kept = judged[main]
    return Result(kept["mean"] >= task.solved, f"{task.env_id}: " + "; ".join(lines),
                  {"best_step": kept["step"], "best_eval_return": kept["eval_return"],
                   "judged_mean": kept["mean"], "judged_min": kept["min"],
                   "steps": evals[main][-1]["step"], "final_return": evals[main][-1]["return"],
                   **{f"{n}_judged_mean": j["mean"] for n, j in judged.items()},
                   **{f"{n}_final_q_start": ev[-1]["q_start"] for n, ev in evals.items()},
                   **{f"{n}_final_g_start": ev[-1]["g_start"] for n, ev in evals.items()}})


def make_dqn(cfg: DQNConfig, run: Run, env, double: bool):
    """The agent from the config: DQN's parameters of the same name, its two hidden layers
    of --hidden units, and rl-zoo's exploration, epsilon 1 -> final_epsilon over the first
    exploration_fraction of the budget. Both variants draw from the stream "agent": they
    start from the same weights."""
    from nnzoo.registry import build
    from nnzoo.rl.dqn import DQN
    from nnzoo.rl.exploration import LinearSchedule

    epsilon = LinearSchedule(1.0, cfg.final_epsilon, int(cfg.exploration_fraction * cfg.steps))
    return build(DQN, cfg, obs_dim=env.observation_space.shape[0],
                 n_actions=env.action_space.n, hidden=(cfg.hidden, cfg.hidden),
                 epsilon=epsilon, double=double, device=run.device, rng=run.rng("agent"))
