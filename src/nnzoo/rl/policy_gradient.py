"""Policy gradients: REINFORCE and advantage actor-critic (A2C).

REINFORCE (Williams 1992), the course's form: after each trial,

    theta <- theta + eta (r_total - b) grad_theta log pi_theta(a_t|s_t)    for every step t

done here as gradient descent on  -sum_t (R_t - b) log pi(a_t|s_t)  over a batch of
trials, with R_t = r_total (the course's choice; `returns="total"`) or the discounted
reward from step t on, sum_{i>=t} gamma^{i-t} r_i (`returns="to-go"`: an action cannot
change the rewards before it, so dropping them removes noise, not signal), and the
baseline b = the batch's mean of R (or none). The weights are divided by their standard
deviation over the batch, so that eta does not depend on the scale of the rewards.

A2C replaces r_total by the n-step estimate of Q and the baseline by a learned V_u:

    Q(s_t, a_t) = r_{t+1} + gamma r_{t+2} + ... + gamma^{n-1} r_{t+n} + gamma^n V_u(s_{t+n})
    theta <- theta + eta_theta [Q(s_t, a_t) - V_u(s_t)] grad_theta log pi_theta(a_t|s_t)
    u minimises [Q(s_t, a_t) - V_u(s_t)]^2

with E environments stepped side by side (the synchronous form of A3C), plus a small
entropy bonus that keeps the policy from becoming deterministic too early.
"""

from __future__ import annotations

from collections.abc import Sequence

import gymnasium as gym
import numpy as np
import torch
from torch import nn

from nnzoo.rl.envs import env_state, set_env_state
from nnzoo.rl.returns import discounted_returns, n_step_returns


def mlp(sizes: Sequence[int], activation=nn.Tanh) -> nn.Sequential:
    """Linear layers of the given sizes with `activation` between them (none at the end)."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


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
    """What REINFORCE and A2C share: seeding, the step count, history and checkpoints."""

    def __init__(self, seed: int):
        self.gen = torch.Generator().manual_seed(seed)  # actions
        self.rng = np.random.default_rng(seed)  # environment seeds
        self.t = 0
        self.history: list[dict] = []  # one entry per finished episode

    @torch.inference_mode()
    def greedy(self, obs: np.ndarray) -> np.ndarray:
        """argmax_a pi(a|s) for a batch of observations.  (B, D) -> (B,)"""
        return self.policy(torch.as_tensor(obs, dtype=torch.float32)).argmax(dim=1).numpy()

    def state_dict(self) -> dict:
        return {"modules": {k: m.state_dict() for k, m in self.modules().items()},
                "optimizer": self.optimizer.state_dict(), "gen": self.gen.get_state(),
                "rng": self.rng.bit_generator.state, "t": self.t, "history": self.history}

    def load_state_dict(self, state: dict) -> None:
        for k, m in self.modules().items():
            m.load_state_dict(state["modules"][k])
        self.optimizer.load_state_dict(state["optimizer"])
        self.gen.set_state(state["gen"])
        self.rng.bit_generator.state = state["rng"]
        self.t, self.history = state["t"], list(state["history"])


class REINFORCE(Agent):
    """REINFORCE on a batch of `batch_episodes` trials per update.

    By default pi_theta is an MLP with tanh units trained by Adam (CartPole). `policy`
    puts any network of observations -> logits in its place (Pong's `pong_policy`),
    `optimizer="rmsprop"` gives RMSProp (decay 0.99, Karpathy's), `reset=True` restarts
    the discounted sum at each nonzero reward, and `device` is where the network lives.
    """

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: int = 128, lr: float = 1e-2,
                 gamma: float = 0.99, batch_episodes: int = 8, baseline: bool = True,
                 returns: str = "to-go", seed: int = 0, policy: nn.Module | None = None,
                 optimizer: str = "adam", reset: bool = False, device="cpu"):
        super().__init__(seed)
        if returns not in ("total", "to-go"):
            raise ValueError(f"returns must be 'total' or 'to-go', got {returns!r}")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}")
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            if policy is None:
                policy = mlp([obs_dim, hidden, n_actions])  # logits of pi_theta(.|s)
            self.policy = policy.to(device)
        self.device = torch.device(device)
        self.optimizer = OPTIMIZERS[optimizer](self.policy.parameters(), lr)
        self.gamma, self.batch_episodes = gamma, batch_episodes
        self.baseline, self.returns, self.reset = baseline, returns, reset

    def modules(self) -> dict[str, nn.Module]:
        return {"policy": self.policy}

    def act(self, obs: np.ndarray) -> np.ndarray:
        """a ~ pi_theta(.|s) for a batch of observations.  (E, D) -> (E,)"""
        with torch.no_grad():
            logits = self.policy(torch.as_tensor(obs, dtype=torch.float32, device=self.device))
            return sample_actions(logits.cpu(), self.gen).numpy()

    def run_trials(self, envs) -> list[dict]:
        """One trial in each of the E environments, run side by side until all have ended.
        -> per trial: obs (T, D), actions (T,), rewards (T,)"""
        obs, _ = envs.reset(seed=int(self.rng.integers(2**31)))
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
        """Batches of trials in the vector environment `envs` until `steps` more steps."""
        stop, new = self.t + steps, []
        while self.t < stop:
            new += self.learn_batch(envs)[1]
        return new


class A2C(Agent):
    """Advantage actor-critic with n-step returns in E environments side by side."""

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: int = 64, lr: float = 7e-4,
                 gamma: float = 0.99, n_steps: int = 5, value_coef: float = 0.5,
                 entropy_coef: float = 0.01, max_grad_norm: float = 0.5, seed: int = 0):
        super().__init__(seed)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.policy = mlp([obs_dim, hidden, hidden, n_actions])  # logits of pi_theta
            self.value = mlp([obs_dim, hidden, hidden, 1])  # V_u(s)
        self.optimizer = torch.optim.Adam(self.parameters(), lr=lr)
        self.gamma, self.n_steps, self.value_coef = gamma, n_steps, value_coef
        self.entropy_coef, self.max_grad_norm = entropy_coef, max_grad_norm
        self._obs = None  # the environments' current observations between rollouts
        self._returns = None

    def modules(self) -> dict[str, nn.Module]:
        return {"policy": self.policy, "value": self.value}

    def checkpoint(self, envs) -> dict:
        """state_dict() plus the environments' state between two rollouts (episodes run on
        across rollouts), so that a resumed run equals an uninterrupted one."""
        state = self.state_dict()
        if self._obs is not None:
            state["between"] = {"obs": torch.from_numpy(self._obs.copy()),
                                "returns": torch.from_numpy(self._returns.copy()),
                                "reset_next": torch.from_numpy(self._reset_next.copy()),
                                "envs": env_state(envs)}
        return state

    def restore(self, state: dict, envs) -> None:
        self.load_state_dict(state)
        if "between" in state:
            b = state["between"]
            self._obs, self._returns = b["obs"].numpy().copy(), b["returns"].numpy().copy()
            self._reset_next = b["reset_next"].numpy().copy()
            set_env_state(envs, b["envs"])

    def V(self, obs: torch.Tensor) -> torch.Tensor:
        return self.value(obs).squeeze(-1)  # (..., D) -> (...)

    def parameters(self) -> list[nn.Parameter]:
        return [*self.policy.parameters(), *self.value.parameters()]

    def loss(self, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict[str, float]]:
        """The actor-critic loss of a rollout: obs (n, E, D), actions, rewards, dones,
        valid (n, E) and bootstrap V_u(s_{t+n}) (E,)."""
        Q = n_step_returns(batch["rewards"], batch["dones"], batch["bootstrap"],
                           self.gamma)  # (n, E)
        logits = self.policy(batch["obs"])  # (n, E, A)
        log_p = torch.log_softmax(logits, dim=-1)
        log_pi = log_p.gather(-1, batch["actions"][..., None]).squeeze(-1)  # (n, E)
        V = self.V(batch["obs"])  # (n, E)
        advantage = Q - V  # A(s, a) = Q(s, a) - V_u(s)
        m = batch["valid"]
        n = m.sum().clamp(min=1)
        policy_loss = -(advantage.detach() * log_pi * m).sum() / n
        value_loss = (advantage**2 * m).sum() / n  # [Q(s_t, a_t) - V_u(s_t)]^2
        entropy = -((log_p.exp() * log_p).sum(-1) * m).sum() / n
        loss = policy_loss + self.value_coef * value_loss - self.entropy_coef * entropy
        return loss, {"policy_loss": policy_loss.item(), "value_loss": value_loss.item(),
                      "entropy": entropy.item()}

    def update(self, batch: dict[str, torch.Tensor]) -> dict[str, float]:
        """One gradient step on the loss of a rollout."""
        loss, stats = self.loss(batch)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(self.parameters(), self.max_grad_norm)
        self.optimizer.step()
        return stats

    def rollout(self, envs) -> tuple[dict[str, torch.Tensor], list[dict]]:
        """n steps in each of the E environments.  A time limit that cuts an episode is not
        its end: its reward gets gamma V_u(last state) added.  With gymnasium's next-step
        autoreset, the step after an episode's end only resets: it is marked not valid."""
        if self._obs is None:
            self._obs, _ = envs.reset(seed=int(self.rng.integers(2**31)))
            self._returns = np.zeros(len(self._obs))
            self._reset_next = np.zeros(len(self._obs), dtype=bool)
        cols = {k: [] for k in ("obs", "actions", "rewards", "dones", "valid")}
        finished = []
        for _ in range(self.n_steps):
            obs = torch.as_tensor(self._obs, dtype=torch.float32)
            with torch.no_grad():
                a = sample_actions(self.policy(obs), self.gen)
            obs_next, r, terminated, truncated, _ = envs.step(a.numpy())
            valid = ~self._reset_next
            raw = r.astype(np.float32) * valid
            self._returns += raw
            r = raw
            if truncated.any():  # bootstrap through a time limit
                with torch.no_grad():
                    v_last = self.V(torch.as_tensor(obs_next, dtype=torch.float32)).numpy()
                r = np.where(truncated & ~terminated & valid, raw + self.gamma * v_last, raw)
            ended = (terminated | truncated) & valid
            self.t += int(valid.sum())
            for e in np.flatnonzero(ended):
                finished.append({"step": self.t, "return": float(self._returns[e])})
                self._returns[e] = 0.0
            cols["obs"].append(obs)
            cols["actions"].append(a)
            cols["rewards"].append(torch.as_tensor(r, dtype=torch.float32))
            cols["dones"].append(torch.as_tensor(ended | ~valid, dtype=torch.float32))
            cols["valid"].append(torch.as_tensor(valid, dtype=torch.float32))
            self._reset_next, self._obs = ended, obs_next
        batch = {k: torch.stack(v) for k, v in cols.items()}
        with torch.no_grad():
            batch["bootstrap"] = self.V(torch.as_tensor(self._obs, dtype=torch.float32))
        return batch, finished

    def learn(self, envs, steps: int) -> list[dict]:
        """Rollouts and updates until `steps` more steps; returns the episodes finished."""
        stop, new = self.t + steps, []
        while self.t < stop:
            batch, finished = self.rollout(envs)
            stats = self.update(batch)
            new += [{**f, **stats} for f in finished]
        self.history += new
        return new
