import torch

from nnzoo.nn import ACTIVATIONS, sigmoid, step, tanh


def test_sigmoid_equals_torch():
    s = torch.linspace(-20, 20, 401, dtype=torch.float64)
    torch.testing.assert_close(sigmoid(s), torch.sigmoid(s))


def test_tanh_identity_and_torch():
    # tanh(s) = 2 sigmoid(2s) - 1
    s = torch.linspace(-10, 10, 201, dtype=torch.float64)
    torch.testing.assert_close(tanh(s), torch.tanh(s))
    torch.testing.assert_close(torch.tanh(s), 2 * torch.sigmoid(2 * s) - 1)


def test_step_worked_example():
    assert step(torch.tensor([-2.0, -1e-9, 0.0, 3.0])).tolist() == [0.0, 0.0, 1.0, 1.0]


def test_derivatives_by_float64_gradcheck():
    s = torch.randn(7, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(sigmoid, (s,))
    assert torch.autograd.gradcheck(tanh, (s,))


def test_registry_uses_builtins_equal_to_equations():
    s = torch.randn(50, dtype=torch.float64)
    torch.testing.assert_close(ACTIVATIONS["sigmoid"](s), sigmoid(s))
    torch.testing.assert_close(ACTIVATIONS["tanh"](s), tanh(s))


def test_relu_and_selu_equal_torch():
    from nnzoo.nn import relu, selu

    s = torch.linspace(-6, 6, 241, dtype=torch.float64)
    torch.testing.assert_close(relu(s), torch.relu(s))
    torch.testing.assert_close(selu(s), torch.selu(s))
    x = torch.randn(9, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(selu, (x,))
