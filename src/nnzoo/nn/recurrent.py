"""Recurrent cells written from the course's equations, and a network that runs one over time.

Elman's simple recurrent network (SRN): at each time step the hidden layer is copied to a
context layer, which feeds the hidden layer at the next step together with the input:

    h_t = tanh(W x_t + U h_{t-1} + b)

Long short-term memory (LSTM), gates f (forget), i (input), g (candidate), o (output):

    f_t = sigma(W_f x_t + U_f h_{t-1} + b_f)     i_t = sigma(W_i x_t + U_i h_{t-1} + b_i)
    g_t = tanh(W_g x_t + U_g h_{t-1} + b_g)      o_t = sigma(W_o x_t + U_o h_{t-1} + b_o)
    c_t = c_{t-1} * f_t + i_t * g_t              h_t = tanh(c_t) * o_t

Gated recurrent unit (GRU), gates z (update) and r (reset):

    z_t = sigma(W_z x_t + U_z h_{t-1} + b_z)     r_t = sigma(W_r x_t + U_r h_{t-1} + b_r)
    h~_t = tanh(W x_t + U (r_t * h_{t-1}) + b_h)
    h_t = (1 - z_t) * h_{t-1} + z_t * h~_t

PyTorch's nn.GRU differs from the course in two ways. Its update gate z' plays the role of
1 - z (h_t = (1 - z'_t) * h~_t + z'_t * h_{t-1}), which is the same function with W_z, U_z, b_z
negated; and it applies the reset gate after the U product, h~_t = tanh(W x_t + b + r_t * (U
h_{t-1} + b_U)), which is a different function. `GRUCell(reset="before")` (the default) is the
course's form; `GRUCell(reset="after")` is PyTorch's (and cuDNN's), and `load_torch` maps an
nn.GRU's weights onto it, negating the update gate's.

The gates of one cell are stacked in one W (input to gates) and one U (hidden to gates) in the
order the equations above list them: LSTM f, i, g, o; GRU z, r, h. (PyTorch stacks LSTM's as
i, f, g, o and GRU's as r, z, n: `load_torch` reorders.)
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor, nn

State = Tensor | tuple[Tensor, Tensor]  # h, or (h, c) for the LSTM


class SRNCell(nn.Module):
    """Elman's cell: h_t = tanh(W x_t + U h_{t-1} + b)."""

    gates = 1

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.hidden_size = hidden_size
        self.W = nn.Linear(input_size, hidden_size)  # W and b
        self.U = nn.Linear(hidden_size, hidden_size, bias=False)  # the context layer's weights

    def initial_state(self, x: Tensor) -> Tensor:
        """h_0 = 0 for a batch of first inputs x (B, D)."""
        return x.new_zeros(x.shape[0], self.hidden_size)

    def forward(self, x: Tensor, h: Tensor) -> Tensor:  # x: (B, D), h: (B, H)
        return torch.tanh(self.W(x) + self.U(h))

    @torch.no_grad()
    def load_torch(self, rnn: nn.RNN | nn.RNNCell) -> SRNCell:
        """Copy a one-layer tanh nn.RNN's (or nn.RNNCell's) weights: b = b_ih + b_hh."""
        w_ih, w_hh, b_ih, b_hh = _torch_weights(rnn)
        self.W.weight.copy_(w_ih)
        self.W.bias.copy_(b_ih + b_hh)
        self.U.weight.copy_(w_hh)
        return self


class LSTMCell(nn.Module):
    """Long short-term memory: gates f, i, g, o; c_t = c_{t-1} * f_t + i_t * g_t;
    h_t = tanh(c_t) * o_t. The state is the pair (h, c)."""

    gates = 4

    def __init__(self, input_size: int, hidden_size: int):
        super().__init__()
        self.hidden_size = hidden_size
        self.W = nn.Linear(input_size, 4 * hidden_size)  # W_f, W_i, W_g, W_o and the b's
        self.U = nn.Linear(hidden_size, 4 * hidden_size, bias=False)  # U_f, U_i, U_g, U_o

    def initial_state(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """(h_0, c_0) = (0, 0) for a batch of first inputs x (B, D)."""
        return x.new_zeros(x.shape[0], self.hidden_size), x.new_zeros(x.shape[0], self.hidden_size)

    def forward(self, x: Tensor, state: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        h, c = state  # (B, H) each
        f, i, g, o = (self.W(x) + self.U(h)).chunk(4, dim=-1)  # (B, H) each
        f, i, g, o = torch.sigmoid(f), torch.sigmoid(i), torch.tanh(g), torch.sigmoid(o)
        c = c * f + i * g
        h = torch.tanh(c) * o
        return h, c

    @torch.no_grad()
    def load_torch(self, lstm: nn.LSTM | nn.LSTMCell) -> LSTMCell:
        """Copy a one-layer nn.LSTM's weights, reordering its gates i, f, g, o to f, i, g, o."""
        w_ih, w_hh, b_ih, b_hh = (_reorder(t, (1, 0, 2, 3)) for t in _torch_weights(lstm))
        self.W.weight.copy_(w_ih)
        self.W.bias.copy_(b_ih + b_hh)
        self.U.weight.copy_(w_hh)
        return self


class GRUCell(nn.Module):
    """Gated recurrent unit: gates z, r; h~_t = tanh(W x_t + U (r_t * h_{t-1}) + b_h);
    h_t = (1 - z_t) * h_{t-1} + z_t * h~_t. reset="after" is PyTorch's variant
    h~_t = tanh(W x_t + b_h + r_t * (U h_{t-1} + b_U)) (see the module's docstring)."""

    gates = 3

    def __init__(self, input_size: int, hidden_size: int,
                 reset: Literal["before", "after"] = "before"):
        super().__init__()
        if reset not in ("before", "after"):
            raise ValueError(f"expected reset 'before' or 'after', got {reset!r}")
        self.hidden_size, self.reset = hidden_size, reset
        self.W = nn.Linear(input_size, 3 * hidden_size)  # W_z, W_r, W and b_z, b_r, b_h
        self.U = nn.Linear(hidden_size, 3 * hidden_size, bias=reset == "after")  # U_z, U_r, U

    def initial_state(self, x: Tensor) -> Tensor:
        """h_0 = 0 for a batch of first inputs x (B, D)."""
        return x.new_zeros(x.shape[0], self.hidden_size)

    def forward(self, x: Tensor, h: Tensor) -> Tensor:  # x: (B, D), h: (B, H)
        H = self.hidden_size
        wz, wr, wh = self.W(x).chunk(3, dim=-1)  # (B, H) each
        U_zr = self.U.weight[:2 * H]  # (2H, H): U_z and U_r
        uz, ur = (h @ U_zr.T).chunk(2, dim=-1)
        if self.U.bias is not None:
            uz, ur = uz + self.U.bias[:H], ur + self.U.bias[H:2 * H]
        z, r = torch.sigmoid(wz + uz), torch.sigmoid(wr + ur)
        U_h = self.U.weight[2 * H:]  # (H, H)
        if self.reset == "before":
            candidate = torch.tanh(wh + (r * h) @ U_h.T)  # the course: U (r * h)
        else:
            candidate = torch.tanh(wh + r * (h @ U_h.T + self.U.bias[2 * H:]))  # PyTorch
        return (1 - z) * h + z * candidate

    @torch.no_grad()
    def load_torch(self, gru: nn.GRU | nn.GRUCell) -> GRUCell:
        """Copy a one-layer nn.GRU's weights onto a reset="after" cell: its gates r, z, n
        become z, r, h, and its update gate's weights are negated (its z is our 1 - z)."""
        if self.reset != "after":
            raise ValueError("nn.GRU applies the reset gate after U: build GRUCell(reset='after')")
        sign = torch.ones(3 * self.hidden_size, 1)
        sign[:self.hidden_size] = -1  # z = 1 - z': sigma(-s) = 1 - sigma(s)
        w_ih, w_hh, b_ih, b_hh = (_reorder(t, (1, 0, 2)) for t in _torch_weights(gru))
        self.W.weight.copy_(sign * w_ih)
        self.W.bias.copy_(sign[:, 0] * b_ih)
        self.U.weight.copy_(sign * w_hh)
        self.U.bias.copy_(sign[:, 0] * b_hh)
        return self


@torch.no_grad()
def hold_gates(rnn: nn.Module, bias: float) -> nn.Module:
    """Start a gated cell holding its state: add `bias` to the biases of the gates that keep
    the state and subtract it from those that write into it, so that at first the cell
    writes little and forgets little. LSTM: forget gate f +bias, input gate i -bias (as
    Hochreiter & Schmidhuber 1997 started the input gates shut and Gers et al. 2000 the
    forget gates open); GRU: update gate z -bias (the course's z writes h~; nn.GRU's z' =
    1 - z keeps h, so +bias there). Works on LSTMCell, GRUCell, nn.LSTM and nn.GRU (one
    layer); an SRN has no gate to bias. Returns `rnn`."""
    if isinstance(rnn, (nn.LSTM, nn.GRU)):
        H, b = rnn.hidden_size, rnn.bias_ih_l0
        if isinstance(rnn, nn.LSTM):  # PyTorch's order i, f, g, o
            b[:H] -= bias
            b[H:2 * H] += bias
        else:  # r, z', n
            b[H:2 * H] += bias
    elif isinstance(rnn, LSTMCell):  # f, i, g, o
        H, b = rnn.hidden_size, rnn.W.bias
        b[:H] += bias
        b[H:2 * H] -= bias
    elif isinstance(rnn, GRUCell):  # z, r, h
        rnn.W.bias[:rnn.hidden_size] -= bias
    else:
        raise ValueError(f"expected an LSTM or GRU (cell), got {type(rnn).__name__}")
    return rnn


CELLS = {"srn": SRNCell, "lstm": LSTMCell, "gru": GRUCell}
BUILTIN = {"srn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class RecurrentNet(nn.Module):
    """A recurrent layer and a linear read-out at every step: z_t = V h_t + c.

    With builtin=False the course's cell runs one step at a time and every hidden state can
    be inspected (`hidden`); backpropagation through time then goes over the whole sequence
    (bptt=None) or is truncated: the state is detached every `bptt` steps, so the gradient of
    an output at step t reaches back to the start of its block of `bptt` steps, never
    further. builtin=True uses PyTorch's fused nn.RNN / nn.LSTM / nn.GRU (fast; full BPTT).
    Inputs are (B, T, D), outputs (B, T, n_out).
    """

    def __init__(self, cell: Literal["srn", "lstm", "gru"], n_in: int, n_hidden: int, n_out: int,
                 bptt: int | None = None, builtin: bool = False):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"expected cell one of {sorted(CELLS)}, got {cell!r}")
        if bptt is not None and (bptt < 1 or builtin):
            raise ValueError("bptt must be >= 1, and needs builtin=False")
        self.kind, self.bptt, self.builtin = cell, bptt, builtin
        self.rnn = BUILTIN[cell](n_in, n_hidden, batch_first=True) if builtin \
            else CELLS[cell](n_in, n_hidden)
        self.out = nn.Linear(n_hidden, n_out)  # V and c

    def states(self, x: Tensor) -> Tensor:
        """The hidden states h_1 .. h_T, (B, T, H)."""
        if self.builtin:
            return self.rnn(x)[0]
        state = self.rnn.initial_state(x[:, 0])
        hs = []
        for t in range(x.shape[1]):
            if self.bptt is not None and t > 0 and t % self.bptt == 0:
                state = _detach(state)  # truncated BPTT: no gradient into earlier blocks
            state = self.rnn(x[:, t], state)
            hs.append(state[0] if isinstance(state, tuple) else state)
        return torch.stack(hs, dim=1)

    def forward(self, x: Tensor) -> Tensor:
        return self.out(self.states(x))

    def hidden(self, x: Tensor) -> list[Tensor]:
        """The model contract: every hidden layer's output, here [h_1 .. h_T as (B, T, H)]."""
        return [self.states(x)]

    def input_weights(self) -> Tensor:
        """The weights from the inputs to the hidden layer (and its gates), (gates * H, D)."""
        return self.rnn.weight_ih_l0 if self.builtin else self.rnn.W.weight


def _detach(state: State) -> State:
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def _torch_weights(module: nn.Module) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """(W_ih, W_hh, b_ih, b_hh) of a one-layer recurrent module or cell."""
    suffix = "_l0" if isinstance(module, nn.RNNBase) else ""
    if isinstance(module, nn.RNNBase) and (module.num_layers != 1 or module.bidirectional):
        raise ValueError("expected a one-layer, one-directional recurrent module")
    return tuple(getattr(module, name + suffix) for name in
                 ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))


def _reorder(t: Tensor, order: tuple[int, ...]) -> Tensor:
    """Restack a tensor of stacked gates (along dim 0) in the given order."""
    blocks = t.chunk(len(order), dim=0)
    return torch.cat([blocks[k] for k in order], dim=0)
