"""Reinforcement learning: environments, exploration, returns, tabular TD and Q-learning,
REINFORCE, DQN with replay and double Q, A2C and A3C.

Import the pieces from their modules (`nnzoo.rl.tabular`, `nnzoo.rl.dqn`, ...): this
package imports nothing heavy itself.
"""
