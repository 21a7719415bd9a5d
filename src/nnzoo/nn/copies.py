"""Many independently initialised copies of one small network, trained at once.

Small networks (an SRN with two hidden units) learn some tasks from some initial weights and
not from others; the course's experiments then train many and count. `Copies` stacks the
weights of R copies along a new first dimension and runs them as one batched computation
(torch.func.vmap over the module's own forward), so R copies cost about as much time as one.
The copies share nothing: the loss is the sum of the copies' losses, so each copy's gradient
is its own, and per-weight optimisers (SGD, Adam) update each copy as if it were alone.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import torch
from torch import Tensor, nn
from torch.func import functional_call, stack_module_state, vmap


class Copies(nn.Module):
    """R copies of the module `make()` builds (each drawing its own initial weights), their
    parameters stacked: a parameter of shape S in one copy has shape (R, *S) here.
    `forward(x)` gives every copy's output for the same input, stacked: (R, *output shape).
    `copy(r)` returns copy r as a module of its own, e.g. to look inside it."""

    def __init__(self, make: Callable[[], nn.Module], n: int):
        super().__init__()
        if n < 1:
            raise ValueError(f"expected at least one copy, got {n}")
        modules = [make() for _ in range(n)]
        params, buffers = stack_module_state(modules)
        if buffers:
            raise ValueError("Copies holds modules without buffers (no batch norm)")
        self.n, self._make, self.names = n, make, list(params)
        for i, p in enumerate(params.values()):
            self.register_parameter(f"p{i}", nn.Parameter(p.detach().clone()))
        self._template = [copy.deepcopy(modules[0]).to("meta")]  # a list: not a submodule

    def stacked(self) -> dict[str, Tensor]:
        """{a parameter's name in one copy: its stacked (R, ...) tensor}."""
        return {name: getattr(self, f"p{i}") for i, name in enumerate(self.names)}

    def forward(self, x: Tensor) -> Tensor:
        template = self._template[0]

        def one(params: dict[str, Tensor], x: Tensor) -> Tensor:
            return functional_call(template, params, (x,))

        return vmap(one, in_dims=(0, None))(self.stacked(), x)

    def copy(self, r: int) -> nn.Module:
        """Copy r as a module of its own (built by `make`), holding copy r's weights."""
        module = self._make()
        with torch.no_grad():
            module.load_state_dict({name: p[r].detach().clone()
                                    for name, p in self.stacked().items()})
        return module.to(self.p0.device)
