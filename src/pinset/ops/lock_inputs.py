"""``lock``'s project inputs: the dependencies a project declares, read without building it.

``pyproject.toml`` (``[project] dependencies`` and ``optional-dependencies``) and
``setup.cfg`` (``[options] install_requires`` and ``[options.extras_require]``, with
setuptools' list rules: one per line, else ``;``-separated on one line; ``file:`` names
files inside the project), as pip-compile and ``uv pip compile`` accept them; ``--extra``
adds an extra's dependencies, ``--all-extras`` every one. The result reads as a
requirements file whose origin is the project file (``# via -r setup.cfg``).

A ``setup.py`` declares nothing readable: it is read as its directory (``/dir[extra]``), whose
metadata the resolution gets from the build layer (``prepare_metadata_for_build_wheel``, as
for any local tree); :func:`own_urls` names it so that the lock leaves the project itself out.

Hostile input: a dependency is a PEP 508 string, never a requirements-file option.
"""

from __future__ import annotations

import configparser
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from pinset._dataclass import dataclass

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from pinset.errors import UsageError
from pinset.requirements import Requirement, RequirementsFile, parse_text

PROJECT_FILES = frozenset({"pyproject.toml", "setup.cfg", "setup.py"})


@dataclass(frozen=True)
class Declared:
    """What a project file declares: its dependencies and each extra's."""

    dependencies: tuple[str, ...]
    extras: Mapping[str, tuple[str, ...]]


def is_project_file(name: str) -> bool:
    return Path(name).name in PROJECT_FILES


def read_project(
    name: str, cwd: Path, extras: Sequence[str] = (), all_extras: bool = False
) -> RequirementsFile:
    """The requirements ``name`` (a ``pyproject.toml`` or ``setup.cfg``) declares, with the
    asked extras' (an extra it does not declare is a :class:`UsageError`)."""
    path = cwd / name
    if path.name == "setup.py":
        return _setup_py(name, path, extras, all_extras)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {name}: {exc}") from None
    declared = (
        _pyproject(name, text)
        if path.name == "pyproject.toml"
        else _setup_cfg(name, text, path.parent)
    )
    lines = [*declared.dependencies, *_extras(name, declared, extras, all_extras)]
    for line in lines:
        if line.lstrip().startswith("-"):
            raise UsageError(f"{name}: {line!r} is not a dependency (PEP 508)")
    return parse_text("\n".join(lines), name, environ={}, cwd=path.parent)


def _extras(name: str, declared: Declared, wanted: Sequence[str], every: bool) -> list[str]:
    by_name = {canonicalize_name(k): v for k, v in declared.extras.items()}
    chosen = list(by_name) if every else [canonicalize_name(e) for e in wanted]
    unknown = [e for e in chosen if e not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name)) or "none"
        raise UsageError(
            f"{name} declares no extra {', '.join(unknown)}",
            hint=f"its extras: {known}",
        )
    return [line for extra in dict.fromkeys(chosen) for line in by_name[extra]]


def _pyproject(name: str, text: str) -> Declared:
    try:
        project = tomllib.loads(text).get("project", {})
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{name} is not valid TOML: {exc}") from None
    dependencies = project.get("dependencies", [])
    if not _strings(dependencies):
        raise UsageError(f"{name}: [project] dependencies is not a list of strings")
    optional = project.get("optional-dependencies", {})
    if not isinstance(optional, dict) or not all(_strings(v) for v in optional.values()):
        raise UsageError(f"{name}: [project.optional-dependencies] is not a table of lists")
    return Declared(tuple(dependencies), {k: tuple(v) for k, v in optional.items()})


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(d, str) for d in value)


def _setup_cfg(name: str, text: str, root: Path) -> Declared:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=name)
    except configparser.Error as exc:
        raise UsageError(f"{name} is not a valid setup.cfg: {exc}") from None
    install = parser.get("options", "install_requires", fallback="")
    section = "options.extras_require"
    extras = parser[section] if parser.has_section(section) else {}
    return Declared(
        _cfg_list(name, install, root),
        {k: _cfg_list(name, v, root) for k, v in extras.items()},
    )


def _cfg_list(name: str, value: str, root: Path) -> tuple[str, ...]:
    """setuptools' requirement list: ``file:`` read first; one per line, else
    ``;``-separated; comment lines dropped."""
    value = _file_directive(name, value, root)
    parts = value.splitlines() if "\n" in value else value.split(";")
    return tuple(p.strip() for p in parts if p.strip() and not p.strip().startswith("#"))


def _file_directive(name: str, value: str, root: Path) -> str:
    text = value.strip()
    if not text.startswith("file:"):
        return value
    contents = []
    for part in text[len("file:") :].split(","):
        path = (root / part.strip()).resolve()
        if not path.is_relative_to(root.resolve()):
            raise UsageError(f"{name}: file: {part.strip()} is outside the project")
        try:
            contents.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{name}: cannot read {part.strip()}: {exc}") from None
    return "\n" + "\n".join(contents)


def _setup_py(name: str, path: Path, extras: Sequence[str], all_extras: bool) -> RequirementsFile:
    if all_extras:
        raise UsageError(
            f"{name}: --all-extras needs the extras declared statically",
            hint="name them with --extra, or declare them in setup.cfg or pyproject.toml",
        )
    if not path.is_file():
        raise UsageError(f"cannot read {name}: no such file")
    wanted = f"[{','.join(extras)}]" if extras else ""
    root = path.parent.resolve()
    return parse_text(f"{root}{wanted}", name, environ={}, cwd=root)


def own_urls(requirements: Sequence[Requirement]) -> frozenset[str]:
    """The URLs of the projects read from a ``setup.py`` input (not pins of the lock)."""
    return frozenset(
        r.url for r in requirements if r.url and Path(r.origin.file).name == "setup.py"
    )
