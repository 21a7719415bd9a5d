"""Deep Q-learning with experience replay, a target network and double Q.

Actions come from the current Q function, epsilon-greedy; the transitions go into a
replay database; minibatches sampled from it at random minimise

    DQN:       [r_t + gamma max_b Q_wbar(s_{t+1}, b) - Q_w(s_t, a_t)]^2
    double Q:  [r_t + gamma Q_wbar(s_{t+1}, argmax_b Q_w(s_{t+1}, b)) - Q_w(s_t, a_t)]^2

where w are the online weights and wbar an older copy (the target network), copied from
w every `target_update` environment steps. With the same weights choosing and judging
the next action (plain DQN, w = wbar at the copy) the max over noisy estimates is biased
upwards; double Q uses w to choose and wbar to judge. When s_{t+1} ends the episode the
gamma term is 0 (a time limit that cuts an episode is not an end: it bootstraps).

Sources: Mnih et al. 2015 (DQN); van Hasselt, Guez and Silver 2016 (double DQN).
The schedule of steps follows Stable-Baselines3's DQN so that the two can be compared
with the same hyper-parameters.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch import nn

from nnzoo.models.mlp import MLP
from nnzoo.nn.init import build_uninitialised, uniform_fan_in_
from nnzoo.nn.optim import flatten_parameters
from nnzoo.random import Stream, as_stream
from nnzoo.rl.exploration import LinearSchedule
from nnzoo.rl.replay import ReplayBuffer
from nnzoo.rl.tasks import DQN_TASKS, EXPLORATION_FRACTION, FINAL_EPSILON

# rl-zoo's CartPole: epsilon 1 -> 0.04 over the first 16% of 50,000 steps
ZOO_EPSILON = LinearSchedule(1.0, FINAL_EPSILON,
                             int(EXPLORATION_FRACTION * DQN_TASKS["dqn"].budget))


class QNetwork(MLP):
    """Q_w(s, .): ReLU layers from an observation to one value per action.  (B, D) -> (B, A)

        h_0 = s,   h_l = relu(W_l h_{l-1} + b_l),   Q_w(s, .) = W_L h_{L-1} + b_L
    """

    def __init__(self, obs_dim: int, n_actions: int, hidden: Sequence[int] = (256, 256)):
        super().__init__([obs_dim, *hidden, n_actions], activation="relu", output="linear")
        self.linears = list(self.layers)  # W_l, b_l

    @torch.no_grad()
    def backprop(self, s: torch.Tensor, a: torch.Tensor, y: torch.Tensor,
                 loss: str = "mse") -> tuple[torch.Tensor, torch.Tensor]:
        """The error E = mean_i [y_i - Q_w(s_i, a_i)]^2 ("mse"; "huber": its Huber form,
        linear beyond 1), and dE/dw for every weight, written into each weight's .grad,
        by backpropagation spelled out (the gradients are overwritten, not accumulated):

            delta_L     = dE/dQ_w(s, .)    (nonzero only in the column of the action taken)
            dE/dW_l     = delta_l^T h_{l-1},    dE/db_l = sum over the batch of delta_l
            delta_{l-1} = (delta_l W_l) * relu'(W_{l-1} h_{l-2} + b_{l-1})  (1 where h > 0)

        It is what E.backward() computes (tested against it); for a network this small
        autograd's bookkeeping costs half as much again as the arithmetic. Returns E and
        Q_w(s_i, a_i) (B,).  s: (B, D), a: (B,) actions, y: (B,) targets."""
        h = [s]  # h_0, h_1, ..., Q
        for l, layer in enumerate(self.linears):
            out = torch.addmm(layer.bias, h[-1], layer.weight.T)  # W_l h_{l-1} + b_l  (B, H_l)
            h.append(out.relu_() if l < len(self.linears) - 1 else out)
        q = h[-1].gather(1, a[:, None])  # Q_w(s_i, a_i)  (B, 1)
        e = q - y[:, None]  # (B, 1)
        n = len(y)
        if loss == "mse":
            E, dE_dq = e.square().mean(), e * (2 / n)
        else:  # Huber: e^2 / 2 for |e| < 1, |e| - 1/2 beyond
            E = torch.where(e.abs() < 1, 0.5 * e.square(), e.abs() - 0.5).mean()
            dE_dq = e.clamp(-1, 1) / n
        delta = torch.zeros_like(h[-1]).scatter_(1, a[:, None], dE_dq)  # delta_L  (B, A)
        for l in range(len(self.linears) - 1, -1, -1):
            layer = self.linears[l]
            if layer.weight.grad is None:
                layer.weight.grad, layer.bias.grad = (torch.zeros_like(layer.weight),
                                                      torch.zeros_like(layer.bias))
            torch.mm(delta.T, h[l], out=layer.weight.grad)  # dE/dW_l = delta_l^T h_{l-1}
            torch.sum(delta, 0, out=layer.bias.grad)  # dE/db_l
            if l > 0:
                delta = (delta @ layer.weight).mul_(h[l] > 0)  # delta_{l-1}  (B, H_{l-1})
        return E, q.squeeze(1)


def td_targets(r, next_obs, terminated, gamma: float, online: nn.Module, target: nn.Module,
               double: bool) -> torch.Tensor:
    """r + gamma Q_wbar(s', b*) (0 at an episode's end), b* = argmax_b Q_wbar(s', b) for DQN
    and argmax_b Q_w(s', b) for double Q.  (..., B), (..., B, D), (..., B) -> (..., B)"""
    with torch.no_grad():
        q_next = target(next_obs)  # (..., B, A)
        if double:
            b = online(next_obs).argmax(dim=-1, keepdim=True)  # (..., B, 1)
        else:
            b = q_next.argmax(dim=-1, keepdim=True)  # (..., B, 1)
        return r + gamma * (1 - terminated) * q_next.gather(-1, b).squeeze(-1)


class DQN:
    """A DQN agent in one gymnasium environment: `act(obs)` (epsilon-greedy, epsilon =
    `epsilon(t)` after t steps), `greedy(obs)`, `update(batch) -> dict`,
    `learn(env, steps) -> episodes`. The defaults are rl-zoo's for CartPole-v1.

    Everything random (initial weights, exploration, replay sampling, the environment's
    seeds) is drawn from `rng` (a `nnzoo.random.Stream`, an int seed, or None)."""

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: Sequence[int] = (256, 256),
                 lr: float = 2.3e-3, gamma: float = 0.99, batch_size: int = 64,
                 buffer_size: int = 100_000, learning_starts: int = 1000,
                 train_freq: int = 256, gradient_steps: int = 128, target_update: int = 10,
                 epsilon: Callable[[int], float] = ZOO_EPSILON,
                 double: bool = False, loss: str = "mse", max_grad_norm: float = 10.0,
                 device: str | torch.device = "cpu", rng: Stream | int | None = None):
        if loss not in ("mse", "huber"):
            raise ValueError(f"loss must be 'mse' or 'huber', got {loss!r}")
        self.n_actions, self.gamma, self.batch_size = n_actions, gamma, batch_size
        self.learning_starts, self.train_freq = learning_starts, train_freq
        self.gradient_steps, self.target_update = gradient_steps, target_update
        self.epsilon, self.double, self.loss, self.max_grad_norm = epsilon, double, loss, \
            max_grad_norm
        self.device = torch.device(device)
        self.rng = as_stream(rng)  # exploration and the environment's seeds
        q = build_uninitialised(lambda: QNetwork(obs_dim, n_actions, hidden))
        self.q = uniform_fan_in_(q, self.rng.child("init").torch).to(self.device)
        self.q_target = copy.deepcopy(self.q).requires_grad_(False)
        # w and wbar as one flat tensor each: wbar <- w, the gradient's clip and Adam's step
        # are one operation each (a 256-256 network is small enough for that to matter)
        self.w, self.w_bar = flatten_parameters(self.q), flatten_parameters(self.q_target)
        self.optimizer = torch.optim.Adam([self.w], lr=lr, fused=True)
        # NumPy views of the layers (W, b) of Q_w, for acting on the CPU: they see every
        # update, which is in place
        self._layers = None if self.device.type != "cpu" else [
            (m.weight.detach().numpy(), m.bias.detach().numpy()) for m in self.q.linears]
        self.buffer = ReplayBuffer(buffer_size, obs_dim, rng=self.rng.child("replay"))
        self.t = 0  # environment steps so far
        self.history: list[dict] = []  # one entry per finished episode
        self.losses: list[tuple[int, float]] = []  # (step, loss) of the last learn's phases

    # ---- acting
    @torch.inference_mode()
    def q_values(self, obs: np.ndarray) -> np.ndarray:
        """Q_w(s, .) for a batch of observations.  (B, D) -> (B, A)"""
        x = torch.as_tensor(np.asarray(obs, dtype=np.float32), device=self.device)
        return self.q(x).cpu().numpy()

    def act(self, obs: np.ndarray) -> int:
        """The behaviour policy: epsilon-greedy in Q_w(obs, .), epsilon = epsilon(t).  (D,)"""
        epsilon = self.epsilon(self.t)
        if epsilon > 0 and self.rng.numpy.random() < epsilon:
            return int(self.rng.numpy.integers(self.n_actions))
        return self.greedy_action(obs)

    def greedy_action(self, obs: np.ndarray) -> int:
        """argmax_a Q_w(obs, a) for one observation.  (D,) -> int"""
        if self._layers is None:
            with torch.inference_mode():
                x = torch.as_tensor(obs, dtype=torch.float32, device=self.device)  # (D,)
                return int(self.q(x).argmax())
        # the same Q_w(s, .) = W_L relu(... relu(W_1 s + b_1) ...) + b_L in NumPy: one
        # observation costs about 10 us this way, against 60 us through torch's layers
        h = np.asarray(obs, dtype=np.float32)  # (D,)
        for i, (W, b) in enumerate(self._layers):
            h = W @ h + b
            if i < len(self._layers) - 1:
                np.maximum(h, 0, out=h)
        return int(h.argmax())

    def greedy(self, obs: np.ndarray) -> np.ndarray:
        """argmax_a Q_w(s, a) for a batch.  (B, D) -> (B,)"""
        return self.q_values(obs).argmax(axis=1)

    # ---- learning
    def update(self, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """One gradient step on one minibatch (tensors of B transitions; "y", the targets,
        when they were computed beforehand); returns the loss and the mean Q_w(s_t, a_t) as
        0-d tensors (no device sync per step)."""
        y = batch.get("y")
        if y is None:
            y = td_targets(batch["reward"], batch["next_obs"], batch["terminated"], self.gamma,
                           self.q, self.q_target, self.double)  # (B,)
        # E = mean [y - Q_w(s_t, a_t)]^2 (or Huber's) and dE/dw, into w.grad
        loss, q = self.q.backprop(batch["obs"], batch["action"], y, self.loss)
        g = self.w.grad
        # clip the gradient's norm to max_grad_norm (as nn.utils.clip_grad_norm_, whose
        # per-call overhead on one tensor is several times this)
        g.mul_((self.max_grad_norm / (g.norm() + 1e-6)).clamp_(max=1.0))
        self.optimizer.step()
        return {"loss": loss, "q": q.mean()}

    def train_phase(self) -> dict[str, float]:
        """gradient_steps updates on minibatches drawn at once from the replay buffer."""
        batches = self.buffer.sample((self.gradient_steps, self.batch_size),
                                     self.device)  # each (G, B, ...)
        if not self.double:  # wbar stays fixed during the phase: all G minibatches' targets at once
            batches["y"] = td_targets(batches["reward"], batches["next_obs"],
                                      batches["terminated"], self.gamma, self.q, self.q_target,
                                      False)  # (G, B)
        stats = [self.update({k: v[g] for k, v in batches.items()})
                 for g in range(self.gradient_steps)]
        return {k: torch.stack([s[k] for s in stats]).mean().item() for k in stats[0]}

    def learn(self, env, steps: int) -> list[dict]:
        """Act and learn for `steps` more environment steps, then to the end of the episode
        (so that a checkpoint between two calls needs no environment state); returns the
        episodes finished. Each episode's environment seed comes from the agent's stream.
        `losses` gets the (step, mean loss) of every training phase; learning stops at the
        end of the episode in which one is not finite (NaN or inf)."""
        stop, new, self.losses = self.t + steps, [], []
        while self.t < stop:
            seen = len(self.losses)
            new.append(self._episode(env))
            if not all(math.isfinite(loss) for _, loss in self.losses[seen:]):
                break
        self.history += new
        return new

    def _episode(self, env) -> dict:
        obs, _ = env.reset(seed=self.rng.seed())
        total, length, stats = 0.0, 0, {}
        while True:
            a = self.act(obs)
            obs_next, r, terminated, truncated, _ = env.step(a)
            self.buffer.add(obs, a, r, obs_next, terminated)
            self.t += 1
            total, length, obs = total + r, length + 1, obs_next
            if self.t % self.target_update == 0:  # wbar <- w
                self.w_bar.data.copy_(self.w.data)
            if self.t >= self.learning_starts and self.t % self.train_freq == 0:
                stats = self.train_phase()
                self.losses.append((self.t, stats["loss"]))
            if terminated or truncated:
                return {"step": self.t, "return": total, "length": length,
                        "epsilon": self.epsilon(self.t), **stats}

    # ---- checkpoints: everything needed to go on exactly
    def state_dict(self) -> dict:
        return {"q": self.q.state_dict(), "q_target": self.q_target.state_dict(),
                "optimizer": self.optimizer.state_dict(), "buffer": self.buffer.state_dict(),
                "rng": self.rng.state_dict(), "t": self.t, "history": self.history}

    def load_state_dict(self, state: dict) -> None:
        self.q.load_state_dict(state["q"])
        self.q_target.load_state_dict(state["q_target"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.buffer.load_state_dict(state["buffer"])
        self.rng.load_state_dict(state["rng"])
        self.t, self.history = state["t"], list(state["history"])
