"""pong-reinforce: REINFORCE from raw pixels learns to return the ball in Atari Pong
(Karpathy's "Pong from pixels")."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import NonNegativeInt, PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run


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
    "pong-reinforce", kind="reinforcement", config=PongReinforceConfig,
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
def run(cfg: PongReinforceConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.registry import build
    from nnzoo.rl.policy_gradient import REINFORCE
    from nnzoo.rl.pong import SIZE, PongPolicy, pong_envs
    from nnzoo.training.supervised import torch_threads
    from nnzoo.viz.rl import pong_curve, pong_pictures

    with torch_threads(1 if run.device.type == "cpu" else 4):
        # Karpathy's choices: RMSProp, lr 1e-4, the discounted sum restarting at each point
        agent = REINFORCE(SIZE * SIZE, 2, gamma=cfg.gamma, lr=cfg.lr, batch_episodes=cfg.batch,
                          policy=build(PongPolicy, cfg, rng=run.rng("init")),
                          optimizer="rmsprop", reset=True, device=run.device,
                          rng=run.rng("agent"))
        envs = pong_envs(cfg.batch, cfg.max_steps)
        batches = run.parts(-(-cfg.episodes // cfg.batch), label="batches", desc="batches",
                            keep={"agent": agent})
        for i in batches:  # one batch of games side by side, one update
            trials, new = agent.learn_batch(envs)
            loss = run.check_loss(new[0]["loss"], len(agent.history))
            returns = [h["return"] for h in agent.history]
            run.log_metrics(len(agent.history),
                            running_mean=float(np.mean(returns[-cfg.window:])), loss=loss)
            # the first batch keeps a frame with the most motion in it, for the picture
            obs = trials[0]["obs"] if i == 0 else None  # (T, SIZE * SIZE)
            batches.done(None if obs is None else
                         obs[int((obs != 0).sum(1).argmax())].reshape(SIZE, SIZE).clone())
        envs.close()
    sample = batches.results[0]  # (SIZE, SIZE) difference frame
    returns = [h["return"] for h in agent.history]
    curve = [float(np.mean(returns[max(0, i + 1 - cfg.window):i + 1]))
             for i in range(len(returns))]
    first = float(np.mean(returns[:cfg.window]))
    last = float(np.mean(returns[-cfg.window:]))
    run.log(f"{len(returns)} episodes, {agent.t} steps: running mean of the return "
            f"{first:.1f} -> {last:.1f}")
    W1 = agent.policy.input_weights().detach().cpu().numpy()  # (H, SIZE * SIZE)
    run.save_figure(pong_curve(curve, cfg.window), "returns")
    run.save_figure(pong_pictures(sample.numpy(), W1, SIZE), "pixels_and_weights")
    rise = last - first
    return Result(rise >= cfg.need,
                  f"running mean return {first:.1f} -> {last:.1f} ({rise:+.1f}) "
                  f"over {len(returns)} episodes",
                  {"first_mean": first, "last_mean": last, "rise": rise,
                   "episodes": len(returns), "steps": agent.t})
