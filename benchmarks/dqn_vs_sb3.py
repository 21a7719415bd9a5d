"""Our DQN against Stable-Baselines3's DQN on CartPole-v1, same hyper-parameters.

    python benchmarks/dqn_vs_sb3.py [--seeds 0,1,2,3,4] [--steps 50000] [--threads 1]

Both use rl-zoo's CartPole-v1 hyper-parameters for DQN (50k steps, lr 2.3e-3, batch 64,
buffer 100k, learning starts 1000, gamma 0.99, target update every 10 steps, train every
256 steps with 128 gradient steps, epsilon 1 -> 0.04 over the first 16% of the steps,
net [256, 256]) and the same evaluation: every 2000 steps, the mean return of 10 greedy
episodes (our `evaluate`, same seeds). For each seed it prints the training wall time
(evaluations excluded), the first step at which the evaluation reached 500, and the
final evaluation; then the mean time ratio ours/SB3 (goal: <= 0.5) and the solve counts.
Stable-Baselines3 is a development extra: pip install -e '.[dev]'.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from nnzoo.rl.dqn import DQN
from nnzoo.rl.envs import evaluate, make_env
from nnzoo.rl.exploration import LinearSchedule

ENV, EVAL_EVERY, EVAL_SEED = "CartPole-v1", 2000, 10**6
ZOO = dict(learning_rate=2.3e-3, batch_size=64, buffer_size=100_000, learning_starts=1000,
           gamma=0.99, target_update_interval=10, train_freq=256, gradient_steps=128,
           exploration_fraction=0.16, exploration_final_eps=0.04)


def run_ours(seed: int, steps: int):
    agent = DQN(4, 2, hidden=(256, 256), lr=ZOO["learning_rate"], gamma=ZOO["gamma"],
                batch_size=ZOO["batch_size"], buffer_size=ZOO["buffer_size"],
                learning_starts=ZOO["learning_starts"], train_freq=ZOO["train_freq"],
                gradient_steps=ZOO["gradient_steps"], target_update=ZOO["target_update_interval"],
                epsilon=LinearSchedule(1.0, ZOO["exploration_final_eps"],
                                       int(ZOO["exploration_fraction"] * steps)), rng=seed)
    env, evals, eval_time = make_env(ENV), [], 0.0
    start = time.perf_counter()
    while agent.t < steps:
        agent.learn(env, min(EVAL_EVERY, steps - agent.t))
        t0 = time.perf_counter()
        evals.append((agent.t, evaluate(agent.greedy, ENV, 10, EVAL_SEED)[0].mean()))
        eval_time += time.perf_counter() - t0
    return time.perf_counter() - start - eval_time, evals


def run_sb3(seed: int, steps: int):
    from stable_baselines3 import DQN as SB3DQN
    from stable_baselines3.common.callbacks import BaseCallback

    class Evaluate(BaseCallback):
        def __init__(self):
            super().__init__()
            self.evals, self.time = [], 0.0

        def _on_step(self) -> bool:
            if self.num_timesteps % EVAL_EVERY == 0 or self.num_timesteps == steps:
                t0 = time.perf_counter()
                policy = lambda obs: self.model.predict(obs, deterministic=True)[0]  # noqa: E731
                self.evals.append((self.num_timesteps, evaluate(policy, ENV, 10,
                                                                EVAL_SEED)[0].mean()))
                self.time += time.perf_counter() - t0
            return True

    model = SB3DQN("MlpPolicy", make_env(ENV), policy_kwargs=dict(net_arch=[256, 256]),
                   seed=seed, device="cpu", verbose=0, **ZOO)
    cb = Evaluate()
    start = time.perf_counter()
    model.learn(total_timesteps=steps, callback=cb)
    return time.perf_counter() - start - cb.time, cb.evals


def solved_at(evals) -> int | None:
    return next((t for t, r in evals if r >= 500), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2,3,4")
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    rows = []
    print(f"{'seed':>4} {'who':>5} {'train s':>8} {'solved at':>10} {'final eval':>10}")
    for seed in map(int, args.seeds.split(",")):
        for who, fn in (("ours", run_ours), ("sb3", run_sb3)):
            wall, evals = fn(seed, args.steps)
            rows.append((seed, who, wall, solved_at(evals), evals[-1][1]))
            s = rows[-1]
            print(f"{seed:>4} {who:>5} {wall:8.1f} {str(s[3]):>10} {s[4]:10.1f}", flush=True)
    ours = [r for r in rows if r[1] == "ours"]
    sb3 = [r for r in rows if r[1] == "sb3"]
    ratio = np.mean([r[2] for r in ours]) / np.mean([r[2] for r in sb3])
    print(f"mean training time: ours {np.mean([r[2] for r in ours]):.1f} s, "
          f"SB3 {np.mean([r[2] for r in sb3]):.1f} s, ratio ours/SB3 = {ratio:.2f} (goal <= 0.5)")
    print(f"reached 500: ours {sum(r[3] is not None for r in ours)}/{len(ours)}, "
          f"SB3 {sum(r[3] is not None for r in sb3)}/{len(sb3)}")


if __name__ == "__main__":
    main()
