"""Multi-layer networks and backpropagation: transfer functions, Bayes and weight decay, the
twin spirals, vanishing gradients, the encoder, variations on backprop, Ockham's razor and
the shape of the error over weight space.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("backprop", "Multi-layer networks and backpropagation", position=2,
       about="Layers of differentiable units trained by gradient descent on an error "
             "function, with the derivatives computed by backpropagation: the transfer "
             "functions, the Bayesian view of weight decay, problems that need hidden units "
             "or shortcuts, why deep nets' gradients vanish, and the course's refinements "
             "(cross-entropy, momentum, weight decay, dropout, batch norm).",
       order=("activations", "bayes", "twin-spirals", "vanishing-gradients", "encoder",
              "backprop-variations", "momentum", "dropout", "ockham", "weight-space-search"))
