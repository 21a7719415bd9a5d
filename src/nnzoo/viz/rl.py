"""Pictures for reinforcement learning: value maps, policy arrows, learning curves, and the
figures of the RL experiments (returns, DQN's over-estimation, Pong's pixels)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

ARROW_DXDY = {"↑": (0, 1), "→": (1, 0), "↓": (0, -1), "←": (-1, 0)}


def value_map(ax: Axes, V: np.ndarray, shape: tuple[int, int], title: str = "",
              blocked: np.ndarray | None = None, labels: dict[int, str] | None = None,
              fmt: str = "{:.2f}") -> Axes:
    """The values of a grid's cells as colours with the numbers written in; `blocked`
    cells (walls) are grey, `labels` replace a cell's number (e.g. 'G', 'P')."""
    grid = np.asarray(V, dtype=float).reshape(shape)
    masked = np.ma.masked_array(grid, mask=None if blocked is None
                                else np.asarray(blocked).reshape(shape))
    ax.imshow(masked, cmap="viridis")
    ax.set_facecolor("0.6")
    labels = labels or {}
    for s, v in enumerate(grid.ravel()):
        if blocked is not None and np.asarray(blocked).ravel()[s]:
            continue
        r, c = divmod(s, shape[1])
        ax.text(c, r, labels.get(s, fmt.format(v)), ha="center", va="center", fontsize=8,
                color="w" if v < masked.mean() else "k")
    ax.set(xticks=[], yticks=[], title=title)
    return ax


def policy_arrows(ax: Axes, arrows: list[str], shape: tuple[int, int], title: str = "",
                  shade: np.ndarray | None = None, labels: dict[int, str] | None = None) -> Axes:
    """One arrow per cell ('' for none), over an optional shading of the cells (e.g. V)."""
    if shade is not None:
        ax.imshow(np.asarray(shade, dtype=float).reshape(shape), cmap="viridis", alpha=0.6)
    else:
        ax.imshow(np.zeros(shape), cmap="Greys", vmin=0, vmax=1)
    for s, arrow in enumerate(arrows):
        r, c = divmod(s, shape[1])
        if s in (labels or {}):
            ax.text(c, r, labels[s], ha="center", va="center", fontsize=9, weight="bold")
        elif arrow:
            dx, dy = ARROW_DXDY[arrow]
            ax.arrow(c - 0.3 * dx, r + 0.3 * dy, 0.45 * dx, -0.45 * dy, head_width=0.18,
                     length_includes_head=True, color="k")
    ax.set(xticks=np.arange(shape[1]) - 0.5, yticks=np.arange(shape[0]) - 0.5, title=title)
    ax.set_xticklabels([])
    ax.set_yticklabels([])
    ax.grid(color="0.7", lw=0.5)
    return ax


def learning_curve(ax: Axes, x, y, label: str = "", window: int = 1, xlabel: str = "episode",
                   ylabel: str = "return", target: float | None = None, **style) -> Axes:
    """y against x, smoothed by a running mean over `window` points, with a target line."""
    y = np.asarray(y, dtype=float)
    if window > 1 and len(y) >= window:
        kernel = np.ones(window) / window
        y = np.convolve(y, kernel, mode="valid")
        x = np.asarray(x)[window - 1:]
    ax.plot(x, y, label=label, **style)
    if target is not None:
        ax.axhline(target, color="gray", ls="--", lw=1)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    return ax


def returns_figure(histories: dict[str, list[dict]], title: str, target: float):
    """The return of each episode (running mean of 100) against the environment steps, one
    curve per history (entries with "step" and "return"), and the solving `target`."""
    from nnzoo.viz import figure

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    for name, hist in histories.items():
        learning_curve(ax, [h["step"] for h in hist], [h["return"] for h in hist], label=name,
                       window=min(100, max(len(hist), 1)), xlabel="environment steps",
                       ylabel="return (mean of 100 episodes)")
    ax.axhline(target, color="gray", ls="--", lw=1)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return fig


def dqn_figure(evals: dict[str, list[dict]], judged: dict[str, dict], env_id: str,
               target: float, ceiling: float):
    """Left: the greedy evaluation return of each variant (DQN, double DQN) against the
    steps, and the judgement of the weights kept, those of its best evaluation: the mean
    return (and standard deviation) of new episodes, drawn at the step they were saved.
    Right: over-estimation, each variant's max_a Q(s_0, a) against the true discounted
    return from s_0, under the ceiling r_max / (1 - gamma)."""
    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=4.2)
    for (name, ev), colour in zip(evals.items(), ["tab:blue", "tab:orange"]):
        steps = [e["step"] for e in ev]
        learning_curve(axes[0, 0], steps, [e["return"] for e in ev],
                       label=f"{name}: evaluations (10 episodes)", xlabel="environment steps",
                       target=target, color=colour)
        j = judged[name]
        axes[0, 0].errorbar([j["step"]], [j["mean"]], yerr=[j["std"]], fmt="D", ms=7,
                            color=colour, mec="black", capsize=4, zorder=5,
                            label=f"{name}: best weights, {j['episodes']} new episodes: "
                                  f"{j['mean']:.1f}")
        axes[0, 1].plot(steps, [e["q_start"] for e in ev], color=colour,
                        label=f"{name}: max_a Q(s_0, a)")
        axes[0, 1].plot(steps, [e["g_start"] for e in ev], color=colour, ls="--",
                        label=f"{name}: true discounted return")
    axes[0, 1].axhline(ceiling, color="gray", ls=":", lw=1.2,
                       label=f"r_max/(1-gamma) = {ceiling:.0f}: no state is worth more")
    axes[0, 0].set_title(f"evaluation return on {env_id}")
    axes[0, 0].legend(fontsize=8)
    axes[0, 1].set(title="over-estimation: value estimate vs truth at s_0",
                   xlabel="environment steps")
    axes[0, 1].legend(fontsize=7)
    for ax in axes[0]:  # 50k, not 50000
        ax.xaxis.set_major_formatter(lambda x, _: f"{x / 1000:g}k")
    return fig


def pong_curve(curve: list[float], window: int):
    """Pong's running mean return (over `window` episodes) against the episodes."""
    from nnzoo.viz import figure

    fig, axes = figure(1, 1, size=5.0)
    ax = axes[0, 0]
    ax.plot(range(1, len(curve) + 1), curve)
    ax.axhline(0, color="gray", ls="--", lw=1)
    ax.set(xlabel="episode", ylabel=f"return (mean of the last {window} episodes)",
           title="REINFORCE on Pong from pixels")
    return fig


def pong_pictures(sample: np.ndarray, W1: np.ndarray, size: int):
    """What Pong's policy network sees, a difference frame (size, size), next to the
    weights of its first hidden units (H, size * size), as pictures."""
    from nnzoo.viz.images import image_grid

    k = min(len(W1), 7)
    return image_grid([sample] + [w.reshape(size, size) for w in W1[:k]],
                      ["input: frame difference"] + [f"unit {i} weights" for i in range(k)],
                      ncols=4, symmetric=True, size=2.2,
                      title="what the network sees (80x80), and its first-layer weights")
