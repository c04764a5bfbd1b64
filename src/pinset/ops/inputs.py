"""What the user asked for: requirement files (``-r``), constraints (``-c`` and configured
ones), requirement strings given on the command line and ``-e`` values, read into one
:class:`Inputs` (parsing only: no network besides fetching files included by URL)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pinset._dataclass import dataclass, replace
from pinset.errors import Diagnostic
from pinset.lockfile.names import is_pylock
from pinset.requirements import FileOptions, Requirement, RequirementsFile, parse_file, parse_text

COMMAND_LINE = "<command line>"


@dataclass(frozen=True)
class Inputs:
    requirements: tuple[Requirement, ...]
    constraints: tuple[Requirement, ...]
    options: tuple[FileOptions, ...]
    """The file options of every file read, in reading order (for the session to merge)."""
    diagnostics: tuple[Diagnostic, ...]
    sources: tuple[str, ...] = ()
    """Every file read (absolute path or URL), includes too: what a no-op verdict depends on."""
    locked: tuple[str, ...] = ()
    """The ``pylock.toml`` files among them: their packages are installed as they are."""

    @property
    def hashes_given(self) -> bool:
        return any(r.hashes for r in self.requirements)


def _quote_editable(value: str) -> str:
    return f"-e {value}"


def read_inputs(
    *,
    requirements: Sequence[str] = (),
    files: Sequence[str] = (),
    constraints: Sequence[str] = (),
    editables: Sequence[str] = (),
    environ: Mapping[str, str],
    cwd: Path,
    fetch: Callable[[str], str] | None = None,
) -> Inputs:
    """Parse everything; raises RequirementsError listing every problem of a file."""
    parsed: list[RequirementsFile] = []
    lines = [*requirements, *(_quote_editable(e) for e in editables)]
    if lines:
        parsed.append(parse_text("\n".join(lines), COMMAND_LINE, environ=environ, cwd=cwd))
    locked = tuple(name for name in files if is_pylock(name))
    for name in files:
        if name in locked:
            parsed.append(_pylock(name, cwd))
        else:
            parsed.append(parse_file(name, fetch=fetch, environ=environ, cwd=cwd))
    for name in constraints:
        parsed.append(parse_file(name, constraint=True, fetch=fetch, environ=environ, cwd=cwd))
    return Inputs(
        requirements=tuple(r for f in parsed for r in f.requirements),
        constraints=tuple(c for f in parsed for c in f.constraints),
        options=tuple(f.options for f in parsed),
        diagnostics=tuple(d for f in parsed for d in f.diagnostics),
        sources=tuple(i.key for f in parsed for i in f.files if i.key),
        locked=locked,
    )


def _pylock(name: str, cwd: Path) -> RequirementsFile:
    """A ``pylock.toml`` read as the requirements that install exactly its packages."""
    from pinset.lockfile import pylock

    path = cwd / name
    text = pylock.as_requirements(pylock.load(path), path.parent)
    read = parse_text(text, str(path), environ={}, cwd=path.parent)
    return replace(read, origin=name)
