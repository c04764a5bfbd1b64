"""PEP 751 ``pylock.toml``: a locked set built and validated with ``packaging.pylock``, written
as TOML (the standard library reads TOML but does not write it: :func:`dumps` writes the
subset a lock needs), and read back for installing.

A pin from an index lists every file of its version (``wheels``, ``sdist``), so that
:meth:`packaging.pylock.Pylock.select` picks the one that fits the machine installing; a
direct URL is an ``archive``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.pylock import (
    Package,
    PackageArchive,
    PackageSdist,
    PackageWheel,
    Pylock,
    PylockValidationError,
)
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import NormalizedName
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from pinset.errors import Diagnostic, IntegrityError, Location, RequirementsError, Severity
from pinset.links import Link
from pinset.lockfile.model import LockedPin, LockedSet

__all__ = ["as_requirements", "build", "dumps", "load", "loads", "pinned_versions"]

CREATED_BY = "pinset"


def build(locked: LockedSet) -> Pylock:
    """The validated :class:`Pylock` of ``locked``; what packaging refuses (a file whose name
    is another project's, as an index may list) is an :class:`IntegrityError`."""
    lock = Pylock(
        lock_version=Version("1.0"),
        created_by=CREATED_BY,
        packages=[_package(pin) for pin in sorted(locked.pins, key=lambda p: p.name)],
    )
    try:
        lock.validate()
    except PylockValidationError as exc:
        raise IntegrityError(
            f"cannot write a valid pylock.toml: {exc}",
            hint="lock to requirements.txt instead (--format requirements.txt)",
        ) from None
    return lock


def _hashes(link: Link) -> dict[str, str]:
    return {algo: value for algo, value in link.hashes}


def _package(pin: LockedPin) -> Package:
    requires = _specifier(pin.requires_python)
    if pin.url is not None:
        link = pin.files[0] if pin.files else None
        hashes = _hashes(link) if link else {h.split(":")[0]: h.split(":")[1] for h in pin.hashes}
        return Package(
            name=pin.name,
            version=Version(pin.version),
            requires_python=requires,
            archive=PackageArchive(url=pin.url, hashes=hashes),
        )
    wheels = [
        PackageWheel(name=f.filename, url=f.url, size=f.size, hashes=_hashes(f))
        for f in pin.files
        if f.is_wheel
    ]
    sdist = next(
        (
            PackageSdist(name=f.filename, url=f.url, size=f.size, hashes=_hashes(f))
            for f in pin.files
            if not f.is_wheel
        ),
        None,
    )
    return Package(
        name=pin.name,
        version=Version(pin.version),
        requires_python=requires,
        index=pin.index,
        wheels=wheels or None,
        sdist=sdist,
    )


def _specifier(text: str | None) -> SpecifierSet | None:
    if not text:
        return None
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def dumps(lock: Pylock) -> str:
    """``lock`` as TOML: top-level keys, then one ``[[packages]]`` table per package (its
    files as inline tables)."""
    data = lock.to_dict()
    lines = [f"{key} = {_value(value)}" for key, value in data.items() if key != "packages"]
    for package in data.get("packages", ()):
        lines += ["", "[[packages]]"]
        lines += [f"{key} = {_value(value)}" for key, value in package.items()]
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}"
    if isinstance(value, Sequence):
        if value and isinstance(value[0], Mapping):
            return "[\n" + "".join(f"    {_value(v)},\n" for v in value) + "]"
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key)


def load(path: Path) -> Pylock:
    """A pylock file read and validated; a problem is a :class:`RequirementsError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(str(path), exc) from None
    return loads(text, str(path))


def loads(text: str, where: str) -> Pylock:
    """A pylock's text read and validated (``where`` names it in a problem)."""
    try:
        return Pylock.from_dict(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, PylockValidationError) as exc:
        raise _invalid(where, exc) from None


def _invalid(where: str, exc: Exception) -> RequirementsError:
    problem = Diagnostic(
        Severity.ERROR,
        f"not a valid pylock.toml: {exc}",
        where=Location(where, 1, 1),
        hint="write it again with `pinset lock --format pylock`",
    )
    return RequirementsError((problem,))


def pinned_versions(lock: Pylock) -> dict[NormalizedName, Version]:
    """The version of each package (a lock's pins, to keep)."""
    return {p.name: p.version for p in lock.packages if p.version is not None}


def as_requirements(lock: Pylock, base: Path) -> str:
    """A pylock as requirements-file text that installs exactly its packages: ``--no-index``,
    every file of the lock as a ``--find-links`` URL, each package pinned with the hashes of
    its files (so that the run checks hashes); a direct archive as ``name @ url``. Relative
    ``path`` entries are relative to ``base``, the lock's directory."""
    lines = ["--no-index"]
    for package in lock.packages:
        files = _files_of(package)
        lines += [f"--find-links {_located(f, base)}" for f in files]
        hashes = sorted({f"{algo}:{value}" for f in files for algo, value in f.hashes.items()})
        marker = f" ; {package.marker}" if package.marker is not None else ""
        if package.archive is not None:
            where = _where(package.archive.url, package.archive.path, base)
            spec = f"{package.name} @ {where}"
        elif package.version is not None and files:
            spec = f"{package.name}=={package.version}"
        else:
            raise _unsupported(package)
        lines.append(spec + marker + "".join(f" --hash={h}" for h in hashes))
    return "\n".join(lines) + "\n"


def _files_of(package: Package) -> list[PackageWheel | PackageSdist | PackageArchive]:
    if package.archive is not None:
        return [package.archive]
    files: list[PackageWheel | PackageSdist | PackageArchive] = list(package.wheels or ())
    if package.sdist is not None:
        files.append(package.sdist)
    return files


def _located(file: PackageWheel | PackageSdist | PackageArchive, base: Path) -> str:
    """Where a file of the lock is, with ``#sha256=`` when the lock has it (a download is
    then cached under it, and a later offline run finds it)."""
    where = _where(file.url, file.path, base)
    sha256 = file.hashes.get("sha256")
    if not sha256:
        return where
    return f"{where}{'&' if '#' in where else '#'}sha256={sha256}"


def _where(url: str | None, path: str | None, base: Path) -> str:
    if url is not None:
        return url
    assert path is not None  # validated: a file has a url or a path
    return (base / path).resolve().as_uri()


def _unsupported(package: Package) -> RequirementsError:
    kind = "a VCS checkout" if package.vcs is not None else "a directory"
    problem = Diagnostic(
        Severity.ERROR,
        f"{package.name}: installing {kind} from a pylock.toml is not supported yet",
        hint="lock it from an index or an archive URL instead",
    )
    return RequirementsError((problem,))
