"""attention: a bidirectional recurrent encoder and a decoder with additive attention
translate dates written by people ("7 september 1994", "sep 7 1994", "07/09/1994", "september
7, 1994") into ISO dates ("1994-09-07"), and the attention weights show which input
characters each output character was read from.

The encoder's bidirectional GRU gives each input position a state that describes its
surroundings from both sides; at each output step the decoder scores every input state,
e_j = v^T tanh(W s + U h_j), and reads their softmax-weighted sum (nnzoo.models.seq2seq).
The alignment is not monotonic (the year comes last in the input and first in the output),
which is what attention makes easy: the figure's heat maps show it.

Where the decoder looks is measured, not only drawn: each output digit comes from known input
characters (nnzoo.data.sequences.date_sources: a year digit from the same digit, the month
from its name or its digits, the day from its digits), and the run counts the output digits
whose largest attention weight alpha_j falls on one of them (models.seq2seq.attends_to_source;
the hyphens are not counted). At seeds 0, 1, 2, 85.7%, 85.4% and 87.0% of them did. One in
eight of the digits counted is the year's first, and the decoder reads it from the year's
second digit (in the heat maps both of the first two output digits look there): with years
1950-2049 the century follows from it (9: 19, 0: 20), so the share stops near 7/8. The claim
asks for 75%; judged against the sources of dates written in other formats (a shuffled
source), the seed-0 run scores 29% and FAILs. A bidirectional state knows its neighbours
too, so an attention that looked next to the digits could still translate, and would fail
this.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

ALIGNED = 0.75  # the claim: this share of output digits attend most to their source


@dataclass
class AttentionConfig:
    train_pairs: PositiveInt = 10000
    """Training pairs (written date, ISO date)."""
    test_pairs: PositiveInt = 1000
    """Held-out pairs, whose written dates never occur in training."""
    hidden: PositiveInt = 64
    """Hidden units of the decoder and of each direction of the encoder."""
    epochs: PositiveInt = 4
    """Epochs (mini-batches of 100 pairs)."""
    lr: PositiveFloat = 3e-3
    """Learning rate (Adam)."""


@experiment(
    "attention", kind="supervised", config=AttentionConfig, seconds=26,
    claim="a bidirectional GRU encoder with an additive-attention GRU decoder translates "
          "written dates into ISO dates, attending to the input characters each output "
          "character comes from",
    expects="at least 95% of 1,000 held-out dates (never seen in training) translated "
            "exactly (all 10 characters right, greedy decoding), and for at least 75% of their "
            "output digits the largest attention weight on a character the digit comes from",
    smoke={"train_pairs": 300, "test_pairs": 50, "epochs": 1, "hidden": 16},
)
def run(cfg: AttentionConfig, run: Run) -> Result:
    import numpy as np
    import torch
    from torch.nn import functional as F

    from nnzoo.data.sequences import (
        DATE_INPUT,
        DATE_OUTPUT,
        date_pairs,
        date_sources,
        decode,
        encode,
    )
    from nnzoo.models.seq2seq import Seq2Seq, TeacherForcing, attends_to_source
    from nnzoo.training.supervised import Data, fit, torch_threads

    train = date_pairs(cfg.train_pairs, run.rng("train dates").numpy)
    test = date_pairs(cfg.test_pairs, run.rng("test dates").numpy,
                      exclude={w for w, _ in train})
    T_in = max(len(w) for w, _ in train + test)
    X = torch.from_numpy(encode([w for w, _ in train], DATE_INPUT, T_in))
    Y = torch.from_numpy(encode([iso for _, iso in train], DATE_OUTPUT))
    start = DATE_OUTPUT.index("^") + 1
    with run.seeded("init"):
        net = Seq2Seq(len(DATE_INPUT) + 1, len(DATE_OUTPUT) + 1, hidden=cfg.hidden,
                      attention=cfg.hidden, start=start, pad=0)
    model = TeacherForcing(net, T_in).to(run.device)

    def loss(scores, y):  # cross-entropy of every output character
        return F.cross_entropy(scores.reshape(-1, scores.shape[-1]), y.reshape(-1))

    def exact(scores, y) -> float:  # whole dates right (teacher forcing)
        return float((scores.argmax(-1) == y).all(dim=1).float().mean())

    XY = torch.cat([X, Y], dim=1).to(run.device)
    Y = Y.to(run.device)
    with torch_threads(1 if run.device.type == "cpu" else torch.get_num_threads()):
        history = fit(model, torch.optim.Adam(model.parameters(), lr=cfg.lr), loss,
                      Data(XY, Y, eval_batch_size=1000), epochs=cfg.epochs, batch_size=100,
                      rng=run.rng("shuffle").torch, run=run, score=exact)

    Xt = torch.from_numpy(encode([w for w, _ in test], DATE_INPUT, T_in)).to(run.device)
    net.eval()
    out, alpha = net.decode(Xt, 10)
    got = [decode(row, DATE_OUTPUT) for row in out.cpu().numpy()]
    right = np.array([g == iso for g, (_, iso) in zip(got, test)])
    aligned = attends_to_source(alpha.cpu(), [date_sources(w) for w, _ in test])
    run.save_figure(_heat_maps(test[:4], got[:4], alpha[:4].cpu().numpy()), "attention")
    for (w, iso), g in list(zip(test, got))[:5]:
        run.log(f"{w!r} -> {g!r} ({'right' if g == iso else 'expected ' + iso})")
    ok = right.mean() >= 0.95 and aligned >= ALIGNED
    return Result(bool(ok), f"{right.mean():.1%} of {len(test)} held-out dates translated "
                  f"exactly; {aligned:.1%} of their output digits looked hardest at the "
                  "character they come from", {"exact": float(right.mean()), "aligned": aligned,
                                                "final_loss": history.last()["loss"]})


def _heat_maps(pairs, got, alpha):
    from nnzoo.viz import figure

    fig, axes = figure(1, len(pairs), size=3.3)
    for ax, (written, _), out, a in zip(axes[0], pairs, got, alpha):
        ax.imshow(a[:len(out), :len(written)], cmap="Greys", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(written)), list(written), fontsize=7)
        ax.set_yticks(range(len(out)), list(out), fontsize=7)
        ax.set_title(f"{written!r}", fontsize=8)
    axes[0, 0].set_ylabel("output character")
    fig.suptitle("where the decoder looked: attention weights (rows: output, columns: input)",
                 fontsize=9)
    return fig
