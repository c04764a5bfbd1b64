"""A source tree's ``[build-system]`` (PEP 517/518), read as hostile input.

- No ``pyproject.toml``, or one without ``[build-system]``: the tree builds as pip builds it,
  with ``setuptools>=40.8.0`` and the ``setuptools.build_meta:__legacy__`` backend (``setup.py``
  run as a script). A ``[build-system]`` with ``requires`` but no ``build-backend`` uses the
  same legacy backend with the requirements given (PEP 517).
- ``requires`` must be a list of requirement strings, each valid (PEP 508); ``build-backend`` a
  ``module[.sub][:object]`` reference; ``backend-path`` a list of relative paths that stay
  inside the tree once symbolic links are followed (an in-tree backend cannot reach outside).
- A ``pyproject.toml`` over 1 MiB, not UTF-8 or not TOML is an error naming the file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from pinset._dataclass import dataclass
from pinset.errors import BuildError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

LEGACY_REQUIRES = ("setuptools>=40.8.0",)
LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
MAX_PYPROJECT = 1024 * 1024
_BACKEND = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*)?$")


@dataclass(frozen=True)
class BuildSystem:
    """What builds a tree: requirements, backend, in-tree backend paths (absolute)."""

    requires: tuple[str, ...]
    backend: str
    backend_path: tuple[str, ...] = ()
    """Relative to the tree, checked to stay inside it."""
    declared: bool = True
    """False when the tree has no ``[build-system]`` and pip's legacy defaults apply."""


def read_build_system(tree: Path) -> BuildSystem:
    """The build system of the source tree at ``tree``."""
    path = tree / "pyproject.toml"
    if not path.is_file():
        return BuildSystem(LEGACY_REQUIRES, LEGACY_BACKEND, declared=False)
    table = _load(path).get("build-system")
    if table is None:
        return BuildSystem(LEGACY_REQUIRES, LEGACY_BACKEND, declared=False)
    if not isinstance(table, dict):
        raise _invalid(path, "[build-system] is not a table")
    if "requires" not in table:
        raise _invalid(path, "[build-system] has no 'requires' list", hint=_REQUIRES_HINT)
    requires = _requires(path, table["requires"])
    backend = table.get("build-backend", LEGACY_BACKEND)
    if not isinstance(backend, str) or not _BACKEND.match(backend):
        raise _invalid(path, f"build-backend {backend!r} is not a 'module:object' reference")
    return BuildSystem(requires, backend, _backend_path(tree, path, table.get("backend-path")))


_REQUIRES_HINT = 'PEP 518 needs it, e.g. requires = ["setuptools>=61"]'


def _load(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PYPROJECT + 1)
    except OSError as exc:
        raise BuildError(f"cannot read {path}: {exc.strerror}", where=str(path)) from exc
    if len(data) > MAX_PYPROJECT:
        raise _invalid(path, "pyproject.toml is larger than 1 MiB")
    try:
        loaded: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _invalid(path, "pyproject.toml is not UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise _invalid(path, f"pyproject.toml is not valid TOML: {exc}") from exc
    return loaded


def _requires(path: Path, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid(path, "[build-system] requires is not a list of strings")
    for item in value:
        try:
            Requirement(item)
        except InvalidRequirement as exc:
            raise _invalid(path, f"build requirement {item!r} is invalid: {exc}") from exc
    return tuple(value)


def _backend_path(tree: Path, path: Path, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid(path, "[build-system] backend-path is not a list of strings")
    root = tree.resolve()
    out: list[str] = []
    for item in value:
        if Path(item).is_absolute():
            raise _invalid(path, f"backend-path {item!r} is absolute; it must be inside the tree")
        resolved = (root / item).resolve()
        if resolved != root and root not in resolved.parents:
            raise _invalid(path, f"backend-path {item!r} leads outside the source tree")
        out.append(item)
    return tuple(out)


def _invalid(path: Path, message: str, *, hint: str | None = None) -> BuildError:
    return BuildError(message, where=str(path), hint=hint)
