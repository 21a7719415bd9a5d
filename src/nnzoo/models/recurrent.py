"""Recurrent networks predicting the next symbol of a sequence, and how to judge them.

The networks themselves are `nnzoo.nn.recurrent.RecurrentNet` (one, or many `Copies` of it
trained at once); this module holds what the recurrent experiments share: the error
(cross-entropy of the next symbol, summed over copies), the course's judgement of a
prediction (only legal symbols; the deterministic ones exactly), and how far a network
that learned a^n b^n from n <= N generalises beyond N. (Training many copies at once on a
counting language is nnzoo.training.sequences.learn_counting.)
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn
from torch.nn import functional as F

from nnzoo.data.sequences import PAD, Batch, batch, counting


def next_symbol_loss(out: Tensor, targets: Tensor) -> Tensor:
    """E = the mean over real positions of -log softmax(z_t)[target_t], for outputs
    (B, T, V), or the sum of that over copies for (R, B, T, V) (each copy its own error)."""
    if out.dim() == 3:
        out = out.unsqueeze(0)
    R = out.shape[0]
    per_position = F.cross_entropy(out.reshape(-1, out.shape[-1]),
                                   targets.expand(R, *targets.shape).reshape(-1),
                                   ignore_index=PAD, reduction="none").view(R, -1)
    real = (targets != PAD).view(1, -1)
    return (per_position.sum(dim=1) / real.sum()).sum()


def tensors(b: Batch, device=None) -> tuple[Tensor, Tensor]:
    """(one-hot inputs (B, T, V), targets (B, T)) of a batch as tensors."""
    return (torch.from_numpy(b.inputs).to(device), torch.from_numpy(b.targets).to(device))


@torch.no_grad()
def predictions(model: nn.Module, b: Batch) -> np.ndarray:
    """The predicted next symbols (argmax of the outputs), (B, T) or (R, B, T) for copies."""
    device = next(model.parameters()).device
    return model(tensors(b, device)[0]).argmax(dim=-1).cpu().numpy()


def counting_generalisation(model: nn.Module, letters: str, n_max: int) -> np.ndarray:
    """For each copy (or the one network), the largest n such that every deterministic
    prediction is right for every string a^n b^n (c^n) with 1 <= n' <= n (0 if n = 1
    fails already); n_max caps the search. Returns (R,) int (R = 1 for one network)."""
    b = batch([counting(n, letters) for n in range(1, n_max + 1)])
    right = b.judge(predictions(model, b))["deterministic"]  # (R, n_max) or (n_max,)
    right = np.atleast_2d(right)
    wrong = ~right
    return np.where(wrong.any(axis=1), wrong.argmax(axis=1), n_max)


def hidden_paths(net: nn.Module, letters: str, ns) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"n = ..": (the hidden states (T, H) while `net` reads a^n b^n (c^n), the symbols)}."""
    from nnzoo.data.sequences import one_hot

    device = next(net.parameters()).device
    paths = {}
    for n in ns:
        s = counting(n, letters)
        x = torch.from_numpy(one_hot(s.inputs, len(letters)))[None].to(device)  # (1, T, V)
        with torch.no_grad():
            paths[f"n = {n}"] = (net.hidden(x)[0][0].cpu().numpy(), s.inputs)
    return paths


def last_right(out: Tensor, targets: Tensor) -> float:
    """The fraction of sequences whose last target is predicted right (the long time lag
    task, whose only target is the last): outputs (B, T, V), targets (B, T)."""
    return float((out[:, -1].argmax(dim=-1) == targets[:, -1]).float().mean())


def lag_contrast(solved: dict[str, dict[int, int]], short: int, long: int,
                 tries: int, srn_at_most: int, gated_at_least: int) -> bool:
    """The long time lag lesson, from solved[cell][lag] = how many of `tries` networks
    solved the task: at every lag <= short all three cells solve it every time, and at
    every lag >= long the SRN solves it at most `srn_at_most` times while LSTM and GRU
    each solve it at least `gated_at_least` times. False when no lag is <= short or >= long
    (nothing would be shown)."""
    lags = sorted(solved["srn"])
    shorts, longs = [lag for lag in lags if lag <= short], [lag for lag in lags if lag >= long]
    return bool(shorts and longs) and all(
        solved[cell][lag] == tries for lag in shorts for cell in ("srn", "lstm", "gru")) and all(
        solved["srn"][lag] <= srn_at_most and solved["lstm"][lag] >= gated_at_least
        and solved["gru"][lag] >= gated_at_least for lag in longs)
