"""How a command ends: its exit status, a user's mistake told in one line on stderr (2), a
diverged run (3); `nnzoo` and each process of a data-parallel `nnzoo run --nproc N` end so."""

from __future__ import annotations

import sys
from collections.abc import Callable

from nnzoo.errors import Diverged, NnzooError


def exit_status(command: Callable[[], int]) -> int:
    """command()'s exit status, or the status of the NnzooError it raised, said in one line."""
    try:
        return command()
    except NnzooError as e:
        print(f"nnzoo: {'diverged' if isinstance(e, Diverged) else 'error'}: {e}",
              file=sys.stderr)
        return e.exit_status
    except BrokenPipeError:  # e.g. `nnzoo list | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
