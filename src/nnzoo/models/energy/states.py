"""What the energy-based learners share: Bernoulli sampling from a generator on the data's
device, enumeration of every binary state (for exact answers on tiny machines), and the
state of a learner for resuming."""

from __future__ import annotations

from typing import Any

import torch

from nnzoo.random import Stream, as_stream


def all_states(n: int, dtype=torch.float64, device="cpu") -> torch.Tensor:
    """Every vector of n units in {0, 1}, as the rows of a (2^n, n) tensor; row k holds the
    binary digits of k, most significant first. Only for tiny machines (n <= 24)."""
    if not 0 <= n <= 24:
        raise ValueError(f"expected 0 <= n <= 24 units to enumerate, got {n}")
    k = torch.arange(2**n, device=device).unsqueeze(1)  # (2^n, 1)
    bits = 2 ** torch.arange(n - 1, -1, -1, device=device)  # (n,)
    return ((k // bits) % 2).to(dtype)  # (2^n, n)


def make_generator(rng: Stream | int | None, device: torch.device | str) -> torch.Generator:
    """A torch.Generator on `device` drawn from the stream `rng`."""
    stream = as_stream(rng)
    device = torch.device(device)
    if device.type == "cpu":
        return torch.Generator().manual_seed(stream.seed())
    return torch.Generator(device=device).manual_seed(stream.seed())


def bernoulli(p: torch.Tensor, rng: torch.Generator) -> torch.Tensor:
    """1 with probability p, else 0, elementwise, in p's dtype."""
    return torch.bernoulli(p, generator=rng)


class Stateful:
    """state_dict / load_state_dict of a learner from its learned attributes (`_STATE`) and
    its generator's position, so that `run.parts(keep={...})` can resume its training."""

    _STATE: tuple[str, ...] = ()
    _gen: torch.Generator | None = None

    def state_dict(self) -> dict[str, Any]:
        state = {name: getattr(self, name) for name in self._STATE if hasattr(self, name)}
        if self._gen is not None:
            state["generator"] = (str(self._gen.device), self._gen.get_state())
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for name in self._STATE:
            if name in state:
                setattr(self, name, state[name])
        if "generator" in state:
            device, gen_state = state["generator"]
            self._gen = make_generator(0, device)
            self._gen.set_state(gen_state)

    def _generator(self, device: torch.device) -> torch.Generator:
        if self._gen is None or self._gen.device.type != torch.device(device).type:
            self._gen = make_generator(self.rng, device)
        return self._gen
