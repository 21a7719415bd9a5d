"""nnzoo: the neural-network zoo, runnable.

From Python (the same runs as the `nnzoo` command; see nnzoo.api):

    import nnzoo
    nnzoo.catalogue()                         # the experiments
    nnzoo.show("twin-spirals")                # its options, Python spelling
    result = nnzoo.run("twin-spirals", net="short")
    result.verdict, result.headline, result.figures
"""

from nnzoo._version import __version__ as __version__  # its own module: nnzoo._version
from nnzoo.api import catalogue, load_run, resume, run, show

__all__ = ["catalogue", "load_run", "resume", "run", "show"]
