"""Tabular value learning: TD(0) for the value of a policy, and Q-learning.

TD(0) (deterministic world: eta = 1 gives V(s_t) <- r_t + gamma V(s_{t+1})):

    V(s_t) <- V(s_t) + eta [r_t + gamma V(s_{t+1}) - V(s_t)]

Q-learning, the deterministic update and the stochastic one:

    Q(s_t, a_t) <- r_t + gamma max_b Q(s_{t+1}, b)
    Q(s_t, a_t) <- Q(s_t, a_t) + eta [r_t + gamma max_b Q(s_{t+1}, b) - Q(s_t, a_t)]

V and Q of a terminal state are 0: when the episode ends at s_{t+1} there is no
gamma V(s_{t+1}) term. Both learners are scikit-learn style: `fit(env, ...) -> self`,
learned attributes end in `_`. A per-visit step size eta_n = eta / (1 + decay n), n the
number of earlier updates of that entry, makes the estimates settle (decay = 0: constant eta).
The defaults are the experiments' (td-gridworld's and q-learning's). The environments'
seeds and the exploration come from `rng` (a Stream, an int seed or None).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnzoo.random import Stream, as_stream
from nnzoo.rl.exploration import LinearSchedule, epsilon_greedy, softmax_action

DEFAULT_SCHEDULE = LinearSchedule(1.0, 0.05, 1000)  # epsilon by episode


class TDZero:
    """TD(0) estimate V_ of the value of a fixed policy, state by state."""

    def __init__(self, n_states: int, gamma: float = 0.9, lr: float = 1.0, decay: float = 0.1,
                 rng: Stream | int | None = None):
        self.n_states, self.gamma, self.lr, self.decay = n_states, gamma, lr, decay
        self.rng = as_stream(rng)
        self.V_ = np.zeros(n_states)
        self.visits_ = np.zeros(n_states, dtype=np.int64)

    def update(self, s: int, r: float, s_next: int, terminal: bool) -> float:
        """One TD(0) update of V(s); returns the TD error r + gamma V(s') - V(s)."""
        eta = self.lr / (1 + self.decay * self.visits_[s])
        target = r + (0.0 if terminal else self.gamma * self.V_[s_next])
        delta = target - self.V_[s]
        # V(s_t) <- V(s_t) + eta [r_t + gamma V(s_{t+1}) - V(s_t)]
        self.V_[s] += eta * delta
        self.visits_[s] += 1
        return float(delta)

    def fit(self, env, policy: Callable[[int], int] | np.ndarray, episodes: int,
            max_steps: int = 1000) -> TDZero:
        """Run `episodes` more episodes of `policy` (actions per state, or a function of the
        state) in `env`, updating V after every step; the env is seeded from the learner's
        stream at the first of them (a fit in parts goes on drawing from the stream)."""
        act = policy if callable(policy) else (lambda s: int(policy[s]))
        for e in range(episodes):
            s, _ = env.reset(seed=self.rng.seed() if e == 0 else None)
            for _ in range(max_steps):
                s_next, r, terminated, truncated, _ = env.step(act(s))
                self.update(s, r, s_next, terminated)
                s = s_next
                if terminated or truncated:
                    break
        return self

    # ---- resume: plain lists, which torch.load(weights_only=True) reads
    def state_dict(self) -> dict:
        return {"V": self.V_.tolist(), "visits": self.visits_.tolist(),
                "rng": self.rng.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        self.V_ = np.array(state["V"], dtype=float)
        self.visits_ = np.array(state["visits"], dtype=np.int64)
        self.rng.load_state_dict(state["rng"])


class QLearning:
    """Tabular Q-learning with epsilon-greedy or softmax exploration.

    lr=None is the deterministic update Q <- r + gamma max_b Q(s', b); a number is the
    stochastic update with that eta."""

    def __init__(self, n_states: int, n_actions: int, gamma: float = 0.95,
                 lr: float | None = 0.5, decay: float = 0.01, explore: str = "epsilon",
                 schedule: Callable[[int], float] = DEFAULT_SCHEDULE,
                 rng: Stream | int | None = None):
        if explore not in ("epsilon", "softmax"):
            raise ValueError(f"explore must be 'epsilon' or 'softmax', got {explore!r}")
        self.n_states, self.n_actions, self.gamma = n_states, n_actions, gamma
        self.lr, self.decay, self.explore, self.schedule = lr, decay, explore, schedule
        self.rng = as_stream(rng)
        self.Q_ = np.zeros((n_states, n_actions))
        self.visits_ = np.zeros((n_states, n_actions), dtype=np.int64)
        self.returns_: list[float] = []

    @property
    def policy_(self) -> np.ndarray:
        """The greedy policy pi(s) = argmax_a Q(s, a)."""
        return self.Q_.argmax(axis=1)

    def update(self, s: int, a: int, r: float, s_next: int, terminal: bool) -> float:
        """One Q-learning update of Q(s, a); returns the new Q(s, a)."""
        target = r + (0.0 if terminal else self.gamma * self.Q_[s_next].max())
        if self.lr is None:
            # Q(s_t, a_t) <- r_t + gamma max_b Q(s_{t+1}, b)
            self.Q_[s, a] = target
        else:
            eta = self.lr / (1 + self.decay * self.visits_[s, a])
            # Q(s_t, a_t) <- Q(s_t, a_t) + eta [r_t + gamma max_b Q(s_{t+1}, b) - Q(s_t, a_t)]
            self.Q_[s, a] += eta * (target - self.Q_[s, a])
        self.visits_[s, a] += 1
        return float(self.Q_[s, a])

    def act(self, s: int) -> int:
        """The behaviour policy in state s: epsilon-greedy (epsilon = schedule(episode)) or
        softmax (T = schedule(episode)), episode = the number of episodes finished."""
        x, rng = self.schedule(len(self.returns_)), self.rng.numpy
        if self.explore == "epsilon":
            return epsilon_greedy(self.Q_[s], x, rng)
        return softmax_action(self.Q_[s], x, rng)

    def greedy(self, s: np.ndarray) -> np.ndarray:
        """argmax_a Q(s, a) for a batch of states.  (B,) -> (B,)"""
        return self.Q_[np.asarray(s)].argmax(axis=-1)

    def fit(self, env, episodes: int, max_steps: int = 1000) -> QLearning:
        """Run `episodes` more exploring episodes in `env`, updating Q after every step; the
        undiscounted return of each episode is appended to returns_. The env is seeded from
        the learner's stream at the first of them."""
        for e in range(episodes):
            s, _ = env.reset(seed=self.rng.seed() if e == 0 else None)
            total = 0.0
            for _ in range(max_steps):
                a = self.act(s)
                s_next, r, terminated, truncated, _ = env.step(a)
                self.update(s, a, r, s_next, terminated)
                total += r
                s = s_next
                if terminated or truncated:
                    break
            self.returns_.append(total)
        return self
