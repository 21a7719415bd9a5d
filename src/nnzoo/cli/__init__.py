"""The `nnzoo` command: list | show | run | tour | report | data | sweep | serve.

The only module that prints for the user or calls sys.exit. A user's mistake is one
line on stderr and exit status 2; a FAIL verdict exits 1; a diverged run exits 3.
Torch is imported only by the commands that train (`run`, `tour`).
"""

from __future__ import annotations

import sys

from nnzoo._version import __version__
from nnzoo.api import verdict_text
from nnzoo.cli.args import usage
from nnzoo.cli.catalogue import catalogue_markdown, cmd_list, cmd_show, show_text
from nnzoo.cli.data import cmd_data
from nnzoo.cli.exits import exit_status
from nnzoo.cli.running import cmd_report, cmd_run, cmd_tour, tour_table
from nnzoo.cli.serve import cmd_serve
from nnzoo.cli.sweep import cmd_sweep
from nnzoo.errors import UserError, nearest

__all__ = ["catalogue_markdown", "main", "show_text", "tour_table", "verdict_text"]

# --------------------------------------------------------------------------- main
COMMANDS = {"list": cmd_list, "show": cmd_show, "run": cmd_run, "tour": cmd_tour,
            "report": cmd_report, "data": cmd_data, "sweep": cmd_sweep, "serve": cmd_serve}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if argv[0] == "--version":
        print(f"nnzoo {__version__}")
        return 0
    return exit_status(lambda: _command(argv[0], argv[1:]))


def _command(command: str, args: list[str]) -> int:
    if command not in COMMANDS:
        raise UserError(f"no command {command!r}{nearest(command, COMMANDS)}; "
                        f"the commands are {', '.join(COMMANDS)} (`nnzoo --help`)")
    return COMMANDS[command](args)
