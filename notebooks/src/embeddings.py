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
# # Word embeddings
#
# A word is known by the company it keeps: count which words occur near which, and the
# rows of that co-occurrence matrix (or their singular value decomposition) already place
# similar words close together. word2vec learns such vectors directly: the skip-gram model
# predicts the words around each word, and negative sampling trains it to score the true
# context word high and a few random words low.
#
# $$E = -\log \sigma(\mathbf{v}'_{j^*}\mathbf{h}) - \sum_{j \in \mathcal{W}_{\text{neg}}} \log \sigma(-\mathbf{v}'_j \mathbf{h})$$

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
# `nnzoo.models.embeddings.counts` on the course's rhyme, with a 2-word window:

# %%
from nnzoo.models.embeddings.counts import cooccurrence

print(inspect.getsource(cooccurrence))

# %% [markdown]
# ## The experiments

# %%
nnzoo.catalogue("embeddings")

# %% [markdown]
# The co-occurrence matrix of "There was a crooked man" and its SVD (a few seconds):

# %%
nnzoo.run("cooccurrence", smoke=SMOKE, out=OUT)

# %% [markdown]
# word2vec on 3 million words of English takes about 45 seconds at its defaults (5 epochs);
# here it trains for **one epoch** (about a fifth of that). The claim is for the
# defaults, so this quick run may FAIL it: leave out `epochs=1` to check the claim.

# %%
nnzoo.show("word2vec")

# %%
nnzoo.run("word2vec", epochs=1, smoke=SMOKE, out=OUT)

# %% [markdown]
# Word arithmetic: the words nearest to king - man + woman, by 3CosAdd on vectors trained as
# word2vec trains them (about 40 seconds; `vectors=` reads a word2vec run's `vectors.txt`
# instead):

# %%
nnzoo.run("word-arithmetic", smoke=SMOKE, out=OUT)  # its default: king - man + woman

# %% [markdown]
# ## Try this
# Train the other architecture, continuous bag of words:
# `nnzoo.run("word2vec", arch="cbow")`. Which answers more analogies?
