"""long-range: the embedded Reber grammar, where the second letter (T or P) must be repeated
at the end, after a whole Reber string in between. Simple recurrent networks learn
medium-range dependencies but have difficulty with long-range ones; LSTM and GRU, whose
gates can hold a value in the cell state for as long as it is needed, learn them better.

The three networks (PyTorch's fused nn.RNN, nn.LSTM and nn.GRU, which compute the course's
cells: tests/nn/test_recurrent.py) have the same number of hidden units and the same budget
of epochs on the same strings; they are judged on held-out strings at the long-range
position: after the inner string's E, is the predicted letter the T or P that began it?
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

CELLS = ("srn", "lstm", "gru")


@dataclass
class LongRangeConfig:
    hidden: PositiveInt = 16
    """Hidden units of each network (and memory cells of the LSTM)."""
    train_strings: PositiveInt = 1000
    """Embedded Reber strings to train on."""
    test_strings: PositiveInt = 1000
    """Held-out embedded Reber strings (a stream of their own) on which the claim is judged."""
    epochs: PositiveInt = 200
    """Epochs of each network (mini-batches of 50 strings)."""
    lr: PositiveFloat = 0.01
    """Learning rate (Adam)."""


@experiment(
    "long-range", kind="supervised", config=LongRangeConfig,
    claim="on the embedded Reber grammar, LSTM and GRU networks learn the long-range "
          "dependency (the second letter repeated at the end) and a simple recurrent network "
          "of the same size, trained as long, does not",
    expects="on 1,000 held-out strings, LSTM and GRU predict the long-range letter right at "
            "least 99% of the time, the SRN less than 90%",
    smoke={"epochs": 3, "train_strings": 100, "test_strings": 100},
)
def run(cfg: LongRangeConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.data.sequences import batch, embedded_reber, long_range_position
    from nnzoo.models.recurrent import next_symbol_loss, predictions, tensors
    from nnzoo.nn.recurrent import RecurrentNet
    from nnzoo.train import Data, fit, torch_threads

    train_rng, test_rng = run.rng("train strings").numpy, run.rng("test strings").numpy
    train = batch([embedded_reber(train_rng) for _ in range(cfg.train_strings)])
    held_out = [embedded_reber(test_rng) for _ in range(cfg.test_strings)]
    test = batch(held_out)
    at = np.array([long_range_position(s) for s in held_out])  # (N,) where it is predicted
    X, y = tensors(train, run.device)
    nets = run.parts(len(CELLS), label="networks", desc="networks")
    for i in nets:
        with run.seeded("init", CELLS[i]):
            net = RecurrentNet(CELLS[i], 7, cfg.hidden, 7, builtin=True).to(run.device)
        with torch_threads(1 if run.device.type == "cpu" else torch.get_num_threads()):
            history = fit(net, torch.optim.Adam(net.parameters(), lr=cfg.lr), next_symbol_loss,
                          Data(X, y), epochs=cfg.epochs, batch_size=50, eval_every=10,
                          generator=run.rng("shuffle", CELLS[i]).torch, run=run,
                          label=CELLS[i])
        pred = predictions(net, test)  # (N, T)
        right = pred[np.arange(len(at)), at] == test.targets[np.arange(len(at)), at]
        legal = test.judge(pred)["legal"]
        nets.done({"long_range": float(right.mean()), "legal": float(legal.mean()),
                   "epochs": history.epochs, "loss": history.series("train_loss")})
    results = dict(zip(CELLS, nets.results))
    run.save_figure(_figure(results), "long_range")
    ok = (results["lstm"]["long_range"] >= 0.99 and results["gru"]["long_range"] >= 0.99
          and results["srn"]["long_range"] < 0.90)
    headline = "long-range letter right: " + ", ".join(
        f"{c.upper()} {r['long_range']:.1%}" for c, r in results.items())
    return Result(ok, headline, {f"{c}_{k}": r[k] for c, r in results.items()
                                 for k in ("long_range", "legal")})


def _figure(results: dict[str, dict]):
    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=3.6)
    curves, bars = axes[0]
    for c, r in results.items():
        curves.plot(r["epochs"], r["loss"], label=c.upper())
    curves.set(xlabel="epoch", ylabel="training error (cross-entropy per letter)",
               yscale="log", title="embedded Reber grammar")
    curves.legend(fontsize=8)
    names = [c.upper() for c in results]
    bars.bar(names, [100 * r["long_range"] for r in results.values()], color="C0",
             label="long-range letter")
    bars.bar(names, [100 * r["legal"] for r in results.values()], color="none",
             edgecolor="k", label="whole string legal")
    bars.axhline(99, color="gray", ls="--", lw=1)
    bars.set(ylabel="% of held-out strings", ylim=(0, 105))
    bars.legend(fontsize=7, loc="lower right")
    return fig
