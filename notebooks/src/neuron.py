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
# # Neurons and perceptrons
#
# McCulloch and Pitts modelled a neuron as a weighted sum of its inputs passed through a
# threshold; Rosenblatt's perceptron learns those weights from its mistakes. When the
# output is 0 but should be 1 the weights move towards the input, and away from it in the
# opposite case; the theorem says this finds a separating line whenever the data are
# linearly separable. XOR is not, and needs a hidden layer trained by backpropagation.
#
# $$s = w_1x_1 + w_2x_2 + w_0, \qquad w_k \leftarrow w_k \pm \eta\, x_k, \quad w_0 \leftarrow w_0 \pm \eta$$

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
# `nnzoo.models.neuron.Perceptron` learns with the rule above, written as the equation:

# %%
from nnzoo.models.neuron import Perceptron

print(inspect.getsource(Perceptron.fit))

# %% [markdown]
# ## The experiments
# The family's experiments, and the options of one of them:

# %%
nnzoo.catalogue("neuron")

# %%
nnzoo.show("perceptron")

# %% [markdown]
# Hand-set weights make AND, OR, NOR and (with a hidden layer) XOR; a second or so:

# %%
nnzoo.run("logic-gates", smoke=SMOKE, out=OUT)

# %% [markdown]
# The perceptron rule on random separable points (about a second):

# %%
result = nnzoo.run("perceptron", smoke=SMOKE, out=OUT)
result

# %% [markdown]
# Everything the run kept is in `result`: the verdict, the metrics, the metrics log one row
# per epoch, and each figure by name.

# %%
print(result.verdict, result.metrics)
print(result.rows[:3])
result.figures["perceptron"]

# %% [markdown]
# A 2-2-1 network learns XOR by backpropagation (a few seconds):

# %%
nnzoo.run("xor-backprop", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Give the perceptron XOR: `nnzoo.run("perceptron", task="xor")`. It never converges;
# what do the weights do instead (look at the figure and at `result.rows`)?
