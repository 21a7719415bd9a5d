"""The errors nnzoo raises on purpose, and the exit status the CLI gives each kind.

A user's mistake or a missing/corrupt data file ends with one line and exit status 2;
a run whose loss stops being finite ends with exit status 3. Anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from os import PathLike
from pathlib import Path


class NnzooError(Exception):
    """Base of the errors that the CLI reports as one line instead of a traceback (a value
    the user gave with a line break or a control character in it is shown escaped)."""

    exit_status = 1

    def __str__(self) -> str:
        return one_line(super().__str__())


def one_line(text: str) -> str:
    """`text` with every character that is not printable escaped ('\\n', '\\x1e')."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class UserError(NnzooError, ValueError):
    """The user asked for something that cannot be done as asked (name, option, value, folder).
    A ValueError too: what `nnzoo.run(...)` raises from Python for a bad name or value."""

    exit_status = 2


class OptionTypeError(UserError, TypeError):
    """A Python caller gave a value of the wrong type, or a keyword that is not an option:
    a TypeError as Python's own, and a UserError (one line, exit status 2) for the CLI."""


class DataError(NnzooError):
    """Data that an experiment needs is missing, unreadable or fails its checksum."""

    exit_status = 2


class Diverged(NnzooError):
    """The loss became NaN or infinite; the run stopped and kept its last good checkpoint."""

    exit_status = 3

    def __init__(self, step: int, last_finite: float | None, hint: str):
        self.step, self.last_finite, self.hint = step, last_finite, hint
        last = "none" if last_finite is None else f"{last_finite:.6g}"
        super().__init__(
            f"the loss became non-finite at step {step} (last finite loss {last}); {hint}"
        )


def user_path(text: str | PathLike) -> Path:
    """The path the user wrote, ~ expanded ("~name" of no such user stays as written)."""
    try:
        return Path(text).expanduser()
    except RuntimeError:  # pathlib: "Could not determine home directory."
        return Path(text)


def check_file(path: str, option: str, expected: str) -> None:
    """A path option that names no file: one UserError line, before any run folder exists
    (empty: the option is unused)."""
    if path and not user_path(path).is_file():
        what = "not a file but a folder" if user_path(path).is_dir() else \
            "not a regular file" if user_path(path).exists() else "there is no such file"
        raise UserError(f"{option} {path}: {what}; expected {expected}")


def nearest(word: str, choices: Iterable[str], n: int = 3) -> str:
    """' (did you mean a, b?)' for the closest of `choices`, or '' when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""
