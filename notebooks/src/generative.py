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
# # Autoencoders and generative models
#
# An autoencoder is trained to reproduce its input through a bottleneck, so it must
# compress the data; sparsity, dropout, contraction or noise make the code useful. A
# variational autoencoder makes the code a distribution: its encoder gives a Gaussian
# $q(z|x)$, the decoder reconstructs from a sample of it, and the KL term keeps $q$ near the
# standard normal prior, so that decoding $z \sim \mathcal{N}(0, I)$ generates new items.
#
# $$\log p(x) \ \ge\ \mathbb{E}_{q(z|x)}\big[\log p(x|z)\big] - \mathrm{KL}\big(q(z|x)\,\|\,p(z)\big)$$

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
# `nnzoo.models.autoencoders.VAE` with its default sizes:

# %%
from nnzoo.models.autoencoders import VAE

print(VAE())

# %% [markdown]
# ## The experiments
# MNIST is fetched and cached the first time; the smoke runs use scikit-learn's 8x8 digits.

# %%
nnzoo.catalogue("generative")

# %% [markdown]
# Five autoencoders on MNIST, one per regulariser (about 25 seconds):

# %%
nnzoo.run("autoencoders", smoke=SMOKE, out=OUT)

# %% [markdown]
# The variational autoencoder (about 40 seconds on a 2-core CPU):

# %%
nnzoo.show("vae-digits")

# %%
nnzoo.run("vae-digits", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Squeeze the latent space to two dimensions: `nnzoo.run("vae-digits", latent=2)`. How
# much worse is the bound, and what do the samples look like?
