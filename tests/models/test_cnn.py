"""Every CNN: forward shapes, backward reaches every parameter, and what each block computes."""

import pytest
import torch

from nnzoo.models import cnn

MODELS = {
    "NetLin": lambda s: cnn.NetLin(s),
    "NetFull": lambda s: cnn.NetFull(s, hidden=20),
    "NetConv": lambda s: cnn.NetConv(s, channels=(4, 6), hidden=12),
    "NetConv-3x3-nobn": lambda s: cnn.NetConv(s, channels=(4, 6), kernel=3, batch_norm=False),
    "LeNet5": lambda s: cnn.LeNet5(s),
    "ResNet": lambda s: cnn.ResNet(s, blocks=1, width=4),
    "PlainNet": lambda s: cnn.ResNet(s, blocks=1, width=4, shortcut=False),
    "DenseNet": lambda s: cnn.DenseNet(s, growth=4, layers=2, stem=6),
}
SHAPES = [(1, 28, 28), (3, 32, 32), (1, 16, 12)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", MODELS)
def test_forward_backward_reaches_every_parameter(name, shape):
    torch.manual_seed(0)
    model = MODELS[name](shape)
    x = torch.randn(3, *shape)
    z = model(x)
    assert z.shape == (3, 10)
    torch.nn.functional.cross_entropy(z, torch.tensor([0, 1, 2])).backward()
    for pname, p in model.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, pname


def test_netconv_hidden_maps_halve_the_image():
    maps = cnn.NetConv((1, 28, 28), channels=(5, 7)).hidden(torch.randn(2, 1, 28, 28))
    assert [m.shape for m in maps] == [(2, 5, 14, 14), (2, 7, 7, 7)]
    maps = cnn.LeNet5((1, 28, 28)).hidden(torch.randn(2, 1, 28, 28))
    assert [m.shape for m in maps] == [(2, 6, 14, 14), (2, 16, 5, 5)]


INPUT_WEIGHTS = {"NetLin": (10, 3 * 32 * 32), "NetFull": (20, 3 * 32 * 32),
                 "NetConv": (4, 3, 5, 5), "NetConv-3x3-nobn": (4, 3, 3, 3),
                 "LeNet5": (6, 3, 5, 5), "ResNet": (4, 3, 3, 3), "PlainNet": (4, 3, 3, 3),
                 "DenseNet": (6, 3, 3, 3)}


@pytest.mark.parametrize("name", MODELS)
def test_input_weights_are_the_first_layers_weights(name):
    model = MODELS[name]((3, 32, 32))
    W = model.input_weights()
    assert W.shape == INPUT_WEIGHTS[name]
    first = next(p for p in model.parameters() if p.dim() > 1)  # registered first
    assert W is first


def test_build_cnn_builds_the_network_that_model_names():
    net = cnn.build_cnn((1, 28, 28), 10, channels1=3, channels2=5, kernel=3, hidden=7)
    assert isinstance(net, cnn.NetConv) and net.channels == (3, 5) and net.kernel == 3
    assert net.hidden_units == 7 and net.batch_norm
    assert isinstance(cnn.build_cnn((1, 28, 28), 10, model="lenet5"), cnn.LeNet5)
    with pytest.raises(ValueError, match="netconv or lenet5"):
        cnn.build_cnn(model="alexnet")


def test_residual_block_is_identity_when_its_layers_output_zero():
    block = cnn.ResidualBlock(4, 4)
    torch.nn.init.zeros_(block.f[-1][1].weight)  # last BN's gamma = 0: F(x) = 0
    x = torch.randn(2, 4, 5, 5)
    torch.testing.assert_close(block(x), torch.relu(x))
    plain = cnn.ResidualBlock(4, 4, shortcut=False)
    plain.load_state_dict(block.state_dict())
    torch.testing.assert_close(plain(x), torch.zeros_like(x))


def test_plain_and_residual_nets_have_the_same_layers():
    res, plain = cnn.ResNet(blocks=2, width=4), cnn.ResNet(blocks=2, width=4, shortcut=False)
    n_conv = lambda m: sum(isinstance(x, torch.nn.Conv2d) for x in m.modules())  # noqa: E731
    assert n_conv(plain) == 6 * 2 + 1 and res.depth == 14
    assert n_conv(res) == n_conv(plain) + 2  # the two 1x1 projection shortcuts


def test_dense_block_keeps_its_input_and_grows():
    block = cnn.DenseBlock(5, growth=3, layers=4)
    x = torch.randn(2, 5, 6, 6)
    y = block(x)
    assert y.shape == (2, 5 + 3 * 4, 6, 6) and block.c_out == 17
    torch.testing.assert_close(y[:, :5], x)
    # layer l reads the input and every earlier layer: its fan-in grows by `growth`
    assert [layer[2].in_channels for layer in block.layers] == [5, 8, 11, 14]
