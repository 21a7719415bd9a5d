"""What texture-synthesis and style-transfer share: the options of the feature network and of
the pixel optimisation, the network itself and the pictures (the optimisation, cut into parts
so that a killed run resumes, is nnzoo.training.pixels.optimise)."""

from __future__ import annotations

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
            own_vgg19(self.weights)

    def optimisation(self) -> dict:
        """The options of nnzoo.training.pixels.optimise that these fields set."""
        return {"steps": self.steps, "snapshots": self.snapshots, "optimizer": self.optimizer,
                "lr": self.lr or None, "hint": "lower --lr, or try --optimizer adam"}

    def check_pictures(self, **options: str) -> None:
        """Each picture option names a sample or a file that reads as a picture, before any
        run folder exists."""
        from nnzoo.data.images import SAMPLES, check_picture, read_image

        for option, spec in options.items():
            check_picture(spec, f"--{option}")
            if spec not in SAMPLES:
                read_image(spec, f"--{option}")


def own_vgg19(path: str):
    """The VGG-19 state dict in the file `path` (--weights), mapped onto VGG19's layout; a
    UserError for a file that is not one."""
    from nnzoo.data.weights import read_state_file
    from nnzoo.errors import user_path
    from nnzoo.models.style import vgg19_state

    return vgg19_state(read_state_file(path, "--weights"), f"the weights in {user_path(path)}")


def feature_network(cfg: PixelsConfig, run: Run):
    """VGG-19 with its weights (the fetched ones or --weights; missing: a DataError naming
    the fetch command), or random filters from the run's "features" stream; frozen, on the
    run's device."""
    from nnzoo.data import load
    from nnzoo.models.style import VGG19, RandomFeatures, vgg19_state

    if cfg.features == "random":
        net = RandomFeatures(filters=RANDOM_FILTERS, rng=run.rng("features").torch)
    else:
        try:
            state = own_vgg19(cfg.weights) if cfg.weights else \
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


def images_figure(images: list, titles: list[str], title: str):
    from nnzoo.viz.images import image_grid

    clipped = [im.detach().cpu().reshape(3, *im.shape[-2:]).clamp(0, 1) for im in images]
    return image_grid(clipped, titles, ncols=len(images), title=title, size=2.6)


def loss_figure(parts: list[dict], keys: tuple[str, ...], title: str):
    from nnzoo.viz.images import curves

    steps = range(sum(len(p["terms"]) for p in parts))
    series = {k: (steps, [t[k] for p in parts for t in p["terms"]]) for k in keys}
    return curves(series, "step", "cost", title=title, logy=True)
