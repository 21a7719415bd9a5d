import struct

import numpy as np
import pytest

CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D,
         np.float64: 0x0E}


def write_idx_bytes(a: np.ndarray) -> bytes:
    """An IDX file written by hand from the format: 0 0 TYPE NDIM, dims big-endian, data."""
    header = bytes([0, 0, CODES[a.dtype.type], a.ndim]) + struct.pack(f">{a.ndim}I", *a.shape)
    return header + a.astype(a.dtype.newbyteorder(">")).tobytes()


@pytest.fixture
def idx_bytes():
    """write_idx_bytes, for tests of files that hold IDX files."""
    return write_idx_bytes
