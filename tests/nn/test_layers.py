import pytest
import torch

from nnzoo.models.mlp import MLP
from nnzoo.nn import BatchNorm, Dropout, whole_set_statistics_


def test_batchnorm_equals_torch_in_train_and_eval():
    torch.manual_seed(0)
    ours, theirs = BatchNorm(5).double(), torch.nn.BatchNorm1d(5).double()
    with torch.no_grad():
        ours.gamma.copy_(torch.rand(5) + 0.5)
        ours.beta.copy_(torch.randn(5))
        theirs.weight.copy_(ours.gamma)
        theirs.bias.copy_(ours.beta)
    for _ in range(4):  # training: batch statistics, and the running averages move
        x = torch.randn(16, 5, dtype=torch.float64) * 3 + 1
        torch.testing.assert_close(ours(x), theirs(x))
    torch.testing.assert_close(ours.running_mean, theirs.running_mean)
    torch.testing.assert_close(ours.running_var, theirs.running_var)
    ours.eval()
    theirs.eval()
    x = torch.randn(3, 5, dtype=torch.float64)
    torch.testing.assert_close(ours(x), theirs(x))


def test_batchnorm_gradients_equal_torch():
    torch.manual_seed(1)
    ours, theirs = BatchNorm(4).double(), torch.nn.BatchNorm1d(4).double()
    x = torch.randn(10, 4, dtype=torch.float64, requires_grad=True)
    (ga,) = torch.autograd.grad((ours(x) ** 3).sum(), x)
    (gb,) = torch.autograd.grad((theirs(x) ** 3).sum(), x)
    torch.testing.assert_close(ga, gb)


def _trained_looking_mlp(sizes=(6, 8, 7, 3)):
    # an MLP with batch norm whose gamma, beta and running statistics are far from the
    # training set's, so that a layer set before the one feeding it would show
    net = MLP(list(sizes), activation="tanh", output="linear", batch_norm=True).double()
    with torch.no_grad():
        for norm in net.norms:
            norm.gamma.copy_(torch.rand(norm.gamma.shape) + 0.5)
            norm.beta.copy_(torch.randn(norm.beta.shape))
            norm.running_mean.copy_(torch.randn(norm.running_mean.shape) * 3)
            norm.running_var.copy_(torch.rand(norm.running_var.shape) * 5 + 0.1)
    return net


def test_whole_set_statistics_equal_the_training_sets_by_hand():
    torch.manual_seed(2)
    net = _trained_looking_mlp()
    X = torch.randn(100, 6, dtype=torch.float64) * 2 + 1  # the training set   (N, D)
    net.train()
    whole_set_statistics_(net, X, batch_size=32)  # 4 batches, the last one of 4 rows
    assert net.training  # the mode is left as it was
    h = X  # by hand: each layer normalized by its inputs' mean and variance over all of X
    for layer, norm in zip(net.layers[:-1], net.norms):
        s = layer(h)  # (N, H)
        mean, var = s.mean(dim=0), s.var(dim=0, unbiased=False)  # (H,) the exact set's
        torch.testing.assert_close(norm.running_mean, mean)
        torch.testing.assert_close(norm.running_var, var)
        h = torch.tanh(norm.beta + norm.gamma * (s - mean) / torch.sqrt(var + norm.eps))
    net.eval()
    with torch.no_grad():
        torch.testing.assert_close(net(X), net.layers[-1](h))


def test_whole_set_statistics_equal_torchs_batchnorm_with_the_same_weights():
    # the same network with nn.BatchNorm1d: the same statistics set, the same outputs
    torch.manual_seed(3)
    ours = _trained_looking_mlp()
    theirs = _trained_looking_mlp()
    theirs.load_state_dict(ours.state_dict())
    for i, norm in enumerate(ours.norms):
        bn = torch.nn.BatchNorm1d(len(norm.gamma)).double()
        with torch.no_grad():
            bn.weight.copy_(norm.gamma)
            bn.bias.copy_(norm.beta)
        theirs.norms[i] = bn
    X = torch.randn(50, 6, dtype=torch.float64)
    for net in (ours, theirs):
        whole_set_statistics_(net, X, batch_size=16).eval()
    for a, b in zip(ours.norms, theirs.norms):
        torch.testing.assert_close(a.running_mean, b.running_mean)
        torch.testing.assert_close(a.running_var, b.running_var)
    with torch.no_grad():
        torch.testing.assert_close(ours(X), theirs(X))


def test_whole_set_statistics_of_conv_net_equal_one_batch_of_the_whole_set():
    # BatchNorm2d's statistics over the batch and every position: in evaluation, the net
    # computes on the training set what training mode computes with the set as one batch
    torch.manual_seed(4)
    net = torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.BatchNorm2d(3),
                              torch.nn.ReLU(), torch.nn.Conv2d(3, 4, 3),
                              torch.nn.BatchNorm2d(4)).double()
    X = torch.randn(40, 2, 9, 9, dtype=torch.float64)
    with torch.no_grad():
        whole = net.train()(X)  # each BatchNorm2d normalizes by the whole set's statistics
        whole_set_statistics_(net, X, batch_size=7)
        torch.testing.assert_close(net.eval()(X), whole)


def test_dropout_train_preserves_expectation_and_eval_is_identity():
    torch.manual_seed(0)
    drop = Dropout(0.5)
    x = torch.ones(2000, 50)
    y = drop(x)
    assert set(y.unique().tolist()) == {0.0, 2.0}  # dropped, or kept and scaled by 1/(1-p)
    assert (y == 0).float().mean().item() == pytest.approx(0.5, abs=0.01)
    assert y.mean().item() == pytest.approx(1.0, abs=0.02)
    drop.eval()
    assert torch.equal(drop(x), x)
    with pytest.raises(ValueError):
        Dropout(1.0)


def test_dropout_keeps_the_mask_it_drew():
    torch.manual_seed(2)
    drop = Dropout(0.25)
    assert drop.kept is None  # nothing drawn yet
    x = torch.rand(6, 40) + 0.5  # no zeros of its own
    y = drop(x)
    assert drop.kept.shape == (6, 40) and drop.kept.dtype == torch.bool
    # h_k = x_k / (1 - p) where unit k was kept, 0 where it was dropped
    torch.testing.assert_close(y, torch.where(drop.kept, x / 0.75, torch.zeros_like(x)))
    first = drop.kept
    drop(x)
    assert not torch.equal(drop.kept, first)  # a new thinned network every pass
    last = drop.kept
    drop.eval()
    drop(x)
    assert drop.kept is last  # evaluation uses the whole network and draws nothing
