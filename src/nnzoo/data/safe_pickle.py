"""A restricted unpickler: data files may hold numpy arrays, never code.

A pickle names the callables it wants called (the GLOBAL opcodes) and the default
unpickler imports and calls whatever it is told, `os.system` included. This one looks
every name up in an allow-list and refuses the rest before anything is imported or
called. The default list admits exactly what a numpy array needs (the classic MNIST
pickle and the CIFAR-10 python batches are nothing else): numpy's `_reconstruct`, the
`ndarray` class and `dtype`, and no dtype that holds Python objects.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Mapping
from typing import IO, Any

import numpy as np

from nnzoo.errors import DataError


def _plain_dtype(spec: Any, align: bool = False, copy: bool = False) -> np.dtype:
    """np.dtype, refusing object dtypes (an object array could carry other pickled objects)."""
    dt = np.dtype(spec, align, copy)
    if dt.hasobject:
        raise pickle.UnpicklingError(f"dtype {dt} holds Python objects")
    return dt


def _reconstruct(subtype: Any, shape: Any, typecode: Any) -> np.ndarray:
    """numpy's own array reconstructor, for plain ndarrays only."""
    if subtype is not np.ndarray:
        raise pickle.UnpicklingError(f"{subtype!r} is not numpy.ndarray")
    return _NUMPY_RECONSTRUCT(subtype, shape, typecode)


# numpy's reconstructor moved from numpy.core.multiarray to numpy._core.multiarray in numpy 2;
# the function pickling itself names is the real one in every version.
_NUMPY_RECONSTRUCT = np.ndarray.__reduce__(np.zeros(0))[0]

NUMPY_ARRAYS: Mapping[tuple[str, str], Callable[..., Any] | type] = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,  # pickles written by numpy < 2
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,  # and by numpy >= 2
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): _plain_dtype,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler whose `find_class` only hands out the callables in `allowed`."""

    def __init__(self, file: IO[bytes], allowed: Mapping[tuple[str, str], Any] = NUMPY_ARRAYS,
                 encoding: str = "latin1"):
        # latin1 reads Python 2 byte strings (numpy's array bytes in old pickles) unchanged
        super().__init__(file, encoding=encoding)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self.allowed[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"it refers to {module}.{name}, which is not allowed "
                                         f"(only numpy arrays are)") from None


def restricted_load(file: IO[bytes], what: str = "the pickle",
                    allowed: Mapping[tuple[str, str], Any] = NUMPY_ARRAYS) -> Any:
    """Unpickle from an open binary file, admitting only `allowed`; DataError otherwise.

    `what` names the file in the error, e.g. "mnist.pkl.gz".
    """
    try:
        return RestrictedUnpickler(file, allowed).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
            IndexError, KeyError, OSError) as e:
        raise DataError(f"refusing to unpickle {what}: {e}; nnzoo reads only numpy arrays, "
                        f"lists, dicts, numbers and strings from a pickle") from None


def restricted_loads(data: bytes, what: str = "the pickle",
                     allowed: Mapping[tuple[str, str], Any] = NUMPY_ARRAYS) -> Any:
    """`restricted_load` from bytes."""
    return restricted_load(io.BytesIO(data), what, allowed)
