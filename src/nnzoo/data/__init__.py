"""Data: small generated sets, registered real data sets, loaders for users' own files.

    from nnzoo.data import load
    ds = load("mnist")           # fetched into the cache on first use; an ImageSet
    X, y, Xt, yt = ds.tensors()  # (N, 1, 28, 28) floats in [0, 1], int64 labels

Names are imported on first use (PEP 562), so `import nnzoo.data` stays light and never
imports torch.
"""

from importlib import import_module

_EXPORTS = {
    "load": "datasets", "fetch": "datasets", "verify": "datasets", "DATASETS": "datasets",
    "Dataset": "datasets", "ImageSet": "imageset", "cache_dir": "cache",
    "read_idx": "idx", "parse_idx": "idx", "load_idx_dir": "idx", "load_cifar10": "cifar",
    "WordTests": "wordtests", "restricted_load": "safe_pickle", "restricted_loads": "safe_pickle",
    "twin_spirals": "synthetic", "separable_points": "synthetic", "TRUTH_INPUTS": "synthetic",
    "GATE_TARGETS": "synthetic", "noisy_sine": "synthetic", "circle_points": "synthetic",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'nnzoo.data' has no attribute {name!r}")
    return getattr(import_module(f"nnzoo.data.{_EXPORTS[name]}"), name)
