"""The feature networks of texture synthesis and style transfer: VGG-19 (to conv5_4), its
weights in the layouts they come in, and multi-scale random filters.

VGG-19 (Simonyan & Zisserman 2014), as Gatys et al. (2015, 2016) use it: 16 convolutions of
3x3 in five blocks (2, 2, 4, 4, 4 of them; 64, 128, 256, 512, 512 filters), each followed by
a ReLU, the blocks separated by 2x2 pooling (average pooling, as Gatys et al. advise for
synthesis: it passes gradients to every pixel). F^l is the rectified response of layer l.
In front sits a 1x1 convolution `rgb` that turns an RGB image in [0, 1] into the input the
weights were trained on (for the normalised VGG: BGR in 0..255 minus the ImageNet mean; for
torchvision's weights: (x - mean) / std), so every network here takes RGB in [0, 1].

Weight layouts that `vgg19_state` maps onto ours (names `rgb.*` and `convs.conv1_1.*`):
- "sequential": the normalised VGG-19 of `nnzoo data fetch vgg19` (keys "0.weight" for the
  1x1 convolution, then "2.weight", "5.weight", ... of a Sequential with padding layers);
- "torchvision": `torchvision.models.vgg19().state_dict()` (keys "features.0.weight", ...;
  the classifier's keys are ignored), with the ImageNet normalisation as `rgb`;
- "nnzoo": our own names (what `VGG19.state_dict()` gives).

Random features (Ustyuzhaninov et al. 2017, "What does it take to generate natural
textures?"): one layer of random convolution filters at several sizes, each size one
"layer"; a texture synthesised by matching their Gram matrices already looks like its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import torch
import torch.nn.functional as nnf
from torch import nn

from nnzoo.errors import UserError

# the conv layers of VGG-19 to conv5_4, block by block: (name, in channels, out channels)
BLOCKS = ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4))
CONVS: tuple[tuple[str, int, int], ...] = tuple(
    (f"conv{b + 1}_{i + 1}", ([3] + [c for c, _ in BLOCKS])[b] if i == 0 else c, c)
    for b, (c, n) in enumerate(BLOCKS) for i in range(n))
# where each conv sits in the two Sequential layouts (its weight's key is f"{index}.weight")
SEQUENTIAL_INDEX = (2, 5, 9, 12, 16, 19, 22, 25, 29, 32, 35, 38, 42, 45, 48, 51)
TORCHVISION_INDEX = (0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34)
IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


class VGG19(nn.Module):
    """VGG-19's convolutions to conv5_4, RGB in [0, 1] in; `features(x, layers)` gives the
    rectified maps of the layers asked for, stopping after the deepest of them."""

    # Gatys et al.'s layers: the Gram matrices of the first layer of each block (w_l = 1/5),
    # the feature maps of conv4_2 for the content
    style_layers = ("conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1")
    content_layer = "conv4_2"

    def __init__(self, pool: str = "avg"):
        super().__init__()
        if pool not in ("avg", "max"):
            raise ValueError(f"pool must be 'avg' or 'max', got {pool!r}")
        self.pool = pool
        self.rgb = nn.Conv2d(3, 3, 1)  # RGB in [0, 1] -> the network's input
        self.convs = nn.ModuleDict({name: nn.Conv2d(c_in, c_out, 3, padding=1)
                                    for name, c_in, c_out in CONVS})

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self.convs)

    def features(self, x: torch.Tensor, layers: Iterable[str]) -> dict[str, torch.Tensor]:
        """{layer: F^l (B, C_l, H_l, W_l)} for the `layers` asked, in one forward pass that
        stops at the deepest of them."""
        wanted = check_layers(layers, self.layers)
        last = max(self.layers.index(name) for name in wanted)
        pool = nnf.avg_pool2d if self.pool == "avg" else nnf.max_pool2d
        out, h = {}, self.rgb(x)  # (B, 3, H, W)
        for name, conv in list(self.convs.items())[:last + 1]:
            if name.endswith("_1") and name != "conv1_1":
                h = pool(h, 2)  # (B, C, H/2, W/2)
            h = torch.relu(conv(h))  # (B, C_l, H_l, W_l)
            if name in wanted:
                out[name] = h
        return out


class RandomFeatures(nn.Module):
    """One layer of random filters at several sizes: layer "k{s}" holds `filters` filters
    of s x s (weights uniform in +-gain sqrt(3 / fan-in), zero bias) followed by a ReLU.
    The gain makes the mean response on a picture (pixels centred, x - 0.5) of order 1, as
    the normalised VGG-19's is: with much smaller features the course's cost, divided by
    N_l^2 M_l^2, becomes so small that L-BFGS takes its curvature for noise and stalls."""

    def __init__(self, sizes: Sequence[int] = (3, 5, 7, 11), filters: int = 64,
                 gain: float = 8.0, rng: torch.Generator | None = None):
        super().__init__()
        self.convs = nn.ModuleDict()
        for s in sizes:
            conv = nn.Conv2d(3, filters, s, padding=s // 2, padding_mode="reflect")
            bound = gain * (3 / (3 * s * s)) ** 0.5
            with torch.no_grad():
                conv.weight.copy_(torch.rand(conv.weight.shape, generator=rng) * 2 * bound
                                  - bound)
                conv.bias.zero_()
            self.convs[f"k{s}"] = conv

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self.convs)

    @property
    def style_layers(self) -> tuple[str, ...]:
        return self.layers

    @property
    def content_layer(self) -> str:
        return self.layers[0]

    def features(self, x: torch.Tensor, layers: Iterable[str]) -> dict[str, torch.Tensor]:
        """{layer: F^l (B, filters, H, W)}; the input centred: x - 0.5."""
        wanted = check_layers(layers, self.layers)
        return {name: torch.relu(self.convs[name](x - 0.5)) for name in wanted}


def check_layers(layers: Iterable[str], known: Sequence[str]) -> list[str]:
    wanted = list(layers)
    unknown = [name for name in wanted if name not in known]
    if unknown or not wanted:
        raise UserError(f"unknown layer(s) {', '.join(unknown) or '(none given)'}; this network's "
                        f"layers are {', '.join(known)}")
    return wanted


# --------------------------------------------------------------------------- weights
def expected_shapes() -> dict[str, tuple[int, ...]]:
    """Our layout's names and shapes."""
    shapes = {"rgb.weight": (3, 3, 1, 1), "rgb.bias": (3,)}
    for name, c_in, c_out in CONVS:
        shapes[f"convs.{name}.weight"], shapes[f"convs.{name}.bias"] = (c_out, c_in, 3, 3), (c_out,)
    return shapes


def _renaming(layout: str) -> dict[str, str]:
    """Their key -> our key for a layout ("sequential" or "torchvision")."""
    index, prefix = {"sequential": (SEQUENTIAL_INDEX, ""),
                     "torchvision": (TORCHVISION_INDEX, "features.")}[layout]
    names = {"0.weight": "rgb.weight", "0.bias": "rgb.bias"} if layout == "sequential" else {}
    for (name, _, _), i in zip(CONVS, index):
        for p in ("weight", "bias"):
            names[f"{prefix}{i}.{p}"] = f"convs.{name}.{p}"
    return names


def imagenet_rgb() -> dict[str, torch.Tensor]:
    """The 1x1 convolution computing torchvision's input (x - mean) / std."""
    mean, std = torch.tensor(IMAGENET_MEAN), torch.tensor(IMAGENET_STD)
    return {"rgb.weight": torch.diag(1 / std).reshape(3, 3, 1, 1), "rgb.bias": -mean / std}


def vgg19_state(state: Mapping, what: str = "the weights") -> dict[str, torch.Tensor]:
    """A VGG-19 state dict in one of the layouts this module knows -> our layout, every key
    and shape checked; a UserError naming what differs otherwise."""
    if not isinstance(state, Mapping) or not all(isinstance(k, str) for k in state):
        raise UserError(f"{what} is not a state dict (a dictionary of named tensors) but a "
                        f"{type(state).__name__}; give a VGG-19 state dict, e.g. torchvision's "
                        f"vgg19().state_dict() saved with torch.save")
    keys = set(state)
    if "rgb.weight" in keys:
        layout, names = "nnzoo", {k: k for k in expected_shapes()}
    elif any(k.startswith("features.") for k in keys):
        layout, names = "torchvision", _renaming("torchvision")
        keys = {k for k in keys if not k.startswith("classifier.")}
    else:
        layout, names = "sequential", _renaming("sequential")
    shapes = expected_shapes()
    missing = [k for k in names if k not in keys]
    extra = sorted(keys - set(names))
    wrong = [f"{k} is {tuple(_shape(state[k]))}, expected {shapes[names[k]]}"
             for k in names if k in keys and tuple(_shape(state[k])) != shapes[names[k]]]
    if missing or extra or wrong:
        problems = ([f"missing {_few(missing)}"] if missing else []) + \
                   ([f"unexpected {_few(extra)}"] if extra else []) + wrong[:3]
        raise UserError(f"{what} do not match VGG-19 to conv5_4 in the {layout} layout: "
                        f"{'; '.join(problems)}; see nnzoo.models.style.vgg for the layouts")
    out = {names[k]: torch.as_tensor(state[k]).detach().float().cpu() for k in names}
    return {**imagenet_rgb(), **out} if layout == "torchvision" else out


def _shape(v) -> tuple:
    return tuple(getattr(v, "shape", ()))


def _few(keys: Sequence[str], n: int = 4) -> str:
    return ", ".join(keys[:n]) + (f" (and {len(keys) - n} more)" if len(keys) > n else "")
