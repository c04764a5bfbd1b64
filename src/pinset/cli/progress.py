"""Progress on stderr while an operation runs, drawn from its events (:mod:`pinset.ops.events`).

Only when stderr is a terminal (rich is imported only then) and not ``--quiet``; otherwise
nothing at all is drawn, so logs and pipes stay clean. What a person sees:

- the current phase (``Resolving dependencies``, ``Compiling bytecode``) with a spinner
  whenever it has had no progress for a second (so that it never looks hung) or counts
  nothing;
- while downloading: one bar per file in bytes (size, speed; a long file name shortened in
  the middle) under ``Downloading N files``, a count of every file the run fetches (those
  already downloaded or in the cache count as they are found);
- while installing: ``Installing N packages`` with a bar counting packages;
- each build from source on a row of its own while it runs (``Building docopt 0.6.2
  (sdist)``, ``Preparing metadata of …``), with a spinner, under the phase it happens in
  (resolving, downloading), which keeps its count.

The display is transient: it disappears when the run ends, leaving the summary. ``NO_COLOR`` is
honoured by rich itself (bars without colour). Events may come from the HTTP pool's threads.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from pinset.ops.events import Build, Event, Phase, Step, Trace, Transfer

if TYPE_CHECKING:
    from pinset.settings import Settings

_R = TypeVar("_R")


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
        self._builds: dict[str, Any] = {}

    def __enter__(self) -> Progress:
        if self._enabled:
            self._bars = _new_display()
            self._bars.start()
            self._phase = self._bars.add_task(
                "Reading requirements", total=None, detail="", moved=time.monotonic()
            )
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
            line = verbose_line(event) if self._verbose else None
            if line is not None:
                print(line, file=sys.stderr)
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
            elif isinstance(event, Build):
                self._build(event)

    def _begin(self, phase: Phase) -> None:
        for task in self._files.values():
            self._bars.remove_task(task)
        self._files.clear()
        self._unit = phase.unit
        detail = f"0/{phase.total}" if phase.total is not None else ""
        self._bars.update(
            self._phase,
            description=phase.text,
            total=phase.total,
            completed=0,
            detail=detail,
            moved=time.monotonic(),
        )
        self._bars.refresh()

    def _transfer(self, event: Transfer) -> None:
        task = self._files.get(event.file)
        if task is None:  # a new file is drawn at once, with its size: never a nameless blank
            task = self._bars.add_task(
                f"  {shorten_middle(event.file, FILE_NAME_WIDTH)}",
                total=event.total,
                completed=event.done,
                detail=_size(event),
                bytes=True,
            )
            self._files[event.file] = task
            self._bars.refresh()
        self._bars.update(task, completed=event.done, total=event.total, detail=_size(event))
        self._touch()  # bytes arriving are progress of the phase
        if event.total is not None and event.done >= event.total:
            self._bars.remove_task(self._files.pop(event.file))
            self._bars.refresh()

    def _build(self, event: Build) -> None:
        task = self._builds.pop(event.text, None)
        if task is not None:
            self._bars.remove_task(task)
        if not event.done:
            self._builds[event.text] = self._bars.add_task(
                f"  {event.text}", total=None, detail="", moved=None
            )
        self._touch()  # a build starting or ending is progress of the phase
        self._bars.refresh()

    def _step(self, event: Step) -> None:
        if self._unit:
            self._advance()
            self._bars.refresh()

    def _advance(self) -> None:
        self._bars.advance(self._phase)
        self._touch()
        task = self._bars.tasks[self._bars.task_ids.index(self._phase)]
        if task.total is not None:
            self._bars.update(self._phase, detail=f"{int(task.completed)}/{int(task.total)}")

    def _touch(self) -> None:
        self._bars.update(self._phase, moved=time.monotonic())

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def verbose_line(event: Event | str) -> str | None:
    """The line ``-v`` prints for the event: a phase, a build as it starts, a trace (indented)."""
    if isinstance(event, str):
        return event
    if isinstance(event, Phase) or (isinstance(event, Build) and not event.done):
        return event.text
    return f"  {event.text}" if isinstance(event, Trace) else None


FILE_NAME_WIDTH = 40
"""A download's file name is shortened to this many characters (wheel names run long)."""
STALLED = 1.0
"""Seconds without progress after which a phase shows a spinner."""


def shorten_middle(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters by an ellipsis in the middle, so that both the
    start of the project's name and the end of a wheel's name (version and tags, a little
    longer) stay readable."""
    if len(text) <= width:
        return text
    keep = width - 1
    head = keep * 2 // 5
    return text[:head] + "…" + text[len(text) - (keep - head) :]


def spins(*, bytes_row: bool, total: float | None, moved: float | None, now: float) -> bool:
    """Whether a row shows a spinner: never a download's own row (its bytes move), always a
    phase that counts nothing, else a phase with no progress for :data:`STALLED` seconds."""
    if bytes_row:
        return False
    if total is None or moved is None:
        return True
    return now - moved >= STALLED


def _size(event: Transfer) -> str:
    done = event.done / 1e6
    return f"{done:.1f}/{event.total / 1e6:.1f} MB" if event.total else f"{done:.1f} MB"


def _new_display() -> Any:
    from rich.console import Console, RenderableType
    from rich.filesize import decimal
    from rich.progress import BarColumn, ProgressColumn, Task, TextColumn
    from rich.progress import Progress as Bars
    from rich.spinner import Spinner as RichSpinner
    from rich.text import Text

    class Spinner(ProgressColumn):
        """A spinner for a phase that counts nothing or has not moved for a second."""

        def __init__(self) -> None:
            super().__init__()
            self._spinner = RichSpinner("dots")

        def render(self, task: Task) -> RenderableType:
            moving = spins(
                bytes_row=bool(task.fields.get("bytes")),
                total=task.total,
                moved=task.fields.get("moved"),
                now=time.monotonic(),
            )
            return self._spinner.render(task.get_time()) if moving else Text(" ")

    class Speed(ProgressColumn):
        """Bytes per second, for downloads only (phases count files or packages)."""

        def render(self, task: Task) -> Text:
            if not task.fields.get("bytes") or not task.speed:
                return Text("")
            return Text(f"{decimal(int(task.speed))}/s")

    return Bars(
        Spinner(),
        TextColumn("{task.description}"),
        BarColumn(bar_width=30),
        TextColumn("{task.fields[detail]}"),
        Speed(),
        console=Console(stderr=True),
        transient=True,
    )


def run_shown(
    op: Callable[..., _R],
    request: object,
    settings: Settings,
    *,
    quiet_hides_warnings: bool = False,
) -> _R:
    """Run the use case ``op(request, settings, …)`` on this process's environment and working
    directory with the progress display (none under ``-q``), its warnings printed above it as
    they come. ``quiet_hides_warnings``: under ``-q`` the warnings are not printed either
    (``lock``, ``download``, ``wheel``: only errors and the data asked for)."""
    import os
    from pathlib import Path

    from pinset.cli.summary import warn

    quiet = settings.verbosity < 0
    with Progress(enabled=not quiet, verbose=settings.verbosity > 0) as progress:
        shown = None if quiet and quiet_hides_warnings else progress.hold(warn)
        return op(
            request,
            settings,
            environ=os.environ,
            cwd=Path.cwd(),
            on_event=progress.update,
            on_warning=shown,
        )
