"""Is a synthesised texture a new picture or a copy of its source? The Gram matrices keep no
positions, so nothing in the texture loss asks for a copy; this measures whether one came.

Cut the synthesised image x into crops of s x s pixels (on a grid, half a crop apart) and
find, for each crop c, the nearest crop of the source y among all its s x s crops (every
position):

    d(c) = min_p sqrt( 1/(3 s^2) sum (c - y[p])^2 )        (RMS distance per pixel)

A copy of the source scores 0 at every crop, and so does a shifted copy or one that copies
a part of the source, at the crops that lie inside the copied part; so the smallest d over
the crops says whether any part was copied. Divided by the source's own spread (the standard
deviation of its pixels) it reads the same on a dark or a bright texture.
"""

from __future__ import annotations

import torch
import torch.nn.functional as nnf


def crops(x: torch.Tensor, size: int, stride: int) -> torch.Tensor:
    """The size x size crops of an image (C, H, W) or (1, C, H, W), `stride` apart, as rows:
    (n, C size^2)."""
    x = x.reshape(1, *x.shape[-3:])  # (1, C, H, W)
    if min(x.shape[-2:]) < size:
        raise ValueError(f"crops of {size} pixels do not fit an image of {tuple(x.shape[-2:])}")
    return nnf.unfold(x, size, stride=stride)[0].T  # (n, C size^2)


def nearest_crop_distances(x: torch.Tensor, source: torch.Tensor, size: int,
                           stride: int | None = None) -> torch.Tensor:
    """d(c) for each crop c of x (size x size, `stride` apart, default size // 2): the RMS
    pixel distance to the nearest size x size crop of `source` (every position); (n,)."""
    source = source.detach().float().to(x.device)
    mean = source.mean()  # centred, the squares below lose fewer digits
    c = crops(x.detach().float() - mean, size, stride or max(1, size // 2))  # (n, D)
    y = crops(source - mean, size, 1).contiguous()  # (m, D)
    # |c - y|^2 = |c|^2 + |y|^2 - 2 c.y, for every pair at once
    d2 = (c * c).sum(1)[:, None] + (y * y).sum(1)[None] - 2 * c @ y.T  # (n, m)
    return (d2.min(dim=1).values / c.shape[1]).clamp_min(0).sqrt()  # (n,)


def copy_score(x: torch.Tensor, source: torch.Tensor, size: int) -> float:
    """The smallest d(c) over the crops of x, in units of the source's pixel standard
    deviation: 0 when any crop of x is a crop of the source."""
    d = nearest_crop_distances(x, source, size)
    return float(d.min() / source.detach().float().std())
