"""cooccurrence: the course's first word vectors. Count, in the nursery rhyme "There was a
crooked man", how often each word stands next to each other word,

    X[i, j] = #{(p, q) : 0 < |p - q| <= window, word p = i, word q = j},

(window 1: the course's "2-word window", two words side by side; the window runs across
line ends, as the course's table counts "stile" next to the next line's "He"), print X as
the course's table, factor it X = U S V^T, and place each word k in the plane at the first
two entries of row k of U.

The course summary's table was damaged when the slides became text: in several rows a
count sits one column off. So the counts here come from the rhyme itself, checked against
a second count written differently (every pair of positions, one by one), and the run
prints where they and the summary's table differ.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from nnzoo.errors import UserError
from nnzoo.registry import NonNegativeFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run


@dataclass
class CooccurrenceConfig:
    window: PositiveInt = 1
    """Reach on each side: words at most this many positions apart co-occur (1: the course's
    "2-word window", words side by side; its table and the differences need 1)."""
    power: NonNegativeFloat = 0.0
    """The word map's coordinates: the first two columns of U times S^power (0: the course's
    rows of U; 1: scaled by the singular values)."""

    def __post_init__(self):
        if self.window > 10:
            raise UserError(f"expected --window at most 10 (the rhyme has 41 words), got "
                            f"{self.window}")


@experiment(
    "cooccurrence", kind="unsupervised", config=CooccurrenceConfig, seconds=3,
    claim="the co-occurrence matrix of \"There was a crooked man\" (25 words, the course's "
          "2-word window) is symmetric and its counts are exact; its SVD places the words "
          "in the plane",
    expects="X = X^T, and all 25 x 25 counts equal a separate count over every pair of "
            "positions at most `window` apart (across line ends, as the course's table "
            "counts); U S V^T gives back X to within 1e-9",
    data="the rhyme, embedded (traditional, public domain)",
    smoke={"window": 2},
)
def run(cfg: CooccurrenceConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.data.rhymes import CROOKED_MAN, summary_counts, words
    from nnzoo.models.embeddings.cooccurrence import cooccurrence, svd_embeddings

    tokens = words(CROOKED_MAN)
    vocab, X = cooccurrence(tokens, cfg.window)
    run.log(f"{len(tokens)} words, {len(vocab)} different; window {cfg.window} on each side")
    run.log(_table(vocab, X))
    (run.dir / "cooccurrence.tsv").write_text(_table(vocab, X, sep="\t"))
    symmetric = bool(np.array_equal(X, X.T))
    counted = _count_every_pair(tokens, cfg.window)
    wrong = [(a, b) for i, a in enumerate(vocab) for j, b in enumerate(vocab)
             if X[i, j] != counted.get((a, b), 0)]
    run.log(f"symmetric: {symmetric}; counts that differ from the count over every pair of "
            f"positions: {len(wrong)}")
    differences = _differences(vocab, X, summary_counts()) if cfg.window == 1 else []
    if cfg.window == 1:
        run.log(f"where the course summary's table differs from the rhyme's counts "
                f"({len(differences)} rows):")
        for line in differences:
            run.log("  " + line)

    U, s, Vt = np.linalg.svd(X.astype(np.float64))
    error = float(np.abs(U * s @ Vt - X).max())  # X = U S V^T
    run.log(f"singular values: {' '.join(f'{v:.3f}' for v in s[:8])} ...; max |U S V^T - X| = "
            f"{error:.1e}")
    xy = svd_embeddings(X, 2, power=cfg.power)  # (25, 2)
    run.save_figure(_figure(vocab, X, xy, s, cfg), "word-map")
    passed = symmetric and not wrong and error < 1e-9
    return Result(passed,
                  f"{len(vocab)} x {len(vocab)} counts: symmetric {symmetric}, "
                  f"{len(vocab) ** 2 - len(wrong)}/{len(vocab) ** 2} equal to the count over "
                  f"every pair of positions; SVD error {error:.1e}",
                  {"words": len(vocab), "tokens": len(tokens), "symmetric": symmetric,
                   "counts_wrong": len(wrong), "total_count": int(X.sum()),
                   "svd_error": error, "singular_values": [float(v) for v in s],
                   "rows_differing_from_summary": len(differences)})


def _count_every_pair(tokens: list[str], window: int) -> Counter:
    """{(word at p, word at q): how many (p, q)}, over every pair of positions p != q at
    most `window` apart: the definition, one pair at a time."""
    pairs = Counter()
    for p, a in enumerate(tokens):
        for q, b in enumerate(tokens):
            if p != q and abs(p - q) <= window:
                pairs[a, b] += 1
    return pairs


def _table(vocab: list[str], X, sep: str = "") -> str:
    """X as the course prints it: a row per word, a column per word, blanks for zeros
    (aligned, columns headed by their first four letters; or separated by `sep`)."""
    if sep:
        rows = [sep.join(["word", *vocab])]
        rows += [sep.join([w, *(str(n) if n else "" for n in row)]) for w, row in zip(vocab, X)]
        return "\n".join(rows) + "\n"
    rows = ["word     " + "".join(f"{w[:4]:>5}" for w in vocab)]
    rows += [f"{w:<9}" + "".join(f"{n or '':>5}" for n in row) for w, row in zip(vocab, X)]
    return "\n".join(rows)


def _differences(vocab: list[str], X, summary: dict) -> list[str]:
    """One line per row where the summary's table and X differ: the cells only the summary
    has, and the cells only the rhyme's counts have ("word:n" for a count n > 1)."""
    lines = []
    for i, w in enumerate(vocab):
        ours = {(b, int(X[i, j])) for j, b in enumerate(vocab) if X[i, j]}
        theirs = {(b, n) for (a, b), n in summary.items() if a == w}
        if ours != theirs:
            cells = lambda d: " ".join(b + (f":{n}" if n != 1 else "")  # noqa: E731
                                       for b, n in sorted(d)) or "-"
            lines.append(f"{w:<9} summary only: {cells(theirs - ours):<18} "
                         f"rhyme only: {cells(ours - theirs)}")
    return lines


def _figure(vocab: list[str], X, xy, s, cfg: CooccurrenceConfig):
    import numpy as np

    from nnzoo.viz import figure
    from nnzoo.viz.words import word_map

    fig, axes = figure(1, 3, size=5.5)
    ax = axes[0, 0]
    ax.imshow(X, cmap="Greys", vmin=0, vmax=max(int(X.max()), 1))
    ax.set_xticks(range(len(vocab)), vocab, rotation=90, fontsize=7)
    ax.set_yticks(range(len(vocab)), vocab, fontsize=7)
    ax.set_title(f"co-occurrence counts X (window {cfg.window}), max {int(X.max())}")
    scale = "" if cfg.power == 0 else f" x s^{cfg.power:g}"
    far = np.argsort(-np.abs(xy).max(1))[:2]  # the two words farthest out
    near = np.setdiff1d(np.arange(len(vocab)), far)
    closer = f"closer: all but {' and '.join(vocab[i] for i in far)}"
    for ax, which, title in ((axes[0, 1], np.arange(len(vocab)), "the words placed by the "
                              "first two columns of U"), (axes[0, 2], near, closer)):
        word_map(ax, [vocab[i] for i in which], xy[which])
        ax.set(xlabel=f"U[:, 1]{scale}  (s_1 = {s[0]:.2f})",
               ylabel=f"U[:, 2]{scale}  (s_2 = {s[1]:.2f})", title=title)
    return fig
