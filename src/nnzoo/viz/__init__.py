"""Pure functions from numbers to matplotlib Figures; nothing here trains or saves.

Figures are made with `matplotlib.figure.Figure`, never pyplot, so that nothing
depends on a display or a global backend.
"""

from nnzoo.viz.networks import network
from nnzoo.viz.planes import boundary_line, decision_regions, figure
from nnzoo.viz.weights import hinton

__all__ = ["boundary_line", "decision_regions", "figure", "hinton", "network"]
