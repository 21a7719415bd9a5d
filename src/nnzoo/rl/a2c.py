"""Advantage actor-critic (A2C), the synchronous form of A3C.

A2C replaces r_total by the n-step estimate of Q and the baseline by a learned V_u:

    Q(s_t, a_t) = r_{t+1} + gamma r_{t+2} + ... + gamma^{n-1} r_{t+n} + gamma^n V_u(s_{t+n})
    theta <- theta + eta_theta [Q(s_t, a_t) - V_u(s_t)] grad_theta log pi_theta(a_t|s_t)
    u minimises [Q(s_t, a_t) - V_u(s_t)]^2

with E environments stepped side by side (the synchronous form of A3C), plus a small
entropy bonus that keeps the policy from becoming deterministic too early.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from nnzoo.random import Stream
from nnzoo.rl.envs import env_state, set_env_state
from nnzoo.rl.policy_gradient import Agent, sample_actions, tanh_mlp
from nnzoo.rl.returns import n_step_returns


class A2C(Agent):
    """Advantage actor-critic with n-step returns in E environments side by side.

    Episodes run on across rollouts, so the agent keeps the vector environment it learns
    in (`envs`, the one of the last `learn`), and `state_dict()` holds that environment's
    state between two rollouts too: after `load_state_dict`, the next `learn(envs, ...)`
    puts it into `envs` (a vector environment made the same way) and goes on exactly.
    The defaults are rl-zoo's for CartPole-v1 (entropy_coef 0: at 0.01 one seed in three
    hovered at 400-450 for 500,000 steps)."""

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: int = 64, lr: float = 7e-4,
                 gamma: float = 0.99, n_steps: int = 5, value_coef: float = 0.5,
                 entropy_coef: float = 0.0, max_grad_norm: float = 0.5,
                 rng: Stream | int | None = None):
        super().__init__(rng)
        init = self.rng.child("init").torch
        self.policy = tanh_mlp([obs_dim, hidden, hidden, n_actions], init)  # logits of pi_theta
        self.value = tanh_mlp([obs_dim, hidden, hidden, 1], init)  # V_u(s)
        self.optimizer = torch.optim.Adam(self.parameters(), lr=lr)
        self.gamma, self.n_steps, self.value_coef = gamma, n_steps, value_coef
        self.entropy_coef, self.max_grad_norm = entropy_coef, max_grad_norm
        self.envs = None  # the vector environment of the last rollout
        self._obs = None  # its current observations (None: reset it before the next rollout)
        self._returns = self._reset_next = None
        self._saved_envs: dict | None = None  # a checkpoint's environment state, not yet put back

    def modules(self) -> dict[str, nn.Module]:
        return {"policy": self.policy, "value": self.value}

    def state_dict(self) -> dict:
        """The agent's state and, between two rollouts, its environments' (episodes run on
        across rollouts), so that a resumed run equals an uninterrupted one."""
        state = super().state_dict()
        if self._obs is not None:
            state["envs"] = {"obs": torch.from_numpy(self._obs.copy()),
                             "returns": torch.from_numpy(self._returns.copy()),
                             "reset_next": torch.from_numpy(self._reset_next.copy()),
                             "env": env_state(self.envs)}
        elif self._saved_envs is not None:  # loaded, not yet put back: pass it on
            state["envs"] = self._saved_envs
        return state

    def load_state_dict(self, state: dict) -> None:
        super().load_state_dict(state)
        self.envs, self._obs, self._saved_envs = None, None, state.get("envs")

    def _use(self, envs) -> None:
        """Learn in `envs` from now on: a new vector environment starts with a reset,
        unless a loaded checkpoint holds the state to put into it."""
        if envs is self.envs:
            return
        self.envs, self._obs = envs, None
        if self._saved_envs is not None:
            b, self._saved_envs = self._saved_envs, None
            self._obs, self._returns = b["obs"].numpy().copy(), b["returns"].numpy().copy()
            self._reset_next = b["reset_next"].numpy().copy()
            set_env_state(envs, b["env"])

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
        return loss, {"loss": loss.item(), "policy_loss": policy_loss.item(),
                      "value_loss": value_loss.item(),
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
        self._use(envs)
        if self._obs is None:
            self._obs, _ = envs.reset(seed=self.rng.seed())
            self._returns = np.zeros(len(self._obs))
            self._reset_next = np.zeros(len(self._obs), dtype=bool)
        cols = {k: [] for k in ("obs", "actions", "rewards", "dones", "valid")}
        finished = []
        for _ in range(self.n_steps):
            obs = torch.as_tensor(self._obs, dtype=torch.float32)
            with torch.no_grad():
                a = sample_actions(self.policy(obs), self.rng.torch)
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
        """Rollouts and updates in the vector environment `envs` until `steps` more steps,
        or until an update's loss is not finite (each update's (step, loss) is in
        `losses`); returns the episodes finished."""
        stop, new, self.losses = self.t + steps, [], []
        while self.t < stop:
            batch, finished = self.rollout(envs)
            stats = self.update(batch)
            new += [{**f, **stats} for f in finished]
            self.losses.append((self.t, stats["loss"]))
            if not math.isfinite(stats["loss"]):
                break
        self.history += new
        return new
