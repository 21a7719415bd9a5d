"""What the training loops need from a run, typed: `nnzoo.runs.Run` is one, and so is any
object with these members (a test's stand-in, a notebook's own). The loops of
`nnzoo.training` take it as `run`; nothing below this floor names a run."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from nnzoo.random import Stream


class TrainingRun(Protocol):
    """Resumable parts, the metrics log and the divergence guard (what `fit` needs), and
    the run's device, named random streams, log, folder, figures and kept weights (what the
    other loops need)."""

    dir: Path

    @property
    def device(self) -> Any: ...

    def rng(self, *key: str | int) -> Stream: ...

    def seeded(self, *key: str | int) -> AbstractContextManager[None]: ...

    def parts(self, n: int, *, label: str = ..., desc: str | None = None,
              keep: dict[str, Any] | None = None,
              until: Callable[[list], bool] | None = None) -> Any: ...

    def log(self, message: str, echo: bool = True) -> None: ...

    def log_metrics(self, step: int, **values: Any) -> None: ...

    def check_loss(self, loss: float, step: int, hint: str = ...) -> float: ...

    def save_figure(self, fig: Any, name: str) -> Path: ...

    def save_weights(self, name: str, state: dict[str, Any]) -> Path: ...
