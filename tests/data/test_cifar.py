import os
import pickle

import numpy as np
import pytest

from nnzoo.data import load, load_cifar10
from nnzoo.errors import DataError


def write_cifar(folder, n=4, keys=bytes):
    """CIFAR-10's python layout: 5 training batches, a test batch and batches.meta."""
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1)
    k = (lambda s: s.encode()) if keys is bytes else str
    batches = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        labels = rng.integers(0, 10, n).tolist()
        batch = {k("batch_label"): k(name), k("labels"): labels, k("data"): data,
                 k("filenames"): [k(f"img{i}.png") for i in range(n)]}
        (folder / name).write_bytes(pickle.dumps(batch, 4))
        batches[name] = (data, labels)
    meta = {k("label_names"): [k(c) for c in "abcdefghij"], k("num_vis"): 3072}
    (folder / "batches.meta").write_bytes(pickle.dumps(meta, 4))
    return batches


@pytest.mark.parametrize("keys", [bytes, str])
def test_cifar10_batches_become_nhwc_images(tmp_path, keys):
    batches = write_cifar(tmp_path / "cifar-10-batches-py", keys=keys)
    ds = load_cifar10(tmp_path)  # the folder above cifar-10-batches-py also works
    assert ds.x_train.shape == (20, 32, 32, 3) and ds.x_test.shape == (4, 32, 32, 3)
    assert ds.classes == tuple("abcdefghij") and ds.y_train.dtype == np.int64
    data, labels = batches["data_batch_2"]
    # row 0 of batch 2 is image 4: 1024 red values row by row, then green, then blue
    assert np.array_equal(ds.x_train[4, :, :, 0], data[0, :1024].reshape(32, 32))
    assert np.array_equal(ds.x_train[4, 1, :, 2], data[0, 2048 + 32:2048 + 64])
    assert ds.y_train[4:8].tolist() == labels
    X, _, _, _ = ds.tensors()
    assert X.shape == (20, 3, 32, 32) and X.is_contiguous()
    assert X[4, 0, 0, 0].item() == np.float32(data[0, 0]) / np.float32(255)


def test_load_cifar10_by_name_and_bad_folders(tmp_path):
    write_cifar(tmp_path / "c")
    assert load("cifar10", data_dir=tmp_path / "c").name == "cifar10"
    os.remove(tmp_path / "c" / "data_batch_3")
    with pytest.raises(DataError, match="data_batch_3 is missing"):
        load_cifar10(tmp_path / "c")
    (tmp_path / "c" / "data_batch_3").write_bytes(pickle.dumps([1, 2], 4))
    with pytest.raises(DataError, match="holds a list, not a CIFAR-10 batch"):
        load_cifar10(tmp_path / "c")
    (tmp_path / "c" / "data_batch_3").write_bytes(pickle.dumps({"data": np.zeros((2, 3))}, 4))
    with pytest.raises(DataError, match="not a CIFAR-10 batch"):
        load_cifar10(tmp_path / "c")


def test_a_malicious_batch_is_refused(tmp_path):
    write_cifar(tmp_path / "c")
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return os.system, (f"touch {marker}",)

    (tmp_path / "c" / "test_batch").write_bytes(pickle.dumps({"data": Evil()}, 2))
    with pytest.raises(DataError, match="test_batch: it refers to (posix|os|nt).system"):
        load_cifar10(tmp_path / "c")
    assert not marker.exists()
