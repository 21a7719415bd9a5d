"""What a CNN's units respond to: the images that excite each unit most, and the part of
the input that a unit at one position sees (its receptive field, found by the gradient).

Shapes: N images, C channels (units of a layer), H x W a map.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor


def top_images(maps: Tensor, top: int) -> tuple[Tensor, Tensor]:
    """For each unit (channel) of maps (N, C, H, W): the `top` images where its strongest
    response is largest, and that position: (C, top) image indices, (C, top) positions."""
    peak, where = maps.flatten(2).max(dim=2)  # (N, C): each image's strongest response
    order = peak.argsort(dim=0, descending=True)[:top].T  # (C, top)
    return order, torch.gather(where.T, 1, order)  # (C, top), (C, top) flat position


def receptive_patch(hidden: Callable[[Tensor], list[Tensor]], image: Tensor, layer: int,
                    unit: int, position: int) -> Tensor:
    """The part of `image` (C, H, W) that unit `unit` at flat `position` of layer `layer`
    of `hidden(x) -> [maps, ...]` sees: the bounding box of the input pixels its activation
    depends on (gradient != 0)."""
    x = image.unsqueeze(0).clone().requires_grad_(True)  # (1, C, H, W)
    a = hidden(x)[layer][0, unit].flatten()[position]
    (g,) = torch.autograd.grad(a, x)
    rows, cols = torch.nonzero(g[0].abs().sum(0), as_tuple=True)
    if len(rows) == 0:
        return image[:, :1, :1]
    return image[:, rows.min():rows.max() + 1, cols.min():cols.max() + 1]
