"""Data-parallel scaling: samples per second of mnist-cnn's training at 1, 2, ... processes.

    python benchmarks/ddp_scaling.py [--nprocs 1,2] [--epochs 1] [--images 60000]
                                     [--device auto|cpu|cuda]

Each count of processes is started by PyTorch's elastic launcher, as `nnzoo run mnist-cnn
--nproc N` starts them (nnzoo.launch), and trains NetConv at mnist-cnn's default settings
(16/32 5x5 convolutions with batch norm, Adam under a one-cycle schedule, global batch 128)
on the first --images MNIST training images through nnzoo.training's `fit`, which splits every
global batch among the processes (nnzoo.distributed). The clock runs from a barrier after
the set-up to a barrier after the last epoch: training only, no evaluation, no start-up.
On the CPU each process computes with cores / N threads (or --threads; gloo between them); on CUDA
each process has its own GPU (NCCL), so N is at most the number of GPUs (larger N are
skipped with a line saying so). Printed: samples per second, the CPU seconds that all
processes spent per 1,000 samples, and the speed-up over 1 process.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid


def train(images: int, epochs: int, device: str) -> dict:
    """One launched process: train NetConv; -> rank 0's timing (others return {})."""
    import torch
    import torch.distributed as dist
    import torch.nn.functional as F

    from nnzoo import registry
    from nnzoo.data.imageset import load_images
    from nnzoo.launch import start
    from nnzoo.models.cnn import build_cnn
    from nnzoo.random import stream
    from nnzoo.runs import resolve_device
    from nnzoo.training.classifiers import adam_one_cycle
    from nnzoo.training.supervised import Data, fit

    start()  # the process group, as `nnzoo run` joins it
    cfg = registry.get("mnist-cnn").make_config()
    data = load_images("mnist", device=resolve_device(device))
    X, y = data.X[:images], data.y[:images]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(stream(0, "init", "bench").seed())
        model = registry.build(build_cnn, cfg, in_shape=tuple(X.shape[1:]), classes=10)
    model.to(X.device)
    opt, sched = adam_one_cycle(model, lr=cfg.lr, epochs=epochs, batch_size=cfg.batch_size,
                                n_train=len(X))
    shuffle = stream(0, "shuffle", "bench").torch
    dist.barrier()
    started, cpu = time.perf_counter(), time.process_time()
    fit(model, opt, F.cross_entropy, Data(X, y, eval_train=False), epochs=epochs,
        batch_size=cfg.batch_size, scheduler=sched, rng=shuffle)
    if X.device.type == "cuda":
        torch.cuda.synchronize()
    cpu = torch.tensor([time.process_time() - cpu])
    dist.all_reduce(cpu)  # CPU seconds of all the processes
    dist.barrier()
    wall = time.perf_counter() - started
    return {"wall": wall, "cpu": float(cpu), "samples": len(X) * epochs,
            "threads": torch.get_num_threads(), "device": str(X.device)} \
        if dist.get_rank() == 0 else {}


def launch(nproc: int, images: int, epochs: int, device: str, threads: int = 0) -> dict:
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    os.environ["OMP_NUM_THREADS"] = str(threads or max(1, (os.cpu_count() or 1) // nproc))
    config = LaunchConfig(min_nodes=1, max_nodes=1, nproc_per_node=nproc,
                          run_id=str(uuid.uuid4()), rdzv_backend="c10d",
                          rdzv_endpoint="localhost:0", max_restarts=0, monitor_interval=0.1,
                          start_method="spawn")
    return elastic_launch(config, train)(images, epochs, device)[0]


def main() -> None:
    import torch

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nprocs", default="1,2", help="counts of processes, e.g. 1,2,4")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--images", type=int, default=60000, help="MNIST training images used")
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--threads", type=int, default=0,
                   help="threads per process (default: cores / processes)")
    a = p.parse_args()
    device = ("cuda" if torch.cuda.is_available() else "cpu") if a.device == "auto" \
        else a.device
    gpus = torch.cuda.device_count() if device == "cuda" else 0
    print(f"mnist-cnn training, {a.images:,} images x {a.epochs} epoch(s), global batch 128, "
          f"on {device} ({gpus or os.cpu_count()} {'GPUs' if gpus else 'cores'})")
    print(f"{'processes':>9}  {'threads':>7}  {'samples/s':>9}  {'CPU s/1k':>8}  "
          f"{'wall s':>6}  {'speed-up':>8}")
    base = None
    for n in (int(x) for x in a.nprocs.split(",")):
        if device == "cuda" and n > gpus:
            print(f"{n:>9}  skipped: needs {n} GPUs (one per process), this machine has {gpus}")
            continue
        r = launch(n, a.images, a.epochs, device, a.threads)
        rate = r["samples"] / r["wall"]
        base = base or (rate if n == 1 else None)
        ratio = f"{rate / base:.2f}x" if base else "-"
        print(f"{n:>9}  {r['threads']:>7}  {rate:>9.0f}  {1000 * r['cpu'] / r['samples']:>8.2f}"
              f"  {r['wall']:>6.1f}  {ratio:>8}", flush=True)


if __name__ == "__main__":
    main()
