"""Generative models: networks that learn to produce new items in the style of their
training items, from latent variables z drawn from a standard normal distribution.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("generative", "Autoencoders, VAEs and GANs", position=8,
       about="Networks that reproduce their input through a bottleneck, and the generative "
             "models built on them: the variational autoencoder, whose decoder turns points "
             "of a Gaussian latent space into new digits, and the generative adversarial "
             "network.",
       order=("autoencoders", "vae-digits", "gan-digits"))
