"""Tabular value learning: TD(0) for the value of a policy, and Q-learning.

TD(0) (deterministic world: eta = 1 gives V(s_t) <- r_t + gamma V(s_{t+1})):

    V(s_t) <- V(s_t) + eta [r_t + gamma V(s_{t+1}) - V(s_t)]

Q-learning, the deterministic update and the stochastic one:

    Q(s_t, a_t) <- r_t + gamma max_b Q(s_{t+1}, b)
    Q(s_t, a_t) <- Q(s_t, a_t) + eta [r_t + gamma max_b Q(s_{t+1}, b) - Q(s_t, a_t)]

Double Q-learning (van Hasselt 2010; Sutton and Barto's section 6.7) keeps two tables; at
each step one of them, picked at random with probability 1/2, is updated, the other one
evaluating the action the updated one selects (for Q_B: swap A and B):

    Q_A(s_t, a_t) <- Q_A(s_t, a_t) + eta [r_t + gamma Q_B(s_{t+1}, argmax_b Q_A(s_{t+1}, b))
                                          - Q_A(s_t, a_t)]

so that the noise that makes an action look best in Q_A is not the noise that values it.

V and Q of a terminal state are 0: when the episode ends at s_{t+1} there is no
gamma V(s_{t+1}) term. `q_update` and `double_q_update` do one update in each of N tables
at once; `QLearning` (one learner, in a gymnasium env) uses the first, `QLearners` (N
independent learners stepped together, Q-learning or double Q-learning) both. The
learners are scikit-learn style: `fit(env, ...) -> self`,
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


def q_update(Q: np.ndarray, s, a, r, s_next, terminal, eta, gamma: float,
             valid: np.ndarray | None = None) -> None:
    """One Q-learning update of Q(s, a) in each of N tables, in place.  Q: (N, S, A);
    s, a, r, s_next, terminal and eta: (N,) or scalars; valid: (S, A) the actions each
    state has (None: all)."""
    n = np.arange(len(Q))
    nxt = Q[n, s_next]  # (N, A)
    if valid is not None:
        nxt = np.where(valid[s_next], nxt, -np.inf)
    target = r + np.where(terminal, 0.0, gamma * nxt.max(axis=1))  # (N,)
    # Q(s_t, a_t) <- Q(s_t, a_t) + eta [r_t + gamma max_b Q(s_{t+1}, b) - Q(s_t, a_t)]
    Q[n, s, a] += eta * (target - Q[n, s, a])


def double_q_update(Q: np.ndarray, which, s, a, r, s_next, terminal, eta, gamma: float,
                    valid: np.ndarray | None = None) -> None:
    """One double Q-learning update in each of N pairs of tables, in place: table
    `which` (0 or 1 per pair) learns, the other evaluates.  Q: (N, 2, S, A); which, s, a,
    r, s_next, terminal and eta: (N,) or scalars; valid: (S, A) or None."""
    n, which = np.arange(len(Q)), np.broadcast_to(which, (len(Q),))
    Q_A, Q_B = Q[n, which], Q[n, 1 - which]  # copies  (N, S, A)
    nxt = Q_A[n, s_next]  # (N, A)
    if valid is not None:
        nxt = np.where(valid[s_next], nxt, -np.inf)
    b = nxt.argmax(axis=1)  # argmax_b Q_A(s_{t+1}, b)  (N,)
    target = r + np.where(terminal, 0.0, gamma * Q_B[n, s_next, b])  # (N,)
    # Q_A(s_t, a_t) <- Q_A(s_t, a_t) + eta [r_t + gamma Q_B(s_{t+1}, argmax_b Q_A) - Q_A(s_t, a_t)]
    Q[n, which, s, a] += eta * (target - Q_A[n, s, a])


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
            q_update(self.Q_[None], s, a, r, s_next, terminal, eta, self.gamma)
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


class QLearners:
    """N independent tabular learners stepped side by side, one per run: Q-learning, or
    double Q-learning (`double=True`), both with constant eta and epsilon-greedy exploration.

    tables_ (N, K, S, A) holds each run's table (K = 1) or its pair Q_A, Q_B (K = 2); the
    behaviour policy is epsilon-greedy on Q_ = their sum (Sutton and Barto's choice for
    double Q), ties broken at random. `valid` (S, A) marks the actions each state has (the
    others are never taken nor maximised over). The environment is stepped for all runs at
    once: `reset(n) -> s (N,)`, `step(s, a, rng) -> s', r, terminated` (as
    `nnzoo.rl.gridworld.MaximizationBias`)."""

    def __init__(self, runs: int, n_states: int, n_actions: int, *, double: bool = False,
                 gamma: float = 1.0, lr: float = 0.1, epsilon: float = 0.1,
                 valid: np.ndarray | None = None, rng: Stream | int | None = None):
        self.runs, self.double, self.gamma, self.lr, self.epsilon = runs, double, gamma, lr, epsilon
        self.valid = np.ones((n_states, n_actions), dtype=bool) if valid is None \
            else np.asarray(valid, dtype=bool)
        self.rng = as_stream(rng)
        self.tables_ = np.zeros((runs, 2 if double else 1, n_states, n_actions))
        self.first_actions_: list[np.ndarray] = []  # per episode, each run's first action (N,)

    @property
    def Q_(self) -> np.ndarray:
        """Each run's Q (the sum Q_A + Q_B for double Q).  (N, S, A)"""
        return self.tables_.sum(axis=1)

    def act(self, rows: np.ndarray, s: np.ndarray) -> np.ndarray:
        """epsilon-greedy actions of the runs `rows` in their states s.  (n,), (n,) -> (n,)"""
        rng, valid = self.rng.numpy, self.valid[s]  # (n, A)
        Q = np.where(valid, self.Q_[rows, s], -np.inf)  # (n, A)
        best = valid & (Q == Q.max(axis=1, keepdims=True))
        greedy = np.where(best, rng.random(Q.shape), -1.0).argmax(axis=1)  # ties at random
        uniform = np.where(valid, rng.random(Q.shape), -1.0).argmax(axis=1)  # any valid action
        return np.where(rng.random(len(rows)) < self.epsilon, uniform, greedy)

    def update(self, rows, s, a, r, s_next, terminal) -> None:
        """One update in the runs `rows`; double Q picks the table that learns at random."""
        if self.double:
            T = self.tables_[rows]  # (n, 2, S, A)
            which = self.rng.numpy.integers(2, size=len(rows))
            double_q_update(T, which, s, a, r, s_next, terminal, self.lr, self.gamma, self.valid)
        else:
            T = self.tables_[rows, 0]  # (n, S, A)
            q_update(T, s, a, r, s_next, terminal, self.lr, self.gamma, self.valid)
        self.tables_[rows] = T.reshape(self.tables_[rows].shape)

    def fit(self, env, episodes: int, max_steps: int = 1000) -> QLearners:
        """`episodes` more episodes in every run, updating after every step; each episode's
        first actions are appended to first_actions_."""
        for _ in range(episodes):
            s = env.reset(self.runs)
            alive = np.ones(self.runs, dtype=bool)
            for t in range(max_steps):
                rows = np.flatnonzero(alive)
                a = self.act(rows, s[rows])
                if t == 0:
                    self.first_actions_.append(a.astype(np.int8))
                s_next, r, terminated = env.step(s[rows], a, self.rng.numpy)
                self.update(rows, s[rows], a, r, s_next, terminated)
                s[rows], alive[rows] = s_next, ~terminated
                if not alive.any():
                    break
        return self
