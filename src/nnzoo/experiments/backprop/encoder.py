"""encoder: an N-2-N network squeezes N one-hot patterns through two hidden units, and the
hidden codes spread out until every output unit can cut its own pattern off."""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class EncoderConfig:
    n: PositiveInt = 8
    """Patterns: the N one-hot vectors of an N-2-N encoder."""
    lr: PositiveFloat = 0.03
    """Learning rate (Adam)."""
    init: PositiveFloat = 0.5
    """Scale of the initial weights: each weight and bias is drawn from N(0, init^2)."""
    epochs: PositiveInt = 10000
    """Most epochs; training stops once every pattern is reproduced."""


SNAPSHOT_EPOCHS = (50, 100, 200, 400, 800, 1600, 3200, 6400)  # and the last epoch


@experiment(
    "encoder", kind="unsupervised", config=EncoderConfig, seconds=2,
    claim="an N-2-N encoder squeezes N one-hot patterns through 2 hidden units; the hidden "
          "codes spread out over training until every output unit can cut its own pattern off",
    expects="every pattern reproduced (each output > 0.5 exactly for its own input)",
    smoke={"epochs": 300},
)
def run(cfg: EncoderConfig, run: Run) -> Result:
    import torch

    from nnzoo.models.mlp import MLP
    from nnzoo.nn import cross_entropy
    from nnzoo.training.supervised import Data, fit

    X = torch.eye(cfg.n, device=run.device)  # (N, N) one-hot inputs, also the targets
    net = MLP([cfg.n, 2, cfg.n], activation="tanh", output="sigmoid")
    net = net.init_normal_(cfg.init, run.rng("init").torch).to(run.device)
    snapshots = Snapshots()  # the pictures taken so far, kept by the run's checkpoints

    def snapshot(stats) -> bool:  # a picture at the chosen epochs; stop once reproduced
        done = reproduced(net, X)
        if stats["epoch"] in SNAPSHOT_EPOCHS or done:
            snapshots.take(stats["epoch"], net, X)
        return done

    training = run.parts(1, label="encoder", keep={"snapshots": snapshots})
    for _ in training:
        history = fit(net, torch.optim.Adam(net.parameters(), lr=cfg.lr), cross_entropy,
                      Data(X, X), epochs=cfg.epochs, eval_every=10, stop_when=snapshot,
                      run=run, checkpoint_every=100)
        final = history.epochs[-1]
        if final not in snapshots:
            snapshots.take(final, net, X)
        training.done({"reproduced": reproduced(net, X), "epochs": final,
                       "final_loss": history.last()["loss"], "weights": net.state_dict()})
    result = training.results[0]
    net.load_state_dict(result["weights"])
    run.save_figure(_encoder_figure(snapshots, cfg.n), "hidden_dynamics")
    run.save_figure(_encoder_hinton(net), "hinton")
    ok, final = result["reproduced"], result["epochs"]
    headline = (f"all {cfg.n} patterns reproduced after {final} epochs" if ok else
                f"not every pattern reproduced after {final} epochs")
    return Result(ok, headline, {"reproduced": ok, "epochs": final,
                                 "final_loss": result["final_loss"]})


def reproduced(net, X) -> bool:
    """Every output unit on (> 0.5) exactly where its input unit is on."""
    import torch

    with torch.no_grad():
        return bool(((net(X) >= 0.5).float() == X).all())


class Snapshots(dict):
    """epoch -> (hidden codes (N, 2), output weights (N, 2), output biases (N,)), with the
    state_dict / load_state_dict that lets the run keep them across a resume."""

    def take(self, epoch: int, net, X) -> None:
        import torch

        with torch.no_grad():
            W, b = net.layer_weights()[-1]  # the decoder: hidden code -> outputs
            self[epoch] = (net.hidden(X)[0].cpu(), W.cpu().clone(), b.cpu().clone())

    def state_dict(self) -> dict:
        return dict(self)

    def load_state_dict(self, state: dict) -> None:
        self.clear()
        self.update(state)


def _encoder_figure(snapshots: dict, n: int):
    import numpy as np

    from nnzoo.viz import boundary_line, figure

    epochs = sorted(snapshots)
    cols = min(4, len(epochs))
    fig, axes = figure(-(-len(epochs) // cols), cols, size=2.8)
    for ax in axes.flat[len(epochs):]:
        ax.axis("off")
    for ax, epoch in zip(axes.flat, epochs):
        H, W, b = (a.numpy() for a in snapshots[epoch])
        for j in range(n):  # output unit j is on where W_j . h + b_j > 0
            boundary_line(ax, W[j], b[j], lims=(-1.1, 1.1), color=f"C{j % 10}", lw=0.8)
        ax.scatter(H[:, 0], H[:, 1], c=[f"C{j % 10}" for j in range(n)], s=40, zorder=3,
                   edgecolors="k")
        for j, (u, v) in enumerate(H):
            ax.annotate(str(j + 1), (u, v), xytext=(4, 4), textcoords="offset points",
                        fontsize=7)
        ax.set(title=f"epoch {epoch}", aspect="equal", xticks=np.linspace(-1, 1, 3),
               yticks=np.linspace(-1, 1, 3))
    axes[0, 0].set(xlabel="hidden unit 1", ylabel="hidden unit 2")
    return fig


def _encoder_hinton(net):
    from nnzoo.viz import figure, hinton

    fig, axes = figure(1, 2, size=3.0)
    hinton(net.input_weights().detach().cpu().T, axes[0, 0])
    axes[0, 0].set(title="encoder: input -> hidden", xlabel="hidden", ylabel="input")
    hinton(net.layer_weights()[-1][0].detach().cpu(), axes[0, 1])
    axes[0, 1].set(title="decoder: hidden -> output", xlabel="hidden", ylabel="output")
    return fig
