"""Policy search without gradients: hill climbing and an evolutionary strategy, the course's
two other ways (beside policy gradients) to learn a policy.

theta is the flat vector of a policy network's parameters (by default REINFORCE's network,
`tanh_mlp`: observations -> logits); the policy acts greedily, a = argmax_a logits(s), so
that a parameter vector has one return per start state. The fitness F(theta) is the mean
return of `episodes` episodes (fresh start states every time it is measured).

Hill climbing (keep a random step when it is no worse than the incumbent):

    theta' = theta + sigma eps,   eps ~ N(0, I)
    F_best = the mean of every measurement of F(theta), one more taken now beside F(theta')
    if F(theta') >= F_best:   theta <- theta',  F_best <- F(theta')

The incumbent theta is measured again at every step, and F_best is the mean of all its
measurements: a lucky evaluation (a few long episodes of a poor policy) is not kept
forever as the bar every later step must clear, it is averaged away as theta is measured
again.

Evolutionary strategy (Salimans et al. 2017's, with standardised returns): a population of
n perturbations eps_i ~ N(0, I), F_i = F(theta + sigma eps_i), and a step along their
return-weighted average,

    A_i = (F_i - mean_j F_j) / std_j F_j        (A_i = 0 when all F_j are equal)
    theta <- theta + alpha / (n sigma) sum_i A_i eps_i

Both count the episodes they run (`episodes_`), so that they can be compared with
REINFORCE at the same budget of episodes. The parameter vectors of one step are evaluated
side by side: one vector environment with an episode per (vector, repeat), the network
applied to all of them at once with torch.func.vmap.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import torch
from torch.func import functional_call, vmap

from nnzoo.random import Stream, as_stream
from nnzoo.rl.policy_gradient import tanh_mlp, vector_env


def hill_climbing_step(theta: torch.Tensor, F_best: float, candidate: torch.Tensor,
                       F_candidate: float) -> tuple[torch.Tensor, float, bool]:
    """Keep the candidate if its fitness is no worse. -> (theta, F_best, accepted)"""
    if F_candidate >= F_best:
        return candidate, F_candidate, True
    return theta, F_best, False


def running_mean(mean: float, n: int, x: float) -> tuple[float, int]:
    """The mean of n measurements and one more, x. -> (mean of the n + 1, n + 1)"""
    return mean + (x - mean) / (n + 1), n + 1


def es_step(theta: torch.Tensor, eps: torch.Tensor, F: torch.Tensor, sigma: float,
            alpha: float) -> torch.Tensor:
    """theta + alpha / (n sigma) sum_i A_i eps_i, A_i the standardised F_i.
    theta (P,), eps (n, P), F (n,) -> (P,)"""
    std = F.std(unbiased=False)
    A = (F - F.mean()) / std if std > 0 else torch.zeros_like(F)  # (n,)
    return theta + alpha / (len(F) * sigma) * (A @ eps)


class PolicySearch:
    """What hill climbing and the evolutionary strategy share: the network, its parameters
    as one vector theta_, the fitness of many vectors at once, the history, checkpoints."""

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: int, sigma: float,
                 episodes: int, rng: Stream | int | None):
        self.rng = as_stream(rng)
        self.policy = tanh_mlp([obs_dim, hidden, n_actions], self.rng.child("init").torch)
        self.shapes = {k: p.shape for k, p in self.policy.named_parameters()}
        self.theta_ = torch.nn.utils.parameters_to_vector(self.policy.parameters()).detach()
        self.sigma, self.episodes = sigma, episodes
        self.episodes_ = 0
        self.history: list[dict] = []  # one entry per episode run: episode count, return

    def _params(self, thetas: torch.Tensor) -> dict[str, torch.Tensor]:
        """K flat vectors as the network's parameters, each with a leading K.  (K, P)"""
        out, i = {}, 0
        for k, shape in self.shapes.items():
            n = shape.numel()
            out[k] = thetas[:, i:i + n].reshape(len(thetas), *shape)
            i += n
        return out

    @torch.no_grad()
    def fitness(self, thetas: torch.Tensor, env_id: str) -> torch.Tensor:
        """F of each of K parameter vectors: the mean return of `episodes` greedy episodes,
        all K * episodes run side by side; they join the history.  (K, P) -> (K,)"""
        K, m = len(thetas), self.episodes
        envs: gym.vector.VectorEnv = vector_env(env_id, K * m)
        obs, _ = envs.reset(seed=self.rng.seed())
        params = self._params(thetas)
        forward = vmap(lambda p, x: functional_call(self.policy, p, (x,)))
        returns, running = np.zeros(K * m), np.ones(K * m, dtype=bool)
        while running.any():
            x = torch.as_tensor(obs, dtype=torch.float32).reshape(K, m, -1)  # (K, m, D)
            a = forward(params, x).argmax(dim=-1).reshape(-1)  # (K m,)
            obs, r, terminated, truncated, _ = envs.step(a.numpy())
            returns += r * running  # an env that has ended is reset by gymnasium: ignore it
            running &= ~(terminated | truncated)
        envs.close()
        for R in returns:
            self.episodes_ += 1
            self.history.append({"episode": self.episodes_, "return": float(R)})
        return torch.as_tensor(returns, dtype=torch.float32).reshape(K, m).mean(dim=1)

    def learn(self, env_id: str, episodes: int) -> None:
        """Steps until `episodes` more episodes have been run (the last step may go over)."""
        stop = self.episodes_ + episodes
        while self.episodes_ < stop:
            self.step(env_id)

    @torch.no_grad()
    def greedy(self, obs: np.ndarray) -> np.ndarray:
        """argmax_a logits(s) under theta_.  (B, D) -> (B,)"""
        torch.nn.utils.vector_to_parameters(self.theta_, self.policy.parameters())
        return self.policy(torch.as_tensor(obs, dtype=torch.float32)).argmax(dim=1).numpy()

    def state_dict(self) -> dict:
        return {"theta": self.theta_.clone(), "episodes": self.episodes_,
                "history": self.history, "rng": self.rng.state_dict(), **self._extra()}

    def load_state_dict(self, state: dict) -> None:
        self.theta_ = state["theta"].clone()
        self.episodes_, self.history = state["episodes"], list(state["history"])
        self.rng.load_state_dict(state["rng"])
        self._load_extra(state)

    def _extra(self) -> dict:
        return {}

    def _load_extra(self, state: dict) -> None:
        pass


class HillClimbing(PolicySearch):
    """Hill climbing in parameter space: one Gaussian step sigma eps at a time, kept when
    its fitness (mean of `episodes` returns) is no worse than the incumbent's, F_best: the
    mean of all the incumbent's measurements, one more taken beside each candidate's (so a
    step costs 2 x `episodes` episodes)."""

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: int = 16, sigma: float = 0.5,
                 episodes: int = 4, rng: Stream | int | None = None):
        super().__init__(obs_dim, n_actions, hidden=hidden, sigma=sigma, episodes=episodes,
                         rng=rng)
        self.F_best_ = 0.0  # the mean of the incumbent's measurements (none yet)
        self.measured_ = 0  # how many measurements of the incumbent F_best_ averages
        self.accepted_ = 0

    def step(self, env_id: str) -> bool:
        """One step: the incumbent measured again beside a candidate. -> accepted"""
        # theta' = theta + sigma eps,  eps ~ N(0, I)
        eps = torch.randn(self.theta_.shape, generator=self.rng.torch)
        candidate = self.theta_ + self.sigma * eps
        F_theta, F = self.fitness(torch.stack([self.theta_, candidate]), env_id).tolist()
        # F_best: the mean of every measurement of theta, this one included
        self.F_best_, self.measured_ = running_mean(self.F_best_, self.measured_, F_theta)
        self.theta_, self.F_best_, accepted = hill_climbing_step(self.theta_, self.F_best_,
                                                                 candidate, F)
        if accepted:  # the new incumbent has been measured once
            self.measured_ = 1
        self.accepted_ += accepted
        return accepted

    def _extra(self) -> dict:
        return {"F_best": self.F_best_, "measured": self.measured_,
                "accepted": self.accepted_}

    def _load_extra(self, state: dict) -> None:
        self.F_best_, self.accepted_ = state["F_best"], state["accepted"]
        self.measured_ = state["measured"]


class EvolutionStrategy(PolicySearch):
    """An evolutionary strategy: a population of `population` Gaussian perturbations, and a
    step of size alpha (`lr`) along their return-weighted average (see the module)."""

    def __init__(self, obs_dim: int, n_actions: int, *, hidden: int = 16, sigma: float = 0.1,
                 population: int = 10, lr: float = 0.2, episodes: int = 1,
                 rng: Stream | int | None = None):
        super().__init__(obs_dim, n_actions, hidden=hidden, sigma=sigma, episodes=episodes,
                         rng=rng)
        self.population, self.lr = population, lr

    def step(self, env_id: str) -> float:
        """One generation. -> the population's mean fitness"""
        eps = torch.randn((self.population, len(self.theta_)), generator=self.rng.torch)  # (n, P)
        F = self.fitness(self.theta_ + self.sigma * eps, env_id)  # (n,)
        self.theta_ = es_step(self.theta_, eps, F, self.sigma, self.lr)
        return float(F.mean())
