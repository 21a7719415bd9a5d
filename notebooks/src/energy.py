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
# # Energy-based models
#
# A Hopfield network stores patterns as the minima of an energy; flipping one unit at a
# time towards lower energy recalls a stored pattern from a corrupted copy. The Boltzmann
# machine has the same energy but flips its units at random, with a probability given by
# the sigmoid of the energy gap, so it generates states rather than retrieving them; the
# restricted Boltzmann machine keeps only visible-to-hidden connections and trains by
# contrastive divergence.
#
# $$E(x) = -\Big(\tfrac{1}{2}\sum_{i,j} x_i w_{ij} x_j + \sum_i b_i x_i\Big), \qquad
# p(x_i = 1) = \frac{1}{1 + e^{-\Delta E / T}}$$

# %%
import inspect
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
# `nnzoo.models.energy.Hopfield`: its energy, as the equation above.

# %%
from nnzoo.models.energy.hopfield import Hopfield

print(inspect.getsource(Hopfield.energy))

# %% [markdown]
# ## The experiments

# %%
nnzoo.catalogue("energy")

# %% [markdown]
# Recalling letters from copies with 20% of their pixels flipped (about a second):

# %%
nnzoo.run("hopfield-recall", smoke=SMOKE, out=OUT)

# %% [markdown]
# A Boltzmann machine learning the 3 x 3 bars and stripes (about 10 seconds):

# %%
nnzoo.run("boltzmann", smoke=SMOKE, out=OUT)

# %% [markdown]
# An RBM's hidden features for classifying digits (about 5 seconds):

# %%
nnzoo.show("rbm-digits")

# %%
nnzoo.run("rbm-digits", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Corrupt the letters more: `nnzoo.run("hopfield-recall", corruption=0.4)`. Which letters
# does the network still recall, and what does it settle on instead?
