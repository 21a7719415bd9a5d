"""The convolution and pooling sums against PyTorch's built-ins, and the size formula."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from nnzoo.nn import conv


@settings(max_examples=60, deadline=None)
@given(J=st.integers(1, 20), M=st.integers(1, 7), P=st.integers(0, 3), s=st.integers(1, 4))
def test_output_size_matches_pytorch(J, M, P, s):
    if J + 2 * P < M:
        with pytest.raises(ValueError):
            conv.output_size(J, M, P, s)
        return
    out = F.conv2d(torch.zeros(1, 1, J, J), torch.zeros(1, 1, M, M), stride=s, padding=P)
    assert out.shape[-1] == conv.output_size(J, M, P, s)


def test_output_size_by_hand():
    # 28x28 MNIST, 5x5 kernel: 24 unpadded; 28 with P = 2; stride 2 with P = 2: 1 + 27 // 2
    assert conv.output_size(28, 5) == 24
    assert conv.output_size(28, 5, P=2) == 28
    assert conv.output_size(28, 5, P=2, s=2) == 14


@settings(max_examples=30, deadline=None)
@given(L=st.integers(1, 3), I=st.integers(1, 4), J=st.integers(4, 11), K=st.integers(4, 11),
       M=st.integers(1, 4), N=st.integers(1, 4), P=st.integers(0, 2), s=st.integers(1, 3),
       seed=st.integers(0, 2**16))
def test_conv2d_equals_pytorch(L, I, J, K, M, N, P, s, seed):
    g = torch.Generator().manual_seed(seed)
    V = torch.randn(2, L, J, K, generator=g, dtype=torch.float64)
    W = torch.randn(I, L, M, N, generator=g, dtype=torch.float64)
    b = torch.randn(I, generator=g, dtype=torch.float64)
    ours = conv.conv2d(V, W, b, stride=s, padding=P)
    torch.testing.assert_close(ours, F.conv2d(V, W, b, stride=s, padding=P))


def test_conv2d_gradients_equal_pytorch():
    g = torch.Generator().manual_seed(0)
    args = [torch.randn(*shape, generator=g, dtype=torch.float64, requires_grad=True)
            for shape in [(2, 3, 9, 8), (4, 3, 3, 2), (4,)]]
    grads_ours = torch.autograd.grad(conv.conv2d(*args, stride=2, padding=1).square().sum(), args)
    grads_torch = torch.autograd.grad(F.conv2d(*args, stride=2, padding=1).square().sum(), args)
    for a, b in zip(grads_ours, grads_torch):
        torch.testing.assert_close(a, b)


def test_conv2d_worked_example():
    # one 3x3 input, one 2x2 kernel, bias 1: Z_{0,0} = 1 + (1*1 + 2*0 + 4*0 + 5*(-1)) = -3
    V = torch.arange(1.0, 10.0).view(1, 1, 3, 3)
    K = torch.tensor([[[[1.0, 0.0], [0.0, -1.0]]]])
    Z = conv.conv2d(V, K, torch.tensor([1.0]))
    assert Z.squeeze().tolist() == [[-3.0, -3.0], [-3.0, -3.0]]


@pytest.mark.parametrize("size,stride", [(2, None), (3, 1), (3, 2), (2, 3)])
def test_pooling_equals_pytorch(size, stride):
    V = torch.randn(2, 3, 10, 9, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    torch.testing.assert_close(conv.max_pool2d(V, size, stride), F.max_pool2d(V, size, stride))
    torch.testing.assert_close(conv.avg_pool2d(V, size, stride), F.avg_pool2d(V, size, stride))
