"""Parts: the one resume mechanism of a run (`Run.parts` makes them).

Work that lasts is cut into parts; after each, the run checkpoints every parts' results and
the state of the objects the parts keep. A resumed run makes the same Parts again: they
come back with the results of the finished parts and their objects' saved state, and
iterating them yields only the parts still to do. Parts made while a part is being done
(e.g. the epochs of a network trained in part i) are nested under it: saved with it, and
forgotten once it is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol


def state_of(obj: Any) -> Any:
    """The state of a kept object: state_dict(), or a torch.Generator's get_state()."""
    return obj.get_state() if hasattr(obj, "get_state") else obj.state_dict()


def load_state(obj: Any, state: Any) -> None:
    if hasattr(obj, "set_state"):  # a torch.Generator
        obj.set_state(state)
    else:
        obj.load_state_dict(state)


class Ledger:
    """The parts of one run: those made in this process (by key), those being iterated
    (outermost first) and what the last checkpoint saved of each (results and kept
    objects' states, by key)."""

    def __init__(self) -> None:
        self.parts: dict[str, Parts] = {}
        self.active: list[Parts] = []
        self.saved: dict[str, dict[str, Any]] = {"parts": {}, "keep": {}}

    def state(self) -> dict[str, dict[str, Any]]:
        """What a checkpoint keeps: every parts' results and its kept objects' states."""
        return {"parts": {k: p.results for k, p in self.parts.items()},
                "keep": {k: {name: state_of(obj) for name, obj in p.keep.items()}
                         for k, p in self.parts.items()}}

    def restore(self, state: dict[str, dict[str, Any]]) -> None:
        """Take a checkpoint's `state()`: the parts made from now on start from it."""
        self.saved = {"parts": state["parts"], "keep": state["keep"]}


class Owner(Protocol):
    """What parts need of their run: its ledger, a progress bar and a checkpoint."""

    ledger: Ledger

    def progress(self, iterable: Any = None, total: int | None = None,
                 desc: str | None = None, initial: int = 0) -> Any: ...

    def checkpoint(self) -> None: ...


class Parts:
    """Parts of a run that are checkpointed as each is done and skipped when resumed.

    Iterate it for the indices of the parts still to do; call `done(result)` at the end of
    each (the result must be made of tensors, numbers, strings, lists and dicts). The
    results of every finished part, restored ones included, are in `results`."""

    def __init__(self, run: Owner, n: int, label: str, desc: str | None,
                 keep: dict[str, Any], until: Callable[[list], bool] | None):
        ledger = run.ledger
        outer = ledger.active[-1] if ledger.active else None
        self.key = f"{outer.key}/{outer.current}/{label}" if outer is not None else label
        if self.key in ledger.parts:
            raise ValueError(f"two loops of parts are labelled {self.key!r} in this run; give "
                             "each its own label")
        self.run, self.n, self.desc, self.keep, self.until = run, n, desc, keep, until
        self.results: list = list(ledger.saved["parts"].get(self.key, []))
        for name, state in ledger.saved["keep"].get(self.key, {}).items():
            load_state(keep[name], state)
        self.current: int | None = None
        self.bar = None
        ledger.parts[self.key] = self

    def __iter__(self) -> Iterator[int]:
        run = self.run
        self.bar = run.progress(total=self.n, initial=len(self.results), desc=self.desc) \
            if self.desc else None
        run.ledger.active.append(self)
        try:
            for i in range(len(self.results), self.n):
                if self.until is not None and self.results and self.until(self.results):
                    break
                self.current = i
                yield i
                if len(self.results) != i + 1:
                    raise RuntimeError(f"part {i} of {self.key!r} ended without done(result)")
        finally:
            run.ledger.active.pop()
            if self.bar is not None:
                self.bar.close()

    def done(self, result: Any = None, checkpoint: bool = True) -> None:
        """Part `current` is finished with `result`: keep it, forget the parts made inside
        it, and (unless checkpoint=False) checkpoint the run."""
        self.results.append(result)
        inner = f"{self.key}/{self.current}/"
        ledger = self.run.ledger
        for key in [k for k in ledger.parts if k.startswith(inner)]:
            del ledger.parts[key]
        for saved in ledger.saved.values():
            for key in [k for k in saved if k.startswith(inner)]:
                del saved[key]
        if self.bar is not None:
            self.bar.update(1)
        if checkpoint:
            self.run.checkpoint()
