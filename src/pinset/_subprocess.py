"""Running other programs: the one place where a long-running child's output is logged, its
command echoed without credentials, its time bounded and its environment scrubbed.

- :func:`shown_command` is the command as pinset shows it (shell quoting, URL credentials
  redacted by :mod:`pinset.redaction`).
- :func:`scrubbed_environ` is an environment without pinset's or pip's settings that carry
  credentials: a ``PIP_*`` or ``PINSET_*`` variable whose value holds a URL with a user or a
  password (``PIP_INDEX_URL=https://user:token@host/simple``) never reaches a child that runs
  code from a download (a build backend). Other variables stay: a backend may need ``PATH``,
  ``HOME``, compilers' flags and proxies.
- :func:`run_logged` runs a command with its standard output and error streamed to a log file
  (never held in memory), kills its whole process group when it outlives ``timeout``, and
  returns the exit code and the last lines of the log, redacted, for an error message.
- :func:`run_captured` runs a short command whose output is data (a version-control tool's
  ``rev-parse``): output captured, standard input given (or empty), its process group killed
  when it outlives ``timeout`` or the caller is interrupted.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from pinset._dataclass import dataclass
from pinset.redaction import redact_text

SCRUBBED_PREFIXES = ("PIP_", "PINSET_")
"""Variables of these families are dropped when their value carries URL credentials."""

TAIL_LINES = 25
_TAIL_BYTES = 64 * 1024


@dataclass(frozen=True)
class Finished:
    """How a logged child ended: ``returncode`` (None when it was killed for its time)."""

    returncode: int | None
    tail: tuple[str, ...]
    log: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def shown_command(argv: Sequence[str | os.PathLike[str]]) -> str:
    """``argv`` as one shell-quoted line, with every URL's credentials redacted."""
    return redact_text(shlex.join(os.fspath(a) for a in argv))


def carries_credentials(value: str) -> bool:
    """True when ``value`` holds a URL with a user or password (``scheme://user:pw@host``)."""
    return redact_text(value) != value


def scrubbed_environ(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` without the ``PIP_*``/``PINSET_*`` variables whose value carries credentials."""
    return {
        key: value
        for key, value in base.items()
        if not (key.upper().startswith(SCRUBBED_PREFIXES) and carries_credentials(value))
    }


def log_tail(log: Path, lines: int = TAIL_LINES) -> tuple[str, ...]:
    """The last ``lines`` lines of ``log`` (its last 64 KiB at most), redacted."""
    try:
        with open(log, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - _TAIL_BYTES))
            data = fh.read()
    except OSError:
        return ()
    text = redact_text(data.decode("utf-8", errors="replace"))
    return tuple(text.splitlines()[-lines:])


def run_logged(
    argv: Sequence[str],
    *,
    log: Path,
    env: Mapping[str, str],
    cwd: Path | None = None,
    timeout: float | None = None,
) -> Finished:
    """Run ``argv`` with exactly ``env``, its output appended to ``log`` after a header line
    with the command (redacted); no standard input. Its process group is killed when it runs
    longer than ``timeout`` seconds."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"$ {shown_command(argv)}\n".encode())
        out.flush()
        child = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        code: int | None
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(child)
            code = None
        except BaseException:
            _kill_group(child)
            raise
    return Finished(code, log_tail(log), log)


@dataclass(frozen=True)
class Captured:
    """How a captured child ended: ``returncode`` (None when it was killed for its time) and
    its raw output."""

    returncode: int | None
    stdout: bytes
    stderr: bytes


def run_captured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path | None = None,
    stdin: bytes = b"",
    timeout: float | None = None,
) -> Captured:
    """Run ``argv`` with exactly ``env`` in its own session (no terminal to prompt on), feed
    it ``stdin``, capture its output. When it is done, outlives ``timeout`` or the caller is
    interrupted, whatever is left of its process group (helpers it started) is killed."""
    child = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = child.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Captured(None, b"", b"")
    finally:
        _kill_group(child)
    return Captured(child.returncode, stdout, stderr)


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except OSError:
        child.kill()
    child.wait()
