import torch

from nnzoo.nn.optim import Momentum


def quadratic_grad_steps(opt_factory, steps=5):
    w = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    opt = opt_factory([w])
    for _ in range(steps):
        opt.zero_grad()
        E = (3 * w[0] ** 2 + 0.5 * w[1] ** 2)  # a rain gutter
        E.backward()
        opt.step()
    return w.detach()


def test_momentum_worked_example_by_hand():
    # E = w^2, dE/dw = 2w; eta = 0.1, alpha = 0.5, w = 1
    # step 1: delta = -0.1 * 2 = -0.2, w = 0.8
    # step 2: delta = 0.5 * -0.2 - 0.1 * 1.6 = -0.26, w = 0.54
    w = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    opt = Momentum([w], lr=0.1, alpha=0.5)
    for expected in (0.8, 0.54):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
        assert abs(w.item() - expected) < 1e-12


def test_momentum_equals_torch_sgd_form():
    ours = quadratic_grad_steps(lambda p: Momentum(p, lr=0.05, alpha=0.9))
    theirs = quadratic_grad_steps(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9))
    torch.testing.assert_close(ours, theirs)


def test_alpha_zero_is_plain_gradient_descent():
    ours = quadratic_grad_steps(lambda p: Momentum(p, lr=0.05, alpha=0.0))
    theirs = quadratic_grad_steps(lambda p: torch.optim.SGD(p, lr=0.05))
    torch.testing.assert_close(ours, theirs)
