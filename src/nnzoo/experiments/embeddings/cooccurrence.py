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

What "the SVD places the words in the plane" means, checked: words used in like contexts
point alike. Two words' contexts are alike as far as their rows of X are (the cosine of
X[i] and X[j]: 1 for the same neighbours in the same proportions, 0 for no neighbour in
common); their places are alike as far as the cosine of their rows of U (the first two
columns) is. Over the 300 pairs of words, Spearman's rho between the two orders is the
measure: about 0 for places that have nothing to do with the counts, which the run shows by
shuffling the places among the words 1000 times. (It is the angle that carries the
contexts, not the distance: a frequent word such as "a" or "crooked" lies far out along
its direction, since its row of X is large.) Measured at window 1: rho 0.509, where the
shuffled placements reach a 99th percentile of 0.15-0.17 (seeds 0-2) and at most 0.25, 200
random Gaussian placements at most 0.26, and the words placed by columns 3 and 4 of U
instead give 0.29, by the last two -0.12. Wider windows keep less (window 2: 0.56, window
3: 0.40, where nearly every two words share a neighbour); the claim is the course's window.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from nnzoo.errors import UserError
from nnzoo.registry import NonNegativeFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

AGREEMENT = 0.4  # the claim: rho(contexts' cosines, places' cosines) at least this
SHUFFLES = 1000  # placements shuffled among the words, for what rho is by chance


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
          "2-word window) counts every pair exactly, and its SVD places words used in like "
          "contexts in like directions of the plane",
    expects="all 25 x 25 counts equal a separate count over every pair of positions at most "
            "`window` apart (across line ends, as the course's table counts); over the 300 "
            "pairs of words, Spearman's rho between the cosine of their rows of X (their "
            f"contexts) and the cosine of their places (rows of U) is at least {AGREEMENT} and "
            f"above the 99th percentile of {SHUFFLES} placements shuffled among the words",
    data="the rhyme, embedded (traditional, public domain)",
    smoke={"window": 2},
)
def run(cfg: CooccurrenceConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.data.rhymes import CROOKED_MAN, summary_counts, words
    from nnzoo.models.embeddings.counts import context_agreement, cooccurrence, svd_embeddings

    tokens = words(CROOKED_MAN)
    vocab, X = cooccurrence(tokens, cfg.window)
    run.log(f"{len(tokens)} words, {len(vocab)} different; window {cfg.window} on each side")
    run.log(_table(vocab, X))
    (run.dir / "cooccurrence.tsv").write_text(_table(vocab, X, sep="\t"))
    counted = _count_every_pair(tokens, cfg.window)
    wrong = [(a, b) for i, a in enumerate(vocab) for j, b in enumerate(vocab)
             if X[i, j] != counted.get((a, b), 0)]
    run.log(f"counts that differ from the count over every pair of positions: {len(wrong)}")
    differences = _differences(vocab, X, summary_counts()) if cfg.window == 1 else []
    if cfg.window == 1:
        run.log(f"where the course summary's table differs from the rhyme's counts "
                f"({len(differences)} rows):")
        for line in differences:
            run.log("  " + line)

    s = np.linalg.svd(X.astype(np.float64), compute_uv=False)  # X = U S V^T
    run.log(f"singular values: {' '.join(f'{v:.3f}' for v in s[:8])} ...")
    xy = svd_embeddings(X, 2, power=cfg.power)  # (25, 2)
    rho = context_agreement(X, xy)
    gen = run.rng("shuffle").numpy
    chance = np.array([context_agreement(X, xy[gen.permutation(len(vocab))])
                       for _ in range(SHUFFLES)])  # (SHUFFLES,)
    p99 = float(np.quantile(chance, 0.99))
    run.log(f"contexts' cosines against places' cosines, over {len(vocab) * (len(vocab) - 1) // 2}"
            f" pairs: rho {rho:.3f}; places shuffled among the words: median "
            f"{np.median(chance):.3f}, 99th percentile {p99:.3f}, largest {chance.max():.3f}")
    run.save_figure(_figure(vocab, X, xy, s, rho, cfg), "word-map")
    passed = not wrong and rho >= AGREEMENT and rho > p99
    return Result(passed,
                  f"{len(vocab) ** 2 - len(wrong)}/{len(vocab) ** 2} counts equal to the count "
                  f"over every pair of positions; words with like contexts point alike in the "
                  f"plane: rho {rho:.3f} (need {AGREEMENT}; shuffled places: 99th percentile "
                  f"{p99:.3f})",
                  {"words": len(vocab), "tokens": len(tokens), "counts_wrong": len(wrong),
                   "total_count": int(X.sum()), "singular_values": [float(v) for v in s],
                   "context_agreement": rho, "shuffled_p99": p99,
                   "shuffled_max": float(chance.max()),
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


def _figure(vocab: list[str], X, xy, s, rho: float, cfg: CooccurrenceConfig):
    import numpy as np

    from nnzoo.models.embeddings.counts import cosines
    from nnzoo.viz import figure
    from nnzoo.viz.words import word_map

    fig, axes = figure(2, 2, size=5.5)
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
                              "first two columns of U"), (axes[1, 0], near, closer)):
        word_map(ax, [vocab[i] for i in which], xy[which])
        ax.set(xlabel=f"U[:, 1]{scale}  (s_1 = {s[0]:.2f})",
               ylabel=f"U[:, 2]{scale}  (s_2 = {s[1]:.2f})", title=title)
    ax = axes[1, 1]
    i, j = np.triu_indices(len(vocab), 1)  # every pair of words once
    ax.scatter(cosines(X)[i, j], cosines(xy)[i, j], s=10, alpha=0.5)
    ax.set(xlabel="cosine of the two words' rows of X (their contexts)",
           ylabel="cosine of their places in the plane",
           title=f"{len(i)} pairs of words: Spearman's rho {rho:.3f}")
    return fig
