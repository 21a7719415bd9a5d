"""long-range: a simple recurrent network cannot learn to hold a signal across a long time lag;
LSTM and GRU cells, whose gated state can hold a value for as long as it is needed, can
(Hochreiter & Schmidhuber 1997).

The task (signal and noise on one input line, after Bengio, Simard & Frasconi 1994 and
Hochreiter & Schmidhuber's experiment 3; nnzoo.data.sequences.long_lag): a marker input says
"now", and the value input is then -1 or +1, the signal; for `lag` steps after it the value is
-1 or +1 at random; after the last one the network must say what the signal was. Nothing in
between helps, so the error's gradient must reach back `lag` steps to the signal. In an SRN
it passes through U and a squashing nonlinearity at every step and shrinks geometrically on
the way (vanishing gradients), and the noise enters its state through the same weights as
the signal did; a gated cell can learn to let the value in only when the marker is on, and
to keep it: the gradient flows back through c_t = f_t * c_{t-1} + ... (or h_t = (1 - z_t) *
h_{t-1} + ...) scaled only by the gate, which can stay near 1. (With the signal and the
noise on separate one-hot lines, an SRN trained by Adam learned lags of 100 and 200 in two
of three tries: it can simply learn to ignore the noise's lines.)

For each lag, --tries networks of each kind (different initial weights and training
sequences from the run's random streams; the three kinds of a try see the same sequences)
are trained with the same hidden size, optimiser (Adam), learning rate, mini-batches and
number of training sequences, for at most --epochs passes, stopping once they are right on
99% of their training sequences; a network solves the task when it is right on 95% of the
held-out sequences. The gated cells start holding (nnzoo.nn.recurrent.hold_gates: input
gate shut and forget gate open, GRU update gate keeping), as Hochreiter & Schmidhuber
started their input gates shut and Gers et al. (2000) their forget gates open. With
PyTorch's initial biases (0: half of the state forgotten at every step), on a version of the
task with one-hot symbols, the LSTM had not learned a lag of 50 after 1,500 mini-batches and
the GRU needed about 1,350 for a lag of 100 (the budget here is 640 at most). An SRN has no
gate to start so.

The networks are PyTorch's fused nn.RNN, nn.LSTM and nn.GRU. nn.RNN and nn.LSTM compute the
course's SRN and LSTM cells; nn.GRU does not compute the course's GRU: it applies the reset
gate after the recurrent product, h~_t = tanh(W x_t + b + r_t * (U h_{t-1} + b_U)), where the
course has tanh(W x_t + U (r_t * h_{t-1}) + b) (nnzoo.nn.recurrent.GRUCell(reset="after") is
nn.GRU's form, reset="before" the course's; tests/nn/test_recurrent.py shows them equal to
nn.GRU and to each other only when r = 1). The GRU here is nn.GRU's variant, as in cuDNN.

What was measured at the defaults, seeds 0-2, is in the notes at the end of this file.

--task reber is the older comparison on the embedded Reber grammar (the second letter comes
back at the end, 6 to 17 steps later): there, trained with Adam, the SRN learns the
long-range letter too (99.7-100% of held-out strings at seeds 0-2), so it cannot show the
lesson; its check is the gated cells' score (at least 99% each), the SRN's is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.errors import UserError
from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

CELLS = ("srn", "lstm", "gru")
SOLVED = 0.95  # a network solves the task when it is right on this share of held-out sequences
STOP = 0.99  # and stops training once it is right on this share of its training sequences


@dataclass
class LongRangeConfig:
    task: Literal["lag", "reber"] = "lag"
    """lag: the long time lag task, swept over --lags; reber: the embedded Reber grammar."""
    lags: str = "10,25,50,100,200"
    """The time lags tried (comma-separated): noise steps between the signal and the
    question."""
    tries: PositiveInt = 3
    """Networks of each kind trained at each lag (different initial weights and sequences)."""
    hidden: PositiveInt = 16
    """Hidden units of each network (the memory cells of the LSTM)."""
    train_sequences: PositiveInt = 1000
    """Training sequences of each network (embedded Reber strings with --task reber)."""
    test_sequences: PositiveInt = 1000
    """Held-out sequences (a stream of their own) on which each network is judged."""
    epochs: PositiveInt = 20
    """At most this many passes through the training sequences (mini-batches of --batch-size)
    at each lag; a network stops once it is right on 99% of them."""
    batch_size: PositiveInt = 32
    """Sequences per mini-batch."""
    lr: PositiveFloat = 0.01
    """Learning rate (Adam)."""
    gate_bias: float = 4.0
    """How firmly the gated cells start holding their state (nnzoo.nn.recurrent.hold_gates;
    0: PyTorch's initial biases)."""
    short: PositiveInt = 10
    """The claim: at every lag up to this one all three kinds solve the task every try."""
    long: PositiveInt = 100
    """The claim: at every lag from this one on, the SRN solves it at most --srn-at-most
    times and LSTM and GRU at least --gated-at-least times each."""
    srn_at_most: int = 1
    """See --long."""
    gated_at_least: PositiveInt = 3
    """See --long."""
    reber_epochs: PositiveInt = 150
    """Epochs of each network with --task reber (mini-batches of 50 strings)."""

    def __post_init__(self):
        try:
            self.lag_list = sorted({int(v) for v in self.lags.split(",")})
        except ValueError:
            self.lag_list = []
        if not self.lag_list or self.lag_list[0] < 1:
            raise UserError(f"expected --lags to be positive integers separated by commas, "
                            f"got {self.lags!r}; e.g. --lags 10,25,50,100,200")
        if not 0 <= self.srn_at_most <= self.tries or self.gated_at_least > self.tries:
            raise UserError(f"expected --srn-at-most and --gated-at-least between 0 and --tries "
                            f"({self.tries}), got {self.srn_at_most} and {self.gated_at_least}")


@experiment(
    "long-range", kind="supervised", config=LongRangeConfig, seconds=110,
    claim="a simple recurrent network cannot learn to hold a signal across a long time lag, "
          "which LSTM and GRU networks of the same size, trained the same way, learn",
    expects="on the long time lag task (16 units, 1,000 training sequences, at most 20 "
            "epochs; solved: 95% of 1,000 held-out sequences right), at lag 10 all three "
            "solve it in 3 of 3 tries; at lags 100 and 200 the SRN solves it in at most 1 of 3 "
            "while LSTM and GRU solve it in 3 of 3",
    smoke={"lags": "5,10", "tries": 1, "epochs": 2, "train_sequences": 100,
           "test_sequences": 100, "short": 5, "long": 10, "gated_at_least": 1,
           "reber_epochs": 3},
)
def run(cfg: LongRangeConfig, run: Run) -> Result:
    if cfg.task == "reber":
        return _reber(cfg, run)
    import torch

    from nnzoo.data.sequences import long_lag
    from nnzoo.models.recurrent import lag_contrast, last_right, next_symbol_loss
    from nnzoo.nn.recurrent import RecurrentNet, hold_gates
    from nnzoo.training.supervised import Data, fit, torch_threads

    def sequences(n: int, lag: int, *key):  # -> inputs (n, T, 2), targets (n, T)
        return (torch.from_numpy(a).to(run.device) for a in long_lag(n, lag, run.rng(*key)
                                                                     .numpy))

    points = [(lag, cell, k) for lag in cfg.lag_list for cell in CELLS for k in range(cfg.tries)]
    parts = run.parts(len(points), label="points", desc="lag, network, try")
    for i in parts:
        lag, cell, k = points[i]
        X, y = sequences(cfg.train_sequences, lag, "train", lag, k)
        with run.seeded("init", cell, lag, k):
            net = RecurrentNet(cell, 2, cfg.hidden, 2, builtin=True)
        if cell != "srn":
            hold_gates(net.rnn, cfg.gate_bias)
        net.to(run.device)
        with torch_threads(1 if run.device.type == "cpu" else torch.get_num_threads()):
            history = fit(net, torch.optim.Adam(net.parameters(), lr=cfg.lr), next_symbol_loss,
                          Data(X, y), epochs=cfg.epochs, batch_size=cfg.batch_size,
                          stop_when=lambda stats: stats["train_acc"] >= STOP,
                          rng=run.rng("shuffle", cell, lag, k).torch, run=run,
                          label=f"{cell} lag {lag} try {k + 1}", score=last_right)
            X_test, y_test = sequences(cfg.test_sequences, lag, "test", lag)
            with torch.no_grad():
                held_out = last_right(net(X_test), y_test)
        parts.done({"lag": lag, "cell": cell, "held_out": held_out,
                    "epochs": history.epochs[-1]})

    solved = {c: {lag: 0 for lag in cfg.lag_list} for c in CELLS}
    for r in parts.results:
        solved[r["cell"]][r["lag"]] += r["held_out"] >= SOLVED
    run.save_figure(_lag_figure(parts.results, solved, cfg), "solved_by_lag")
    for lag in cfg.lag_list:
        run.log(f"lag {lag}: solved in " + ", ".join(
            f"{c.upper()} {solved[c][lag]}/{cfg.tries}" for c in CELLS))
    ok = lag_contrast(solved, cfg.short, cfg.long, cfg.tries, cfg.srn_at_most,
                      cfg.gated_at_least)
    headline = "tries solved, " + "; ".join(f"lag {lag}: " + " ".join(
        f"{c.upper()} {solved[c][lag]}/{cfg.tries}" for c in CELLS) for lag in cfg.lag_list)
    metrics = {f"{c}_solved_lag{lag}": solved[c][lag] for c in CELLS for lag in cfg.lag_list}
    metrics |= {f"{c}_held_out_lag{lag}": [r["held_out"] for r in parts.results
                                           if (r["cell"], r["lag"]) == (c, lag)]
                for c in CELLS for lag in cfg.lag_list}
    return Result(ok, headline, metrics)


def _lag_figure(results: list[dict], solved: dict, cfg: LongRangeConfig):
    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=3.8)
    rate, acc = axes[0]
    for j, c in enumerate(CELLS):
        rate.plot(cfg.lag_list, [solved[c][lag] / cfg.tries for lag in cfg.lag_list],
                  marker="os^"[j], ms=9 - 2 * j, ls=("-", "--", ":")[j], color=f"C{j}",
                  label=c.upper())  # LSTM's and GRU's points may lie on each other
        mine = [r for r in results if r["cell"] == c]
        acc.scatter([r["lag"] * (0.94 + 0.06 * j) for r in mine],
                    [100 * r["held_out"] for r in mine], s=14, color=f"C{j}", label=c.upper())
    rate.set(xscale="log", xlabel="time lag (steps)", ylabel=f"share of {cfg.tries} tries "
             "solved", ylim=(-0.05, 1.05), title="who solves the long time lag task")
    acc.axhline(100 * SOLVED, color="gray", ls="--", lw=1)
    acc.axhline(50, color="gray", ls=":", lw=1)
    acc.set(xscale="log", xlabel="time lag (steps)", ylabel="held-out sequences right (%)",
            ylim=(40, 102), title="each try after training (50%: chance)")
    for ax in (rate, acc):
        ax.set_xticks(cfg.lag_list, [str(lag) for lag in cfg.lag_list])
        ax.minorticks_off()
        ax.legend(fontsize=8)
    return fig


def _reber(cfg: LongRangeConfig, run: Run) -> Result:
    """The embedded Reber grammar: SRN, LSTM and GRU at the same budget, judged at the
    long-range position of held-out strings."""
    import numpy as np
    import torch

    from nnzoo.data.sequences import PAD, batch, embedded_reber, long_range_position
    from nnzoo.models.recurrent import next_symbol_loss, predictions, tensors
    from nnzoo.nn.recurrent import RecurrentNet, hold_gates
    from nnzoo.training.supervised import Data, fit, torch_threads

    train_rng, test_rng = run.rng("train strings").numpy, run.rng("test strings").numpy
    train = batch([embedded_reber(train_rng) for _ in range(cfg.train_sequences)])
    held_out = [embedded_reber(test_rng) for _ in range(cfg.test_sequences)]
    test = batch(held_out)
    at = np.array([long_range_position(s) for s in held_out])  # (N,) where it is predicted
    X, y = tensors(train, run.device)

    def long_range(out, y) -> float:  # on training strings: the target before the last one
        last = (y != PAD).sum(dim=1) - 2  # (B,) the long-range target's position
        rows = torch.arange(len(y), device=y.device)
        return float((out[rows, last].argmax(dim=-1) == y[rows, last]).float().mean())

    nets = run.parts(len(CELLS), label="networks", desc="networks")
    for i in nets:
        with run.seeded("init", CELLS[i]):
            net = RecurrentNet(CELLS[i], 7, cfg.hidden, 7, builtin=True)
        if CELLS[i] != "srn":
            hold_gates(net.rnn, cfg.gate_bias)
        net.to(run.device)
        with torch_threads(1 if run.device.type == "cpu" else torch.get_num_threads()):
            history = fit(net, torch.optim.Adam(net.parameters(), lr=cfg.lr), next_symbol_loss,
                          Data(X, y), epochs=cfg.reber_epochs, batch_size=50, eval_every=5,
                          rng=run.rng("shuffle", CELLS[i]).torch, run=run,
                          label=CELLS[i], score=long_range)
        pred = predictions(net, test)  # (N, T)
        rows = np.arange(len(at))
        nets.done({"long_range": float((pred[rows, at] == test.targets[rows, at]).mean()),
                   "legal": float(test.judge(pred)["legal"].mean()),
                   "epochs": history.epochs, "train_long_range": history.series("train_acc")})
    results = dict(zip(CELLS, nets.results))
    run.save_figure(_reber_figure(results), "long_range")
    ok = results["lstm"]["long_range"] >= 0.99 and results["gru"]["long_range"] >= 0.99
    headline = "embedded Reber: long-range letter right on held-out strings: " + ", ".join(
        f"{c.upper()} {r['long_range']:.1%}" for c, r in results.items())
    return Result(ok, headline, {f"{c}_{k}": r[k] for c, r in results.items()
                                 for k in ("long_range", "legal")})


def _reber_figure(results: dict[str, dict]):
    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=3.6)
    curves, bars = axes[0]
    for c, r in results.items():
        curves.plot(r["epochs"], [100 * a for a in r["train_long_range"]], label=c.upper())
    curves.axhline(50, color="gray", ls=":", lw=1)
    curves.set(xlabel="epoch", ylabel="long-range letter right (% of training strings)",
               ylim=(0, 102), title="learning the long-range letter")
    curves.legend(fontsize=8)
    names = [c.upper() for c in results]
    bars.bar(names, [100 * r["long_range"] for r in results.values()], color="C0",
             label="long-range letter")
    bars.bar(names, [100 * r["legal"] for r in results.values()], color="none",
             edgecolor="k", label="whole string legal")
    bars.axhline(99, color="gray", ls="--", lw=1)
    bars.set(ylabel="% of held-out strings", ylim=(0, 105), title="after training")
    bars.legend(fontsize=7, loc="lower right")
    return fig


# ---- Notes: what was measured at the defaults, seeds 0-2
#
# What we measured at the defaults (tries solved of 3, seeds 0 / 1 / 2): LSTM and GRU 3 / 3 / 3
# at every lag (held-out 98.6% or more); the SRN 3 / 3 / 3 at lag 10, 1 / 2 / 3 at lag 25,
# 0 / 0 / 1 at lag 50 (the others near chance, one at 71%), 0 / 0 / 0 at lags 100 (best 91%) and
# 200. The claim leaves room for one SRN in three at the long lags, and lag 50, where an SRN
# sometimes finds the way (it also did in a run with the gated cells replaced by SRNs), lies
# between the claim's short and long lags. The gated cells stopped after 2 to 11 of the 20
# epochs.
# The default run took 107 s of wall time (94 s of CPU) at seed 0 on a two-core CPU under a
# light load (load average about 4), most of it the SRN, which never stops early at the long
# lags, and the GRU, whose fused kernel is the slowest per step on a CPU.
