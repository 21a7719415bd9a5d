"""style-transfer: Gatys, Ecker & Bethge (2016). The pixels of an image x are optimised, from
white noise, to minimise the course's cost

    E_total = alpha/2 sum_ik (F^l_ik(x) - F^l_ik(x_c))^2
              + beta/4 sum_l w_l / (N_l^2 M_l^2) sum_ij (G^l_ij - A^l_ij)^2:

the first term keeps the feature maps of the photograph x_c at VGG-19's conv4_2 (what is
where), the second the Gram matrices of the style picture at conv1_1 ... conv5_1 (w_l = 1/5: its
colours, strokes and textures, wherever they are). alpha/beta sets the balance.

The claim is checked against the starting image, the noise: the final image must be closer
to the photograph in content features (a smaller E_content) and closer to the style picture in
Gram matrices (a smaller E_style) than the noise is, and E_total must fall 10 times. The
default size (128 pixels on the longer side) runs on a laptop's CPU in about two minutes; on
a GPU, `--size 512 --steps 500 --beta 4.8e7 --device cuda` gives the full-size picture (the
content term sums over positions, the style term does not: 16 times the pixels, 16 times beta
for the same balance).
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
from nnzoo.registry import PositiveFloat, PositiveInt, experiment
from nnzoo.runs import Result, Run

FALL = 10  # the claim: E_total falls at least this many times from the noise


@dataclass
class StyleTransferConfig(PixelsConfig):
    content: Picture = "astronaut"
    """The photograph x_c: one of scikit-image's samples (astronaut, coffee, chelsea,
    rocket, ...) or the path of an image file."""
    style: Picture = "hubble_deep_field"
    """The picture whose style is taken: a sample's name (hubble_deep_field,
    immunohistochemistry, colorwheel, ...) or the path of an image file; fitted to the
    photograph's shape (scaled to cover it, the centre cut out)."""
    alpha: PositiveFloat = 1.0
    """Weight of the content term E_content."""
    beta: PositiveFloat = 3e6
    """Weight of the style term E_style. Its balance with alpha depends on the size: the
    content term sums over positions, the style term is divided by M_l^2."""
    size: PositiveInt = 128
    """The longer side of the image, in pixels (the photograph's aspect kept)."""
    steps: PositiveInt = 50
    """Optimisation steps (one forward and backward pass through the network each)."""

    def __post_init__(self):
        super().__post_init__()
        self.check_pictures(content=self.content, style=self.style)


@experiment(
    "style-transfer", kind="unsupervised", config=StyleTransferConfig, seconds=90,
    claim="optimising the pixels of white noise against the content of a photograph (VGG-19 "
          "feature maps) and the style of another picture (their Gram matrices) paints the "
          "photograph in that picture's style",
    expects=f"at the defaults (astronaut in the style of hubble_deep_field, 128 pixels, "
            f"alpha = 1, beta = 3e6, L-BFGS, 50 steps from white noise): E_total falls at "
            f"least {FALL} times, and the final image has a smaller E_content (closer to the "
            f"photograph's conv4_2 maps) and a smaller E_style (closer to the style picture's Gram "
            f"matrices) than the white noise it started from",
    data="VGG-19 weights (`nnzoo data fetch vgg19`, 88 MB; or --weights, or --features "
         "random); scikit-image's bundled pictures",
    smoke={"features": "random", "size": 24, "steps": 4, "snapshots": 2},
)
def run(cfg: StyleTransferConfig, run: Run) -> Result:
    from nnzoo.data.images import read_image, sized_shape
    from nnzoo.models.style import StyleCost

    net = feature_network(cfg, run)
    shape = sized_shape(read_image(cfg.content, "--content"), cfg.size)  # (h, w)
    content = picture(cfg.content, shape, run, "--content")  # (1, 3, h, w)
    style = picture(cfg.style, shape, run, "--style")
    # the targets once: F^l(x_c) at the content layer, A^l of the style picture
    w = 1 / len(net.style_layers)
    cost = StyleCost(net, style, {layer: w for layer in net.style_layers}, content,
                     net.content_layer, alpha=cfg.alpha, beta=cfg.beta)
    x0 = noise(shape, run)
    start, final, parts = optimise(cfg, run, cost, x0)
    fall = start["total"] / final["total"]
    for term in ("total", "content", "style"):
        run.log(f"E_{term}: {start[term]:.4g} (noise) -> {final[term]:.4g} "
                f"({start[term] / final[term]:.3g} times smaller)")

    run.save_figure(images_figure([content, style, parts[-1]["image"]],
                                  [f"content: {cfg.content}", f"style: {cfg.style}",
                                   f"result ({cfg.steps} steps)"], "style transfer"), "transfer")
    run.save_figure(images_figure([x0] + [p["image"] for p in parts],
                                  ["step 0"] + [f"step {p['step']}" for p in parts],
                                  "the image along the way (from white noise)"), "snapshots")
    run.save_figure(loss_figure(parts, ("total", "content", "style"), "E_total and its terms "
                                "(unweighted)"), "loss")
    closer = final["content"] < start["content"] and final["style"] < start["style"]
    return Result(fall >= FALL and closer,
                  f"E_total fell {fall:.3g} times; from the noise to the result E_content "
                  f"{start['content']:.3g} -> {final['content']:.3g}, E_style "
                  f"{start['style']:.3g} -> {final['style']:.3g}",
                  {"total_start": start["total"], "total_final": final["total"],
                   "total_fall": fall, "content_start": start["content"],
                   "content_final": final["content"], "style_start": start["style"],
                   "style_final": final["style"]})
