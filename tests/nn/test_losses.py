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


def test_log_softmax_and_softmax_are_stable_and_equal_torch():
    from nnzoo.nn import log_softmax, softmax

    z = torch.randn(5, 7, dtype=torch.float64) * 3
    torch.testing.assert_close(log_softmax(z), F.log_softmax(z, dim=1))
    torch.testing.assert_close(softmax(z), F.softmax(z, dim=1))
    big = torch.tensor([[1000.0, 999.0, -1000.0]])  # exp(1000) overflows; the result must not
    torch.testing.assert_close(log_softmax(big), F.log_softmax(big, dim=1))
    assert torch.isfinite(log_softmax(big)).all()


def test_log_prob_worked_example():
    from nnzoo.nn import log_softmax

    # z = (0, ln 3): Prob = (1/4, 3/4)
    z = torch.tensor([[0.0, torch.log(torch.tensor(3.0)).item()]], dtype=torch.float64)
    torch.testing.assert_close(log_softmax(z).exp(), torch.tensor([[0.25, 0.75]],
                                                                  dtype=torch.float64))


def test_nll_equals_torch_cross_entropy_and_gradcheck():
    from nnzoo.nn import nll

    z = torch.randn(6, 4, dtype=torch.float64, requires_grad=True)
    target = torch.tensor([0, 3, 1, 1, 2, 0])
    torch.testing.assert_close(nll(z, target), F.cross_entropy(z, target))
    assert torch.autograd.gradcheck(lambda z: nll(z, target), (z,))


def test_weight_decay_step_equals_sgd_weight_decay():
    from nnzoo.nn import weight_decay

    torch.manual_seed(0)
    x, t = torch.randn(8, 3), torch.randn(8, 1)
    net_a, lam, eta = torch.nn.Linear(3, 1), 0.3, 0.1
    net_b = torch.nn.Linear(3, 1)
    net_b.load_state_dict(net_a.state_dict())
    # ours: w <- w - eta d(E + lambda/2 sum w^2)/dw
    E = sse(net_a(x), t) + weight_decay(net_a.parameters(), lam)
    E.backward()
    with torch.no_grad():
        for w in net_a.parameters():
            w -= eta * w.grad
    opt = torch.optim.SGD(net_b.parameters(), lr=eta, weight_decay=lam)
    sse(net_b(x), t).backward()
    opt.step()
    for a, b in zip(net_a.parameters(), net_b.parameters()):
        torch.testing.assert_close(a, b)
