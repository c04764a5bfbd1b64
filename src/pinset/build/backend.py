"""One build backend, called through :mod:`pyproject_hooks` (PEP 517 and PEP 660 hooks).

Each hook runs in the build interpreter through :func:`pinset._subprocess.run_logged`: its
output streams to the build's log, it is bounded in time, and its environment is the one the
builder prepared (scrubbed, isolated). A failing hook becomes a :class:`BuildError` with the
backend's last lines, the log's path and a hint.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pyproject_hooks import (
    BackendUnavailable,
    BuildBackendHookCaller,
    BuildBackendWarning,
    HookMissing,
)

from pinset._dataclass import dataclass
from pinset._subprocess import Finished, run_logged
from pinset.build.pyproject import BuildSystem
from pinset.errors import BuildError

ConfigSettings = Mapping[str, str | list[str]]


def parse_config_settings(items: Sequence[str]) -> dict[str, str | list[str]]:
    """``-C KEY=VALUE`` items as a backend's ``config_settings``: a key given more than once
    becomes a list of its values, in order (as pip does); an item without ``=`` is an error."""
    out: dict[str, str | list[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise BuildError(f"config setting {item!r} is not KEY=VALUE", hint="write -C key=value")
        seen = out.get(key)
        if seen is None:
            out[key] = value
        elif isinstance(seen, list):
            seen.append(value)
        else:
            out[key] = [seen, value]
    return out


class _HookFailed(Exception):
    def __init__(self, hook: str, finished: Finished) -> None:
        super().__init__(hook)
        self.hook = hook
        self.finished = finished


@dataclass(frozen=True)
class Backend:
    """The backend of one source tree, run with ``python`` in ``environ``."""

    project: str
    tree: Path
    system: BuildSystem
    python: Path
    environ: Mapping[str, str]
    log: Path
    timeout: float | None = None

    def _caller(self) -> BuildBackendHookCaller:
        return BuildBackendHookCaller(
            str(self.tree),
            self.system.backend,
            backend_path=list(self.system.backend_path) or None,
            runner=self._run,
            python_executable=str(self.python),
        )

    def _run(
        self,
        cmd: Sequence[str],
        cwd: str | None = None,
        extra_environ: Mapping[str, str] | None = None,
    ) -> None:
        env = {**self.environ, **(extra_environ or {})}
        done = run_logged(
            cmd, log=self.log, env=env, cwd=Path(cwd) if cwd else None, timeout=self.timeout
        )
        if not done.ok:
            raise _HookFailed(cmd[2] if len(cmd) > 2 else "hook", done)

    def call(self, hook: str, **kwargs: Any) -> Any:
        """Call ``hook`` (a method of the hook caller) with ``kwargs``.

        The warnings a backend raised (relayed by pyproject_hooks as Python warnings in this
        process) go to the log with the rest of its output, never to pinset's stderr."""
        try:
            with warnings.catch_warnings(record=True) as relayed:
                warnings.simplefilter("always", BuildBackendWarning)
                try:
                    return getattr(self._caller(), hook)(**kwargs)
                finally:
                    self._log_warnings(relayed)
        except _HookFailed as exc:
            raise self._failed(exc) from None
        except BackendUnavailable as exc:
            raise BuildError(
                f"building {self.project}: the build backend {self.system.backend!r} "
                "cannot be imported",
                where=str(self.log),
                note=_last_lines(exc.traceback),
                hint="is it in [build-system] requires, or installed when building "
                "without isolation?",
            ) from None

    def _log_warnings(self, relayed: list[warnings.WarningMessage]) -> None:
        if not relayed:
            return
        with open(self.log, "a", encoding="utf-8") as out:
            for item in relayed:
                out.write(f"warning: {item.filename}:{item.lineno}: {item.message}\n")

    def call_optional(self, hook: str, **kwargs: Any) -> Any | None:
        """:meth:`call`, or None when the backend does not have ``hook``."""
        try:
            return self.call(hook, **kwargs)
        except HookMissing:
            return None

    def _failed(self, exc: _HookFailed) -> BuildError:
        done = exc.finished
        how = (
            f"did not finish within {self.timeout:g} s"
            if done.returncode is None
            else f"exited with code {done.returncode}"
        )
        return BuildError(
            f"building {self.project} failed: the backend's {exc.hook} {how}",
            where=str(done.log),
            note="\n".join(done.tail) or None,
            hint=f"the backend's whole output is in {done.log}",
        )


def _last_lines(text: str, count: int = 10) -> str | None:
    from pinset.redaction import redact_text

    lines = redact_text(text).strip().splitlines()[-count:]
    return "\n".join(lines) or None
