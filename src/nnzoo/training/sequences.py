"""Training on sequences in a run: many simple recurrent networks at once on a counting
language (`learn_counting`, anbn and anbncn), and NetTalk's sliding-window network on
aligned words (`train_window_net`, then `score_words`: how well it reads held-out words).
Both train through `nnzoo.training.supervised.fit`, one thread on a CPU (small networks run
fastest so), resumable through the run.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor
from torch.nn import functional as F

from nnzoo.data.sequences import batch, counting
from nnzoo.models.nettalk import WindowNet, judge_words, window_data
from nnzoo.models.recurrent import (
    counting_generalisation,
    next_symbol_loss,
    predictions,
    tensors,
)
from nnzoo.nn.copies import Copies
from nnzoo.nn.recurrent import RecurrentNet
from nnzoo.training.protocol import TrainingRun
from nnzoo.training.supervised import Data, fit, predict, torch_threads


def learn_counting(letters: str, hidden: int, train_max: int, copies: int, epochs: int,
                   lr: float, test_max: int, run: TrainingRun) -> dict:
    """Train `copies` SRNs (len(letters) inputs and outputs, `hidden` hidden units) from
    different random weights at once, by full-batch Adam on the strings a^n b^n (c^n) for
    n = 1 .. train_max, backpropagating through each whole string; then judge each.
    Returns {"nets": the Copies, "right": (R,) bool, every deterministic prediction right
    on every training string, "reach": (R,) how far each counts (counting_generalisation up
    to test_max), "best": the copy that learned and reaches furthest, "history": fit's}."""
    V = len(letters)
    strings = batch([counting(n, letters) for n in range(1, train_max + 1)])
    X, y = tensors(strings, run.device)  # (N, T, V) one-hot inputs, (N, T) next symbols
    with run.seeded("init"):
        nets = Copies(lambda: RecurrentNet("srn", V, hidden, V), copies).to(run.device)

    def learned(out: Tensor, y: Tensor) -> float:  # fraction of copies right on every string
        return float(strings.judge(out.argmax(dim=-1).cpu().numpy())["deterministic"]
                     .all(axis=-1).mean())

    with torch_threads(1 if run.device.type == "cpu" else torch.get_num_threads()):
        history = fit(nets, torch.optim.Adam(nets.parameters(), lr=lr), next_symbol_loss,
                      Data(X, y), epochs=epochs, eval_every=100, run=run, score=learned)
    right = strings.judge(predictions(nets, strings))["deterministic"].all(axis=-1)  # (R,)
    reach = counting_generalisation(nets, letters, test_max)  # (R,)
    best = int(max(range(copies), key=lambda r: (right[r], reach[r])))
    return {"nets": nets, "right": right, "reach": reach, "best": best, "history": history}


def train_window_net(net: WindowNet, train, held_out, symbols: Sequence[str], *, epochs: int,
                     batch_size: int, lr: float, rng: torch.Generator,
                     run: TrainingRun, label: str = "fit") -> list[float]:
    """Train `net` on the windows of the aligned words `train` by Adam on the cross-entropy
    of each letter's chunk (fit, resumable through `run`); -> the held-out phoneme accuracy
    after each epoch."""
    device = next(net.parameters()).device
    X, y = window_data(train, net.width, symbols, device)
    X_val, y_val = window_data(held_out, net.width, symbols, device)
    with torch_threads(1 if device.type == "cpu" else torch.get_num_threads()):
        history = fit(net, torch.optim.Adam(net.parameters(), lr=lr), F.cross_entropy,
                      Data(X, y, X_val, y_val, eval_train=False), epochs=epochs,
                      batch_size=batch_size, rng=rng, run=run, label=label)
    return history.series("val_acc")


@torch.no_grad()
def score_words(net: WindowNet, aligned, symbols: Sequence[str], examples: int = 10) -> dict:
    """`judge_words` of what `net` says for every letter of the aligned words."""
    X, _ = window_data(aligned, net.width, symbols, next(net.parameters()).device)
    pred = predict(net, X, batch_size=65536).argmax(dim=-1).cpu().numpy()  # (N,)
    starts = np.cumsum([0] + [len(w) for w in aligned.words])
    said = [tuple(symbols[k] for k in pred[a:b]) for a, b in zip(starts[:-1], starts[1:])]
    return judge_words(said, aligned, examples)
