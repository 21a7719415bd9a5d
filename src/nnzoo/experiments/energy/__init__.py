"""Energy-based networks: the Hopfield network, the Boltzmann machine, the restricted
Boltzmann machine.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("energy", "Energy-based networks", position=7,
       about="Networks that give every state an energy and move downhill in it: the "
             "Hopfield network stores patterns by Hebb's rule and recalls them by "
             "asynchronous updates that never raise the energy, and holds about 0.138 N "
             "patterns; the Boltzmann machine makes the updates stochastic, so that it "
             "visits states with probability exp(-E/T)/Z and can learn a distribution; the "
             "restricted Boltzmann machine, trained by contrastive divergence, learns "
             "features that a linear classifier can use.",
       order=("hopfield-recall", "hopfield-capacity", "boltzmann", "rbm-digits"))
