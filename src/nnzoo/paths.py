"""Options that name a file or folder that the run reads: their mark in a config.

    text: FilePath = ""
    '''Your own UTF-8 text file to train on instead.'''

The registry reads the mark into `Option.path`, so that whatever must treat such options
apart finds them all: `nnzoo serve` lets its pages give them only paths inside its runs
folder (the files uploaded there) or one of the names they take instead of a path. Light:
the registry imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal


@dataclass(frozen=True)
class PathTo:
    """A text option whose value is the path of a "file" or "dir" the run reads ("" leaves it
    unused), or one of `names`: things registered by name instead (sample pictures)."""

    kind: Literal["file", "dir"] = "file"
    names: tuple[str, ...] = ()


FilePath = Annotated[str, PathTo("file")]
DirPath = Annotated[str, PathTo("dir")]
