"""How the version-control layer runs its tools, on :func:`pinset._subprocess.run_captured`.

Every tool runs with no terminal and no input but what we give it (its own session), so
neither it nor an ``ssh`` it starts can ever prompt; with a timeout that stops its whole
process group; with ``LC_ALL=C`` so that its messages are the ones we parse. A missing tool is
an error naming what to install, a failure an error showing the command as the user would type
it and the tool's last lines of output, redacted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from pinset._dataclass import dataclass, field
from pinset._subprocess import Captured, run_captured, scrubbed_environ, shown_command
from pinset.redaction import redact_text
from pinset.vcs.base import ToolMissing, VcsError

DEFAULT_TIMEOUT = 900.0
"""Seconds one tool invocation may take (a first clone of a large repository is the longest)."""

_INSTALL_HINT = {
    "git": "install Git (https://git-scm.com/downloads; apt install git)",
    "hg": "install Mercurial (https://www.mercurial-scm.org; apt install mercurial)",
    "svn": "install Subversion (https://subversion.apache.org; apt install subversion)",
    "brz": "install Breezy (https://www.breezy-vcs.org; apt install brz)",
}

_DROPPED = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_NAMESPACE",
        "GIT_CONFIG_PARAMETERS",
        "GIT_CONFIG_COUNT",
        "HGRCPATH",
    }
)
"""Variables that would point a tool at another repository or inject configuration."""


@dataclass(frozen=True, slots=True)
class Invocation:
    """One run of a tool: ``argv`` (what ``ps`` shows: never a secret), the variables added to
    the environment (where secrets go), and the working directory."""

    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    stdin: bytes = b""
    """What the tool reads (a password it takes from its input); nothing by default."""
    fixed: int = 0
    """How many arguments after the tool's name are the backend's fixed settings, left out of
    messages (``-c credential.helper=…``): the user sees the command that failed."""

    @property
    def shown(self) -> str:
        """The command as messages show it: fixed settings left out, credentials redacted."""
        return shown_command((self.argv[0], *self.argv[1 + self.fixed :]))


def environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The tool's environment: ours without pip's and pinset's credential-carrying settings
    (:func:`pinset._subprocess.scrubbed_environ`) and :data:`_DROPPED`, plus ``extra`` and
    ``LC_ALL=C``."""
    env = {k: v for k, v in scrubbed_environ(os.environ).items() if k not in _DROPPED}
    env["LC_ALL"] = "C"
    if "PATH" in env:
        env["PATH"] = without_virtual_environments(env["PATH"])
    env.update(extra)
    return env


def without_virtual_environments(path: str) -> str:
    """``path`` without the ``bin`` directories of virtual environments: a tool that embeds the
    system's Python (Debian's ``brz``) finds its modules through the first ``python3`` on
    ``PATH``, and an activated venv's breaks it. The tool itself is still found on the full
    ``PATH``."""
    kept = [
        d for d in path.split(os.pathsep) if not os.path.isfile(os.path.join(d, "..", "pyvenv.cfg"))
    ]
    return os.pathsep.join(kept)


def run(invocation: Invocation, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Run ``invocation``; its standard output, or :class:`VcsError`."""
    done = _run(invocation, timeout)
    if done.returncode != 0:
        raise VcsError(
            f"{invocation.shown} failed (exit status {done.returncode})",
            note=redact_text(_tail(done.stderr or done.stdout)),
        )
    return done.stdout.decode("utf-8", "replace")


def probe(invocation: Invocation, *, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """Run ``invocation``; its standard output, or ``None`` when the tool says no (exits
    non-zero). A missing tool or a timeout is still a :class:`VcsError`."""
    done = _run(invocation, timeout)
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _run(invocation: Invocation, timeout: float) -> Captured:
    tool = invocation.argv[0]
    executable = shutil.which(tool)
    if executable is None:
        raise ToolMissing(
            f"{tool} is needed for this source but was not found on PATH",
            hint=_INSTALL_HINT.get(tool, f"install {tool}"),
        )
    try:
        done = run_captured(
            [executable, *invocation.argv[1:]],
            env=environment(invocation.env),
            cwd=invocation.cwd,
            stdin=invocation.stdin,
            timeout=timeout,
        )
    except OSError as exc:
        raise VcsError(f"{tool} could not be started: {exc.strerror}") from None
    if done.returncode is None:
        raise VcsError(f"{invocation.shown} took longer than {timeout:g} seconds and was stopped")
    return done


def _tail(output: bytes, lines: int = 20) -> str:
    text = output.decode("utf-8", "replace").rstrip()
    return "\n".join(text.splitlines()[-lines:])
