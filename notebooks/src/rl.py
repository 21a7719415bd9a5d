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
# # Reinforcement learning
#
# An agent acts in an environment, receives rewards and learns a policy that maximises the
# discounted sum of future rewards. Q-learning learns the value of each action in each
# state from its own experience, moving the estimate towards the reward plus the
# discounted value of the best next action; policy-gradient methods such as REINFORCE
# instead push up the log probability of the actions of trials that went well.
#
# $$Q(s_t, a_t) \leftarrow Q(s_t, a_t) + \eta\,\big[r_t + \gamma \max_b Q(s_{t+1}, b) - Q(s_t, a_t)\big]$$
# $$\theta \leftarrow \theta + \eta\,(r_{\text{total}} - b)\,\nabla_\theta \log \pi_\theta(a_t \mid s_t)$$

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
# The tabular Q-learner of `nnzoo.rl.tabular`; its update is the equation above:

# %%
from nnzoo.rl.tabular import QLearning

print(inspect.getsource(QLearning.update))

# %% [markdown]
# ## The experiments

# %%
nnzoo.catalogue("rl")

# %% [markdown]
# Q-learning on CliffWalking (about a second):

# %%
nnzoo.run("q-learning", smoke=SMOKE, out=OUT)

# %% [markdown]
# TD(0) learns the values of Russell and Norvig's 4x3 grid world (about 20 seconds):

# %%
nnzoo.run("td-gridworld", smoke=SMOKE, out=OUT)

# %% [markdown]
# REINFORCE balancing CartPole (about 30 seconds on a 2-core CPU):

# %%
nnzoo.show("reinforce")

# %%
nnzoo.run("reinforce", smoke=SMOKE, out=OUT)

# %% [markdown]
# ## Try this
# Take away REINFORCE's baseline: `nnzoo.run("reinforce", baseline=False)`. Does it still
# balance the pole, and how much noisier is its learning curve?
