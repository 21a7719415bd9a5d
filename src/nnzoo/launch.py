"""Launching data-parallel runs: `nnzoo run NAME --nproc N`, or the same command under torchrun.

    nnzoo run mnist-cnn --nproc 2                        # 2 processes on this machine
    torchrun --nnodes 2 --nproc-per-node 1 --rdzv-backend c10d \\
        --rdzv-endpoint HOST:29500 -m nnzoo run mnist-cnn  # the same on each of 2 machines

`--nproc N` starts N processes through PyTorch's elastic launcher (the API of
torch.distributed.run, which torchrun runs). Each runs the same `nnzoo run` command, finds
itself inside an elastic launch (RANK, WORLD_SIZE and LOCAL_RANK in its environment),
joins the process group (gloo for CPU tensors; NCCL for CUDA ones, one GPU per process)
and runs the experiment as a `RankRun`: every process computes everything, rank 0 alone
writes the run folder (the others' runs have writes=False) and reads the checkpoint, which
it sends to the others, so that the run folder needs to be on rank 0's machine only. How
the training is split: nnzoo.distributed.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nnzoo import registry
from nnzoo.errors import NnzooError, UserError
from nnzoo.runs import Run

LAUNCH_ENV = ("RANK", "WORLD_SIZE", "LOCAL_RANK")  # set by the elastic launcher


def launched() -> bool:
    """True in a process that an elastic launch (torchrun, --nproc) started among several."""
    return all(k in os.environ for k in LAUNCH_ENV) and int(os.environ["WORLD_SIZE"]) > 1


def check_supported(exp: registry.Experiment) -> None:
    if not exp.parallel:
        able = ", ".join(e.name for e in registry.load_all().values() if e.parallel)
        raise UserError(f"{exp.name} cannot train data-parallel (--nproc, torchrun): only "
                        "experiments whose networks all train through "
                        f"nnzoo.training.supervised.fit can ({able}); run it without --nproc")


def launch(exp: registry.Experiment, args: list[str], nproc: int, device: str,
           worker: Callable[[list[str]], int]) -> int:
    """Run `worker(ARGS)` (the command line's `nnzoo run ARGS`, less --nproc) in `nproc`
    processes on this machine through PyTorch's elastic launcher (a c10d rendezvous on a
    free local port, as `torchrun --standalone`); -> rank 0's exit status. `worker` is a
    module-level function, which each spawned process imports by its name."""
    import torch
    from torch.distributed.elastic.multiprocessing.api import SignalException
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    check_supported(exp)
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if device == "mps":
        raise UserError("--nproc trains on the CPU or on CUDA GPUs, not mps; use --device cpu")
    if (device == "cuda" or (device == "auto" and gpus)) and nproc > gpus:
        raise UserError(f"--nproc {nproc} needs one GPU per process and this machine has "
                        f"{gpus}; use --nproc {max(gpus, 1)} or --device cpu")
    # each process computes with its share of the cores (torchrun sets 1 thread instead)
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // nproc)))
    config = LaunchConfig(min_nodes=1, max_nodes=1, nproc_per_node=nproc,
                          run_id=str(uuid.uuid4()), rdzv_backend="c10d",
                          rdzv_endpoint="localhost:0", max_restarts=0, monitor_interval=0.1,
                          start_method="spawn")
    try:
        statuses = elastic_launch(config, worker)(strip_nproc(args))
    except (KeyboardInterrupt, SignalException):
        return 130  # rank 0 said how to continue
    return statuses[0]


def strip_nproc(args: list[str]) -> list[str]:
    """`args` without --nproc N (or --nproc=N): what each launched process runs."""
    out, skip = [], False
    for a in args:
        if skip or a.startswith("--nproc="):
            skip = False
            continue
        skip = a == "--nproc"
        if not skip:
            out.append(a)
    return out


def start() -> None:
    """Join the launch's process group, once: gloo for CPU tensors, and NCCL for CUDA ones
    on a machine with GPUs (this process on GPU LOCAL_RANK). The ranks but 0 print nothing
    on stdout (their errors still go to stderr)."""
    import torch
    import torch.distributed as dist

    if dist.is_initialized():
        return
    backend, local = "gloo", int(os.environ["LOCAL_RANK"])
    if torch.cuda.is_available() and local < torch.cuda.device_count():
        torch.cuda.set_device(local)
        backend = "cpu:gloo,cuda:nccl"
    dist.init_process_group(backend)
    atexit.register(_stop)
    if dist.get_rank() != 0:
        sys.stdout = open(os.devnull, "w")  # for the life of the process


def _stop() -> None:
    """Leave the process group together: a rank that tears gloo down while its peer is
    still writing (rank 0 saves the checkpoint after an interrupt) can abort the other in
    C++ ("terminate called without an active exception"), so the ranks meet first; a peer
    that died already only costs the barrier's timeout."""
    import datetime

    import torch.distributed as dist

    if dist.is_initialized():
        try:
            dist.monitored_barrier(timeout=datetime.timedelta(seconds=60))
        except Exception:  # noqa: BLE001 - a dead peer: tear down all the same
            pass
        dist.destroy_process_group()


def from_rank0(make: Callable[[], Any]) -> Any:
    """make() on rank 0, its value sent to every rank; an NnzooError that make() raises
    there is raised on every rank."""
    import torch.distributed as dist

    box: list[Any] = [None]
    if dist.get_rank() == 0:
        try:
            box[0] = (make(), None)
        except NnzooError as e:
            box[0] = (None, e)
    dist.broadcast_object_list(box, src=0)
    value, error = box[0]
    if error is not None:
        raise error
    return value


class RankRun(Run):
    """The run on one process of a data-parallel launch: rank 0 makes (or reopens) the run
    folder and the others make the same run from what it sends them; only rank 0 writes."""

    @property
    def writes(self) -> bool:
        import torch.distributed as dist

        return dist.get_rank() == 0

    @classmethod
    def new(cls, plan, *, directory=None, echo=None) -> Run:
        start()
        return cls._alike(lambda: super(RankRun, cls).new(plan, directory=directory,
                                                          echo=echo))

    @classmethod
    def reopen(cls, directory, *, device=None, quiet=False, echo=None) -> Run:
        start()
        return cls._alike(lambda: super(RankRun, cls).reopen(directory, device=device,
                                                             quiet=quiet, echo=echo))

    @classmethod
    def _alike(cls, make: Callable[[], Run]) -> Run:
        made: list[Run] = []

        def describe():
            made.append(make())
            run = made[0]
            return (run.experiment.name, dataclasses.asdict(run.cfg),
                    dataclasses.asdict(run.options), str(run.dir), run.reopened)

        name, values, options, directory, reopened = from_rank0(describe)
        if made:
            return made[0]
        exp = registry.get(name)
        run = cls(exp, exp.make_config(values), Path(directory),
                  registry.RunOptions(**{**options, "quiet": True}))
        run.reopened = reopened
        return run

    def _read_checkpoint(self) -> dict[str, Any] | None:
        return from_rank0(super()._read_checkpoint)
