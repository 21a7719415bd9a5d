"""Convolutional networks: from a linear classifier of pixels to ResNets, DenseNets and VGG-19.

A convolution layer computes Z^i_{j,k} = g(b^i + sum_l sum_m sum_n K^i_{l,m,n} V^l_{j+m,k+n})
(written out as that sum in `nnzoo.nn.conv` and proved equal to `nn.Conv2d`, which
these models use). A network stacks

- convolution layers, which extract shift-invariant features from the previous layer,
- subsampling or pooling layers, which combine the activations of several units into one,
- fully connected layers, which collect spatially diffuse information,
- an output layer, which chooses between classes: scores z_i, with
  Prob(i) = exp(z_i) / sum_j exp(z_j) applied by the cross-entropy loss.

The models return the scores z (B, K); the loss takes -log Prob(correct class). Every
model's `input_weights()` is its first layer's weights; NetConv's and LeNet5's `hidden(x)`
are the feature maps after each convolution layer.

    NetLin, NetFull, NetConv   the course's linear / fully connected / convolutional trio
    LeNet5                      LeCun et al. (1998): C1-S2-C3-S4-C5-F6, tanh, average pooling
    build_cnn                   one of the two above by name (mnist-cnn's --model)
    ResidualBlock, ResNet       He et al. (2016): "skip" connections around pairs of layers
    DenseBlock, DenseNet        Huang et al. (2017): each layer reads all preceding layers

VGG-19, the network style transfer reads, lives with it in `nnzoo.models.style`.

Shapes: B batch, C channels, H x W image, K classes.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from nnzoo.nn.conv import output_size

Shape = tuple[int, int, int]  # (C, H, W)


def _flat(in_shape: Shape) -> int:
    C, H, W = in_shape
    return C * H * W


class NetLin(nn.Module):
    """A linear function of the pixels, one score per class: z = W x + b."""

    def __init__(self, in_shape: Shape = (1, 28, 28), classes: int = 10):
        super().__init__()
        self.in_shape, self.classes = tuple(in_shape), classes
        self.out = nn.Linear(_flat(in_shape), classes)

    def input_weights(self) -> Tensor:
        """W: each class's weights on the pixels, (K, C*H*W)."""
        return self.out.weight

    def forward(self, x: Tensor) -> Tensor:
        return self.out(x.flatten(1))  # (B, C*H*W) -> (B, K)


class NetFull(nn.Module):
    """Two fully connected layers: h = tanh(W_1 x + b_1), z = W_2 h + b_2."""

    def __init__(self, in_shape: Shape = (1, 28, 28), hidden: int = 256, classes: int = 10,
                 activation: str = "tanh"):
        super().__init__()
        self.in_shape, self.hidden, self.classes = tuple(in_shape), hidden, classes
        self.activation = activation
        self.fc = nn.Linear(_flat(in_shape), hidden)
        self.g = {"tanh": nn.Tanh(), "relu": nn.ReLU(), "sigmoid": nn.Sigmoid()}[activation]
        self.out = nn.Linear(hidden, classes)

    def input_weights(self) -> Tensor:
        """W_1: each hidden unit's weights on the pixels, (H, C*H*W)."""
        return self.fc.weight

    def forward(self, x: Tensor) -> Tensor:
        h = self.g(self.fc(x.flatten(1)))  # (B, H)
        return self.out(h)  # (B, K)


class NetConv(nn.Module):
    """Two convolution layers (each: conv, [batch norm], ReLU, 2x2 max pooling), one fully
    connected ReLU layer and the output layer. Padding (kernel-1)/2 keeps H x W at each
    convolution; each pooling halves it. (`hidden_units` stores the `hidden` parameter:
    `hidden(x)` is the feature maps, as every model's hidden layers are.)"""

    def __init__(self, in_shape: Shape = (1, 28, 28), channels: tuple[int, int] = (16, 32),
                 kernel: int = 5, hidden: int = 128, classes: int = 10,
                 batch_norm: bool = True):
        super().__init__()
        self.in_shape, self.channels, self.kernel = tuple(in_shape), tuple(channels), kernel
        self.hidden_units, self.classes, self.batch_norm = hidden, classes, batch_norm
        C, H, W = in_shape
        blocks = []
        for c_in, c_out in zip((C, *channels), channels):
            blocks.append(nn.Sequential(
                nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2, bias=not batch_norm),
                nn.BatchNorm2d(c_out) if batch_norm else nn.Identity(),
                nn.ReLU(), nn.MaxPool2d(2)))
            H, W = H // 2, W // 2
        self.convs = nn.ModuleList(blocks)
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(channels[-1] * H * W, hidden), nn.ReLU())
        self.out = nn.Linear(hidden, classes)

    def hidden(self, x: Tensor) -> list[Tensor]:
        """The feature maps after each convolution block: [(B, C_1, H/2, W/2), ...]."""
        maps = []
        for block in self.convs:
            x = block(x)
            maps.append(x)
        return maps

    def input_weights(self) -> Tensor:
        """The first convolution layer's kernels, (C_1, C, kernel, kernel)."""
        return self.convs[0][0].weight

    def forward(self, x: Tensor) -> Tensor:
        return self.out(self.fc(self.hidden(x)[-1]))  # (B, K)


class LeNet5(nn.Module):
    """LeNet-5: C1 6@5x5, S2 2x2 average pooling, C3 16@5x5, S4, C5 120, F6 84, output.

    For 28x28 digits C1 pads by 2, as if the image were LeNet's 32x32 field."""

    def __init__(self, in_shape: Shape = (1, 28, 28), classes: int = 10):
        super().__init__()
        self.in_shape, self.classes = tuple(in_shape), classes
        C, H, W = in_shape
        pad = 2 if min(H, W) < 32 else 0
        self.c1 = nn.Conv2d(C, 6, 5, padding=pad)
        self.c3 = nn.Conv2d(6, 16, 5)
        H = output_size(output_size(H, 5, pad) // 2, 5) // 2  # after C1, S2, C3, S4
        W = output_size(output_size(W, 5, pad) // 2, 5) // 2
        self.c5 = nn.Linear(16 * H * W, 120)
        self.f6 = nn.Linear(120, 84)
        self.out = nn.Linear(84, classes)
        self.pool = nn.AvgPool2d(2)

    def hidden(self, x: Tensor) -> list[Tensor]:
        """The feature maps after each convolution and pooling: S2 and S4."""
        s2 = self.pool(torch.tanh(self.c1(x)))  # (B, 6, 14, 14)
        s4 = self.pool(torch.tanh(self.c3(s2)))  # (B, 16, 5, 5)
        return [s2, s4]

    def input_weights(self) -> Tensor:
        """C1's kernels, (6, C, 5, 5)."""
        return self.c1.weight

    def forward(self, x: Tensor) -> Tensor:
        h = torch.tanh(self.c5(self.hidden(x)[-1].flatten(1)))  # (B, 120)
        return self.out(torch.tanh(self.f6(h)))  # (B, K)


def build_cnn(in_shape: Shape = (1, 28, 28), classes: int = 10, model: str = "netconv",
              channels1: int = 16, channels2: int = 32, kernel: int = 5, hidden: int = 128,
              batch_norm: bool = True) -> nn.Module:
    """The network that mnist-cnn's --model names: "netconv" (NetConv with the other
    settings) or "lenet5" (LeNet5, which has its own)."""
    if model == "lenet5":
        return LeNet5(in_shape, classes)
    if model == "netconv":
        return NetConv(in_shape, (channels1, channels2), kernel, hidden, classes, batch_norm)
    raise ValueError(f"unknown CNN {model!r}; expected netconv or lenet5")


def conv_bn(c_in: int, c_out: int, stride: int = 1) -> nn.Sequential:
    """3x3 convolution (padding 1) followed by batch normalization."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False),
                         nn.BatchNorm2d(c_out))


class ResidualBlock(nn.Module):
    """Two stacked layers with a "skip" connection added to their output:
    y = relu(F(x) + x), F(x) = BN(conv(relu(BN(conv(x))))).

    With shortcut=False it is the same two layers without the skip (a "plain" block).
    When the block changes the shape (stride 2 or more channels) the skip is a 1x1
    convolution with batch norm (He et al.'s projection shortcut)."""

    def __init__(self, c_in: int, c_out: int, stride: int = 1, shortcut: bool = True):
        super().__init__()
        self.shortcut = shortcut
        self.f = nn.Sequential(conv_bn(c_in, c_out, stride), nn.ReLU(), conv_bn(c_out, c_out))
        self.project = nn.Identity()
        if shortcut and (stride != 1 or c_in != c_out):
            self.project = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False),
                                         nn.BatchNorm2d(c_out))

    def forward(self, x: Tensor) -> Tensor:
        y = self.f(x)  # (B, C_out, H/stride, W/stride)
        return torch.relu(y + self.project(x) if self.shortcut else y)


class ResNet(nn.Module):
    """A CIFAR-style ResNet: a 3x3 stem, three stages of `blocks` residual blocks with
    width, 2 width, 4 width channels (the last two halve H and W), global average
    pooling and the output layer: 6 * blocks + 2 weight layers in all. With
    shortcut=False it is the plain network of the same depth."""

    def __init__(self, in_shape: Shape = (1, 28, 28), classes: int = 10, blocks: int = 3,
                 width: int = 16, shortcut: bool = True):
        super().__init__()
        self.in_shape, self.classes, self.blocks = tuple(in_shape), classes, blocks
        self.width, self.shortcut = width, shortcut
        self.stem = nn.Sequential(conv_bn(in_shape[0], width), nn.ReLU())
        layers, c_in = [], width
        for stage, c_out in enumerate((width, 2 * width, 4 * width)):
            for b in range(blocks):
                stride = 2 if stage > 0 and b == 0 else 1
                layers.append(ResidualBlock(c_in, c_out, stride, shortcut))
                c_in = c_out
        self.stages = nn.Sequential(*layers)
        self.out = nn.Linear(c_in, classes)

    @property
    def depth(self) -> int:
        return 6 * self.blocks + 2

    def input_weights(self) -> Tensor:
        """The stem's 3x3 kernels, (width, C, 3, 3)."""
        return self.stem[0][0].weight

    def forward(self, x: Tensor) -> Tensor:
        h = self.stages(self.stem(x))  # (B, 4 width, H/4, W/4)
        return self.out(h.mean(dim=(2, 3)))  # global average pooling (B, 4 width) -> (B, K)


class DenseBlock(nn.Module):
    """Each layer reads the block's input and every preceding layer of the block,
    h_l = conv3x3(relu(BN([x, h_1, ..., h_{l-1}]))), and adds `growth` channels; the
    block's output is [x, h_1, ..., h_L]."""

    def __init__(self, c_in: int, growth: int = 12, layers: int = 4):
        super().__init__()
        self.c_out = c_in + growth * layers
        self.layers = nn.ModuleList(
            nn.Sequential(nn.BatchNorm2d(c_in + growth * i), nn.ReLU(),
                          nn.Conv2d(c_in + growth * i, growth, 3, padding=1, bias=False))
            for i in range(layers))

    def forward(self, x: Tensor) -> Tensor:
        feats = [x]
        for layer in self.layers:
            feats.append(layer(torch.cat(feats, dim=1)))  # (B, growth, H, W)
        return torch.cat(feats, dim=1)  # (B, c_in + growth * layers, H, W)


class DenseNet(nn.Module):
    """A small DenseNet: a 3x3 stem, three dense blocks joined by transitions
    (BN, ReLU, 1x1 convolution to half the channels, 2x2 average pooling), global
    average pooling and the output layer."""

    def __init__(self, in_shape: Shape = (1, 28, 28), classes: int = 10, growth: int = 12,
                 layers: int = 4, stem: int = 16):
        super().__init__()
        self.in_shape, self.classes, self.growth, self.layers = tuple(in_shape), classes, \
            growth, layers
        parts: list[nn.Module] = [nn.Conv2d(in_shape[0], stem, 3, padding=1, bias=False)]
        c = stem
        for i in range(3):
            block = DenseBlock(c, growth, layers)
            parts.append(block)
            c = block.c_out
            if i < 2:
                parts += [nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, c // 2, 1, bias=False),
                          nn.AvgPool2d(2)]
                c //= 2
        parts += [nn.BatchNorm2d(c), nn.ReLU()]
        self.body = nn.Sequential(*parts)
        self.out = nn.Linear(c, classes)

    def input_weights(self) -> Tensor:
        """The stem's 3x3 kernels, (stem, C, 3, 3)."""
        return self.body[0].weight

    def forward(self, x: Tensor) -> Tensor:
        return self.out(self.body(x).mean(dim=(2, 3)))  # (B, K)
