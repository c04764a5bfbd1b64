"""The build key: a digest of every file a build reads and of the interpreter it uses.

Files: the requirements file and every file it includes (``-r``/``-c``, as
:class:`~pinset.requirements.RequirementsFile` lists them; an include by URL counts by its
URL), every local path a requirement names (a file by its bytes, a directory by the names,
sizes and modification times of its files, ``.git`` and environments left out; an editable
directory, ``-e .``, by the files its metadata is made from,
:func:`pinset.source_tree.inputs_fingerprint`: its modules are read where they are, so editing
one needs no build), and the Python version file. An application without requirements file
is ``-e .``: its key covers its metadata inputs (``pyproject.toml``, ``setup.py``,
``setup.cfg``). Interpreter: its path and full version. The key is kept in the environment
(``pinset-app.json`` at its root), so that it moves and is cached with it; the interpreter is
kept apart, since a change of Python rebuilds from scratch.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from pinset._dataclass import dataclass
from pinset._fs import atomic_write_text
from pinset.interpreter import Interpreter
from pinset.requirements import RequirementsFile
from pinset.source_tree import METADATA_INPUTS, inputs_fingerprint
from pinset.urls import is_file_url, url_to_path

STAMP = "pinset-app.json"
_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".bzr", ".venv", "__pycache__", ".tox"})


@dataclass(frozen=True)
class BuildKey:
    digest: str
    python: str
    """The interpreter: path and full version (a change rebuilds from scratch)."""
    files: tuple[str, ...]
    """Every file and directory the digest covers, for the summary."""


@dataclass(frozen=True)
class _Input:
    name: str
    path: Path | None
    """None: a URL, counted by its text."""
    editable: bool = False


def build_key(
    root: Path, parsed: RequirementsFile | None, version_file: Path | None, interp: Interpreter
) -> BuildKey:
    """The key of a build of the application at ``root`` from ``parsed`` (None: the project
    at ``root`` as ``-e .``) with ``interp``.

    Files inside ``root`` count by their path relative to it: the same sources checked out
    elsewhere (a platform's new build directory) have the same key."""
    digest = hashlib.sha256()
    files: list[str] = []
    inputs = _inputs(parsed) if parsed is not None else [_Input(str(root), root, True)]
    if version_file is not None:
        inputs.append(_Input(str(version_file), version_file))
    for item in inputs:
        shown = _relative(root, item.path) if item.path is not None else item.name
        files += _shown_files(shown, item)
        _feed(digest, shown, item)
    python = f"{interp.executable} {interp.version_text}"
    digest.update(python.encode())
    return BuildKey(digest.hexdigest(), python, tuple(dict.fromkeys(files)))


def _shown_files(shown: str, item: _Input) -> list[str]:
    """What the summary lists for an input: an editable directory's metadata inputs."""
    if not item.editable or item.path is None:
        return [shown]
    return [str(Path(shown, n)) for n in METADATA_INPUTS if (item.path / n).is_file()]


def _inputs(parsed: RequirementsFile) -> list[_Input]:
    found: list[_Input] = []
    for included in parsed.files:
        name = included.key or included.file
        found.append(_Input(name, None if _is_url(name) else Path(name)))
    return found + list(_local_paths(parsed))


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _is_url(name: str) -> bool:
    return "://" in name


def _local_paths(parsed: RequirementsFile) -> Iterable[_Input]:
    for req in (*parsed.requirements, *parsed.constraints):
        if req.url is not None and is_file_url(req.url):
            path = url_to_path(req.url.partition("#")[0])
            yield _Input(str(path), path, req.editable and path.is_dir())


def _feed(digest: hashlib._Hash, name: str, item: _Input) -> None:
    digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
    path = item.path
    if path is None:
        return
    if item.editable:
        digest.update(f"editable {inputs_fingerprint(path)}".encode())
        return
    if path.is_dir():
        for line in _tree_lines(path):
            digest.update(line.encode("utf-8", "surrogateescape"))
        return
    try:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        digest.update(b"missing")


def _tree_lines(root: Path) -> Iterable[str]:
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in sorted(names):
            path = Path(top, name)
            try:
                info = path.lstat()
            except OSError:
                continue
            yield f"{path.relative_to(root)} {info.st_size} {info.st_mtime_ns}\n"


def read_stamp(venv: Path) -> BuildKey | None:
    """The key the environment at ``venv`` was built with (None: not built by ``app build``)."""
    try:
        data = json.loads((venv / STAMP).read_text(encoding="utf-8"))
        return BuildKey(str(data["digest"]), str(data["python"]), tuple(data["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_stamp(venv: Path, key: BuildKey) -> None:
    data = {"digest": key.digest, "python": key.python, "files": list(key.files)}
    atomic_write_text(venv / STAMP, json.dumps(data, indent=2) + "\n")
