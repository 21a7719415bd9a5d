"""Reinforcement learning: environments, exploration, returns, tabular TD and Q-learning,
REINFORCE, DQN with replay and double Q, A2C and A3C.

The pieces live in their modules (`nnzoo.rl.tabular`, `nnzoo.rl.dqn`, ...); the agents
are also reachable here (`nnzoo.rl.DQN`), imported only when first asked for, so that
importing this package costs nothing.
"""

from importlib import import_module

_WHERE = {"GridWorld": "gridworld", "TDZero": "tabular", "QLearning": "tabular",
          "ReplayBuffer": "replay", "DQN": "dqn", "REINFORCE": "policy_gradient",
          "A2C": "policy_gradient", "A3C": "a3c"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"nnzoo.rl.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'nnzoo.rl' has no attribute {name!r}")
