"""reber: an Elman SRN learns the Reber grammar by predicting the next letter, and its hidden
states sort themselves by the grammar's state (Cleeremans, Servan-Schreiber & McClelland 1989).

Every Reber string starts with B, walks a graph of six nodes emitting one letter per edge,
and ends with E. Most letters leave two continuations open, so no network can predict the
next letter exactly; what it can learn is to predict only letters the grammar allows. To do
so it must know which node of the graph it is in, though it only sees letters: the figure
shows its hidden states, one dot per letter read, coloured by the node the walk was in.

The check counts the held-out strings predicted legally at every position. At seeds 0-2
all 1,000 were; at seeds 3-9, 994, 1,000, 979, 996, 1,000, 993 and 999 (nnzoo sweep reber
--seeds 3-9), so the claim asks for 95% of them, not every one. It fails when the lesson
does: trained for 100 epochs instead of 3,000, 440 strings; with the context layer cut
(U = 0: the network sees only the current letter), none.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

LEGAL = 0.95  # the claim: this share of held-out strings predicted legally throughout


@dataclass
class ReberConfig:
    hidden: PositiveInt = 3
    """Hidden (and context) units: 3, a 7-3-7 network (with 2, the 7-2-7 network learns the
    grammar on most seeds but not all: at seed 2, 986 of 1,000 held-out strings)."""
    train_strings: PositiveInt = 200
    """Reber strings to train on."""
    test_strings: PositiveInt = 1000
    """Held-out Reber strings (a stream of their own) on which the claim is judged."""
    epochs: PositiveInt = 3000
    """Epochs of full-batch training (backpropagation through time over each string)."""
    lr: PositiveFloat = 0.01
    """Learning rate (Adam)."""


@experiment(
    "reber", kind="supervised", config=ReberConfig, seconds=11,
    claim="a simple recurrent network with 3 hidden units (7-3-7) trained on Reber strings "
          "predicts only letters the grammar allows on nearly every string it has never seen",
    expects="trained on 200 strings, on at least 95% of 1,000 held-out Reber strings every "
            "predicted next letter (the most likely one) is legal at every position",
    smoke={"epochs": 100, "train_strings": 20, "test_strings": 50},
)
def run(cfg: ReberConfig, run: Run) -> Result:
    import numpy as np
    import torch

    from nnzoo.data.sequences import batch, reber
    from nnzoo.models.recurrent import next_symbol_loss, predictions, tensors
    from nnzoo.nn.recurrent import RecurrentNet
    from nnzoo.training.supervised import Data, fit, torch_threads

    train_rng, test_rng = run.rng("train strings").numpy, run.rng("test strings").numpy
    train = batch([reber(train_rng)[0] for _ in range(cfg.train_strings)])
    held_out = [reber(test_rng) for _ in range(cfg.test_strings)]
    test = batch([s for s, _ in held_out])
    with run.seeded("init"):
        net = RecurrentNet("srn", 7, cfg.hidden, 7, builtin=True).to(run.device)

    def legal(out, y) -> float:  # fraction of training strings predicted legally throughout
        return float(train.judge(out.argmax(dim=-1).cpu().numpy())["legal"].mean())

    X, y = tensors(train, run.device)
    with torch_threads(1 if run.device.type == "cpu" else torch.get_num_threads()):
        history = fit(net, torch.optim.Adam(net.parameters(), lr=cfg.lr), next_symbol_loss,
                      Data(X, y), epochs=cfg.epochs, eval_every=100, run=run, score=legal)

    pred = predictions(net, test)  # (N, T)
    strings_ok = test.judge(pred)["legal"]  # (N,)
    positions_ok = np.take_along_axis(test.legal, pred[..., None], axis=2)[..., 0][test.mask]
    if cfg.hidden in (2, 3):
        with torch.no_grad():
            H = net.hidden(tensors(test, run.device)[0])[0].cpu().numpy()  # (N, T, 2)
        nodes = np.concatenate([n for _, n in held_out])
        run.save_figure(_states_figure(H[test.mask], nodes), "hidden_states")  # (n, 2 or 3)
    run.save_figure(_curve(history), "learning")
    ok = bool(strings_ok.mean() >= LEGAL)
    headline = (f"held-out strings predicted legally throughout: {int(strings_ok.sum())}/"
                f"{len(strings_ok)} (legal at {positions_ok.mean():.2%} of positions)")
    return Result(ok, headline, {"legal_strings": float(strings_ok.mean()),
                                 "legal_positions": float(positions_ok.mean()),
                                 "final_loss": history.last()["loss"]})


def _states_figure(H, nodes):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.0, 4.6), layout="constrained")
    ax = fig.add_subplot(projection="3d" if H.shape[1] == 3 else None)
    for node in range(6):
        at = nodes == node
        ax.scatter(*H[at].T, s=10, alpha=0.5, color=f"C{node}", label=f"node {node}")
    ax.set(xlabel="h1", ylabel="h2", xlim=(-1.05, 1.05), ylim=(-1.05, 1.05),
           title="SRN hidden states on held-out Reber strings,\ncoloured by the grammar's node")
    if H.shape[1] == 3:
        ax.set(zlabel="h3", zlim=(-1.05, 1.05))
    ax.legend(fontsize=7, markerscale=2)
    return fig


def _curve(history):
    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=3.4)
    err, frac = axes[0]
    err.plot(history.epochs, history.series("train_loss"), color="C3")
    err.set(xlabel="epoch", ylabel="error (cross-entropy of the next letter)")
    frac.plot(history.epochs, history.series("train_acc"), color="C0")
    frac.set(xlabel="epoch", ylabel="training strings predicted legally", ylim=(-0.05, 1.05))
    return fig
