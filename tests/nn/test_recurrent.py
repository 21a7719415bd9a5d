"""The course's recurrent cells against PyTorch's built-ins, by hand, and truncated BPTT."""

import pytest
import torch
from torch import nn

from nnzoo.nn.recurrent import GRUCell, LSTMCell, RecurrentNet, SRNCell

B, T, D, H = 3, 6, 4, 5


def _unroll(cell, x):
    state = cell.initial_state(x[:, 0])
    hs = []
    for t in range(x.shape[1]):
        state = cell(x[:, t], state)
        hs.append(state[0] if isinstance(state, tuple) else state)
    return torch.stack(hs, dim=1), state


@pytest.mark.parametrize("ours, theirs, kwargs", [
    (SRNCell, nn.RNN, {}), (LSTMCell, nn.LSTM, {}), (GRUCell, nn.GRU, {"reset": "after"})])
def test_cells_equal_pytorch_with_the_same_weights(ours, theirs, kwargs):
    torch.manual_seed(0)
    ref = theirs(D, H, batch_first=True).double()
    cell = ours(D, H, **kwargs).double().load_torch(ref)
    x = torch.randn(B, T, D, dtype=torch.float64, requires_grad=True)
    hs, _ = _unroll(cell, x)
    ref_hs, _ = ref(x)
    torch.testing.assert_close(hs, ref_hs, rtol=0, atol=1e-12)
    # and the gradients with respect to the input agree
    g, = torch.autograd.grad(hs.sin().sum(), x)
    ref_g, = torch.autograd.grad(ref_hs.sin().sum(), x)
    torch.testing.assert_close(g, ref_g, rtol=0, atol=1e-12)


def test_the_lstm_state_is_the_pair_h_c_of_pytorch():
    torch.manual_seed(1)
    ref = nn.LSTM(D, H, batch_first=True).double()
    cell = LSTMCell(D, H).double().load_torch(ref)
    x = torch.randn(B, T, D, dtype=torch.float64)
    _, (h, c) = _unroll(cell, x)
    _, (ref_h, ref_c) = ref(x)
    torch.testing.assert_close((h, c), (ref_h[0], ref_c[0]), rtol=0, atol=1e-12)


def _sigma(s):
    return 1 / (1 + torch.exp(-s))


def test_gru_course_form_by_hand():
    """One step of the course's GRU, its equations written out gate by gate."""
    torch.manual_seed(2)
    cell = GRUCell(D, H).double()
    x, h = torch.randn(B, D, dtype=torch.float64), torch.randn(B, H, dtype=torch.float64)
    W, b, U = cell.W.weight, cell.W.bias, cell.U.weight
    Wz, Wr, Wh = W[:H], W[H:2 * H], W[2 * H:]
    bz, br, bh = b[:H], b[H:2 * H], b[2 * H:]
    Uz, Ur, Uh = U[:H], U[H:2 * H], U[2 * H:]
    z = _sigma(x @ Wz.T + h @ Uz.T + bz)
    r = _sigma(x @ Wr.T + h @ Ur.T + br)
    candidate = torch.tanh(x @ Wh.T + (r * h) @ Uh.T + bh)
    expected = (1 - z) * h + z * candidate
    torch.testing.assert_close(cell(x, h), expected, rtol=0, atol=1e-14)
    # the two conventions are different functions: reset before U is not reset after it
    after = GRUCell(D, H, reset="after").double()
    with torch.no_grad():
        after.W.weight.copy_(W), after.W.bias.copy_(b), after.U.weight.copy_(U)
        after.U.bias.zero_()
    assert (after(x, h) - expected).abs().max() > 1e-3


def test_gru_forms_agree_when_the_reset_gate_is_open():
    """With r = 1 (a huge reset bias) U(r h) = r (U h): the course's GRU equals nn.GRU."""
    torch.manual_seed(3)
    ref = nn.GRU(D, H, batch_first=True).double()
    with torch.no_grad():
        ref.bias_ih_l0[:H] = 50.0  # r = sigma(50 + ...) = 1 to double precision
        ref.bias_hh_l0[2 * H:] = 0.0  # the course's U has no bias of its own
    after = GRUCell(D, H, reset="after").double().load_torch(ref)
    before = GRUCell(D, H).double()
    with torch.no_grad():
        before.W.weight.copy_(after.W.weight), before.U.weight.copy_(after.U.weight)
        before.W.bias.copy_(after.W.bias + after.U.bias)  # b_z, b_r, b_h: bias_hh folded in
    x = torch.randn(B, T, D, dtype=torch.float64)
    torch.testing.assert_close(_unroll(before, x)[0], ref(x)[0], rtol=0, atol=1e-10)


def test_lstm_step_by_hand():
    torch.manual_seed(4)
    cell = LSTMCell(D, H).double()
    x = torch.randn(B, D, dtype=torch.float64)
    h, c = torch.randn(B, H, dtype=torch.float64), torch.randn(B, H, dtype=torch.float64)
    s = x @ cell.W.weight.T + cell.W.bias + h @ cell.U.weight.T
    f, i, g, o = _sigma(s[:, :H]), _sigma(s[:, H:2 * H]), torch.tanh(s[:, 2 * H:3 * H]), \
        _sigma(s[:, 3 * H:])
    c_new = c * f + i * g
    h_new = torch.tanh(c_new) * o
    torch.testing.assert_close(cell(x, (h, c)), (h_new, c_new), rtol=0, atol=1e-14)


@pytest.mark.parametrize("cell", ["srn", "lstm", "gru"])
def test_gradients_float64(cell):
    torch.manual_seed(5)
    net = RecurrentNet(cell, 3, 4, 2).double()
    x = torch.randn(2, 5, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: net(x), (x,))


@pytest.mark.parametrize("cell", ["srn", "lstm", "gru"])
def test_truncated_bptt_stops_gradients_at_k_steps(cell):
    torch.manual_seed(6)
    k, steps = 3, 8
    full = RecurrentNet(cell, D, H, 2).double()
    cut = RecurrentNet(cell, D, H, 2, bptt=k).double()
    cut.load_state_dict(full.state_dict())
    x = torch.randn(1, steps, D, dtype=torch.float64, requires_grad=True)
    torch.testing.assert_close(cut(x), full(x))  # the forward pass is the same
    t = 7  # 0-based; the blocks are steps 0-2, 3-5, 6-7: its gradient reaches 6 and 7 only
    g_cut, = torch.autograd.grad(cut(x)[0, t].sum(), x)
    g_full, = torch.autograd.grad(full(x)[0, t].sum(), x)
    reach = g_cut[0].abs().sum(dim=1)  # (T,) how much each input step gets
    assert (reach[:6] == 0).all() and (reach[6:t + 1] > 0).all()
    assert (g_full[0].abs().sum(dim=1)[:t + 1] > 0).all()  # full BPTT reaches every step


@pytest.mark.parametrize("cell", ["srn", "lstm"])
def test_builtin_and_course_cells_compute_the_same_net(cell):
    torch.manual_seed(7)
    fast = RecurrentNet(cell, D, H, 2, builtin=True).double()
    slow = RecurrentNet(cell, D, H, 2).double()
    slow.rnn.load_torch(fast.rnn)
    slow.out.load_state_dict(fast.out.state_dict())
    x = torch.randn(B, T, D, dtype=torch.float64)
    torch.testing.assert_close(slow(x), fast(x), rtol=0, atol=1e-12)
    torch.testing.assert_close(slow.hidden(x)[0], fast.hidden(x)[0], rtol=0, atol=1e-12)
    assert slow.input_weights().shape == fast.input_weights().shape == (GATES[cell] * H, D)


GATES = {"srn": 1, "lstm": 4, "gru": 3}


def _zeroed(module):
    with torch.no_grad():
        for p in module.parameters():
            p.zero_()
    return module.double()


@pytest.mark.parametrize("builtin", [False, True])
def test_hold_gates_starts_the_lstm_keeping_and_not_writing(builtin):
    """With every weight 0 but the gate biases, c_1 = f c_0 + i g: f = sigma(b), i = sigma(-b)."""
    from nnzoo.nn.recurrent import hold_gates

    b, x, h = 3.0, torch.zeros(1, D, dtype=torch.float64), torch.zeros(1, H, dtype=torch.float64)
    sig = torch.sigmoid(torch.tensor(b, dtype=torch.float64))
    for c0, g_bias, expected in ((1.0, 0.0, sig), (0.0, 1.0, (1 - sig) * torch.tanh(
            torch.tensor(1.0, dtype=torch.float64)))):
        rnn = _zeroed(nn.LSTM(D, H) if builtin else LSTMCell(D, H))
        with torch.no_grad():  # the candidate g = tanh(g_bias), third in both orders
            (rnn.bias_ih_l0 if builtin else rnn.W.bias)[2 * H:3 * H] = g_bias
        hold_gates(rnn, b)
        cell = LSTMCell(D, H).double().load_torch(rnn) if builtin else rnn
        _, c = cell(x, (h, torch.full((1, H), c0, dtype=torch.float64)))
        torch.testing.assert_close(c, torch.full_like(c, float(expected)), rtol=0, atol=1e-12)


@pytest.mark.parametrize("builtin", [False, True])
def test_hold_gates_starts_the_gru_keeping_its_state(builtin):
    """Every weight 0: h~ = 0 and h_1 = (1 - z) h_0 with z = sigma(-b)."""
    from nnzoo.nn.recurrent import hold_gates

    rnn = hold_gates(_zeroed(nn.GRU(D, H) if builtin else GRUCell(D, H)), 3.0)
    cell = GRUCell(D, H, reset="after").double().load_torch(rnn) if builtin else rnn
    h1 = cell(torch.zeros(1, D, dtype=torch.float64), torch.ones(1, H, dtype=torch.float64))
    keep = torch.sigmoid(torch.tensor(3.0, dtype=torch.float64))
    torch.testing.assert_close(h1, torch.full_like(h1, float(keep)), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="an LSTM or GRU"):
        hold_gates(SRNCell(D, H), 3.0)
