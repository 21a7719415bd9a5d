"""Small grid worlds whose optimal values are known exactly, and value iteration.

A world is drawn as strings, rows from the top:

    "...G"      .  an empty cell (reward `step_reward` for entering it)
    ".#.P"      #  a wall: moving into it (or off the grid) leaves the agent where it is
    "S..."      S  the start;  G  the goal (+1, episode ends);  P  a pit (-1, episode ends)

This default is Russell and Norvig's 4x3 world. With slip = 0 it is deterministic: the
move goes where it is meant to go. With slip = 0.2 it is their stochastic world: the
move goes as meant with probability 0.8 and to either side with probability 0.1 each.

The model P[s][a] = [(probability, s', r, terminated), ...] has the same form as the
`P` of gymnasium's toy-text environments (FrozenLake, CliffWalking, Taxi), so that
`value_iteration` and `policy_values` serve both:

    V*(s) = max_a sum_{s'} delta(s'|s, a) [R(s, a, s') + gamma V*(s')]     (Bellman)
    V^pi  = (I - gamma P_pi)^{-1} R_pi                                      (a policy's value)

`MaximizationBias` is not a grid: Sutton and Barto's two-state example of maximisation bias
(Example 6.7), stepped for many independent runs at once.
"""

from __future__ import annotations

from bisect import bisect
from itertools import accumulate

import gymnasium as gym
import numpy as np

RUSSELL_NORVIG = ("...G", ".#.P", "S...")
MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))  # up, right, down, left
CELL_REWARD = {"G": 1.0, "P": -1.0}


class GridWorld(gym.Env):
    """A grid world with the gymnasium API; states are cell indices row * width + col."""

    metadata = {"render_modes": []}

    def __init__(self, layout: tuple[str, ...] = RUSSELL_NORVIG, slip: float = 0.0,
                 step_reward: float = -0.04, random_start: bool = False):
        if not 0 <= slip <= 1:
            raise ValueError(f"slip must lie in [0, 1], got {slip}")
        self.layout, self.slip, self.step_reward = tuple(layout), slip, step_reward
        self.random_start = random_start
        self.shape = (len(layout), len(layout[0]))
        self.cells = "".join(layout)
        self.terminal = np.array([c in CELL_REWARD for c in self.cells])
        self.wall = np.array([c == "#" for c in self.cells])
        self.start = self.cells.index("S")
        self.observation_space = gym.spaces.Discrete(len(self.cells))
        self.action_space = gym.spaces.Discrete(4)
        self.P = {s: {a: self._transitions(s, a) for a in range(4)} for s in range(len(self.cells))}
        self._cumulative = {(s, a): list(accumulate(o[0] for o in outs))
                            for s, acts in self.P.items() for a, outs in acts.items()}
        self.s = self.start

    def _move(self, s: int, a: int) -> int:
        rows, cols = self.shape
        r, c = divmod(s, cols)
        r2, c2 = r + MOVES[a][0], c + MOVES[a][1]
        if 0 <= r2 < rows and 0 <= c2 < cols and not self.wall[r2 * cols + c2]:
            return r2 * cols + c2
        return s

    def _transitions(self, s: int, a: int) -> list[tuple[float, int, float, bool]]:
        """delta(s'|s, a) with its reward: as meant 1 - slip, to each side slip / 2."""
        if self.terminal[s] or self.wall[s]:  # never occupied: stay, nothing happens
            return [(1.0, s, 0.0, bool(self.terminal[s]))]
        outcome: dict[int, float] = {}
        for move, p in ((a, 1 - self.slip), ((a + 1) % 4, self.slip / 2),
                        ((a + 3) % 4, self.slip / 2)):
            if p > 0:
                s2 = self._move(s, move)
                outcome[s2] = outcome.get(s2, 0.0) + p
        return [(p, s2, CELL_REWARD.get(self.cells[s2], self.step_reward),
                 bool(self.terminal[s2])) for s2, p in outcome.items()]

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        if self.random_start:  # exploring starts: any cell that is not a wall or terminal
            free = np.flatnonzero(~self.terminal & ~self.wall)
            self.s = int(self.np_random.choice(free))
        else:
            self.s = self.start
        return self.s, {}

    def step(self, a: int):
        outcomes, a = self.P[self.s][int(a)], int(a)
        i = 0 if len(outcomes) == 1 else \
            min(bisect(self._cumulative[self.s, a], self.np_random.random()), len(outcomes) - 1)
        _, self.s, r, terminated = outcomes[i]
        return self.s, r, terminated, False, {}


class MaximizationBias:
    """Sutton and Barto's example of maximisation bias (Example 6.7, Figure 6.5), for N
    independent runs stepped side by side (NumPy arrays of states and actions, one per run).

    Every episode starts in A (state 0). In A, action 1 (right) ends the episode with reward
    0; action 0 (left) leads to B (state 1), reward 0. In B each of `b_actions` actions ends
    the episode with reward r ~ N(mean, std^2). With mean < 0 left is worth mean < 0 and
    right 0, but the largest of several noisy estimates of B's actions is likely above 0:
    a learner that evaluates B by the max of its estimates is drawn to the left.
    """

    A, B = 0, 1
    LEFT, RIGHT = 0, 1
    n_states = 2

    def __init__(self, b_actions: int = 10, mean: float = -0.1, std: float = 1.0):
        if b_actions < 1 or std < 0:
            raise ValueError(f"need b_actions >= 1 and std >= 0, got {b_actions}, {std}")
        self.b_actions, self.mean, self.std = b_actions, mean, std
        self.n_actions = max(2, b_actions)
        # valid[s, a]: the actions of A (left, right) and of B (b_actions of them)  (S, A)
        self.valid = np.zeros((2, self.n_actions), dtype=bool)
        self.valid[self.A, :2] = True
        self.valid[self.B, :b_actions] = True

    def reset(self, n: int) -> np.ndarray:
        """The first states of n episodes: all in A.  -> (N,)"""
        return np.full(n, self.A)

    def step(self, s: np.ndarray, a: np.ndarray, rng: np.random.Generator):
        """One step from states s with actions a, each a valid action of its state.  (N,)
        -> s' (N,) (A where the episode ended: ignore it there), r (N,), terminated (N,)"""
        s, a = np.asarray(s), np.asarray(a)
        if not self.valid[s, a].all():
            raise ValueError("an action that its state does not have")
        in_b = s == self.B
        r = np.where(in_b, rng.normal(self.mean, self.std, size=s.shape), 0.0)
        to_b = (s == self.A) & (a == self.LEFT)
        return np.where(to_b, self.B, self.A), r, ~to_b


# --------------------------------------------------------------------------- exact solutions
def model_arrays(P: dict, n_states: int, n_actions: int) -> tuple[np.ndarray, np.ndarray]:
    """The model as arrays: T[s, a, s'] = delta(s'|s, a) for the moves that do not end the
    episode, and R[s, a] = the expected immediate reward.  -> (S, A, S), (S, A)"""
    T = np.zeros((n_states, n_actions, n_states))
    R = np.zeros((n_states, n_actions))
    for s in range(n_states):
        for a in range(n_actions):
            for p, s2, r, terminated in P[s][a]:
                R[s, a] += p * r
                if not terminated:
                    T[s, a, s2] += p
    return T, R


def value_iteration(P: dict, n_states: int, n_actions: int, gamma: float,
                    tol: float = 1e-12, max_iter: int = 100_000):
    """V*, Q* and a greedy optimal policy by repeating the Bellman optimality update

        Q(s, a) <- R(s, a) + gamma sum_{s'} delta(s'|s, a) V(s'),   V(s) <- max_a Q(s, a)

    until V changes by less than `tol`.  -> V (S,), Q (S, A), policy (S,)"""
    T, R = model_arrays(P, n_states, n_actions)
    V = np.zeros(n_states)
    for _ in range(max_iter):
        Q = R + gamma * T @ V  # (S, A)
        V_new = Q.max(axis=1)
        if np.abs(V_new - V).max() < tol:
            V = V_new
            break
        V = V_new
    Q = R + gamma * T @ V
    return V, Q, Q.argmax(axis=1)


def policy_values(P: dict, n_states: int, n_actions: int, gamma: float,
                  policy: np.ndarray) -> np.ndarray:
    """The exact value of a policy, V^pi = (I - gamma P_pi)^{-1} R_pi.

    `policy` is either a deterministic action per state (S,) or probabilities (S, A)."""
    T, R = model_arrays(P, n_states, n_actions)
    pi = np.asarray(policy)
    if pi.ndim == 1:
        pi = np.eye(n_actions)[pi]  # (S, A) one-hot
    T_pi = np.einsum("sa,sat->st", pi, T)  # (S, S)
    R_pi = (pi * R).sum(axis=1)  # (S,)
    return np.linalg.solve(np.eye(n_states) - gamma * T_pi, R_pi)


def terminal_states(P: dict) -> set[int]:
    """The states where an episode ends: entering them ends it, so their own value never
    counts (goals, pits, FrozenLake's holes)."""
    return {int(s2) for acts in P.values() for outs in acts.values()
            for p, s2, _, terminated in outs if terminated and p > 0}


def reachable_states(P: dict, start: int) -> set[int]:
    """The states that some sequence of actions can reach from `start` (an episode's end
    included, moves out of a terminal state not)."""
    seen, todo = {start}, [start]
    while todo:
        s = todo.pop()
        for outs in P[s].values():
            for p, s2, _, terminated in outs:
                if p > 0 and int(s2) not in seen:
                    seen.add(int(s2))
                    if not terminated:
                        todo.append(int(s2))
    return seen
