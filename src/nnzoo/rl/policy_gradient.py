"""Policy gradients: REINFORCE, and what the policy-gradient agents share.

REINFORCE (Williams 1992), the course's form: after each trial,

    theta <- theta + eta (r_total - b) grad_theta log pi_theta(a_t|s_t)    for every step t

done here as gradient descent on  -sum_t (R_t - b) log pi(a_t|s_t)  over a batch of
trials, with R_t = r_total (the course's choice; `returns="total"`) or the discounted
reward from step t on, sum_{i>=t} gamma^{i-t} r_i (`returns="to-go"`: an action cannot
change the rewards before it, so dropping them removes noise, not signal), and the
baseline b = the batch's mean of R (or none). The weights are divided by their standard
deviation over the batch, so that eta does not depend on the scale of the rewards.

The agents of this family (REINFORCE here, A2C in `nnzoo.rl.a2c`) share `Agent`: the
random stream, acting by sampling, the step count, the history and checkpoints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import gymnasium as gym
import numpy as np
import torch
from torch import nn

from nnzoo.models.mlp import MLP
from nnzoo.nn.init import build_uninitialised, uniform_fan_in_
from nnzoo.random import Stream, as_stream
from nnzoo.rl.returns import discounted_returns


def tanh_mlp(sizes: Sequence[int], rng: torch.Generator) -> MLP:
    """An MLP with tanh hidden units and linear outputs, its initial weights PyTorch's
    default drawn from `rng` (torch's global generator is left alone)."""
    net = build_uninitialised(lambda: MLP(sizes, activation="tanh", output="linear"))
    return uniform_fan_in_(net, rng)


def vector_env(env_id: str, n: int) -> gym.vector.VectorEnv:
    """n copies of env_id stepped together (gymnasium's NumPy version when there is one)."""
    try:
        return gym.make_vec(env_id, num_envs=n, vectorization_mode="vector_entry_point")
    except (gym.error.Error, ValueError):
        return gym.make_vec(env_id, num_envs=n, vectorization_mode="sync")


OPTIMIZERS = {
    "adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
    "rmsprop": lambda params, lr: torch.optim.RMSprop(params, lr=lr, alpha=0.99),
}


def sample_actions(logits: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """a ~ pi(.|s) = softmax(logits) for each row.  (E, A) -> (E,)"""
    return torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=gen).squeeze(1)


class Agent:
    """What REINFORCE and A2C share: the random stream (initial weights from its child
    "init", actions from its torch generator, the environments' seeds from its NumPy
    generator), acting, the step count, the history and checkpoints."""

    def __init__(self, rng: Stream | int | None, device="cpu"):
        self.rng = as_stream(rng)
        self.device = torch.device(device)
        self.t = 0
        self.history: list[dict] = []  # one entry per finished episode
        self.losses: list[tuple[int, float]] = []  # (step, loss) of the last learn's updates

    @torch.no_grad()
    def act(self, obs: np.ndarray) -> np.ndarray:
        """The behaviour policy: a ~ pi_theta(.|s) for a batch of observations.  (E, D) -> (E,)"""
        logits = self.policy(torch.as_tensor(obs, dtype=torch.float32, device=self.device))
        return sample_actions(logits.cpu(), self.rng.torch).numpy()

    @torch.inference_mode()
    def greedy(self, obs: np.ndarray) -> np.ndarray:
        """argmax_a pi(a|s) for a batch of observations.  (B, D) -> (B,)"""
        x = torch.as_tensor(obs, dtype=torch.float32, device=self.device)
        return self.policy(x).argmax(dim=1).cpu().numpy()

    def state_dict(self) -> dict:
        return {"modules": {k: m.state_dict() for k, m in self.modules().items()},
                "optimizer": self.optimizer.state_dict(), "rng": self.rng.state_dict(),
                "t": self.t, "history": self.history}

    def load_state_dict(self, state: dict) -> None:
        for k, m in self.modules().items():
            m.load_state_dict(state["modules"][k])
        self.optimizer.load_state_dict(state["optimizer"])
        self.rng.load_state_dict(state["rng"])
        self.t, self.history = state["t"], list(state["history"])


class REINFORCE(Agent):
    """REINFORCE on a batch of `batch_episodes` trials per update.

    By default pi_theta is an MLP with tanh units trained by Adam (CartPole). `policy`
    puts any network of observations -> logits in its place (Pong's `PongPolicy`),
    `optimizer="rmsprop"` gives RMSProp (decay 0.99, Karpathy's), `reset=True` restarts
    the discounted sum at each nonzero reward, and `device` is where the network lives.
    """

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: int = 128, lr: float = 1e-2,
                 gamma: float = 0.99, batch_episodes: int = 8, baseline: bool = True,
                 returns: str = "to-go", policy: nn.Module | None = None,
                 optimizer: str = "adam", reset: bool = False, device="cpu",
                 rng: Stream | int | None = None):
        super().__init__(rng, device)
        if returns not in ("total", "to-go"):
            raise ValueError(f"returns must be 'total' or 'to-go', got {returns!r}")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}")
        if policy is None:  # logits of pi_theta(.|s)
            policy = tanh_mlp([obs_dim, hidden, n_actions], self.rng.child("init").torch)
        self.policy = policy.to(self.device)
        self.optimizer = OPTIMIZERS[optimizer](self.policy.parameters(), lr)
        self.gamma, self.batch_episodes = gamma, batch_episodes
        self.baseline, self.returns, self.reset = baseline, returns, reset

    def modules(self) -> dict[str, nn.Module]:
        return {"policy": self.policy}

    def run_trials(self, envs) -> list[dict]:
        """One trial in each of the E environments, run side by side until all have ended.
        -> per trial: obs (T, D), actions (T,), rewards (T,)"""
        obs, _ = envs.reset(seed=self.rng.seed())
        E = len(obs)
        steps: list[tuple] = []
        running = np.ones(E, dtype=bool)
        while running.any():
            a = self.act(obs)
            obs_next, r, terminated, truncated, _ = envs.step(a)
            steps.append((obs, a, r, running.copy()))
            running &= ~(terminated | truncated)
            obs = obs_next
        trials = []
        for e in range(E):
            mine = [(o[e], a[e], r[e]) for o, a, r, alive in steps if alive[e]]
            o, a, r = zip(*mine)
            trials.append({"obs": torch.as_tensor(np.array(o)), "actions": torch.as_tensor(
                np.array(a)), "rewards": torch.as_tensor(np.array(r), dtype=torch.float32)})
        return trials

    def update(self, trials: list[dict]) -> dict[str, float]:
        """One step of theta <- theta + eta (R_t - b) grad log pi(a_t|s_t) over the trials."""
        if self.returns == "total":  # R_t = r_total for every step of the trial
            R = [tr["rewards"].sum().expand(len(tr["rewards"])) for tr in trials]
        else:  # R_t = sum_{i>=t} gamma^{i-t} r_i
            R = [discounted_returns(tr["rewards"], self.gamma, self.reset) for tr in trials]
        R = torch.cat(R).to(self.device)  # (N,) all steps of all trials
        b = R.mean() if self.baseline else 0.0
        weight = (R - b) / (R.std() + 1e-8)  # (N,)
        obs = torch.cat([tr["obs"] for tr in trials]).to(self.device, torch.float32)
        logits = self.policy(obs)  # (N, A)
        actions = torch.cat([tr["actions"] for tr in trials]).to(self.device)
        log_pi = torch.log_softmax(logits, dim=1).gather(1, actions[:, None]).squeeze(1)  # (N,)
        loss = -(weight * log_pi).sum() / len(trials)  # gradient descent on -sum (R - b) log pi
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return {"loss": loss.item()}

    def learn_batch(self, envs) -> tuple[list[dict], list[dict]]:
        """One batch of trials in the vector environment `envs` and one update.
        -> the trials, and their entries (step, return, length, loss) added to the history"""
        trials = self.run_trials(envs)
        stats = self.update(trials)
        new = []
        for tr in trials:
            self.t += len(tr["rewards"])
            new.append({"step": self.t, "return": float(tr["rewards"].sum()),
                        "length": len(tr["rewards"]), **stats})
        self.history += new
        return trials, new

    def learn(self, envs, steps: int) -> list[dict]:
        """Batches of trials in the vector environment `envs` until `steps` more steps, or
        until an update's loss is not finite; each update's (step, loss) is in `losses`."""
        stop, new, self.losses = self.t + steps, [], []
        while self.t < stop:
            new += self.learn_batch(envs)[1]
            self.losses.append((self.t, new[-1]["loss"]))
            if not math.isfinite(new[-1]["loss"]):
                break
        return new
