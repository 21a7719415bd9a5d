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
# # Texture synthesis and style transfer
#
# A network trained to recognise objects (VGG-19) describes a texture by which of its
# feature maps fire together: the Gram matrix of layer l, $G^l_{ij} = \sum_k F^l_{ik} F^l_{jk}$,
# forgets *where* things are and keeps *what* goes with what. Starting from white noise, the
# image's pixels are changed by gradient descent until its Gram matrices match a texture's;
# style transfer adds a term that keeps a photograph's feature maps:
#
# $$E_{\text{total}} = \frac{\alpha}{2} \sum \|F^l(x) - F^l(x_c)\|^2 + \frac{\beta}{4} \sum_l \frac{w_l}{N_l^2 M_l^2} \sum_{ij} (G^l_{ij} - A^l_{ij})^2$$

# %%
import inspect
import os
import tempfile

import nnzoo

# The tests run this notebook with NNZOO_SMOKE=1: every run below is then its seconds-long
# check (smoke=True: tiny images and random filters, no weights needed). Left unset, each
# run is the real experiment, which needs VGG-19's weights once: `nnzoo data fetch vgg19`.
SMOKE = os.environ.get("NNZOO_SMOKE") == "1"
# Run folders go to a temporary folder (NNZOO_RUNS names another), not beside this notebook.
OUT = os.environ.get("NNZOO_RUNS") or os.path.join(tempfile.gettempdir(), "nnzoo-runs")

# %% [markdown]
# ## The model, from the library
# The Gram matrix and the style cost of `nnzoo.models.style`:

# %%
from nnzoo.models.style import StyleCost, gram

print(inspect.getsource(gram))
print(inspect.getsource(StyleCost))

# %% [markdown]
# ## The experiments

# %%
nnzoo.catalogue("style")

# %% [markdown]
# A brick texture from white noise, in grey as the brick is: 200 steps of L-BFGS at 128 x 128
# pixels (under a minute and a half on a 2-core CPU); the run checks that no crop of it is a
# copy of the source:

# %%
nnzoo.run("texture-synthesis", smoke=SMOKE, out=OUT)

# %% [markdown]
# The astronaut in the style of an acrylic painting (fetched on first use, 1.4 MB), starting
# from the photograph; beside it, the same style synthesised without the content term, the
# yardstick of how much of the photograph survived (about a minute and a half):

# %%
nnzoo.show("style-transfer")

# %%
nnzoo.run("style-transfer", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Another texture (`texture="gravel"`), or your own picture as the style
# (`style="path/to/painting.jpg"`). Then change the balance: with a smaller `beta` the
# photograph shows through more, with a larger one the style takes over. Without the
# weights, `features="random"` synthesises textures with random filters: how do they look?
