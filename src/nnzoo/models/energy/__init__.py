"""Energy-based networks: the Hopfield network, the Boltzmann machine and the restricted
Boltzmann machine (RBM), as the course states them (COMP9444 summary: "Hopfield Network",
"Boltzmann Machine", "Restricted Boltzmann Machine", "Alternating Gibbs Sampling", "Quick
Contrastive Divergence").

All three give a state an energy and move downhill in it:

    Hopfield, Boltzmann:  E(x) = -(1/2 sum_{i,j} x_i w_ij x_j + sum_i b_i x_i)
                               = -(sum_{i<j} x_i w_ij x_j + sum_i b_i x_i)   (w symmetric,
                                                                             w_ii = 0)
    RBM:                  E(v, h) = -(sum_i b_i v_i + sum_j c_j h_j + sum_{i,j} v_i w_ij h_j)

The Hopfield network updates deterministically (x_i in {-1, +1}), so its energy never
increases; the Boltzmann machine (x_i in {0, 1}) switches a unit on with probability
1/(1 + e^{-Delta E/T}) and, run long enough, visits state x with probability
exp(-E(x)/T)/Z; the RBM drops the visible-visible and hidden-hidden weights so that all
hidden units can be sampled at once given the visible ones, and back.

These learners are not trained by autograd: scikit-learn style `fit(X) -> self`, learned
attributes end in `_`, batched tensor code on whatever device the data are on; each takes
`rng` (a nnzoo.random.Stream, an int seed or None) for its random numbers.
"""

from nnzoo.models.energy.boltzmann import BoltzmannMachine
from nnzoo.models.energy.hopfield import Hopfield, Recall
from nnzoo.models.energy.rbm import RBM
from nnzoo.models.energy.states import all_states

__all__ = ["RBM", "BoltzmannMachine", "Hopfield", "Recall", "all_states"]
