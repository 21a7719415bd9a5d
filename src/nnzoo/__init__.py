"""nnzoo: the neural-network zoo, runnable."""
__version__ = "0.1.0"
