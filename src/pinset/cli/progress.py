"""A spinner with the current phase, on stderr, only when stderr is a terminal (rich is
imported only then); ``NO_COLOR`` is honoured by rich itself."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any


class Progress:
    def __init__(self, *, enabled: bool = True) -> None:
        self._enabled = enabled and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        self._status: Any = None

    def __enter__(self) -> Progress:
        if self._enabled:
            from rich.console import Console

            console = Console(stderr=True)
            self._status = console.status("Reading requirements")
            self._status.start()
        return self

    def hold(self, fn: Callable[[str], None]) -> Callable[[str], None]:
        """``fn`` called with the spinner out of the way (for warnings printed mid-run)."""

        def call(text: str) -> None:
            if self._status is None:
                fn(text)
                return
            self._status.stop()
            fn(text)
            self._status.start()

        return call

    def stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def update(self, text: str) -> None:
        if self._status is not None:
            self._status.update(text)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
