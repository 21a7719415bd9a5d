import pytest
import torch

from nnzoo.models.mlp import MLP


def test_forward_is_the_layer_equations():
    torch.manual_seed(0)
    net = MLP([2, 3, 1], activation="tanh", output="sigmoid").double()
    x = torch.randn(5, 2, dtype=torch.float64)
    W1, b1 = net.layers[0].weight, net.layers[0].bias
    W2, b2 = net.layers[1].weight, net.layers[1].bias
    h = torch.tanh(x @ W1.T + b1)  # h = g(W x + b)
    z = torch.sigmoid(h @ W2.T + b2)
    torch.testing.assert_close(net(x), z)
    torch.testing.assert_close(net.hidden(x)[0], h)


def test_linear_output_and_shapes():
    net = MLP([4, 8, 8, 3], activation="sigmoid", output="linear")
    out = net(torch.randn(6, 4))
    assert out.shape == (6, 3) and [h.shape for h in net.hidden(torch.randn(6, 4))] == [
        (6, 8), (6, 8)]


def test_gradients_reach_every_parameter_float64():
    net = MLP([2, 2, 1]).double()
    x = torch.randn(4, 2, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda x: net(x), (x.requires_grad_(),))
    net(x).sum().backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in net.parameters())


def test_shortcut_layers_read_input_and_all_earlier_layers():
    torch.manual_seed(0)
    net = MLP([2, 3, 4, 1], activation="tanh", output="sigmoid", shortcut=True).double()
    assert [layer.in_features for layer in net.layers] == [2, 5, 9]
    x = torch.randn(6, 2, dtype=torch.float64)
    (W1, b1), (W2, b2), (W3, b3) = [(layer.weight, layer.bias) for layer in net.layers]
    h1 = torch.tanh(x @ W1.T + b1)
    # h_2 = g(V x + W h_1 + b_2): W_2's first 2 columns read x, the other 3 read h_1
    h2 = torch.tanh(x @ W2[:, :2].T + h1 @ W2[:, 2:].T + b2)
    z = torch.sigmoid(x @ W3[:, :2].T + h1 @ W3[:, 2:5].T + h2 @ W3[:, 5:].T + b3)
    torch.testing.assert_close(net(x), z)
    torch.testing.assert_close(net.hidden(x)[1], h2)


def test_polar_net_reads_radius_and_angle():
    from nnzoo.models.mlp import PolarNet, to_polar

    x = torch.tensor([[3.0, 4.0], [0.0, -2.0]], dtype=torch.float64)
    torch.testing.assert_close(to_polar(x), torch.tensor([[5.0, 0.9272952180016122],
                                                          [2.0, -torch.pi / 2]],
                                                         dtype=torch.float64))
    net = PolarNet(hidden=7).double()
    torch.testing.assert_close(net(x), net.net(to_polar(x)))
    assert net.hidden(x)[0].shape == (2, 7)


def test_batch_norm_and_dropout_in_hidden_layers():
    from nnzoo.nn import BatchNorm

    torch.manual_seed(0)
    net = MLP([4, 6, 3], activation="relu", output="linear", dropout=0.5, batch_norm=True)
    assert isinstance(net.norms[0], BatchNorm)
    x = torch.randn(32, 4)
    net.eval()  # evaluation: running statistics, no dropout -> deterministic
    torch.testing.assert_close(net(x), net(x))
    s = net.norms[0](net.layers[0](x))
    torch.testing.assert_close(net(x), net.layers[1](torch.relu(s)))
    net.train()  # training: half the hidden units dropped, the rest scaled by 2
    h = net.hidden(x)[0]
    assert 0.3 < (h == 0).float().mean() < 0.8


def test_kept_units_are_the_thinned_network_each_pattern_went_through():
    torch.manual_seed(3)
    net = MLP([5, 8, 7, 3], activation="tanh", output="linear", dropout=0.5).double()
    assert net.kept_units() == [None, None]
    x = torch.randn(4, 5, dtype=torch.float64)
    z = net(x)
    k1, k2 = net.kept_units()  # (4, 8), (4, 7): one mask per hidden layer, drawn apart
    assert k1.shape == (4, 8) and k2.shape == (4, 7)
    (W1, b1), (W2, b2), (W3, b3) = net.layer_weights()
    # the thinned net by hand: h_l = g(W_l h_{l-1} + b_l) * kept_l / (1 - p)
    h1 = torch.tanh(x @ W1.T + b1) * k1 / 0.5
    h2 = torch.tanh(h1 @ W2.T + b2) * k2 / 0.5
    torch.testing.assert_close(z, h2 @ W3.T + b3)
    assert MLP([5, 8, 3]).kept_units() == [None]  # no dropout: nothing drawn
    net = MLP([5, 8, 3], dropout=0.0)
    net(x.float())
    assert net.kept_units() == [None]


def test_spiral_nets_by_name():
    from nnzoo.models.mlp import PolarNet, spiral_net

    x = torch.randn(5, 2)
    assert isinstance(spiral_net("polar", 7), PolarNet)
    sizes = {"polar": [(5, 7)], "raw": [(5, 7), (5, 7)], "short": [(5, 7), (5, 7)],
             "two-layer": [(5, 7)]}
    for name, shapes in sizes.items():
        net = spiral_net(name, 7)
        assert net(x).shape == (5, 1) and [h.shape for h in net.hidden(x)] == shapes
    assert spiral_net("short", 7).layers[1].in_features == 2 + 7  # the shortcut from x
    with pytest.raises(ValueError, match="raw"):
        spiral_net("rwa", 7)


def test_input_weights_are_the_first_layers():
    from nnzoo.models.mlp import PolarNet

    net = MLP([4, 3, 2])
    assert net.input_weights() is net.layers[0].weight and net.input_weights().shape == (3, 4)
    polar = PolarNet(hidden=5)
    assert polar.input_weights().shape == (5, 2)  # from (r, theta)


def test_layer_weights_are_each_layers_weights_and_biases():
    net = MLP([4, 3, 2])
    (W1, b1), (W2, b2) = net.layer_weights()
    assert W1 is net.input_weights() and W2.shape == (2, 3) and b2.shape == (2,)
