"""The one supervised training loop that experiments share (`fit`), and what it measures with.

Small data sets live on the device as whole tensors and mini-batches are slices of a
shuffled index, not a per-sample DataLoader. Every `eval_every` epochs the loop
measures loss and accuracy (and on validation data when given), logs them to the run,
updates the progress bar, asks `stop_when` whether to stop, and checks the loss with
the run's divergence guard. Its measurements are parts of the run (`run.parts`): the
model, the optimiser, the scheduler, the shuffling generator and the history are
checkpointed with them, so that a resumed run continues exactly where it stopped.

Two other ways to find the weights, for small problems: `fit_to_convergence` (L-BFGS on
all the data until it converges) and `hill_climb` (local search, for step units).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters

from nnzoo import distributed
from nnzoo.errors import Diverged
from nnzoo.nn import sse, weight_decay
from nnzoo.training.protocol import TrainingRun


@dataclass
class History:
    """What `fit` measured: one entry per evaluation."""

    epochs: list[int] = field(default_factory=list)
    stats: list[dict[str, float]] = field(default_factory=list)
    stopped_early: bool = False

    def last(self) -> dict[str, float]:
        return self.stats[-1] if self.stats else {}

    def series(self, key: str) -> list[float]:
        return [s[key] for s in self.stats]


def accuracy(out: Tensor, y: Tensor) -> float:
    """Fraction correct: argmax of (B, K) class scores, or (B, 1) sigmoid outputs > 0.5."""
    # counted, then divided in Python: a float32 mean on a GPU can give 0.99999994 for 100%
    if out.shape[-1] == 1:
        pred = (out.squeeze(-1) >= 0.5).to(y.dtype)
        return (pred == y.view(-1)).sum().item() / y.numel()
    return (out.argmax(dim=-1) == y).sum().item() / y.numel()


@torch.no_grad()
def predict(model: nn.Module, X: Tensor, batch_size: int | None = None) -> Tensor:
    """The model's outputs for X in evaluation mode, `batch_size` rows at a time; a model
    that returns a named tuple of tensors (e.g. a VAE's) gets each field joined."""
    was_training = model.training
    model.eval()
    step = batch_size or X.shape[0]
    outs = [model(X[i:i + step]) for i in range(0, X.shape[0], step)]
    model.train(was_training)
    if isinstance(outs[0], tuple) and hasattr(outs[0], "_fields"):
        return type(outs[0])(*(torch.cat(field) for field in zip(*outs)))
    return torch.cat(outs)


def evaluate(model: nn.Module, loss_fn: Callable, X: Tensor, y: Tensor,
             batch_size: int | None = None,
             score: Callable[[Tensor, Tensor], float] = accuracy) -> tuple[float, float]:
    """(loss, score) of the model on (X, y), evaluated `batch_size` rows at a time; the
    score is the accuracy unless a task measures otherwise."""
    out = predict(model, X, batch_size)
    return loss_fn(out, y).item(), score(out, y)


Loss = Callable[[Tensor, Tensor], Tensor]


@dataclass
class Data:
    """Training inputs and targets, and optionally validation ones, as whole tensors on the
    model's device. Measuring runs `eval_batch_size` rows at a time (all at once if None);
    eval_train=False measures only the validation data (for large training sets)."""

    X: Tensor
    y: Tensor
    X_val: Tensor | None = None
    y_val: Tensor | None = None
    eval_batch_size: int | None = None
    eval_train: bool = True


def fit(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Loss, data: Data, *,
        epochs: int, batch_size: int | None = None, eval_every: int = 1,
        stop_when: Callable[[dict[str, float]], bool] | None = None,
        regularizer: Callable[[], Tensor] | None = None, scheduler: Any = None,
        rng: torch.Generator | None = None, run: TrainingRun | None = None,
        label: str = "fit", checkpoint_every: int = 1,
        score: Callable[[Tensor, Tensor], float] = accuracy) -> History:
    """Train `model` on `data` by mini-batch gradient descent; return its History.

    loss_fn(out, y) is the error E of one mini-batch; `regularizer()` (e.g. weight decay)
    is added to it; `scheduler` (a torch LR scheduler) steps after every mini-batch. Every
    `eval_every` epochs the loop measures loss and accuracy (or the task's own
    `score(out, y)`), and stop_when(stats) (which also sees the "epoch") may end training.
    `rng` (a torch.Generator) shuffles the mini-batches (needed when batch_size < the number
    of rows).
    With a `run`, each measurement is logged (with "label" when it is not "fit") and,
    every `checkpoint_every` measurements, the model, optimiser, scheduler, generator and
    history are checkpointed through `run.parts`, so a resumed run continues exactly where
    it stopped. Inside a data-parallel launch (`nnzoo run NAME --nproc N`) every process
    trains the model wrapped in DistributedDataParallel on its share of each mini-batch,
    with the same result as one process (nnzoo.distributed says what differs).
    """
    n = data.X.shape[0]
    batch_size = batch_size or n
    if batch_size < n and rng is None:
        raise ValueError("fit needs an rng to shuffle mini-batches (e.g. run.rng(...)"
                         ".torch)")
    keep = {"model": model, "optimizer": optimizer}
    keep |= {} if scheduler is None else {"scheduler": scheduler}
    keep |= {} if rng is None else {"generator": rng}
    periods = -(-epochs // eval_every)  # measurements: every eval_every epochs and the last
    parts = _Parts(periods) if run is None else run.parts(
        periods, label=label, desc=label, keep=keep,
        until=None if stop_when is None else lambda stats: stop_when(stats[-1]))
    world = distributed.world()  # (rank, processes) when data-parallel
    net = model if world is None else distributed.wrap(model, loss_fn, data.X, data.y)
    model.train()
    for k in parts:
        first, last = k * eval_every + 1, min((k + 1) * eval_every, epochs)
        for _ in range(first, last + 1):
            loss = _epoch(net, optimizer, loss_fn, data, batch_size, regularizer, scheduler,
                          rng, world)
        stats = {"epoch": last, "loss": loss, **_measure(model, loss_fn, data, score)}
        if run is not None:
            run.check_loss(loss, last)
            run.log_metrics(last, **({} if label == "fit" else {"label": label}),
                            **{k: v for k, v in stats.items() if k != "epoch"})
            if parts.bar is not None:
                acc = stats.get("train_acc", stats.get("val_acc"))
                parts.bar.set_postfix(loss=f"{loss:.4g}", **({} if acc is None else
                                                              {"acc": f"{acc:.4f}"}))
        done = k == periods - 1 or (stop_when is not None and stop_when(stats))
        parts.done(stats, checkpoint=done or (k + 1) % checkpoint_every == 0)
        if done:
            break
    stats = parts.results
    return History([s["epoch"] for s in stats],
                   [{k: v for k, v in s.items() if k != "epoch"} for s in stats],
                   stopped_early=bool(stats) and stats[-1]["epoch"] < epochs)


def _epoch(model, optimizer, loss_fn, data: Data, batch_size: int, regularizer, scheduler,
           rng, world: tuple[int, int] | None = None) -> float:
    """One pass through the training data in shuffled mini-batches; -> the epoch's loss.
    With `world` = (rank, processes), this process takes its share of each batch, its loss
    weighted so that DDP's mean gradient is the whole batch's (nnzoo.distributed)."""
    X, y, n = data.X, data.y, data.X.shape[0]
    order = torch.randperm(n, generator=rng).to(X.device) if batch_size < n else None
    batch_losses = []
    for i in range(0, n, batch_size):
        idx = order[i:i + batch_size] if order is not None else slice(None)
        if world is not None:
            rows = idx if order is not None else torch.arange(n, device=X.device)
            idx, weight = distributed.share(rows, *world)
        xb, yb = X[idx], y[idx]  # (B, D), (B,)
        E = loss_fn(model(xb), yb)
        if world is not None and weight != 1.0:
            E = E * weight
        if regularizer is not None:
            E = E + regularizer()
        optimizer.zero_grad(set_to_none=True)
        E.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        batch_losses.append(E.detach())
    sizes = torch.tensor([min(batch_size, n - i) for i in range(0, n, batch_size)],
                         dtype=batch_losses[0].dtype, device=batch_losses[0].device)
    total = torch.stack(batch_losses) @ sizes  # the batches' E, weighted by size
    if world is not None:  # each batch's E is the mean of the processes' weighted ones
        torch.distributed.all_reduce(total)
        total = total / world[1]
    return float(total / n)


def _measure(model, loss_fn, data: Data, score) -> dict[str, float]:
    stats = {}
    if data.eval_train:
        stats["train_loss"], stats["train_acc"] = evaluate(model, loss_fn, data.X, data.y,
                                                           data.eval_batch_size, score)
    if data.X_val is not None:
        stats["val_loss"], stats["val_acc"] = evaluate(model, loss_fn, data.X_val, data.y_val,
                                                       data.eval_batch_size, score)
    model.train()
    return stats


class _Parts:
    """fit's loop without a run: the same iteration, nothing saved."""

    bar = None

    def __init__(self, n: int):
        self.n, self.results = n, []

    def __iter__(self):
        return iter(range(self.n))

    def done(self, result: dict, checkpoint: bool = False) -> None:
        self.results.append(result)


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Small networks on a CPU run fastest on one thread; the old setting comes back after.
    The one place where runs set their threads: a block never takes more than an enclosing
    block allows (`nnzoo sweep` runs each run inside `torch_threads(cores // jobs)`)."""
    n = min([n, *_THREAD_LIMITS])
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    _THREAD_LIMITS.append(n)
    try:
        yield
    finally:
        _THREAD_LIMITS.pop()
        torch.set_num_threads(before)


_THREAD_LIMITS: list[int] = []  # the thread counts of the torch_threads blocks we are in


# --------------------------------------------------------------------------- other searches
def fit_to_convergence(model: nn.Module, X: Tensor, t: Tensor, lam: float = 0.0,
                       max_iter: int = 2000, run: TrainingRun | None = None) -> float:
    """Minimise E = 1/2 sum (z - t)^2 + lambda/2 sum w^2 over all the (few) training points by
    L-BFGS until it converges, so that the model fits as well as it can: what it can fit, it
    does. The penalty covers the weights, not the biases. Returns E at the weights it ends
    with.

    Every evaluation of E goes through the divergence guard: `run.check_loss` when a run is
    given, else a NaN/inf E raises nnzoo.errors.Diverged at once (exit status 3)."""
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    opt = torch.optim.LBFGS(model.parameters(), max_iter=max_iter, tolerance_grad=1e-10,
                            tolerance_change=1e-14, history_size=50,
                            line_search_fn="strong_wolfe")
    guard = run.check_loss if run is not None else _check_finite
    evaluations = [0]

    def closure():
        opt.zero_grad()
        E = sse(model(X), t) + (weight_decay(weights, lam) if lam else 0.0)
        guard(E.item(), evaluations[0])  # stop at once: L-BFGS would go on with NaN weights
        evaluations[0] += 1
        E.backward()
        return E

    opt.step(closure)
    return closure().item()


def _check_finite(loss: float, step: int) -> float:
    """The divergence guard without a run."""
    if not math.isfinite(loss):
        raise Diverged(step, None, "L-BFGS reached NaN/inf weights or targets; check the data "
                                   "and try smaller initial weights")
    return loss


@torch.no_grad()
def hill_climb(model: nn.Module, X: Tensor, t: Tensor, budget: int, sigma: float,
               rng: torch.Generator | None = None) -> int | None:
    """Local search for a network of step units, which has no useful gradient: perturb every
    weight by N(0, sigma^2) and keep the new weights when the number of errors does not
    rise. Leaves the best weights found in `model`; returns the error evaluations it took
    to reach 0 errors, or None if `budget` evaluations did not."""
    def errors(w: Tensor) -> int:
        vector_to_parameters(w, model.parameters())
        return int((model(X) != t).sum())

    w = parameters_to_vector(model.parameters()).clone()  # (P,) every weight and bias
    e, n = errors(w), 1
    while e > 0 and n < budget:
        w_new = w + sigma * torch.randn(w.shape, generator=rng, dtype=w.dtype)
        e_new, n = errors(w_new), n + 1
        if e_new <= e:
            w, e = w_new, e_new
    vector_to_parameters(w, model.parameters())
    return n if e == 0 else None
