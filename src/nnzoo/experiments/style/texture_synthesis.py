"""texture-synthesis: Gatys, Ecker & Bethge (2015), the course's seven steps. A texture is
described by the correlations between the feature maps of a network trained on ImageNet:
the Gram matrices G^l_ij = sum_k F^l_ik F^l_jk of VGG-19's layers conv1_1, conv2_1,
conv3_1, conv4_1 and conv5_1. Starting from white noise, the image's pixels are optimised
(L-BFGS) until its Gram matrices match the texture's: the texture loss

    E = 1/4 sum_l w_l / (N_l^2 M_l^2) sum_ij (G^l_ij - A^l_ij)^2,    w_l = 1/5,

falls, and a new picture of the texture appears: the same kind of bricks, grass or gravel,
not a copy of the source (the Gram matrices keep no positions).

"Not a copy" is measured: every 32 x 32 crop of the result (half a crop apart) is compared
with every 32 x 32 crop of the source, and the nearest pair's RMS pixel distance, in units of
the source's pixel standard deviation, must be at least 0.5 (`nnzoo.models.style.copy_score`:
a copy, a shifted copy or a pasted part of the source scores 0; white noise about 3.5). For
scale: brick fitted to 256 x 256, each of its two upper 128 x 128 quarters comes within 0.47
and 0.28 of the crops of its lower half (the same wall, another place); the synthesised
walls stay farther: 0.92, 0.91 and 0.87 at seeds 0, 1 and 2 (texture loss 5.5 -> 1.1e-5,
a fall of about 480,000 times, at each).

The defaults, as tried on brick (a grey photograph): three free colours from colour noise
kept colour noise that the grey source's Gram matrices cannot see (VGG-19's filters weigh
the colours differently, so a grey target does not pull them together). So a grey source is
synthesised in grey: one channel that the three colours repeat (--colour auto; --colour rgb
for the three; at 200 steps they still carry the colour noise). At 50 steps the grey bricks
still carried a fine checkerboard; at 200 they are clean. The default run (128 x 128,
200 steps) takes well under a minute on a quiet 2-core CPU; on a GPU, `--size 512 --steps 300
--device cuda` gives the full-size picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.experiments.style._shared import (
    Picture,
    PixelsConfig,
    feature_network,
    images_figure,
    loss_figure,
    noise,
    picture,
)
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run

FALL = 100  # the claim: the texture loss falls at least this many times from the noise
CROP = 32  # the side of the crops compared with the source's, in pixels
NEW = 0.5  # the claim: every crop at least this far from the source's (RMS, in its std)


@dataclass
class TextureConfig(PixelsConfig):
    texture: Picture = "brick"
    """The texture: one of scikit-image's samples (brick, grass, gravel, or any picture:
    astronaut, coffee, hubble_deep_field, ...) or the path of an image file."""
    size: PositiveInt = 128
    """Side of the square texture and of the synthesised image, in pixels."""
    steps: PositiveInt = 200
    """Optimisation steps (one forward and backward pass through the network each)."""
    colour: Literal["auto", "grey", "rgb"] = "auto"
    """What is optimised: one grey channel (grey), the three colours (rgb), or grey when the
    source is grey and rgb otherwise (auto). Three colours from a grey source come out
    with colour noise that the grey source's Gram matrices cannot see."""

    def __post_init__(self):
        super().__post_init__()
        self.check_pictures(texture=self.texture)


@experiment(
    "texture-synthesis", kind="unsupervised", config=TextureConfig, seconds=90,
    claim="optimising the pixels of white noise until its VGG-19 features have the Gram "
          "matrices of a texture synthesises a new picture of that texture, not a copy",
    expects=f"at the defaults (brick, 128 x 128, in grey as its source is, L-BFGS, 200 "
            f"steps): the texture loss (the Gram-matrix distance, layers conv1_1 to conv5_1) "
            f"of the final image is at least {FALL} times smaller than that of the white noise "
            f"it started from, and even its {CROP} x {CROP} crop nearest to one of the source's "
            f"is at least {NEW} source standard deviations away (RMS per pixel; a copy: 0)",
    data="VGG-19 weights (`nnzoo data fetch vgg19`, 88 MB; or --weights, or --features "
         "random); scikit-image's bundled textures",
    smoke={"features": "random", "size": 24, "steps": 4, "snapshots": 2},
)
def run(cfg: TextureConfig, run: Run) -> Result:
    from nnzoo.models.style import StyleCost, copy_score
    from nnzoo.training.pixels import optimise

    # 1: the pretrained network; 2-3: the texture's maps and Gram matrices, once
    net = feature_network(cfg, run)
    source = picture(cfg.texture, (cfg.size, cfg.size), run, "--texture")  # (1, 3, h, w)
    grey = cfg.colour == "grey" or (cfg.colour == "auto" and is_grey(source))
    w = 1 / len(net.style_layers)
    cost = StyleCost(net, source, {layer: w for layer in net.style_layers})
    # 4-7: from white noise, step after step (a snapshot and a checkpoint at each part)
    x0 = noise((cfg.size, cfg.size), run, grey=grey)
    start, final, parts = optimise(cost, x0, run, **cfg.optimisation(), grey=grey)
    fall = start["style"] / final["style"]
    image = parts[-1]["image"]  # (3, h, w)
    # a new picture, not a copy: how near its nearest crop comes to a crop of the source
    crop = max(1, min(CROP, cfg.size // 2))  # (half the side in a picture under 64 pixels)
    new = copy_score(image, source, crop)
    run.log(f"texture loss: {start['style']:.4g} (noise) -> {final['style']:.4g} after "
            f"{cfg.steps} steps, {fall:.0f} times smaller")
    run.log(f"the crop of the synthesised image nearest to a crop of the source "
            f"({crop} x {crop}): {new:.3g} source standard deviations away (a copy: 0; the "
            f"white noise it started from: {copy_score(x0, source, crop):.3g})")

    run.save_figure(images_figure([source, image],
                                  [f"source: {cfg.texture}", f"synthesised ({cfg.steps} steps)"],
                                  "texture synthesis"), "texture")
    run.save_figure(images_figure([x0] + [p["image"] for p in parts],
                                  ["step 0"] + [f"step {p['step']}" for p in parts],
                                  "the image along the way (from white noise)"), "snapshots")
    run.save_figure(loss_figure(parts, ("style",), "texture loss"), "loss")
    return Result(fall >= FALL and new >= NEW,
                  f"texture loss fell {fall:.0f} times ({start['style']:.3g} -> "
                  f"{final['style']:.3g}) in {cfg.steps} steps; its nearest crop is {new:.3g} "
                  f"standard deviations from the source's",
                  {"loss_start": start["style"], "loss_final": final["style"],
                   "loss_fall": fall, "copy_score": new, "grey": grey})


def is_grey(image) -> bool:
    """Whether a picture (1, 3, h, w) has the same three colours at every pixel."""
    return bool((image[0, 1:] == image[0, :1]).all())
