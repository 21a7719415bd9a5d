"""ockham: on noisy data a network too small is inadequate, one too large over-fits, a good
compromise lies between, and weight decay tames the large one.

Every net is trained to convergence (L-BFGS) from weights of N(0, 3^2), without a penalty.
The larger fits end with weights of 10^2-10^4: tanh steps so steep that between two training
points the output can shoot off (at seed 3 the 8- and 16-unit nets' mean squared validation
errors were 1.1e5 and 4.1e6; at a seed of issue 25 the 4- and 8-unit nets' 6e3 and 6e9), so
the validation error is judged by its median over the 400 validation points, the error at a
typical x, which a spike in one gap cannot swamp (the mean is reported too). And a net of 16
units (49 weights for 20 points) does not always find a fit of the noise from two starts
(training error 0.0080 and 0.0117 at seeds 8 and 9, above the tenth of the noise variance,
0.00625, where the 32- and 64-unit nets reached 2e-3 and 1e-4; seeds 0-9 PASS with the
median); the claim that large nets fit the noise is made of the 32- and 64-unit nets (97 and
193 weights).
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class OckhamConfig:
    n_train: PositiveInt = 20
    """Noisy training points t = sin(2 pi x) + noise, x in [-1, 1]."""
    noise: PositiveFloat = 0.25
    """Standard deviation of the noise on the targets."""
    init: PositiveFloat = 3.0
    """Scale of the initial weights: each weight and bias is drawn from N(0, init^2)."""
    weight_decay: PositiveFloat = 0.01
    """lambda of the penalty lambda/2 sum w^2 for the largest network's second fit."""
    restarts: PositiveInt = 2
    """Fits of each size from different initial weights; the one with the lowest training
    error is kept (a net of that size can fit at least that well)."""


OCKHAM_SIZES = (1, 2, 4, 8, 16, 32, 64)
LARGE = 32  # nets this large have over four times as many weights (3H + 1) as the 20 points
N_VALIDATION = 400


@experiment(
    "ockham", kind="supervised", config=OckhamConfig, seconds=26,
    claim="Ockham's razor: on noisy data a network too small is inadequate, one too large "
          "over-fits, and a good compromise lies between; weight decay tames the large one",
    expects="on 20 points of sin(2 pi x) plus noise of variance 0.0625, with 1 to 64 hidden "
            "units: the 1-unit net's training error is above the noise variance "
            "(inadequate), the 32- and 64-unit nets' below a tenth of it (they fit the "
            "noise); the validation error (the median squared error over 400 new points) is "
            "smallest strictly between the smallest and the largest net, and weight decay "
            "lowers the largest net's",
    smoke={"n_train": 8, "restarts": 1},
)
def run(cfg: OckhamConfig, run: Run) -> Result:
    import torch

    from nnzoo.data.synthetic import noisy_sine
    from nnzoo.training.supervised import fit_to_convergence

    def as_tensors(x, t):
        return torch.tensor(x[:, None]), torch.tensor(t[:, None])  # (B, 1) float64

    X, t = as_tensors(*noisy_sine(cfg.n_train, cfg.noise, run.rng("data").numpy))
    X_val, t_val = as_tensors(*noisy_sine(N_VALIDATION, cfg.noise, run.rng("validation").numpy))

    def mse(net, X, t):
        with torch.no_grad():
            return ((net(X) - t) ** 2).mean().item()

    def median_se(net, X, t):  # the squared error at a typical point: spikes cannot swamp it
        with torch.no_grad():
            return ((net(X) - t) ** 2).median().item()

    sizes = run.parts(len(OCKHAM_SIZES), label="sizes", desc="sizes")
    for k in sizes:  # every size fits the training points as well as it can
        H = OCKHAM_SIZES[k]
        fits = []
        for restart in range(cfg.restarts):
            net = _net(H, cfg.init, run.rng("init", H, restart).torch)
            fit_to_convergence(net, X, t, run=run)  # NaN/inf: exit status 3
            fits.append((mse(net, X, t), net))
        net = min(fits, key=lambda f: f[0])[1]
        r = {"hidden": H, "train_mse": mse(net, X, t), "val_mse": mse(net, X_val, t_val),
             "val_median": median_se(net, X_val, t_val)}
        run.log_metrics(H, **r)
        run.log(f"{H:3d} hidden units: training MSE {r['train_mse']:.4f}, validation "
                f"median squared error {r['val_median']:.4g} (mean {r['val_mse']:.4g})")
        sizes.done({**r, "weights": net.state_dict()})
    nets = {r["hidden"]: _loaded(r) for r in sizes.results}
    train_err = {r["hidden"]: r["train_mse"] for r in sizes.results}
    val_mean = {r["hidden"]: r["val_mse"] for r in sizes.results}
    val_err = {H: median_se(net, X_val, t_val) for H, net in nets.items()}

    # the largest net again, from the first restart's weights, with weight decay
    big = OCKHAM_SIZES[-1]
    decayed = _net(big, cfg.init, run.rng("init", big, 0).torch)
    fit_to_convergence(decayed, X, t, lam=cfg.weight_decay, run=run)
    wd_val, wd_mean = median_se(decayed, X_val, t_val), mse(decayed, X_val, t_val)
    run.log(f"{big} hidden units with weight decay {cfg.weight_decay}: validation median "
            f"squared error {wd_val:.4g} (mean {wd_mean:.4g})")

    best = min(val_err, key=val_err.get)
    noise_var = cfg.noise ** 2  # the error of the true function itself
    inadequate = train_err[OCKHAM_SIZES[0]] > noise_var
    fits_noise = all(train_err[h] < noise_var / 10 for h in OCKHAM_SIZES if h >= LARGE)
    u_shaped = OCKHAM_SIZES[0] < best < big
    tamed = wd_val < val_err[big]
    run.save_figure(_ockham_figure(nets, decayed, X, t, train_err, val_err, wd_val, best, cfg),
                    "ockham")
    headline = (f"best validation at {best} hidden units (median squared error "
                f"{val_err[best]:.3f}; 1 unit {val_err[1]:.3f}, {big} units {val_err[big]:.3g}, "
                f"with weight decay {wd_val:.3f}); training MSE 1 unit {train_err[1]:.3f}, "
                f"{LARGE}+ units at most {max(train_err[h] for h in train_err if h >= LARGE):.1e}")
    return Result(inadequate and fits_noise and u_shaped and tamed, headline, {
        "best_hidden": best, "train_mse": train_err, "val_median": val_err,
        "val_mse": val_mean, "weight_decay_val_median": wd_val, "weight_decay_val_mse": wd_mean,
        "inadequate": inadequate, "fits_noise": fits_noise, "u_shaped": u_shaped,
        "tamed": tamed})


def _net(H: int, init: float | None = None, generator=None):
    """The 1-H-1 network (tanh hidden, linear output) in float64, its weights from
    N(0, init^2) when `init` is given."""
    from nnzoo.models.mlp import MLP

    net = MLP([1, H, 1], activation="tanh", output="linear").double()
    return net if init is None else net.init_normal_(init, generator)


def _loaded(r: dict):
    """The net of one size's part, from its saved weights."""
    net = _net(r["hidden"])
    net.load_state_dict(r["weights"])
    return net


def _ockham_figure(nets, decayed, X, t, train_err, val_err, wd_val, best, cfg):
    import numpy as np
    import torch

    from nnzoo.viz import figure

    big = max(nets)
    xs = torch.linspace(-1, 1, 300, dtype=torch.float64)[:, None]  # (300, 1)
    x_np = xs.numpy().ravel()
    fig, axes = figure(1, 4, size=3.2)
    panels = [(1, "inadequate"), (best, "good compromise"), (big, "over-fitting")]
    for ax, (H, label) in zip(axes[0], panels):
        with torch.no_grad():
            ax.plot(x_np, nets[H](xs).numpy(), lw=2, label=f"{H} hidden")
            if H == big:
                ax.plot(x_np, decayed(xs).numpy(), "g--", lw=1.5,
                        label=f"+ weight decay {cfg.weight_decay}")
        ax.plot(x_np, np.sin(2 * np.pi * x_np), color="gray", lw=1, ls=":")  # the truth
        ax.scatter(X, t, c="k", s=15, zorder=3)
        ax.set(title=f"{label} ({H} hidden)", ylim=(-2, 2), xlabel="x")
        ax.legend(fontsize=7, loc="lower right")
    ax = axes[0, 3]
    sizes = sorted(nets)
    ax.loglog(sizes, [max(train_err[h], 1e-8) for h in sizes], "o-", label="training (mean)")
    ax.loglog(sizes, [val_err[h] for h in sizes], "s-", label="validation (median)")
    ax.loglog([big], [wd_val], "g*", ms=12, label="validation (median), weight decay")
    ax.set(xlabel="hidden units", ylabel="squared error", title="error vs size")
    ax.legend(fontsize=7)
    return fig
