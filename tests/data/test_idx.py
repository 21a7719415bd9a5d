import gzip

import numpy as np
import pytest

from nnzoo.data import load, load_idx_dir, read_idx
from nnzoo.errors import DataError, UserError

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


def write_set(idx_bytes, folder, n_train=5, n_test=3, prefix="", test="t10k", gz=True,
              n_classes=10):
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for split, n in (("train", n_train), (test, n_test)):
        x = rng.integers(0, 256, (n, 4, 3), dtype=np.uint8)
        y = rng.integers(0, n_classes, n, dtype=np.uint8)
        for kind, a in (("images-idx3", x), ("labels-idx1", y)):
            data = idx_bytes(a)
            name = f"{prefix}{split}-{kind}-ubyte"
            if gz:
                (folder / f"{name}.gz").write_bytes(gzip.compress(data))
            else:
                (folder / name).write_bytes(data)
        arrays[split if split == "train" else "test"] = (x, y)
    return arrays


@pytest.mark.parametrize("dtype", DTYPES)
def test_read_idx_raw_and_gzipped_every_type(tmp_path, dtype, idx_bytes):
    a = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    (tmp_path / "a").write_bytes(idx_bytes(a))
    (tmp_path / "a.gz").write_bytes(gzip.compress(idx_bytes(a)))
    for f in ("a", "a.gz"):
        b = read_idx(tmp_path / f)
        assert b.dtype == np.dtype(dtype) and b.dtype.isnative and np.array_equal(a, b)
        b[0, 0, 0] = 1  # writable


@pytest.mark.parametrize("damage, message", [
    (lambda raw: raw[:-1], r"is truncated: its header promises 2x3x4 uint8 = 24 bytes of "
                           r"data, it holds 23"),
    (lambda raw: raw + b"\0", "has extra bytes"),
    (lambda raw: b"\x00\x01" + raw[2:], r"is not an IDX file \(its first 4 bytes are 00010803"),
    (lambda raw: raw[:2] + b"\x07" + raw[3:], "is not an IDX file"),
    (lambda raw: raw[:9], "is truncated in its header"),
    (lambda raw: b"", "is not an IDX file"),
])
def test_damaged_idx_is_one_clear_error(tmp_path, damage, message, idx_bytes):
    raw = idx_bytes(np.zeros((2, 3, 4), np.uint8))
    (tmp_path / "f").write_bytes(damage(raw))
    with pytest.raises(DataError, match=message):
        read_idx(tmp_path / "f")


def test_truncated_gzip(tmp_path, idx_bytes):
    data = gzip.compress(idx_bytes(np.arange(1000, dtype=np.int32)))
    (tmp_path / "f.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="damaged or truncated gzip file"):
        read_idx(tmp_path / "f.gz")


@pytest.mark.parametrize("gz", [True, False])
def test_load_idx_dir_reads_the_four_standard_files(tmp_path, gz, idx_bytes):
    arrays = write_set(idx_bytes, tmp_path, gz=gz)
    ds = load_idx_dir(tmp_path, "mine")
    assert ds.name == "mine" and ds.x_train.shape == (5, 4, 3) and ds.x_test.shape == (3, 4, 3)
    assert np.array_equal(ds.x_train, arrays["train"][0])
    assert np.array_equal(ds.y_test, arrays["test"][1]) and ds.y_test.dtype == np.int64


def test_load_with_data_dir_uses_the_registry_classes(tmp_path, monkeypatch, idx_bytes):
    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "cache"))
    write_set(idx_bytes, tmp_path / "fm")
    ds = load("fashion-mnist", data_dir=tmp_path / "fm")
    assert ds.classes[0] == "T-shirt/top" and len(ds.x_train) == 5
    assert not (tmp_path / "cache").exists()  # the cache is not touched


def test_emnist_style_prefixes_and_more_classes(tmp_path, idx_bytes):
    write_set(idx_bytes, tmp_path, prefix="emnist-letters-", test="test", n_classes=27)
    write_set(idx_bytes, tmp_path, prefix="emnist-digits-", test="test")
    with pytest.raises(UserError, match="holds IDX files of several sets.*emnist-digits-"):
        load_idx_dir(tmp_path)
    ds = load_idx_dir(tmp_path / "emnist-letters-", "emnist", classes=tuple("0123456789"))
    assert len(ds.classes) == int(max(ds.y_train.max(), ds.y_test.max())) + 1 > 10
    assert ds.classes[:3] == ("0", "1", "2")


def test_missing_file_names_the_expected_names(tmp_path, idx_bytes):
    write_set(idx_bytes, tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match="lacks IDX files: expected train-images-idx3-ubyte"):
        load_idx_dir(tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        load_idx_dir(tmp_path / "nope" / "deeper")


def test_wrong_dimensions_and_lengths(tmp_path, idx_bytes):
    write_set(idx_bytes, tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(idx_bytes(np.zeros((5, 12), np.uint8))))
    with pytest.raises(DataError, match=r"holds uint8 of shape \(5, 12\); expected unsigned "
                                        r"bytes of shape \(N, rows, cols\)"):
        load_idx_dir(tmp_path)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(
        gzip.compress(idx_bytes(np.zeros((4, 4, 3), np.uint8))))
    with pytest.raises(DataError, match="has 4 images but train-labels-idx1-ubyte.gz has 5"):
        load_idx_dir(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(
        gzip.compress(idx_bytes(np.zeros(4, np.float32))))
    with pytest.raises(DataError, match="holds float32 of shape"):
        load_idx_dir(tmp_path)
