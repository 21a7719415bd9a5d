"""Reinforcement learning: environments, exploration, returns, tabular TD, Q-learning and
double Q-learning, REINFORCE, hill climbing and an evolutionary strategy in parameter space,
DQN with replay and double Q, A2C and A3C.

The pieces live in their modules (`nnzoo.rl.tabular`, `nnzoo.rl.dqn`, ...); the agents
are also reachable here (`nnzoo.rl.DQN`), imported only when first asked for, so that
importing this package costs nothing.

One meaning for the agents' verbs (DQN, REINFORCE, A2C, A3C):

    act(obs)           the behaviour policy: the action the agent takes while it learns,
                       exploring (epsilon-greedy for DQN, a ~ pi(.|s) for the policy
                       gradients and A3C); one observation (D,) -> int for DQN, which
                       learns in one environment, a batch (E, D) -> (E,) for the others
    greedy(obs)        the best action, argmax_a Q(s, a) or argmax_a pi(a|s); a batch of
                       observations in NumPy (B, D) -> (B,) actions in NumPy
    learn(env, steps)  act and learn for `steps` more environment steps (to the end of the
                       episode or rollout under way) -> list of the episodes finished, each
                       a dict with at least "step" (the agent's step count when it ended)
                       and "return"; also appended to `agent.history`. `env`: a gymnasium
                       environment (DQN), a vector environment (REINFORCE, A2C), or the
                       gymnasium id that A3C's worker processes make
    update(batch)      one learning step on a batch of experience -> dict of statistics
    losses             (step, loss) of each update of the last `learn`, which stops at the
                       first that is not finite (A3C: only a worker's non-finite loss);
                       the training loops pass them to the run's divergence guard
    state_dict(), load_state_dict(state)
                       everything needed to go on exactly: networks, optimiser, replay,
                       step count, history, the random streams' positions and (A2C) the
                       state of the environments between two rollouts

Training in a run (`nnzoo.training.agents`, the floor above): `train_dqn` and
`train_until_solved` learn in parts that the run checkpoints with the agent, so that a
killed run resumes exactly;
`solved_at` is gymnasium's CartPole test (mean of 100 episodes >= `SOLVED_MEAN`);
`train_dqn` keeps the weights of DQN's best evaluation and `judge` plays them on new
episodes; `judge_policy` plays any policy (an agent's `greedy`) on new episodes, as the
CartPole claims of the policy gradients and policy search judge the policy a run ends with.

Tabular learners (TDZero, QLearning) are scikit-learn style, `fit(env, ...) -> self`,
learned attributes ending in `_`; QLearning also has `act(s)` and `greedy(s)`, TDZero
`state_dict()` for a fit in parts. QLearners runs N independent Q-learners or double
Q-learners side by side (e.g. on `MaximizationBias`, Sutton and Barto's two-state task).

HillClimbing and EvolutionStrategy (`nnzoo.rl.policy_search`) search the parameters of
REINFORCE's network with random perturbations: `learn(env_id, episodes)`, `greedy(obs)`,
`state_dict()`; their `history` has one entry per episode ("episode", "return").

Randomness: every agent and learner takes `rng`, a `nnzoo.random.Stream` (or an int
seed, or None for fresh entropy), and draws everything from it: initial weights,
exploration, replay minibatches, the environments' seeds. Nothing here touches the
global generators of torch, NumPy or Python.
"""

from importlib import import_module

_WHERE = {"GridWorld": "gridworld", "TDZero": "tabular", "QLearning": "tabular",
          "ReplayBuffer": "replay", "DQN": "dqn", "REINFORCE": "policy_gradient",
          "A2C": "a2c", "A3C": "a3c", "QLearners": "tabular",
          "MaximizationBias": "gridworld", "HillClimbing": "policy_search",
          "EvolutionStrategy": "policy_search"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f"nnzoo.rl.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'nnzoo.rl' has no attribute {name!r}")
