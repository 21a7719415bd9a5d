"""nnzoo: the neural-network zoo, runnable.

From Python (the same runs as the `nnzoo` command; see nnzoo.api):

    import nnzoo
    nnzoo.experiments()                       # the catalogue
    nnzoo.show("twin-spirals")                # its options, Python spelling
    result = nnzoo.run("twin-spirals", net="short")
    result.verdict, result.headline, result.figures
"""

import importlib as _importlib

from nnzoo._version import __version__ as __version__  # its own module: nnzoo._version

# `nnzoo.experiments` is the catalogue function imported below, as the package of experiment
# modules is also called experiments: that package (a docstring) is loaded first, for Python
# binds a subpackage's name on its parent when it first loads it, and would then hide the
# function. The registry loads it through importlib, by its full name.
_importlib.import_module("nnzoo.experiments")

from nnzoo.api import experiments, load_run, resume, run, show  # noqa: E402

__all__ = ["experiments", "load_run", "resume", "run", "show"]
