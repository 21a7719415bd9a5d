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
# # Convolutional networks
#
# A convolution layer applies the same small filter at every position of the image (weight
# sharing), so it finds a feature wherever it is; pooling layers summarise neighbourhoods,
# fully connected layers collect what is spread out, and a softmax output gives the
# probability of each class, trained by the cross-entropy $-\log \mathrm{Prob}(i)$.
#
# $$Z^i_{j,k} = g\Big(b^i + \sum_l \sum_{m=0}^{M-1}\sum_{n=0}^{N-1} K^i_{l,m,n}\, V^l_{j+m,\,k+n}\Big),
# \qquad \mathrm{Prob}(i) = \frac{\exp(z_i)}{\sum_j \exp(z_j)}$$

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
# `nnzoo.models.cnn.NetConv`: two convolution layers, then a fully connected one.

# %%
from nnzoo.models.cnn import NetConv

print(NetConv())

# %% [markdown]
# ## The experiments
# MNIST is fetched and cached the first time (`nnzoo data fetch mnist`); the smoke runs use
# scikit-learn's small 8x8 digits instead.

# %%
nnzoo.catalogue("cnn")

# %% [markdown]
# A linear classifier (softmax of a weighted sum of the pixels), a few seconds:

# %%
nnzoo.run("mnist-linear", smoke=SMOKE, out=OUT)

# %% [markdown]
# The convolutional network (about 35 seconds on a 2-core CPU):

# %%
nnzoo.show("mnist-cnn")

# %%
nnzoo.run("mnist-cnn", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Train the same network without batch normalisation:
# `nnzoo.run("mnist-cnn", batch_norm=False)`. How much does the test accuracy after two
# epochs change?
