"""A3C: asynchronous advantage actor-critic (Mnih et al. 2016).

Several worker processes each run their own environments and their own copy of the
actor-critic (the same loss as A2C: n-step Q, advantage Q - V_u, value error
[Q - V_u]^2). A worker copies the shared parameters, collects n steps, computes the
gradient of its loss on its copy and applies it to the shared parameters with a
shared Adam (its moment estimates live in shared memory too), without locks
("Hogwild"). The main process only watches: it gathers finished episodes from a
queue, stops the workers when the policy solves the task or the step budget is spent,
and checkpoints the shared parameters. A worker whose loss is not finite sends it to the
main process instead of a gradient, and all stop (`losses` then holds it).

Works with the 'spawn' and 'fork' start methods. Ctrl-C: the workers ignore SIGINT,
the main process tells them to stop, waits for them, and re-raises. Asynchronous
updates interleave differently on every run, so no two runs, resumed or not, are equal
number for number. A checkpoint holds the shared parameters, Adam's moments, the step
count, the episodes so far and the agent's stream; a resumed run's workers start new
episodes with new random streams (`worker_stream`).
"""

from __future__ import annotations

import math
import queue
import signal
import time
from collections.abc import Callable

import numpy as np
import torch
import torch.multiprocessing as mp
from torch import nn

from nnzoo.random import Stream, as_stream
from nnzoo.rl.a2c import A2C
from nnzoo.rl.policy_gradient import vector_env


def shared_adam_state(params: list[nn.Parameter]) -> list[dict[str, torch.Tensor]]:
    """Adam's per-parameter state (step, first and second moments) in shared memory."""
    return [{"step": torch.zeros(()).share_memory_(),
             "exp_avg": torch.zeros_like(p).share_memory_(),
             "exp_avg_sq": torch.zeros_like(p).share_memory_()} for p in params]


def shared_adam(params: list[nn.Parameter], state: list[dict], lr: float):
    """An Adam over the shared parameters whose state is the shared tensors (updated in
    place by every worker)."""
    opt = torch.optim.Adam(params, lr=lr, foreach=False)
    for p, st in zip(params, state):
        opt.state[p] = st
    return opt


def worker_stream(rng: Stream, rank: int, start: int) -> Stream:
    """The stream of worker `rank` of the agent whose stream is `rng`, in a part of the
    run that starts at step `start`: a resumed run's workers draw new random streams, not
    the first part's again."""
    return rng.child("worker", rank, start)


def worker(rank: int, env_id: str, n_envs: int, agent_kw: dict, policy: nn.Module,
           value: nn.Module, adam_state: list[dict], counter, stop, episodes, steps: int,
           rng: Stream) -> None:
    """One A3C worker: copy theta and u, roll out n steps, push the gradient, repeat."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    torch.set_num_threads(1)
    local = A2C(**agent_kw, rng=rng)
    envs = vector_env(env_id, n_envs)
    shared = [*policy.parameters(), *value.parameters()]
    opt = shared_adam(shared, adam_state, agent_kw["lr"])
    try:
        while not stop.is_set() and counter.value < steps:
            local.policy.load_state_dict(policy.state_dict())  # theta, u <- the shared ones
            local.value.load_state_dict(value.state_dict())
            before = local.t
            batch, finished = local.rollout(envs)
            loss, _ = local.loss(batch)
            if not math.isfinite(loss.item()):  # no gradient: tell the main process, stop
                episodes.put((rank, counter.value + local.t - before, "loss", loss.item()))
                break
            for p in local.parameters():
                p.grad = None
            loss.backward()
            nn.utils.clip_grad_norm_(local.parameters(), local.max_grad_norm)
            for lp, sp in zip(local.parameters(), shared):
                sp.grad = lp.grad  # this process's view of the shared parameter
            opt.step()
            with counter.get_lock():
                counter.value += local.t - before
                total = counter.value
            for f in finished:
                episodes.put((rank, total, "return", f["return"]))
    finally:
        envs.close()


class A3C:
    """The shared actor-critic and its workers: `learn(env_id, steps)` runs them until the
    task is solved (mean return of the last 100 episodes >= `solved`) or `steps` are
    spent. `agent_kw` are A2C's hyper-parameters (hidden, gamma, n_steps, entropy_coef,
    ...); the initial weights and acting come from `rng`, each worker's stream from its
    child ("worker", rank, first step)."""

    def __init__(self, obs_dim: int, n_actions: int, *, workers: int = 2,
                 envs_per_worker: int = 4, lr: float = 7e-4, start_method: str = "spawn",
                 rng: Stream | int | None = None, **agent_kw):
        self.workers, self.lr, self.envs_per_worker = workers, lr, envs_per_worker
        self.rng = as_stream(rng)
        self.agent_kw = {"obs_dim": obs_dim, "n_actions": n_actions, "lr": lr, **agent_kw}
        self.shared = A2C(**self.agent_kw, rng=self.rng)
        self.shared.policy.share_memory()
        self.shared.value.share_memory()
        self.adam_state = shared_adam_state(self.shared.parameters())
        self.ctx = mp.get_context(start_method)
        self.t = 0
        self.history: list[dict] = []
        self.losses: list[tuple[int, float]] = []  # the last learn's non-finite losses, if any

    def act(self, obs: np.ndarray) -> np.ndarray:
        """The behaviour policy: a ~ pi_theta(.|s) of the shared network.  (E, D) -> (E,)"""
        return self.shared.act(obs)

    def greedy(self, obs: np.ndarray) -> np.ndarray:
        """argmax_a pi_theta(a|s) of the shared network.  (B, D) -> (B,)"""
        return self.shared.greedy(obs)

    def learn(self, env: str, steps: int, *, solved: float = float("inf"),
              on_episode: Callable[[dict], None] | None = None) -> list[dict]:
        """Run the workers, each in its own `envs_per_worker` copies of the gymnasium
        environment `env` (an id: each process makes its own), for up to `steps` more
        steps; `on_episode(entry)` is called in this process for each finished episode.
        A worker's non-finite loss stops them all and is put in `losses` as (step, loss)
        (the workers' finite losses are not gathered). Returns the episodes finished."""
        if not isinstance(env, str):
            raise TypeError(f"A3C's workers make their own environments: expected a "
                            f"gymnasium id such as 'CartPole-v1', got {env!r}")
        counter, stop = self.ctx.Value("l", self.t), self.ctx.Event()
        episodes = self.ctx.Queue()
        procs = [self.ctx.Process(target=worker, daemon=True, args=(
            rank, env, self.envs_per_worker, self.agent_kw, self.shared.policy,
            self.shared.value, self.adam_state, counter, stop, episodes, self.t + steps,
            worker_stream(self.rng, rank, self.t)))
            for rank in range(self.workers)]
        for p in procs:
            p.start()
        new: list[dict] = []
        self.losses = []
        try:
            while any(p.is_alive() for p in procs) or not episodes.empty():
                try:
                    rank, t, kind, ret = episodes.get(timeout=0.2)
                except queue.Empty:
                    continue
                if kind == "loss":  # a worker's loss is not finite: stop them all
                    self.losses.append((t, ret))
                    stop.set()
                    continue
                new.append({"step": t, "return": ret, "worker": rank})
                self.history.append(new[-1])
                if on_episode:
                    on_episode(new[-1])
                recent = [h["return"] for h in self.history[-100:]]
                if len(recent) == 100 and np.mean(recent) >= solved:
                    stop.set()
        finally:  # normal end, Ctrl-C or error: stop the workers and wait for them
            stop.set()
            deadline = time.time() + 10
            for p in procs:
                p.join(timeout=max(deadline - time.time(), 0.1))
                if p.is_alive():
                    p.terminate()
                    p.join()
            self.t = counter.value
        failed = [p.exitcode for p in procs if p.exitcode not in (0, -signal.SIGTERM)]
        if failed:
            raise RuntimeError(f"{len(failed)} A3C worker(s) failed (exit codes {failed}); "
                               "their traceback is above")
        return new

    def state_dict(self) -> dict:
        return {"policy": self.shared.policy.state_dict(), "value": self.shared.value.state_dict(),
                "adam": [{k: v.clone() for k, v in st.items()} for st in self.adam_state],
                "rng": self.rng.state_dict(), "t": self.t, "history": self.history}

    def load_state_dict(self, state: dict) -> None:
        self.shared.policy.load_state_dict(state["policy"])
        self.shared.value.load_state_dict(state["value"])
        for st, saved in zip(self.adam_state, state["adam"]):
            for k, v in st.items():
                v.copy_(saved[k])
        self.rng.load_state_dict(state["rng"])
        self.t, self.history = state["t"], list(state["history"])
