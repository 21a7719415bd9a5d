import copy

import torch

from nnzoo.nn.optim import Momentum, flatten_parameters


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


def test_momentum_amplifies_a_constant_gradient_by_1_over_1_minus_alpha():
    # E = g . w, dE/dw = g for every w; delta_w <- alpha delta_w - eta g, so after k steps
    # delta_k = -eta g (1 + alpha + ... + alpha^{k-1}) = -eta g (1 - alpha^k) / (1 - alpha)
    # -> -eta g / (1 - alpha): 10 times the plain step at alpha = 0.9
    g = torch.tensor([2.0, -3.0], dtype=torch.float64)
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    eta, alpha = 0.1, 0.9
    opt = Momentum([w], lr=eta, alpha=alpha)
    steps = []
    for _ in range(200):
        before = w.detach().clone()
        opt.zero_grad()
        (g * w).sum().backward()
        opt.step()
        steps.append(w.detach() - before)
    # by hand: -0.1 g, -(0.1 + 0.09) g, -(0.1 + 0.09 + 0.081) g
    for k, factor in ((1, 0.1), (2, 0.19), (3, 0.271)):
        torch.testing.assert_close(steps[k - 1], -factor * g)
    for k in (5, 20, 200):
        torch.testing.assert_close(steps[k - 1], -eta * g * (1 - alpha**k) / (1 - alpha))
    torch.testing.assert_close(steps[-1], -eta * g / (1 - alpha))  # alpha^200 ~ 7e-10
    torch.testing.assert_close(steps[-1], 10 * steps[0])


def test_momentum_equals_torch_sgd_form():
    ours = quadratic_grad_steps(lambda p: Momentum(p, lr=0.05, alpha=0.9))
    theirs = quadratic_grad_steps(lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9))
    torch.testing.assert_close(ours, theirs)


def test_alpha_zero_is_plain_gradient_descent():
    ours = quadratic_grad_steps(lambda p: Momentum(p, lr=0.05, alpha=0.0))
    theirs = quadratic_grad_steps(lambda p: torch.optim.SGD(p, lr=0.05))
    torch.testing.assert_close(ours, theirs)


def test_flatten_parameters_keeps_the_module_and_gathers_its_gradients():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    twin = copy.deepcopy(net)
    flat = flatten_parameters(net)
    assert flat.numel() == sum(p.numel() for p in twin.parameters())
    x = torch.randn(7, 3)
    assert torch.equal(net(x), twin(x))
    for _ in range(2):  # twice: the second backward accumulates into the same views
        net(x).square().sum().backward()
        twin(x).square().sum().backward()
    expected = torch.cat([p.grad.reshape(-1) for p in twin.parameters()])
    assert torch.allclose(flat.grad, expected)
    # a step on the flat tensor is a step of every layer; load_state_dict writes through
    opt, opt_twin = (torch.optim.Adam(ps, lr=0.1) for ps in ([flat], twin.parameters()))
    opt.step()
    opt_twin.step()
    assert torch.allclose(net(x), twin(x), atol=1e-6)
    other = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
    net.load_state_dict(other.state_dict())
    assert torch.equal(flat.detach(), torch.cat([p.detach().reshape(-1)
                                                 for p in other.parameters()]))
    flat.grad.zero_()
    assert all(not p.grad.any() for p in net.parameters())
