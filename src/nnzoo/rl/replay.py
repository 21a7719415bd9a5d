"""Experience replay: a database of transitions (s_t, a_t, r_t, s_{t+1}, terminated) that
DQN samples minibatches from, in random order, to remove temporal correlations.

The buffer is preallocated as CPU tensors; one step writes through NumPy views of them
(a NumPy element write costs well under a microsecond, a torch one several), and sampling
gathers whole minibatches, all of a training phase at once, with one index tensor.
"""

from __future__ import annotations

import torch

from nnzoo.random import Stream, as_stream


class ReplayBuffer:
    """A ring buffer of the last `capacity` transitions; minibatches are drawn uniformly
    at random from `rng` (a Stream, an int seed or None)."""

    def __init__(self, capacity: int, obs_dim: int, rng: Stream | int | None = None):
        self.rng = as_stream(rng)
        self.capacity, self.obs_dim = capacity, obs_dim
        self.obs = torch.zeros(capacity, obs_dim)  # (N, D)
        self.next_obs = torch.zeros(capacity, obs_dim)  # (N, D)
        self.action = torch.zeros(capacity, dtype=torch.long)  # (N,)
        self.reward = torch.zeros(capacity)  # (N,)
        self.terminated = torch.zeros(capacity)  # (N,) 1 where s_{t+1} ends the episode
        self._views = [t.numpy() for t in (self.obs, self.action, self.reward, self.next_obs,
                                           self.terminated)]
        self.pos, self.size = 0, 0

    def __len__(self) -> int:
        return self.size

    def add(self, s, a: int, r: float, s_next, terminated: bool) -> None:
        obs, action, reward, next_obs, term = self._views
        i = self.pos
        obs[i], action[i], reward[i], next_obs[i], term[i] = s, a, r, s_next, terminated
        self.pos = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, shape: tuple[int, ...], device=None) -> dict[str, torch.Tensor]:
        """Transitions drawn uniformly, with replacement, in an array of `shape` (e.g. (G, B)
        for G minibatches of B), each field of shape (*shape, ...)."""
        idx = torch.from_numpy(self.rng.numpy.integers(0, self.size, shape))
        return self.gather(idx, device)

    def gather(self, idx: torch.Tensor, device=None) -> dict[str, torch.Tensor]:
        """The transitions at `idx` (any shape)."""
        batch = {"obs": self.obs[idx], "action": self.action[idx], "reward": self.reward[idx],
                 "next_obs": self.next_obs[idx], "terminated": self.terminated[idx]}
        return {k: v.to(device, non_blocking=True) for k, v in batch.items()} if device else batch

    def state_dict(self) -> dict:
        n = self.size
        return {"obs": self.obs[:n].clone(), "next_obs": self.next_obs[:n].clone(),
                "action": self.action[:n].clone(), "reward": self.reward[:n].clone(),
                "terminated": self.terminated[:n].clone(), "pos": self.pos, "size": n,
                "rng": self.rng.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        n = state["size"]
        for name in ("obs", "next_obs", "action", "reward", "terminated"):
            getattr(self, name)[:n] = state[name]
        self.pos, self.size = state["pos"], n
        self.rng.load_state_dict(state["rng"])
