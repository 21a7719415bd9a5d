import gzip
import io
import sys
import tarfile

import numpy as np
import pytest

from nnzoo.data import sources
from nnzoo.errors import DataError


def ar_member(name: str, body: bytes) -> bytes:
    header = f"{name:<16}{0:<12}{0:<6}{0:<6}{100644:<8}{len(body):<10}`\n".encode()
    assert len(header) == 60
    return header + body + (b"\n" if len(body) % 2 else b"")


def tar_xz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo("./" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def deb(files: dict[str, bytes]) -> bytes:
    """A Debian package as dpkg-deb builds one: ar of debian-binary, control, data."""
    return (b"!<arch>\n" + ar_member("debian-binary", b"2.0\n")
            + ar_member("control.tar.xz", tar_xz({"control": b"Package: x\n"}))
            + ar_member("data.tar.xz", tar_xz(files)))


def test_deb_members_reads_files_without_dpkg():
    raw = deb({"usr/share/a.txt": b"hello", "usr/share/b.bin": b"odd"})
    assert sources.deb_members(raw, "x.deb", ["usr/share/b.bin"]) == {"usr/share/b.bin": b"odd"}
    with pytest.raises(DataError, match="x.deb lacks usr/share/c"):
        sources.deb_members(raw, "x.deb", ["usr/share/c"])
    with pytest.raises(DataError, match="is not a Debian package"):
        sources.deb_members(b"PK\x03\x04", "x.deb", ["a"])
    with pytest.raises(DataError, match=r"x.deb is truncated \(data.tar.xz needs"):
        sources.deb_members(raw[:-20], "x.deb", ["usr/share/a.txt"])
    damaged = b"!<arch>\n" + ar_member("data.tar.xz", tar_xz({"usr/share/a.txt": b"x"})[:40])
    with pytest.raises(DataError, match="cannot read the files of x.deb"):
        sources.deb_members(damaged, "x.deb", ["usr/share/a.txt"])


def test_fashion_conversion_from_a_package_of_idx_files(idx_bytes):
    from nnzoo.data.datasets import FASHION_DIR, FASHION_FILES, convert_fashion

    arrays = {"x_train": np.full((2, 28, 28), 7, np.uint8), "y_train": np.array([9, 0], np.uint8),
              "x_test": np.zeros((1, 28, 28), np.uint8), "y_test": np.array([3], np.uint8)}
    raw = deb({FASHION_DIR + f: gzip.compress(idx_bytes(arrays[k]))
               for k, f in FASHION_FILES.items()})
    out = convert_fashion(raw)
    assert all(np.array_equal(out[k], arrays[k]) for k in arrays)


def test_a_failing_client_reports_its_error_line(tmp_path):
    cmd = [sys.executable, "-c", "import sys; print('Looking in indexes: x');"
           "sys.stderr.write('ERROR: No matching distribution found for nope==1\\n'); sys.exit(1)"]
    with pytest.raises(DataError, match=r"could not download nope: .* failed \(ERROR: No matching "
                                        r"distribution found for nope==1\); this needs pip"):
        sources._run(cmd, tmp_path, "download nope", "pip")


def test_no_apt_get_says_what_is_needed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DataError, match="there is no apt-get here; this needs apt-get"):
        sources.apt_download("dataset-fashion-mnist", tmp_path)
