"""What texture-synthesis and style-transfer share: the options of the feature network and of
the pixel optimisation, the network itself, the pictures, and the optimisation cut into
parts (one snapshot each) so that a killed run resumes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Literal

from nnzoo.data.images import SAMPLES
from nnzoo.errors import DataError, UserError, check_file
from nnzoo.paths import FilePath, PathTo
from nnzoo.registry import NonNegativeFloat, PositiveInt
from nnzoo.runs import Run

RANDOM_FILTERS = 64  # filters per size of the random features
Picture = Annotated[str, PathTo("file", names=SAMPLES)]  # a sample's name or an image file


@dataclass
class PixelsConfig:
    features: Literal["vgg19", "random"] = "vgg19"
    """The network whose features are matched: vgg19 (pretrained: `nnzoo data fetch vgg19`,
    or your own with --weights) or random (random filters of 3, 5, 7 and 11 pixels, no
    download: textures only roughly right)."""
    weights: FilePath = ""
    """A VGG-19 state dict of your own (torchvision's layout, features.N.weight, or
    nnzoo's), read with torch.load(weights_only=True); empty: the fetched vgg19."""
    pool: Literal["avg", "max"] = "avg"
    """VGG-19's pooling between blocks (average: Gatys et al.'s advice for synthesis)."""
    optimizer: Literal["lbfgs", "adam"] = "lbfgs"
    """How the pixels are optimised: L-BFGS (one iteration per step) or Adam."""
    lr: NonNegativeFloat = 0.0
    """Step size of the optimiser; 0: its own (L-BFGS 1, Adam 0.02)."""
    snapshots: PositiveInt = 5
    """Pictures of the image along the way (the run checkpoints at each)."""

    def __post_init__(self):
        if self.snapshots > self.steps:
            raise UserError(f"expected --snapshots at most --steps ({self.steps}), got "
                            f"{self.snapshots}")
        if self.weights and self.features != "vgg19":
            raise UserError("--weights are VGG-19's: drop --weights, or use --features vgg19")
        check_file(self.weights, "--weights", "a VGG-19 state dict saved by torch.save")
        if self.weights:  # read as the run will: VGG-19's tensors, before any run folder
            from nnzoo.models.style.vgg import read_state_file

            read_state_file(self.weights)

    def check_pictures(self, **options: str) -> None:
        """Each picture option names a sample or a file that reads as a picture, before any
        run folder exists."""
        from nnzoo.data.images import SAMPLES, check_picture, read_image

        for option, spec in options.items():
            check_picture(spec, f"--{option}")
            if spec not in SAMPLES:
                read_image(spec, f"--{option}")


def feature_network(cfg: PixelsConfig, run: Run):
    """VGG-19 with its weights (the fetched ones or --weights; missing: a DataError naming
    the fetch command), or random filters from the run's "features" stream; frozen, on the
    run's device."""
    from nnzoo.data import load
    from nnzoo.models.style import VGG19, RandomFeatures, read_state_file, vgg19_state

    if cfg.features == "random":
        net = RandomFeatures(filters=RANDOM_FILTERS, generator=run.rng("features").torch)
    else:
        try:
            state = read_state_file(cfg.weights) if cfg.weights else \
                vgg19_state(load("vgg19", fetch=False), "the fetched vgg19 weights")
        except DataError as e:
            raise DataError(f"{e}; or give your own VGG-19 with --weights PATH, or use "
                            f"--features random (no download, rougher textures)") from None
        net = VGG19(pool=cfg.pool)
        net.load_state_dict(state)
    return net.requires_grad_(False).eval().to(run.device)


def picture(spec: str, shape: tuple[int, int], run: Run, option: str):
    """The picture `spec` fitted to `shape` (h, w): a tensor (1, 3, h, w) on the device."""
    import torch

    from nnzoo.data.images import fit_image, read_image

    a = fit_image(read_image(spec, option, log=run.log), shape)  # (h, w, 3)
    return torch.from_numpy(a).permute(2, 0, 1)[None].to(run.device)  # (1, 3, h, w)


def noise(shape: tuple[int, int], run: Run, stream: str = "start", grey: bool = False):
    """A starting image: white noise, uniform in [0, 1], from the run's stream `stream`; grey:
    one noise repeated in the three colours. (1, 3, h, w)"""
    import torch

    x = torch.rand(1, 1 if grey else 3, *shape, generator=run.rng(stream).torch)
    return x.expand(1, 3, *shape).to(run.device)  # (1, 3, h, w)


def optimise(cfg: PixelsConfig, run: Run, cost, x0, grey: bool = False,
             label: str = "snapshots", prefix: str = "") -> tuple[dict, dict, list[dict]]:
    """cfg.steps steps of the pixel optimisation of `cost` (a StyleCost) from x0 (of one grey
    channel if `grey`), in cfg.snapshots parts named `label`, its metrics' names after
    `prefix`; -> (the cost's terms at x0, at
    the final image, the parts' results: {"step", "image" (3, H, W) on the CPU, "terms": one
    dict per step})."""
    from nnzoo.models.style import PixelOptimizer

    pixels = PixelOptimizer(cost.terms, x0, cfg.optimizer, cfg.lr or None, grey=grey)
    per = math.ceil(cfg.steps / cfg.snapshots)
    parts = run.parts(cfg.snapshots, label=label, desc="steps", keep={"pixels": pixels})
    for i in parts:
        terms = []
        for step in range(i * per, min(cfg.steps, (i + 1) * per)):
            terms.append(pixels.step())
            run.check_loss(terms[-1]["total"], step, hint="lower --lr, or try --optimizer adam")
            run.log_metrics(step, **{prefix + k: v for k, v in terms[-1].items()})
        parts.done({"step": min(cfg.steps, (i + 1) * per), "image": pixels.image().cpu(),
                    "terms": terms})
    return parts.results[0]["terms"][0], measure(cost, pixels.canvas()), parts.results


def measure(cost, x) -> dict[str, float]:
    """The terms of `cost` (a StyleCost) at image x (1, 3, H, W) or (3, H, W), as numbers."""
    import torch

    with torch.no_grad():
        return {k: float(v) for k, v in cost.terms(x.reshape(1, *x.shape[-3:])).items()}


def images_figure(images: list, titles: list[str], title: str):
    from nnzoo.viz.images import image_grid

    clipped = [im.detach().cpu().reshape(3, *im.shape[-2:]).clamp(0, 1) for im in images]
    return image_grid(clipped, titles, ncols=len(images), title=title, size=2.6)


def loss_figure(parts: list[dict], keys: tuple[str, ...], title: str):
    from nnzoo.viz.images import curves

    steps = range(sum(len(p["terms"]) for p in parts))
    series = {k: (steps, [t[k] for p in parts for t in p["terms"]]) for k in keys}
    return curves(series, "step", "cost", title=title, logy=True)
