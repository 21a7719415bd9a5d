"""The one supervised training loop that experiments share.

Small data sets live on the device as whole tensors and mini-batches are slices of a
shuffled index, not a per-sample DataLoader. Every `eval_every` epochs the loop
measures loss and accuracy (and on validation data when given), logs them to the run,
updates the progress bar, asks `stop_when` whether to stop, and checks the loss with
the run's divergence guard. With `checkpoint_every`, the model, the optimiser, the
shuffling generator and the history are checkpointed so that a resumed run continues
exactly where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor, nn


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
    """The model's outputs for X in evaluation mode, `batch_size` rows at a time."""
    was_training = model.training
    model.eval()
    step = batch_size or X.shape[0]
    out = torch.cat([model(X[i:i + step]) for i in range(0, X.shape[0], step)])
    model.train(was_training)
    return out


def evaluate(model: nn.Module, loss_fn: Callable, X: Tensor, y: Tensor,
             batch_size: int | None = None) -> tuple[float, float]:
    """(loss, accuracy) of the model on (X, y), evaluated `batch_size` rows at a time."""
    out = predict(model, X, batch_size)
    return loss_fn(out, y).item(), accuracy(out, y)


Loss = Callable[[Tensor, Tensor], Tensor]


def fit(model: nn.Module, optimizer: torch.optim.Optimizer, loss_fn: Loss,
        X: Tensor, y: Tensor, *, epochs: int, batch_size: int | None = None,
        X_val: Tensor | None = None, y_val: Tensor | None = None, eval_every: int = 1,
        stop_when: Callable[[dict[str, float]], bool] | None = None, run: Any = None,
        checkpoint_every: int = 0, resume: dict | None = None, extra_state: dict | None = None,
        generator: torch.Generator | None = None, desc: str = "train",
        regularizer: Callable[[], Tensor] | None = None, tags: dict | None = None,
        scheduler: Any = None, eval_train: bool = True,
        eval_batch_size: int | None = None) -> History:
    """Train `model` on (X, y) by mini-batch gradient descent; return its History.

    loss_fn(out, y) is the error E of one mini-batch; `regularizer()` (e.g. weight decay)
    is added to it. stop_when(stats) sees each evaluation's numbers and its "epoch".
    `resume` is the "fit" entry of a checkpoint written by this loop; `extra_state` is
    saved beside it (e.g. an experiment's finished runs); `tags` are logged with every
    metrics line (e.g. {"run": 3}). `scheduler` (a torch LR scheduler) steps after every
    mini-batch. Evaluation runs `eval_batch_size` rows at a time; with eval_train=False
    it measures only the validation data (the epoch's mean loss is still logged).
    """
    n = X.shape[0]
    batch_size = batch_size or n
    generator = generator or torch.Generator().manual_seed(0)
    history, start = History(), 0
    if resume is not None:
        model.load_state_dict(resume["model"])
        optimizer.load_state_dict(resume["optimizer"])
        if scheduler is not None:
            scheduler.load_state_dict(resume["scheduler"])
        generator.set_state(resume["generator"])
        history = History(resume["epochs"], resume["stats"])
        start = resume["epoch"]
    bar = run.progress(total=epochs, initial=start, desc=desc) if run is not None else None
    model.train()
    for epoch in range(start + 1, epochs + 1):
        order = torch.randperm(n, generator=generator).to(X.device) if batch_size < n else None
        batch_losses = []
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size] if order is not None else slice(None)
            xb, yb = X[idx], y[idx]  # (B, D), (B,)
            E = loss_fn(model(xb), yb)
            if regularizer is not None:
                E = E + regularizer()
            optimizer.zero_grad(set_to_none=True)
            E.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            batch_losses.append(E.detach())
        if epoch % eval_every and epoch != epochs:
            continue
        sizes = torch.tensor([min(batch_size, n - i) for i in range(0, n, batch_size)],
                             dtype=batch_losses[0].dtype, device=batch_losses[0].device)
        # the epoch's loss: the batches' E, weighted by batch size
        stats = {"loss": float(torch.stack(batch_losses) @ sizes / n)}
        if run is not None:
            run.check_loss(stats["loss"], epoch)
        if eval_train:
            stats["train_loss"], stats["train_acc"] = evaluate(model, loss_fn, X, y,
                                                               eval_batch_size)
        if X_val is not None:
            stats["val_loss"], stats["val_acc"] = evaluate(model, loss_fn, X_val, y_val,
                                                           eval_batch_size)
        history.epochs.append(epoch)
        history.stats.append(stats)
        done = stop_when is not None and stop_when({"epoch": epoch, **stats})
        if run is not None:
            run.log_metrics(epoch, **(tags or {}), **stats)
            bar.update(epoch - bar.n)
            acc = stats.get("train_acc", stats.get("val_acc"))
            bar.set_postfix(loss=f"{stats['loss']:.4g}", **({} if acc is None else
                                                            {"acc": f"{acc:.4f}"}))
            if checkpoint_every and (epoch % checkpoint_every == 0 or done):
                run.checkpoint({"fit": {
                    "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "generator": generator.get_state(), "epoch": epoch,
                    "scheduler": None if scheduler is None else scheduler.state_dict(),
                    "epochs": history.epochs, "stats": history.stats}, **(extra_state or {})})
        if done:
            history.stopped_early = True
            break
    if bar is not None:
        bar.close()
    return history
