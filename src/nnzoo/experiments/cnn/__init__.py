"""Convolutional networks: MNIST and Fashion-MNIST from a linear classifier to a CNN,
residual and dense connections, and what convolutional filters respond to.

Each module here is one experiment. Heavy imports (numpy, torch, matplotlib) happen inside
the run functions, so that `nnzoo list` and `nnzoo show` read the configs without them.
"""

from nnzoo.registry import family

family("cnn", "Convolutional networks", position=3,
       about="Units that share their weights across the image and see only a small window "
             "of it: from one linear unit per class to LeNet, and the residual and dense "
             "connections that let very deep networks train.",
       order=("mnist-linear", "mnist-mlp", "mnist-cnn", "fashion-cnn", "resnet-vs-plain",
              "densenet", "conv-filters"))
