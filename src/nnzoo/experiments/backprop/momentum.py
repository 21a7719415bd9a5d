"""momentum: in a "rain gutter" (an error surface steep across, shallow along) plain gradient
descent zigzags across and crawls along; the course's momentum update

    delta_w <- alpha delta_w - eta dE/dw,    w <- w + delta_w

carries it along the gutter about 1/(1 - alpha) times as fast.

The gutter is the quadratic E(w) = 1/2 (a w_1^2 + b w_2^2), a >> b. Its two axes descend
independently (dE/dw_1 = a w_1, dE/dw_2 = b w_2), so the movement along the gutter (w_2) does
not depend on the zigzag across it (w_1).

The speed-up along the gutter, measured at step k of the descent with momentum, is

    s_k = |delta_w_2(k)| / (eta |dE/dw_2 (w(k-1))|),

its step along w_2 divided by the step plain descent takes from the same point (for plain
descent s_k = 1 exactly). Why its ideal value is 1/(1 - alpha): on a straight slope (constant
gradient g) the update sums the past gradients, delta_w(k) = -eta g (1 + alpha + ... +
alpha^(k-1)) = -eta g (1 - alpha^k) / (1 - alpha), so s_k -> 1/(1 - alpha) once alpha^k is
small. Along the gutter the gradient b w_2 shrinks slowly: once the velocity has built up, w_2
moves in the slow mode w_2(t) ~ lambda^t of w(t+1) = w(t) + alpha (w(t) - w(t-1)) - eta b w(t),
lambda the larger root of lambda^2 - (1 + alpha - eta b) lambda + alpha = 0, and then
s = (1 - lambda) / (eta b) solves eta b s^2 - (1 - alpha + eta b) s + 1 = 0: s = 1/(1 - alpha)
+ O(eta b alpha / (1 - alpha)^3), 10.5 at the defaults (eta b = 4.75e-4, alpha = 0.9). The
run reports both this slow-mode value and the straight-slope value (1 - alpha^k)/(1 - alpha).

Across the gutter (eta a = 1.9) plain descent overshoots to the other side at every step and
its zigzag shrinks by |1 - eta a| = 0.9 a step; with momentum the sideways motion is a damped
oscillation that shrinks by sqrt(alpha) = 0.95 a step: this experiment claims the speed along
the gutter, not a faster damping across it.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.errors import UserError
from nnzoo.registry import PositiveFloat, PositiveInt, UnitFloat, experiment
from nnzoo.runs import Result, Run


@dataclass
class MomentumConfig:
    a: PositiveFloat = 1.0
    """Curvature across the gutter: E(w) = 1/2 (a w_1^2 + b w_2^2)."""
    b: PositiveFloat = 2.5e-4
    """Curvature along the gutter (much smaller than a)."""
    eta: PositiveFloat = 1.9
    """Learning rate; eta * a just below 2: plain descent overshoots across the gutter."""
    alpha: UnitFloat = 0.9
    """Momentum of the second descent (the first is plain descent, alpha = 0)."""
    w1_start: float = 1.0
    """Starting point's w_1 (across the gutter), the same for both descents."""
    w2_start: float = 10.0
    """Starting point's w_2 (along the gutter), the same for both descents."""
    tolerance: PositiveFloat = 1e-6
    """A descent has arrived when E < tolerance."""
    max_steps: PositiveInt = 50000
    """Most steps of either descent."""
    speed_after: PositiveInt = 50
    """The speed-up along the gutter is measured at this step (alpha^k small by then)."""

    def __post_init__(self):
        if self.eta * self.a >= 2:
            raise UserError(f"expected --eta * --a below 2 (plain descent diverges across the "
                            f"gutter otherwise), got {self.eta * self.a:g}; lower --eta")
        if self.speed_after >= self.max_steps:
            raise UserError(f"expected --speed-after below --max-steps ({self.max_steps}), "
                            f"got {self.speed_after}")


@experiment(
    "momentum", kind="supervised", config=MomentumConfig, seconds=2,
    claim="in a rain gutter (error steep across, shallow along) plain gradient descent zigzags "
          "across and crawls along; momentum carries it along the gutter about "
          "1/(1 - alpha) times as fast",
    expects="on E = 1/2 (w_1^2 + 0.00025 w_2^2) with eta = 1.9, from (1, 10): descent with "
            "momentum alpha = 0.9 reaches E < 1e-6 in at most a fifth of the steps plain "
            "descent needs, and at step 50 its step along w_2 is within 10% of "
            "1/(1 - alpha) = 10 times the step plain descent takes from the same point",
    smoke={"b": 1e-3, "tolerance": 1e-4, "max_steps": 5000},
)
def run(cfg: MomentumConfig, run: Run) -> Result:
    descents = run.parts(2, label="descents")  # plain descent, then with momentum
    for i in descents:
        descents.done(_descend(cfg, alpha=(0.0, cfg.alpha)[i]))
    plain, mom = descents.results
    for name, d in (("plain descent", plain), (f"momentum {cfg.alpha:g}", mom)):
        run.log(f"{name}: {d['steps'] or 'not'} steps to E < {cfg.tolerance:g}, speed-up along "
                f"the gutter at step {cfg.speed_after}: {d['speedup']:.3f}")
    ideal = 1 / (1 - cfg.alpha)
    straight = (1 - cfg.alpha ** cfg.speed_after) / (1 - cfg.alpha)
    eb = cfg.eta * cfg.b
    # the slow mode's s: eta b s^2 - (1 - alpha + eta b) s + 1 = 0, the smaller root
    slow = ((1 - cfg.alpha + eb) - ((1 - cfg.alpha + eb) ** 2 - 4 * eb) ** 0.5) / (2 * eb)
    run.log(f"1/(1 - alpha) = {ideal:.3f}; straight slope after {cfg.speed_after} steps "
            f"{straight:.3f}; the gutter's slow mode {slow:.3f}")
    run.save_figure(_gutter_figure(cfg, plain, mom), "gutter")
    arrived = plain["steps"] is not None and mom["steps"] is not None
    fewer = arrived and 5 * mom["steps"] <= plain["steps"]
    faster = abs(mom["speedup"] - ideal) <= 0.1 * ideal
    steps = lambda d: d["steps"] or f">{cfg.max_steps}"  # noqa: E731
    return Result(arrived and fewer and faster,
                  f"steps to E < {cfg.tolerance:g}: plain {steps(plain)}, momentum "
                  f"{steps(mom)}; speed along the gutter {mom['speedup']:.2f} x plain "
                  f"(1/(1 - alpha) = {ideal:.3g})",
                  {"steps_plain": plain["steps"], "steps_momentum": mom["steps"],
                   "speedup_plain": plain["speedup"], "speedup_momentum": mom["speedup"],
                   "speedup_ideal": ideal, "speedup_straight_slope": straight,
                   "speedup_slow_mode": slow})


def _descend(cfg: MomentumConfig, alpha: float) -> dict:
    """Gradient descent with momentum alpha from the start until E < tolerance (or max_steps):
    its path, E at every step, the steps it took (None: not arrived) and the speed-up along
    the gutter at step speed_after."""
    import torch

    from nnzoo.nn.optim import Momentum

    curvature = torch.tensor([cfg.a, cfg.b], dtype=torch.float64)  # (2,)
    w = torch.tensor([cfg.w1_start, cfg.w2_start], dtype=torch.float64, requires_grad=True)
    optimizer = Momentum([w], lr=cfg.eta, alpha=alpha)
    path, E_of_step, plain_steps, steps = [w.detach().clone()], [], [], None
    for step in range(cfg.max_steps + 1):
        optimizer.zero_grad()
        # E(w) = 1/2 (a w_1^2 + b w_2^2)
        E = 0.5 * (curvature * w**2).sum()
        E_of_step.append(E.item())
        if E.item() < cfg.tolerance and steps is None:
            steps = step
        if step == cfg.max_steps or (steps is not None and step > cfg.speed_after):
            break
        E.backward()
        plain_steps.append(cfg.eta * w.grad[1].abs().item())  # plain descent's step along w_2
        optimizer.step()
        path.append(w.detach().clone())
    path = torch.stack(path)  # (steps + 1, 2)
    k = cfg.speed_after
    # s_k = |delta_w_2(k)| / (eta |dE/dw_2 (w(k-1))|)
    speedup = (path[k, 1] - path[k - 1, 1]).abs().item() / plain_steps[k - 1]
    return {"path": path, "E": E_of_step, "steps": steps, "speedup": float(speedup)}


def _gutter_figure(cfg: MomentumConfig, plain: dict, mom: dict):
    import numpy as np

    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=4.5)
    ax = axes[0, 0]
    w1_max, w2_max = 1.2 * abs(cfg.w1_start) + 0.1, 1.1 * abs(cfg.w2_start) + 0.5
    w1, w2 = np.meshgrid(np.linspace(-w1_max, w1_max, 301), np.linspace(-0.5, w2_max, 301))
    E = 0.5 * (cfg.a * w1**2 + cfg.b * w2**2)
    ax.contour(w1, w2, E, levels=np.geomspace(max(E.min(), 1e-4), E.max(), 14), colors="gray",
               linewidths=0.6)
    for d, color, label in ((mom, "tab:blue", f"momentum alpha = {cfg.alpha:g}"),
                            (plain, "tab:red", "plain descent")):
        path = d["path"].numpy()  # (steps + 1, 2)
        ax.plot(path[:, 0], path[:, 1], color=color, lw=0.8, alpha=0.8, label=label)
        ax.plot(path[:40, 0], path[:40, 1], ".", color=color, ms=3)
    ax.plot([cfg.w1_start], [cfg.w2_start], "ko", ms=5)
    ax.set(xlabel="w_1 (across the gutter)", ylabel="w_2 (along the gutter)",
           title=f"E = 1/2 ({cfg.a:g} w_1^2 + {cfg.b:g} w_2^2), eta = {cfg.eta:g}")
    ax.legend(fontsize=8, loc="lower right")
    ax = axes[0, 1]
    ax.plot(plain["E"], color="tab:red", lw=1.2, label=f"plain: {plain['steps']} steps")
    ax.plot(mom["E"], color="tab:blue", lw=1.2, label=f"momentum: {mom['steps']} steps")
    ax.axhline(cfg.tolerance, color="gray", ls=":", lw=1)
    ax.set(yscale="log", xlabel="step", ylabel="E",
           title="error against steps (dotted: the tolerance)")
    ax.legend(fontsize=8)
    return fig
