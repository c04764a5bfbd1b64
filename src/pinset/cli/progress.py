"""Progress on stderr while an operation runs, drawn from its events (:mod:`pinset.ops.events`).

Only when stderr is a terminal (rich is imported only then) and not ``--quiet``; otherwise
nothing at all is drawn, so logs and pipes stay clean. What a person sees:

- the current phase with a spinner (``Resolving dependencies``);
- while downloading: one bar per file in bytes (size, speed) under ``Downloading N files``
  (a count of files done);
- while installing: ``Installing N packages`` with a bar counting packages.

The display is transient: it disappears when the run ends, leaving the summary. ``NO_COLOR`` is
honoured by rich itself (bars without colour). Events may come from the HTTP pool's threads.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from pinset.ops.events import Event, Phase, Step, Trace, Transfer


class Progress:
    """``verbose``: each phase and each :class:`Trace` is also printed as a line (``-v``)."""

    def __init__(self, *, enabled: bool = True, verbose: bool = False) -> None:
        self._verbose = verbose
        self._enabled = enabled and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        self._bars: Any = None
        self._lock = threading.Lock()
        self._phase: Any = None
        self._unit = ""
        self._files: dict[str, Any] = {}

    def __enter__(self) -> Progress:
        if self._enabled:
            self._bars = _new_display()
            self._bars.start()
            self._phase = self._bars.add_task("Reading requirements", total=None, detail="")
        return self

    def hold(self, fn: Callable[[str], None]) -> Callable[[str], None]:
        """``fn`` called so that its text lands above the bars (for warnings mid-run)."""

        def call(text: str) -> None:
            with self._lock:
                fn(text)

        return call

    def stop(self) -> None:
        with self._lock:
            bars, self._bars = self._bars, None
        if bars is not None:
            bars.stop()

    def update(self, event: Event | str) -> None:
        with self._lock:
            if self._verbose and isinstance(event, Trace | Phase | str):
                text = event if isinstance(event, str) else event.text
                print(f"{'  ' if isinstance(event, Trace) else ''}{text}", file=sys.stderr)
            if self._bars is None:
                return
            if isinstance(event, str):
                event = Phase(event)
            if isinstance(event, Phase):
                self._begin(event)
            elif isinstance(event, Transfer):
                self._transfer(event)
            elif isinstance(event, Step):
                self._step(event)

    def _begin(self, phase: Phase) -> None:
        for task in self._files.values():
            self._bars.remove_task(task)
        self._files.clear()
        self._unit = phase.unit
        detail = f"0/{phase.total}" if phase.total is not None else ""
        self._bars.update(
            self._phase, description=phase.text, total=phase.total, completed=0, detail=detail
        )
        self._bars.refresh()

    def _transfer(self, event: Transfer) -> None:
        task = self._files.get(event.file)
        if task is None:  # a new file is drawn at once, with its size: never a nameless blank
            task = self._bars.add_task(
                f"  {event.file}",
                total=event.total,
                completed=event.done,
                detail=_size(event),
                bytes=True,
            )
            self._files[event.file] = task
            self._bars.refresh()
        self._bars.update(task, completed=event.done, total=event.total, detail=_size(event))
        if event.total is not None and event.done >= event.total:
            self._bars.remove_task(self._files.pop(event.file))
            if self._unit == "files":
                self._advance()
            self._bars.refresh()

    def _step(self, event: Step) -> None:
        if self._unit == "packages":
            self._advance()
            self._bars.refresh()

    def _advance(self) -> None:
        self._bars.advance(self._phase)
        task = self._bars.tasks[self._bars.task_ids.index(self._phase)]
        if task.total is not None:
            self._bars.update(self._phase, detail=f"{int(task.completed)}/{int(task.total)}")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _size(event: Transfer) -> str:
    done = event.done / 1e6
    return f"{done:.1f}/{event.total / 1e6:.1f} MB" if event.total else f"{done:.1f} MB"


def _new_display() -> Any:
    from rich.console import Console
    from rich.filesize import decimal
    from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, Task, TextColumn
    from rich.progress import Progress as Bars
    from rich.text import Text

    class Speed(ProgressColumn):
        """Bytes per second, for downloads only (phases count files or packages)."""

        def render(self, task: Task) -> Text:
            if not task.fields.get("bytes") or not task.speed:
                return Text("")
            return Text(f"{decimal(int(task.speed))}/s")

    return Bars(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(bar_width=30),
        TextColumn("{task.fields[detail]}"),
        Speed(),
        console=Console(stderr=True),
        transient=True,
    )
