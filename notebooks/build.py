"""Make notebooks/<family>.ipynb from notebooks/src/<family>.py (jupytext's percent format).

The .py files are the source: they diff and review as code. The .ipynb files are made from
them, without outputs, so that Jupyter (or a hosted notebook service) opens them as they are.

    python notebooks/build.py          # write every .ipynb
    python notebooks/build.py --check  # exit 1 if an .ipynb differs from what its .py makes
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

HERE = Path(__file__).resolve().parent


def made(source: Path) -> str:
    """The .ipynb text that `source` makes."""
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata.pop("jupytext", None)  # the .ipynb does not pair back to its source
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                 "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):  # the same ids every time (jupytext draws new ones)
        cell.id = f"cell-{i}"
    return nbformat.writes(nb) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for source in sorted((HERE / "src").glob("*.py")):
        target = HERE / f"{source.stem}.ipynb"
        text = made(source)
        if "--check" in argv:
            if not target.exists() or target.read_text() != text:
                stale.append(target.name)
        else:
            target.write_text(text)
    if stale:
        print(f"out of date: {', '.join(stale)}; run python notebooks/build.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
