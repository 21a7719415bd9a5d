"""Pictures by name or by path: scikit-image's bundled samples (`skimage.data`), the paintings
registered as data sets (fetched on first use) or any image file, as RGB float32 arrays
(H, W, 3) in [0, 1], resized."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nnzoo.errors import UserError, nearest, user_path

# the samples of skimage.data that load without a network, by kind (all are accepted anywhere)
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "cat", "camera")
TEXTURES = ("brick", "grass", "gravel")
PAINTINGS = ("hubble_deep_field", "immunohistochemistry", "colorwheel", "retina")
FETCHED = ("acrylic",)  # registered data sets (nnzoo.data.paintings), fetched on first use
SAMPLES = PHOTOS + TEXTURES + PAINTINGS + FETCHED

if TYPE_CHECKING:  # numpy on first use: the sample names above are read by the configs
    import numpy as np


def check_picture(spec: str, option: str = "--image") -> None:
    """UserError unless `spec` is one of the samples' names or a file's path."""
    if spec not in SAMPLES and not user_path(spec).is_file():
        raise UserError(f"{option} {spec}: neither one of the pictures by name (scikit-image's "
                        f"{', '.join(SAMPLES[:-len(FETCHED)])}; fetched on first use: "
                        f"{', '.join(FETCHED)}){nearest(spec, SAMPLES)} nor an image file")


def read_image(spec: str, option: str = "--image", log=None) -> np.ndarray:
    """The picture `spec` (a sample's name or a file's path) as RGB (H, W, 3) in [0, 1]; a
    grey picture's channel is repeated, an alpha channel dropped. A painting not yet cached is
    fetched (its messages to `log`)."""
    import numpy as np

    check_picture(spec, option)
    if spec in FETCHED:
        from nnzoo.data.datasets import load

        a = load(spec, log=log)
    elif spec in SAMPLES:
        import skimage.data

        a = getattr(skimage.data, spec)()
    else:
        path = user_path(spec)
        import skimage.io

        try:
            a = skimage.io.imread(path)
        except Exception as e:  # every reader's own error: not an image, damaged, unknown type
            why = (str(e).strip().splitlines() or [type(e).__name__])[0]  # one line of it
            raise UserError(f"{option} {spec}: cannot read it as an image ({why}); give a PNG "
                            f"or JPEG file or one of {', '.join(SAMPLES)}") from None
    a = np.asarray(a)
    if a.ndim == 3 and a.shape[-1] in (2, 4):  # with an alpha channel: drop it
        a = a[..., :-1]
    if a.ndim == 2 or a.shape[-1] == 1:
        a = np.repeat(a.reshape(*a.shape[:2], 1), 3, axis=-1)
    if a.ndim != 3 or a.shape[-1] != 3 or min(a.shape[:2]) < 2:
        raise UserError(f"{option} {spec}: expected a grey or colour picture, got an array of "
                        f"shape {a.shape}")
    if a.dtype.kind in "ui":
        a = a / np.iinfo(a.dtype).max
    return np.clip(a, 0, 1).astype(np.float32)  # (H, W, 3)


def fit_image(a: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """`a` (H, W, 3) scaled to cover `shape` (h, w), then its centre cut out: (h, w, 3)."""
    import numpy as np
    from skimage.transform import resize

    h, w = shape
    scale = max(h / a.shape[0], w / a.shape[1])
    H, W = max(h, round(a.shape[0] * scale)), max(w, round(a.shape[1] * scale))
    a = resize(a, (H, W), anti_aliasing=scale < 1, preserve_range=True)
    top, left = (H - h) // 2, (W - w) // 2
    return a[top:top + h, left:left + w].astype(np.float32)


def sized_shape(a: np.ndarray, size: int) -> tuple[int, int]:
    """The (h, w) of `a` scaled so that its longer side is `size` pixels."""
    scale = size / max(a.shape[:2])
    return max(1, round(a.shape[0] * scale)), max(1, round(a.shape[1] * scale))
