# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Backpropagation
#
# Replace the perceptron's step with a smooth function such as the sigmoid or tanh, and the
# error of a multi-layer network becomes differentiable in every weight: gradient descent
# on the error, with the gradient computed layer by layer backwards, trains the hidden
# units to find features of their own. The twin spirals are the classic test: the points
# of two interleaved spirals are separable only by a network with the right hidden layers.
#
# $$E = \tfrac{1}{2}\sum (z - t)^2, \qquad w \leftarrow w - \eta\,\frac{\partial E}{\partial w},
# \qquad g(s) = \tanh(s)$$

# %%
import os
import tempfile

import nnzoo

# The tests run this notebook with NNZOO_SMOKE=1: every run below is then its seconds-long
# check (smoke=True). Left unset, each run is the real experiment.
SMOKE = os.environ.get("NNZOO_SMOKE") == "1"
# Run folders go to a temporary folder (NNZOO_RUNS names another), not beside this notebook.
OUT = os.environ.get("NNZOO_RUNS") or os.path.join(tempfile.gettempdir(), "nnzoo-runs")

# %% [markdown]
# ## The model, from the library
# The spiral networks of `nnzoo.models.mlp`: this one takes the point in polar
# coordinates, with 10 hidden units.

# %%
from nnzoo.models.mlp import spiral_net

print(spiral_net("polar", hidden=10))

# %% [markdown]
# ## The experiments

# %%
nnzoo.catalogue("backprop")

# %%
nnzoo.show("twin-spirals")

# %% [markdown]
# The twin spirals with every kind of network (the default, `net="all"`); about 5 seconds
# on a 2-core CPU:

# %%
nnzoo.run("twin-spirals", smoke=SMOKE, out=OUT)

# %% [markdown]
# An N-2-N encoder squeezes N one-hot patterns through 2 hidden units (a couple of seconds):

# %%
nnzoo.run("encoder", smoke=SMOKE, out=OUT)

# %% [markdown]
# Momentum in a "rain gutter" of the error, steep across and shallow along (a couple of
# seconds):

# %%
nnzoo.run("momentum", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Run the spirals with the network that has shortcut connections only, and fewer hidden
# units: `nnzoo.run("twin-spirals", net="short", hidden=7)`. What do the hidden units
# respond to now (the figure draws each one)?
