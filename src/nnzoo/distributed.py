"""Data-parallel training with DistributedDataParallel: what
`nnzoo.training.supervised.fit` does inside a launch of several processes
(`nnzoo run NAME --nproc N`, or torchrun: nnzoo.launch).

`fit` wraps the model in DistributedDataParallel (`wrap`) and gives each process its share
of every mini-batch (`share`). All processes shuffle alike (the same named stream of the
run) and rank r takes rows r, r+N, r+2N, ... of each global batch of B rows. DDP averages
the N gradients; each process's mean loss over its B_r rows is weighted by N B_r / B, so
that the average is the gradient of the global batch's mean loss whatever the shares (the
last, partial batch too). That needs a loss that is a mean over rows: `wrap` checks it. A
process left without a row (a last batch with fewer rows than processes) takes the batch's
first row at weight 0. The epoch's loss is summed over the processes (one all-reduce).

What differs from one process: sums are added in another order (tests/test_ddp.py checks
float64 weights to 1e-12, and float32 ones after 32 Adam steps to 1e-5). Batch norm on the
CPU normalises each process's share, not the global batch, and the running statistics are
rank 0's (DDP sends rank 0's buffers at every step); on CUDA the layers become
SyncBatchNorm, whose statistics are the global batch's. The measurements after each epoch
are not split: every process computes them whole, on the same weights.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nnzoo.errors import UserError

if TYPE_CHECKING:
    from torch import Tensor, nn


def world() -> tuple[int, int] | None:
    """(rank, number of processes) inside a data-parallel run of several, else None."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        return dist.get_rank(), dist.get_world_size()
    return None


def wrap(model: nn.Module, loss_fn: Callable, X: Tensor, y: Tensor) -> nn.Module:
    """`model` in DistributedDataParallel, once its loss is checked to be a mean over rows;
    its batch-norm layers become SyncBatchNorm on CUDA."""
    from torch import nn
    from torch.nn.parallel import DistributedDataParallel

    _check_mean(model, loss_fn, X[:4], y[:4])
    if X.device.type == "cuda":
        nn.SyncBatchNorm.convert_sync_batchnorm(model)  # replaces the layers inside model
        return DistributedDataParallel(model, device_ids=[X.device.index or 0])
    return DistributedDataParallel(model)


def _check_mean(model: nn.Module, loss_fn: Callable, X: Tensor, y: Tensor) -> None:
    """A mean over rows gives the same loss on the rows twice over; a sum gives twice it."""
    import torch

    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = model(X)
        once, twice = loss_fn(out, y), loss_fn(torch.cat([out, out]), torch.cat([y, y]))
    model.train(was_training)
    if not torch.allclose(once, twice, rtol=1e-4, atol=1e-6):
        raise UserError("data-parallel training needs a loss that is a mean over the "
                        "mini-batch's rows, and this one is not (twice the rows give "
                        f"{float(twice):.4g}, not {float(once):.4g}); run without --nproc")


def share(rows: Tensor, rank: int, size: int) -> tuple[Tensor, float]:
    """This process's rows of a global batch `rows` (rows rank, rank + size, ...) and the
    weight size * B_r / B of their mean loss, so that DDP's average of the processes'
    gradients is the gradient of the global batch's mean; a process without a row takes
    the first row at weight 0."""
    mine = rows[rank::size]
    if len(mine) == 0:
        return rows[:1], 0.0
    return mine, size * len(mine) / len(rows)
