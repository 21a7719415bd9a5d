"""texture-synthesis: Gatys, Ecker & Bethge (2015), the course's seven steps. A texture is
described by the correlations between the feature maps of a network trained on ImageNet:
the Gram matrices G^l_ij = sum_k F^l_ik F^l_jk of VGG-19's layers conv1_1, conv2_1,
conv3_1, conv4_1 and conv5_1. Starting from white noise, the image's pixels are optimised
(L-BFGS) until its Gram matrices match the texture's: the texture loss

    E = 1/4 sum_l w_l / (N_l^2 M_l^2) sum_ij (G^l_ij - A^l_ij)^2,    w_l = 1/5,

falls, and a new picture of the texture appears: the same kind of bricks, grass or gravel,
not a copy of the source (the Gram matrices keep no positions).

The default size (128 x 128, 50 steps) runs on a laptop's CPU in about two minutes; on a GPU,
`--size 512 --steps 300 --device cuda` gives the full-size picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from nnzoo.experiments.style._common import (
    Picture,
    PixelsConfig,
    feature_network,
    images_figure,
    loss_figure,
    noise,
    optimise,
    picture,
)
from nnzoo.registry import PositiveInt, experiment
from nnzoo.runs import Result, Run

FALL = 100  # the claim: the texture loss falls at least this many times from the noise


@dataclass
class TextureConfig(PixelsConfig):
    texture: Picture = "brick"
    """The texture: one of scikit-image's samples (brick, grass, gravel, or any picture:
    astronaut, coffee, hubble_deep_field, ...) or the path of an image file."""
    size: PositiveInt = 128
    """Side of the square texture and of the synthesised image, in pixels."""
    steps: PositiveInt = 50
    """Optimisation steps (one forward and backward pass through the network each)."""

    def __post_init__(self):
        super().__post_init__()
        self.check_pictures(texture=self.texture)


@experiment(
    "texture-synthesis", kind="unsupervised", config=TextureConfig, seconds=90,
    claim="optimising the pixels of white noise until its VGG-19 features have the Gram "
          "matrices of a texture synthesises a new picture of that texture",
    expects=f"at the defaults (brick, 128 x 128, L-BFGS, 50 steps): the texture loss (the "
            f"Gram-matrix distance, layers conv1_1 to conv5_1) of the final image is at "
            f"least {FALL} times smaller than that of the white noise it started from",
    data="VGG-19 weights (`nnzoo data fetch vgg19`, 88 MB; or --weights, or --features "
         "random); scikit-image's bundled textures",
    smoke={"features": "random", "size": 24, "steps": 4, "snapshots": 2},
)
def run(cfg: TextureConfig, run: Run) -> Result:
    from nnzoo.models.style import StyleCost

    # 1: the pretrained network; 2-3: the texture's maps and Gram matrices, once
    net = feature_network(cfg, run)
    source = picture(cfg.texture, (cfg.size, cfg.size), run, "--texture")
    w = 1 / len(net.style_layers)
    cost = StyleCost(net, source, {layer: w for layer in net.style_layers})
    # 4-7: from white noise, step after step (a snapshot and a checkpoint at each part)
    x0 = noise((cfg.size, cfg.size), run)
    start, final, parts = optimise(cfg, run, cost, x0)
    fall = start["style"] / final["style"]
    run.log(f"texture loss: {start['style']:.4g} (noise) -> {final['style']:.4g} after "
            f"{cfg.steps} steps, {fall:.0f} times smaller")

    run.save_figure(images_figure([source, parts[-1]["image"]],
                                  [f"source: {cfg.texture}", f"synthesised ({cfg.steps} steps)"],
                                  "texture synthesis"), "texture")
    run.save_figure(images_figure([x0] + [p["image"] for p in parts],
                                  ["step 0"] + [f"step {p['step']}" for p in parts],
                                  "the image along the way (from white noise)"), "snapshots")
    run.save_figure(loss_figure(parts, ("style",), "texture loss"), "loss")
    return Result(fall >= FALL,
                  f"texture loss fell {fall:.0f} times ({start['style']:.3g} -> "
                  f"{final['style']:.3g}) in {cfg.steps} steps",
                  {"loss_start": start["style"], "loss_final": final["style"],
                   "loss_fall": fall})
