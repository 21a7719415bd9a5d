"""What inspecting an LSTM costs: one training step of the course's LSTMCell run step by step
(nnzoo.nn.recurrent.RecurrentNet, every hidden state visible) against PyTorch's fused
nn.LSTM at the same sizes, in one process.

    python benchmarks/lstm_step.py [--batch 32] [--steps 50] [--inputs 7] [--hidden 64]
                                   [--repeats 30] [--device cpu] [--threads N]

A training step is forward, cross-entropy on every output, backward and an Adam step. It
prints the median time per step of each and the ratio ours / nn.LSTM (the price of looking
inside; there is no goal below 1: where hidden states need not be inspected, the
experiments use the fused layers).
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch.nn import functional as F

from nnzoo.nn.recurrent import RecurrentNet


def time_steps(net, X, y, repeats: int) -> float:
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        out = net(X)
        F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1)).backward()
        opt.step()

    for _ in range(3):  # warm up
        step()
    times = []
    for _ in range(repeats):
        if X.is_cuda:
            torch.cuda.synchronize()
        t = time.perf_counter()
        step()
        if X.is_cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--inputs", type=int, default=7)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(0)
    X = torch.randn(a.batch, a.steps, a.inputs, generator=g).to(a.device)
    y = torch.randint(a.inputs, (a.batch, a.steps), generator=g).to(a.device)
    ours = RecurrentNet("lstm", a.inputs, a.hidden, a.inputs).to(a.device)
    fused = RecurrentNet("lstm", a.inputs, a.hidden, a.inputs, builtin=True).to(a.device)
    ours.rnn.load_torch(fused.rnn)
    t_ours, t_fused = time_steps(ours, X, y, a.repeats), time_steps(fused, X, y, a.repeats)
    print(f"LSTM training step, batch {a.batch}, {a.steps} steps, {a.inputs} inputs, "
          f"{a.hidden} hidden, {a.device}, {torch.get_num_threads()} threads")
    print(f"  nnzoo LSTMCell, step by step: {1000 * t_ours:8.2f} ms")
    print(f"  torch nn.LSTM (fused):        {1000 * t_fused:8.2f} ms")
    print(f"  ratio ours / nn.LSTM:         {t_ours / t_fused:8.2f}")


if __name__ == "__main__":
    main()
