"""Named, independent random streams: the one way nnzoo makes random numbers.

A run has one seed. Every random thing in it draws from a *stream* named for what it is
for: `run.rng("init", i)` for the i-th network's initial weights, `run.rng("data")` for
the data set, `run.rng("agent")` for an agent's exploration. A stream is built from
NumPy's SeedSequence of (seed, name, index), so streams with different names are
independent, and the stream of a name is the same whether or not the run was resumed
or other streams were used before it.

Library classes take a stream (or an int, or None for fresh entropy) as `rng`, as
scikit-learn's estimators take `random_state`, and never touch the global generators.

    s = stream(0, "init", 3)
    s.numpy.uniform(-1, 1, 5)              # NumPy's Generator
    torch.randn(5, generator=s.torch)      # a torch.Generator (CPU) of the same stream
    env.reset(seed=s.seed())               # an int for APIs that want one
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np


def _key_words(key: tuple[str | int, ...]) -> tuple[int, ...]:
    """The names and indices of a key as non-negative ints, for SeedSequence's spawn_key."""
    words: list[int] = []
    for part in key:
        if isinstance(part, bool) or not isinstance(part, (str, int)):
            raise TypeError(f"a stream's key is made of names and indices, got {part!r}")
        if isinstance(part, int):
            if part < 0:
                raise ValueError(f"a stream's index must be >= 0, got {part}")
            words += [1, part]  # tagged, so that the index 7 and the name "\x07" differ
        else:
            data = part.encode()
            words += [2, len(data), *data]
    return tuple(words)


class Stream:
    """One independent random stream, as a NumPy Generator (`.numpy`) and a torch
    Generator (`.torch`), both seeded from one SeedSequence."""

    def __init__(self, seq: np.random.SeedSequence):
        self.seq = seq
        np_seq, torch_seq = seq.spawn(2)
        self.numpy = np.random.Generator(np.random.PCG64(np_seq))
        self._torch_seed = int(torch_seq.generate_state(1, np.uint64)[0])
        self._torch = None

    @property
    def torch(self):
        """A torch.Generator (CPU) of this stream, made on first use (torch is heavy)."""
        if self._torch is None:
            import torch

            self._torch = torch.Generator().manual_seed(self._torch_seed)
        return self._torch

    def seed(self) -> int:
        """A fresh 31-bit int from this stream, for APIs that take a seed (gymnasium)."""
        return int(self.numpy.integers(2**31 - 1))

    def child(self, *key: str | int) -> Stream:
        """An independent stream below this one, named `key`."""
        return Stream(np.random.SeedSequence(self.seq.entropy,
                                             spawn_key=self.seq.spawn_key + _key_words(key)))

    # ---- resume: a stream's position is part of the state of whatever draws from it
    def state_dict(self) -> dict[str, Any]:
        state = {"numpy": self.numpy.bit_generator.state}
        if self._torch is not None:
            state["torch"] = self._torch.get_state()
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.numpy.bit_generator.state = state["numpy"]
        if "torch" in state:
            self.torch.set_state(state["torch"])

    def __repr__(self) -> str:
        return f"Stream(entropy={self.seq.entropy}, key={self.seq.spawn_key})"


def stream(seed: int, *key: str | int) -> Stream:
    """The stream named `key` of the run seeded with `seed`."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"a seed is an integer >= 0, got {seed!r}")
    return Stream(np.random.SeedSequence(int(seed), spawn_key=_key_words(key)))


def as_stream(rng: Stream | int | None) -> Stream:
    """scikit-learn's random_state habit: a Stream as it is, an int as the stream of that
    seed, None as a stream of fresh entropy from the operating system."""
    if isinstance(rng, Stream):
        return rng
    if rng is None:
        return Stream(np.random.SeedSequence())
    return stream(rng)


# --------------------------------------------------------------------------- global state
def rng_state() -> dict[str, Any]:
    """Every global generator's state, in types that `torch.load(weights_only=True)` reads."""
    import numpy as np
    import torch

    name, keys, pos, has_gauss, gauss = np.random.get_state()
    state = {
        "python": random.getstate(),
        "numpy": (name, keys.tolist(), pos, has_gauss, gauss),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    """Put back what `rng_state` saved (a checkpoint's generators)."""
    import numpy as np
    import torch

    random.setstate(state["python"])
    name, keys, pos, has_gauss, gauss = state["numpy"]
    np.random.set_state((name, np.array(keys, dtype=np.uint32), pos, has_gauss, gauss))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
