import pytest
import torch

from nnzoo.nn import BatchNorm, Dropout


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
