import io
import os
import pickle
import pickletools

import numpy as np
import pytest

from nnzoo.data import restricted_load, restricted_loads
from nnzoo.errors import DataError


class Evil:
    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_a_pickle_that_would_run_a_command_is_refused_and_the_command_never_runs(
        tmp_path, protocol):
    marker = tmp_path / "ran"
    payload = pickle.dumps([Evil(f"touch {marker}"), np.zeros(3)], protocol)
    with pytest.raises(DataError, match=r"refusing to unpickle evil.pkl: it refers to "
                                        r"(posix|os|nt)\.system, which is not allowed"):
        restricted_loads(payload, "evil.pkl")
    assert not marker.exists()
    pickle.loads(payload)  # the same bytes, unpickled the default way, do run it
    assert marker.exists()


@pytest.mark.parametrize("obj", [eval, print, np.load, np.ma.masked_array([1, 2]),
                                 np.array([1, "a"], dtype=object)])
def test_other_callables_and_object_arrays_are_refused(obj):
    with pytest.raises(DataError, match="refusing to unpickle"):
        restricted_loads(pickle.dumps(obj, 4))


@pytest.mark.parametrize("protocol", [3, 4])
def test_numpy_arrays_in_containers_are_accepted(protocol):
    obj = ((np.arange(12, dtype=np.float32).reshape(3, 4), np.arange(3)),
           {b"labels": [1, 2], "data": np.eye(2, dtype=np.uint8).T, "name": "x"})
    raw = pickle.dumps(obj, protocol)
    assert {op.name for op, _, _ in pickletools.genops(raw)} & {"GLOBAL", "STACK_GLOBAL"}
    back = restricted_load(io.BytesIO(raw))
    assert np.array_equal(back[0][0], obj[0][0]) and back[0][0].dtype == np.float32
    assert back[1][b"labels"] == [1, 2] and np.array_equal(back[1]["data"], obj[1]["data"])


def test_a_python2_numpy_pickle_is_read():
    # what numpy under Python 2 wrote (as in mnist.pkl.gz): numpy.core.multiarray, str data
    raw = (b"\x80\x02cnumpy.core.multiarray\n_reconstruct\nq\x01cnumpy\nndarray\nq\x02K\x00"
           b"\x85U\x01b\x87Rq\x03(K\x01K\x03\x85cnumpy\ndtype\nq\x04U\x02u1K\x00K\x01\x87Rq\x05"
           b"(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89U\x03\x01\x02\x03tb.")
    assert restricted_loads(raw).tolist() == [1, 2, 3]


def test_truncated_pickle_is_a_data_error():
    with pytest.raises(DataError, match="refusing to unpickle"):
        restricted_loads(pickle.dumps(np.arange(10), 4)[:-20])
