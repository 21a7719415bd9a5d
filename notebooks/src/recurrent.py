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
# # Recurrent networks
#
# A simple recurrent network (Elman, 1990) copies its hidden layer into a context layer at
# every step, so that it can remember what it needs of the sequence so far; it is trained
# by backpropagation through time. To predict the next symbol of $a^nb^n$ it must count,
# and the hidden units do it with their dynamics; LSTM's gates let the memory reach much
# further back.
#
# $$h_t = \tanh(W x_t + U h_{t-1} + b), \qquad
# c_t = c_{t-1} \odot f_t + i_t \odot g_t, \quad h_t = \tanh c_t \odot o_t$$

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
# `nnzoo.nn.recurrent.RecurrentNet` with the course's SRN cell, as the Reber experiment
# builds it (7 letters in, 3 hidden units, 7 out):

# %%
from nnzoo.nn.recurrent import RecurrentNet, SRNCell

print(RecurrentNet("srn", n_in=7, n_hidden=3, n_out=7))
print(inspect.getsource(SRNCell.forward))

# %% [markdown]
# ## The experiments

# %%
nnzoo.catalogue("recurrent")

# %% [markdown]
# Next-letter prediction of the Reber grammar (about 10 seconds):

# %%
nnzoo.run("reber", smoke=SMOKE, out=OUT)

# %% [markdown]
# Counting: $a^nb^n$ with two hidden units (about 15 seconds):

# %%
nnzoo.show("anbn")

# %%
nnzoo.run("anbn", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Give the Reber network fewer hidden units: `nnzoo.run("reber", hidden=2)`. Can it still
# keep the grammar's states apart?
