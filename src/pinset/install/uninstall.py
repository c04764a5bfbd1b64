"""What uninstalling a distribution removes: exactly the files its RECORD lists (or a legacy
``.egg-info``'s ``installed-files.txt``), their ``__pycache__`` bytecode, and its metadata
directory, all inside the environment.

A RECORD entry that points outside the environment (after normalising ``..``) refuses the whole
uninstall: nothing is removed that pinset cannot prove belongs to the environment. Removal itself
happens in a transaction (:mod:`pinset.install.transaction`), which stashes the files so that a
failure puts them back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from pinset._dataclass import dataclass, replace
from pinset.dists import InstalledDist
from pinset.errors import InstallError
from pinset.install.record import parse_record


@dataclass(frozen=True)
class Removal:
    """The files (and symlinks) to remove for one distribution, and directories to prune."""

    dist: InstalledDist
    files: tuple[Path, ...]
    directories: tuple[Path, ...]
    drop_lines: tuple[tuple[Path, str], ...] = ()
    """Lines to take out of shared files (a legacy editable's line in ``easy-install.pth``)."""


class Guard:
    """Decides whether paths are inside an environment's ``roots``, both as written (``..``
    normalised) and with their directory's symbolic links resolved, so that a linked directory
    cannot lead outside. Resolved directories are remembered: checking many files is cheap."""

    def __init__(self, roots: Iterable[Path]) -> None:
        roots = tuple(roots)
        self._lexical = [_norm(os.path.abspath(r)) for r in roots]
        self._real = [_norm(os.path.realpath(r)) for r in roots]
        self._dirs: dict[str, bool] = {}

    def __call__(self, path: str | os.PathLike[str]) -> bool:
        lexical = os.path.normpath(os.path.abspath(path))
        directory = os.path.dirname(lexical)
        ok = self._dirs.get(directory)
        if ok is None:
            real_dir = os.path.realpath(directory)
            ok = _under(directory, self._lexical) and _under(real_dir, self._real)
            self._dirs[directory] = ok
        return ok and _under(lexical, self._lexical)


def inside(path: Path, roots: Iterable[Path]) -> bool:
    """True when ``path`` is under one of ``roots`` (see :class:`Guard`)."""
    return Guard(roots)(path)


def _norm(path: str) -> str:
    return os.path.normcase(os.path.normpath(path))


def _under(path: str, bases: list[str]) -> bool:
    text = os.path.normcase(path)
    return any(text == base or text.startswith(base.rstrip(os.sep) + os.sep) for base in bases)


def removal_for(dist: InstalledDist, roots: Iterable[Path]) -> Removal:
    """What to remove for ``dist``; ``roots`` are the environment's directories."""
    roots = tuple(roots)
    meta = dist.path
    listed = listed_paths(dist)
    guard = Guard(roots)
    bytecode = _Bytecode()
    files: dict[Path, None] = {}
    for path in listed:
        if not guard(path):
            raise InstallError(
                f"cannot uninstall {dist.name} {dist.version}: its file list names "
                f"{path}, which is outside the environment",
                hint="nothing was removed; inspect the RECORD file of this installation",
            )
        source = Path(path)
        files[source] = None
        files.update(dict.fromkeys(bytecode.of(source)))
    if meta.is_dir():
        files.update(dict.fromkeys(p for p in sorted(meta.rglob("*")) if not p.is_dir()))
    present = tuple(p for p in files if os.path.lexists(p) and not _is_real_dir(p))
    directories = {p.parent for p in present}
    directories.add(meta)
    return Removal(dist, present, tuple(sorted(directories)), _easy_install_line(meta))


def _easy_install_line(link: Path) -> tuple[tuple[Path, str], ...]:
    """For a legacy editable (``NAME.egg-link``): its line in ``easy-install.pth`` beside it
    (the linked directory), which pip removes with it."""
    if link.suffix != ".egg-link":
        return ()
    try:
        target = link.read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, UnicodeDecodeError, IndexError):
        return ()
    return ((link.parent / "easy-install.pth", target),) if target else ()


def without_line(path: Path, line: str) -> bytes | None:
    """``path``'s contents without the lines that name the directory ``line`` names; None
    when it has no such line (or cannot be read)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return None
    kept = [text for text in lines if _norm(text.strip()) != _norm(line)]
    return None if len(kept) == len(lines) else "".join(kept).encode("utf-8")


def listed_paths(dist: InstalledDist) -> list[str]:
    """The files ``dist``'s RECORD (or legacy ``installed-files.txt``) lists, normalised;
    :class:`InstallError` when it has no readable list."""
    meta = dist.path
    if meta.suffix == ".dist-info":
        return _record_paths(dist)
    if meta.suffix == ".egg-info" and meta.is_dir():
        return _installed_files(dist)
    if meta.suffix == ".egg-link":  # a legacy editable: the link goes, the tree stays
        return [os.path.normpath(meta)]
    raise InstallError(
        f"cannot uninstall {dist.name} {dist.version}: it was installed by a tool that "
        "recorded no file list",
        hint="remove its files by hand, or reinstall over it with --ignore-installed",
    )


def files_of(dists: Iterable[InstalledDist]) -> dict[str, InstalledDist]:
    """Every file the lists of ``dists`` name, with (one of) the distributions naming it; a
    distribution without a readable list names nothing."""
    owners: dict[str, InstalledDist] = {}
    for dist in dists:
        try:
            paths = listed_paths(dist)
        except InstallError:
            continue
        for path in paths:
            owners.setdefault(path, dist)
    return owners


def spare_shared(removals: list[Removal], staying: Iterable[InstalledDist]) -> list[Removal]:
    """``removals`` without the files that a distribution which stays also lists: a file two
    distributions shipped (the later one overwrote it) goes with the last of them, so that
    uninstalling one does not break the other."""
    if not removals:
        return removals
    kept = files_of(staying)
    if not kept:
        return removals
    return [
        replace(r, files=tuple(p for p in r.files if os.fspath(p) not in kept)) for r in removals
    ]


def _is_real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _normal(base: str, relative: str) -> str:
    """``base/relative`` normalised; ``base`` must be normalised already. A plain relative
    path (no ``.`` or ``..`` part, no empty part) is joined without ``normpath``, which costs
    more than reading the RECORD it comes from."""
    plain = not (
        relative.startswith("/")
        or relative.endswith((".", "/"))
        or "./" in relative
        or "//" in relative
    )
    if plain and os.sep == "/" and relative:
        return f"{base}/{relative}"
    return os.path.normpath(os.path.join(base, relative))


def _record_paths(dist: InstalledDist) -> list[str]:
    record = dist.path / "RECORD"
    try:
        rows = parse_record(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InstallError(
            f"cannot uninstall {dist.name} {dist.version}: its RECORD file is missing or invalid",
            where=str(record),
            hint="reinstall it with --force-reinstall, or remove its files by hand",
        ) from exc
    base = os.path.normpath(dist.path.parent)
    return [_normal(base, row.path) for row in rows]


def _installed_files(dist: InstalledDist) -> list[str]:
    listing = dist.path / "installed-files.txt"
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InstallError(
            f"cannot uninstall {dist.name} {dist.version}: legacy installation without "
            "installed-files.txt",
            where=str(dist.path),
            hint="remove its files by hand",
        ) from exc
    base = os.path.normpath(dist.path)
    return [_normal(base, line.strip()) for line in lines if line.strip()]


class _Bytecode:
    """The bytecode files of sources, from each ``__pycache__`` listed once (a package of
    thousands of modules must not list its cache once per module)."""

    def __init__(self) -> None:
        self._listings: dict[Path, dict[str, list[Path]]] = {}

    def of(self, source: Path) -> list[Path]:
        """``__pycache__/<stem>.<tag>[.opt-N].pyc`` of ``source`` for every tag present."""
        if source.suffix != ".py":
            return []
        cache = source.parent / "__pycache__"
        by_stem = self._listings.get(cache)
        if by_stem is None:
            by_stem = self._listings[cache] = _by_stem(cache)
        return by_stem.get(source.stem, [])


def _by_stem(cache: Path) -> dict[str, list[Path]]:
    """The ``.pyc`` files in ``cache`` by the stem of their source: ``a.b.cpython-312.pyc`` is
    ``a.b.py``'s, never ``a.py``'s (a cache tag has no dot)."""
    try:
        names = sorted(os.listdir(cache))
    except OSError:
        return {}
    found: dict[str, list[Path]] = {}
    for name in names:
        if not name.endswith(".pyc"):
            continue
        stem, _dot, tag = name[: -len(".pyc")].rpartition(".")
        if tag.startswith("opt-"):
            stem, _dot, tag = stem.rpartition(".")
        if stem and tag:
            found.setdefault(stem, []).append(cache / name)
    return found
