"""policy-search: three ways to learn a policy for CartPole-v1 at the same budget of
episodes: hill climbing and an evolutionary strategy, which search the network's parameters
with random perturbations and the returns alone, and REINFORCE, which follows the gradient
of the log-probabilities of its actions.

All three use the same network (REINFORCE's tanh MLP, 4 -> hidden -> 2 logits). Hill
climbing and the evolutionary strategy act greedily (argmax of the logits), REINFORCE samples
its actions from the softmax. Their updates (`nnzoo.rl.policy_search`, equations there):

    hill climbing   theta' = theta + sigma eps; keep it if F(theta') >= F_best, the mean
                    of every measurement of F(theta) (measured again beside each theta')
    ES              theta <- theta + alpha / (n sigma) sum_i A_i eps_i, A_i standardised F_i
    REINFORCE       theta <- theta + eta (R_t - b) grad log pi(a_t|s_t)

Every episode any of them runs counts against the budget, and the curves are the returns
of those episodes (the perturbed policies' for hill climbing and ES, and hill climbing's
measurements of its incumbent).

The claim judges the policy each method ends with (hill climbing's incumbent, ES's mean
theta, REINFORCE's network), played greedily on 100 new episodes from a stream of its
own, against a random policy (actions uniformly at random) measured the same way:
REINFORCE must keep the pole up (a mean return of at least 300 of 500) after its training's
mean return over 100 episodes reached 475 before the searches' did, and the two searches must
each have learned something (at least 1.5 times the random policy's mean return; broken, its
step theta + alpha/(n sigma) sum_i A_i eps_i with the sign flipped, ES ends at seed 0 with
the initial network's 9 against the random policy's 22). At seeds 0-9 (the notes) REINFORCE
reached 475 first every time, its final policy scored 379 to 500, and ES's final theta 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

METHODS = ("hill climbing", "evolutionary strategy", "REINFORCE")
OVER_RANDOM = 1.5  # the searches' final policies: at least this many times a random policy's
REINFORCE_FINAL = 300.0  # REINFORCE's final policy: at least this mean return (of 500)


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
    es_sigma: PositiveFloat = 0.5
    """The evolutionary strategy's perturbation size sigma (0.1 left ES on a plateau where
    no perturbation changes a greedy action; see the notes)."""
    es_population: PositiveInt = 10
    """The evolutionary strategy's population n (one episode each per generation)."""
    es_lr: PositiveFloat = 0.2
    """The evolutionary strategy's step size alpha."""
    lr: PositiveFloat = 1e-2
    """REINFORCE's learning rate eta (Adam), 8 episodes per update."""


@experiment(
    "policy-search", kind="reinforcement", config=PolicySearchConfig, seconds=55,
    claim="hill climbing (its incumbent measured again at every step) and an evolutionary "
          "strategy search a policy network's parameters by random perturbations, judged by "
          "returns alone, and learn; on CartPole-v1, at the same budget of episodes, "
          "REINFORCE's gradient reaches a mean return of 475 first and keeps the pole up",
    expects="with 1000 episodes each, played greedily on 100 new episodes (start states from "
            "a stream of their own): REINFORCE's final policy scores a mean return >= 300, "
            "and its training's mean return over 100 consecutive episodes reaches 475 "
            "before hill climbing's and the evolutionary strategy's do (if they do at all); "
            "hill climbing's final incumbent and the evolutionary strategy's final theta each "
            "score at least 1.5 times the mean return of a random policy (actions uniformly at "
            "random, 100 new episodes of its own)",
    data="gymnasium CartPole-v1 (installed with nnzoo)",
    smoke={"episodes": 40, "hidden": 8, "es_population": 4},
    notes="Seeds 0-9 at the defaults (final policies on 100 new episodes; the episode at "
          "which training's mean of 100 reached 475, '-' never): REINFORCE 500/569, 500/795, "
          "500/500, 500/537, 492/596, 500/546, 470/655, 500/697, 379/720, 500/684; ES "
          "500/876, 500/882, 500/965, 500/965, 500/995, 500/-, 500/-, 500/-, 500/736, "
          "500/-; hill climbing 490, 62, 365, 465, 464, 500, 499, 143, 480, 494; a random "
          "policy 22-24. REINFORCE's last updates sometimes undo a little (379 at seed 8 after "
          "reaching 475 at episode 720), so its final policy is held to 300, not 475. ES's "
          "sigma was 0.1 before: its final theta scored 49-71 at seeds 0-2 and at seed 8 "
          "its population started on a plateau where no perturbation of that size changes "
          "a greedy action (every return about 9, so A_i = 0 and no step: 0.4 times the "
          "random policy). With sigma 0.5 (hill climbing's) ES alone solved seeds 0-9 "
          "(500 each).",
)
def run(cfg: PolicySearchConfig, run: Run) -> Result:
    from nnzoo.rl.policy_gradient import REINFORCE, vector_env
    from nnzoo.rl.policy_search import EvolutionStrategy, HillClimbing
    from nnzoo.training.agents import SOLVED_MEAN, judge_policy, solved_at
    from nnzoo.training.supervised import torch_threads

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
            judged = judge_policy(agent.greedy, env_id, run.rng("judge", METHODS[i]))
            run.log(f"{METHODS[i]}: " + (f"training's mean of 100 reached {SOLVED_MEAN:.0f} at "
                                         f"episode {at}" if at else f"training's mean of 100 "
                                         f"never reached {SOLVED_MEAN:.0f}")
                    + f"; the final policy scores {judged.mean():.1f} on {len(judged)} new "
                      f"episodes (min {judged.min():.0f})")
            methods.done({"returns": returns, "solved_at": at, "judged": float(judged.mean())})
    results = dict(zip(METHODS, methods.results))
    # the random policy: a ~ U{0, 1}, its actions and start states from a stream of its own
    rand = run.rng("random policy")
    random_return = float(judge_policy(lambda obs: rand.numpy.integers(0, 2, len(obs)), env_id,
                                       rand).mean())
    run.log(f"a random policy scores {random_return:.1f} on 100 new episodes")
    run.save_figure(_returns_figure(results, SOLVED_MEAN, random_return), "returns")
    hc, es, rf = (results[m] for m in METHODS)
    first = rf["solved_at"] is not None and all(
        r["solved_at"] is None or r["solved_at"] > rf["solved_at"] for r in (hc, es))
    learned = {m: results[m]["judged"] >= OVER_RANDOM * random_return for m in METHODS[:2]}
    ok = rf["judged"] >= REINFORCE_FINAL and first and all(learned.values())
    metrics = {f"{k}_{m.split()[0].lower()}": results[m][k] for m in METHODS
               for k in ("solved_at", "judged")}
    return Result(ok, ", ".join(f"{m}: judged {r['judged']:.1f}"
                                + (f", 475 at episode {r['solved_at']}" if r["solved_at"] else "")
                                for m, r in results.items())
                  + f"; random policy {random_return:.1f}",
                  {**metrics, "random_policy": random_return, "reinforce_first": first})


def _returns_figure(results: dict[str, dict], target: float, random_return: float):
    """Each method's training returns (running mean of up to 100 episodes, a quarter of
    them in a short run) against episodes, and its final policy's judged return (a dot at
    the end of its curve)."""
    import numpy as np

    from nnzoo.viz import figure
    from nnzoo.viz.rl import learning_curve

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    n = max(len(r["returns"]) for r in results.values())
    window = max(1, min(100, n // 4))
    for name, r in results.items():
        y = r["returns"]
        line = learning_curve(ax, np.arange(1, len(y) + 1), y, label=name, window=window,
                              ylabel=f"return (mean of the last {window} episodes)").lines[-1]
        ax.plot([len(y)], [r["judged"]], "o", color=line.get_color())
    ax.plot([], [], "o", color="gray", label="final policy, 100 new episodes")
    ax.axhline(target, color="gray", ls="--", lw=1, label=f"{target:.0f}: solved")
    ax.axhline(random_return, color="gray", ls=":", lw=1, label="random policy")
    ax.set_title("CartPole-v1: return against episodes")
    ax.legend(fontsize=7)
    return fig
