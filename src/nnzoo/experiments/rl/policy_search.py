"""policy-search: three ways to learn a policy for CartPole-v1 at the same budget of
episodes: hill climbing and an evolutionary strategy, which search the network's parameters
with random perturbations and the returns alone, and REINFORCE, which follows the gradient
of the log-probabilities of its actions.

All three use the same network (REINFORCE's tanh MLP, 4 -> hidden -> 2 logits). Hill
climbing and the evolutionary strategy act greedily (argmax of the logits), REINFORCE samples
its actions from the softmax. Their updates (`nnzoo.rl.policy_search`, equations there):

    hill climbing   theta' = theta + sigma eps; keep it if F(theta') >= F_best
    ES              theta <- theta + alpha / (n sigma) sum_i A_i eps_i, A_i standardised F_i
    REINFORCE       theta <- theta + eta (R_t - b) grad log pi(a_t|s_t)

Every episode any of them runs counts against the budget, and the curves are the returns
of those episodes (the perturbed policies' for hill climbing and ES).
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

METHODS = ("hill climbing", "evolutionary strategy", "REINFORCE")


@dataclass
class PolicySearchConfig:
    episodes: PositiveInt = 1000
    """Budget of episodes of each method."""
    hidden: PositiveInt = 16
    """Units in the policy network's hidden layer (all three methods)."""
    hc_sigma: PositiveFloat = 0.5
    """Hill climbing's step size sigma: theta' = theta + sigma eps."""
    hc_episodes: PositiveInt = 4
    """Episodes averaged into hill climbing's fitness F(theta')."""
    es_sigma: PositiveFloat = 0.1
    """The evolutionary strategy's perturbation size sigma."""
    es_population: PositiveInt = 10
    """The evolutionary strategy's population n (one episode each per generation)."""
    es_lr: PositiveFloat = 0.2
    """The evolutionary strategy's step size alpha."""
    lr: PositiveFloat = 1e-2
    """REINFORCE's learning rate eta (Adam), 8 episodes per update."""


@experiment(
    "policy-search", kind="reinforcement", config=PolicySearchConfig, seconds=23,
    claim="hill climbing and an evolutionary strategy search a policy network's parameters "
          "by random perturbations, judged by returns alone; on CartPole-v1, at the same "
          "budget of episodes, REINFORCE's gradient reaches a mean return of 475 first",
    expects="within 1000 episodes each, REINFORCE's mean return over 100 consecutive "
            "episodes reaches 475, and before hill climbing's and the evolutionary "
            "strategy's do (if they do at all)",
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"episodes": 40, "hidden": 8, "es_population": 4},
)
def run(cfg: PolicySearchConfig, run: Run) -> Result:
    from nnzoo.rl.policy_gradient import REINFORCE, vector_env
    from nnzoo.rl.policy_search import EvolutionStrategy, HillClimbing
    from nnzoo.rl.training import SOLVED_MEAN, solved_at
    from nnzoo.train import torch_threads

    env_id = "CartPole-v1"
    methods = run.parts(len(METHODS), label="methods", desc="methods")
    with torch_threads(1):
        for i in methods:
            rng = run.rng("agent", METHODS[i])
            if i == 0:
                agent = HillClimbing(4, 2, hidden=cfg.hidden, sigma=cfg.hc_sigma,
                                     episodes=cfg.hc_episodes, rng=rng)
                agent.learn(env_id, cfg.episodes)
            elif i == 1:
                agent = EvolutionStrategy(4, 2, hidden=cfg.hidden, sigma=cfg.es_sigma,
                                          population=cfg.es_population, lr=cfg.es_lr, rng=rng)
                agent.learn(env_id, cfg.episodes)
            else:
                agent = REINFORCE(4, 2, hidden=cfg.hidden, lr=cfg.lr, rng=rng)
                envs = vector_env(env_id, agent.batch_episodes)
                while len(agent.history) < cfg.episodes:
                    _, new = agent.learn_batch(envs)
                    run.check_loss(new[-1]["loss"], agent.t)  # every update's loss
            returns = [h["return"] for h in agent.history[:cfg.episodes]]
            history = [{"step": e + 1, "return": r} for e, r in enumerate(returns)]
            at = solved_at(history, SOLVED_MEAN)  # episodes to a mean of 475 over 100
            last = sum(returns[-100:]) / len(returns[-100:])
            run.log(f"{METHODS[i]}: mean return of the last 100 of {cfg.episodes} episodes "
                    f"{last:.0f}; " + (f"mean of 100 reached {SOLVED_MEAN:.0f} at episode {at}"
                                      if at else f"never a mean of {SOLVED_MEAN:.0f} over 100"))
            methods.done({"returns": returns, "solved_at": at, "last100": last})
    results = dict(zip(METHODS, methods.results))
    run.save_figure(_returns_figure(results, SOLVED_MEAN), "returns")
    hc, es, rf = (results[m] for m in METHODS)
    first = rf["solved_at"] is not None and all(
        r["solved_at"] is None or r["solved_at"] > rf["solved_at"] for r in (hc, es))
    ok = first
    metrics = {f"{k}_{m.split()[0].lower()}": results[m][v] for m in METHODS
               for k, v in (("solved_at", "solved_at"), ("last100", "last100"))}
    return Result(ok, ", ".join(f"{m}: last 100 mean {r['last100']:.0f}"
                                + (f", 475 at episode {r['solved_at']}" if r["solved_at"] else "")
                                for m, r in results.items()), metrics)


def _returns_figure(results: dict[str, dict], target: float):
    import numpy as np

    from nnzoo.viz import figure
    from nnzoo.viz.rl import learning_curve

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    for name, r in results.items():
        y = r["returns"]
        learning_curve(ax, np.arange(1, len(y) + 1), y, label=name, window=min(100, len(y)),
                       ylabel="return (mean of the last 100 episodes)")
    ax.axhline(target, color="gray", ls="--", lw=1, label=f"{target:.0f}: solved")
    ax.set_title("CartPole-v1: return against episodes")
    ax.legend(fontsize=8)
    return fig
