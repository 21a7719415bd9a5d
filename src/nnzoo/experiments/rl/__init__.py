"""Reinforcement learning: TD(0) and Q-learning on tables, deep Q-learning, REINFORCE, A2C
and A3C on gymnasium's environments.

Each module here is one experiment. Heavy imports (numpy, torch, gymnasium, matplotlib)
happen inside the run functions, so that `nnzoo list` and `nnzoo show` read the configs
without them.
"""

from nnzoo.registry import family

family("rl", "Reinforcement learning", position=4,
       about="An agent learns from rewards what to do: values of states and actions learned "
             "by temporal differences in tables and then by networks (DQN), and policies "
             "learned directly by gradient ascent on the return (REINFORCE, actor-critic).",
       order=("td-gridworld", "q-learning", "double-q", "dqn", "dqn-acrobot", "dqn-mountaincar",
              "reinforce", "policy-search", "pong-reinforce", "a2c", "a3c"))
