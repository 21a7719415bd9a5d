"""Paintings as registered data sets, for style transfer: scikit-image bundles photographs,
textures and scientific pictures, but no painting.

"acrylic": a fluid acrylic painting (swirls of blue, pink, yellow and black, 400 x 300), the
style picture of the demo of the `artificial-artwork` package (a style-transfer tool), from
its source archive's test data. The JPEG is checked by SHA-256, decoded once and cached as
uint8 RGB.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from nnzoo.data.sources import pip_download, tar_member
from nnzoo.errors import DataError

ACRYLIC_SDIST = "artificial-artwork==2.0.0"
ACRYLIC_SDIST_SHA256 = "a941f19ce93cddfb873bd9ce238650ba985135a5ac558f230aaa9610903f5b6b"
ACRYLIC_MEMBER = "artificial_artwork-2.0.0/tests/data/blue-red-w400-h300.jpg"
ACRYLIC_SHA256 = "83c8f74c1d905b2214fe9197b6467f781cafeb2ffa8ab718aa528ae8abcf8abd"


def download_acrylic(dest: Path) -> bytes:
    sdist = pip_download(ACRYLIC_SDIST, dest, sdist_sha256=ACRYLIC_SDIST_SHA256)
    return tar_member(sdist, ACRYLIC_MEMBER)


def convert_picture(raw: bytes) -> dict[str, np.ndarray]:
    """An image file's bytes (JPEG, PNG) -> {"image": uint8 (H, W, 3)}."""
    import skimage.io

    try:
        a = np.asarray(skimage.io.imread(io.BytesIO(raw)))
    except Exception as e:  # every reader's own error
        raise DataError(f"the picture cannot be decoded ({e})") from None
    if a.ndim != 3 or a.shape[-1] != 3 or a.dtype != np.uint8:
        raise DataError(f"expected an 8-bit RGB picture, got an array {a.dtype} {a.shape}")
    return {"image": a}


def read_picture(arrays: dict[str, np.ndarray], meta: dict) -> np.ndarray:
    """The cached picture: uint8 (H, W, 3)."""
    return np.asarray(arrays["image"])
