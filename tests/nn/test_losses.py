import torch
import torch.nn.functional as F

from nnzoo.nn import cross_entropy, sse


def test_sse_equals_half_sum_of_squares_and_torch():
    z, t = torch.tensor([0.2, 0.9, 0.5]), torch.tensor([0.0, 1.0, 1.0])
    assert sse(z, t).item() == torch.tensor(0.5 * (0.04 + 0.01 + 0.25)).item()
    torch.testing.assert_close(sse(z, t), 0.5 * F.mse_loss(z, t, reduction="sum"))


def test_cross_entropy_equals_torch_bce():
    z = torch.rand(20, dtype=torch.float64) * 0.98 + 0.01
    t = (torch.rand(20) > 0.5).double()
    torch.testing.assert_close(cross_entropy(z, t), F.binary_cross_entropy(z, t, reduction="sum"))


def test_cross_entropy_gradient_wrt_s_is_z_minus_t():
    # for z = sigmoid(s): dE/ds = z - t
    s = torch.randn(10, dtype=torch.float64, requires_grad=True)
    t = (torch.rand(10) > 0.5).double()
    (g,) = torch.autograd.grad(cross_entropy(torch.sigmoid(s), t), s)
    torch.testing.assert_close(g, torch.sigmoid(s).detach() - t)


def test_cross_entropy_gradcheck_float64():
    z = (torch.rand(6, dtype=torch.float64) * 0.9 + 0.05).requires_grad_()
    t = torch.tensor([0.0, 1, 1, 0, 1, 0], dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda z: cross_entropy(z, t), (z,))


def test_saturated_unit_gives_finite_error_and_gradient():
    s = torch.tensor([40.0, -40.0], requires_grad=True)  # sigmoid is exactly 1 and ~0
    E = cross_entropy(torch.sigmoid(s), torch.tensor([0.0, 1.0]))
    E.backward()
    assert torch.isfinite(E) and E > 100 and torch.isfinite(s.grad).all()
