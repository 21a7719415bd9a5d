"""Convolution and pooling written as the course's sums.

A convolution layer computes, for output channel i at position (j, k),

    Z^i_{j,k} = g( b^i + sum_l sum_{m=0}^{M-1} sum_{n=0}^{N-1} K^i_{l,m,n} V^l_{j+m, k+n} )

with the same kernel K^i at every position ("weight sharing"). With stride s and zero
padding of width P, j takes the values 0, s, 2s, ..., J + 2P - M, so the next layer is
(1 + (J + 2P - M)/s) by (1 + (K + 2P - N)/s).

These functions loop over the M x N kernel offsets (m, n) and sum over l and over all
positions at once, so each line is one term of the sum. They are proved equal to
`F.conv2d`, `F.max_pool2d` and `F.avg_pool2d` in the tests; the models use the built-ins.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def output_size(J: int, M: int, P: int = 0, s: int = 1) -> int:
    """The course's 1 + (J + 2P - M)/s: positions j = 0, s, ..., J + 2P - M (rounded down)."""
    if J + 2 * P < M:
        raise ValueError(f"a kernel of {M} does not fit in {J} inputs padded by {P}")
    return 1 + (J + 2 * P - M) // s


def _shifted(V: Tensor, m: int, n: int, J_out: int, K_out: int, s: int) -> Tensor:
    """V_{j+m, k+n} for j = 0, s, ..., s(J_out-1) and k likewise: (B, L, J_out, K_out)."""
    return V[:, :, m:m + s * (J_out - 1) + 1:s, n:n + s * (K_out - 1) + 1:s]


def conv2d(V: Tensor, K: Tensor, b: Tensor | None = None, stride: int = 1,
           padding: int = 0) -> Tensor:
    """Z^i_{j,k} = b^i + sum_l sum_m sum_n K^i_{l,m,n} V^l_{j+m,k+n} (before g).

    V: (B, L, J, K) inputs, K: (I, L, M, N) kernels, b: (I,) biases -> (B, I, J', K').
    """
    s, P = stride, padding
    V = F.pad(V, (P, P, P, P))  # zero padding of width P: (B, L, J+2P, K+2P)
    I, L, M, N = K.shape
    J_out, K_out = output_size(V.shape[2], M, 0, s), output_size(V.shape[3], N, 0, s)
    Z = V.new_zeros(V.shape[0], I, J_out, K_out)  # (B, I, J', K')
    for m in range(M):
        for n in range(N):
            # sum over l of K^i_{l,m,n} V^l_{j+m,k+n}, for every i, j, k at once
            Z += torch.einsum("il,bljk->bijk", K[:, :, m, n], _shifted(V, m, n, J_out, K_out, s))
    if b is not None:
        Z += b.view(1, I, 1, 1)  # b^i
    return Z


def max_pool2d(V: Tensor, size: int, stride: int | None = None) -> Tensor:
    """Each output unit is the largest of a size x size block: max_{m,n} V_{j+m,k+n}."""
    s = stride or size
    J_out, K_out = output_size(V.shape[2], size, 0, s), output_size(V.shape[3], size, 0, s)
    blocks = [_shifted(V, m, n, J_out, K_out, s) for m in range(size) for n in range(size)]
    return torch.stack(blocks).amax(dim=0)  # (B, L, J', K')


def avg_pool2d(V: Tensor, size: int, stride: int | None = None) -> Tensor:
    """Each output unit is the mean of a size x size block: (1/size^2) sum_{m,n} V_{j+m,k+n}."""
    s = stride or size
    J_out, K_out = output_size(V.shape[2], size, 0, s), output_size(V.shape[3], size, 0, s)
    blocks = [_shifted(V, m, n, J_out, K_out, s) for m in range(size) for n in range(size)]
    return torch.stack(blocks).sum(dim=0) / size ** 2  # (B, L, J', K')
