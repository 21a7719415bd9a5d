"""nnzoo's version, in one light module of its own: the run folders' summary.json, the
report, the data cache's records, the browser's pages and `nnzoo --version` read it here,
and the package face shows it as nnzoo.__version__."""

__version__ = "0.1.0"
