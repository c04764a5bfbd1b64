"""``download`` and ``wheel``: the files of a resolved set, saved into a directory, so that a
deployment installs offline with ``pinset install --no-index -f DIR``.

The set is resolved for the interpreter ``install`` would target, or for another machine
described by ``--platform``/``--python-version``/``--implementation``/``--abi``
(:mod:`pinset.environment.foreign`), as if nothing were installed. Every file is fetched and
verified (the index's hashes, ``--hash``) before the first one is written into the directory;
each is written under a temporary name and renamed into place. A file already there with the
same sha256 is kept.

An sdist's dependencies come from its metadata, prepared by its build backend (as ``install``
does); ``download`` saves the sdist itself, ``wheel`` saves the wheel built from it (found in
the built-wheel cache, or built now). In hash-checking mode an sdist's hashes are its own, also
for ``wheel``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pinset._dataclass import dataclass, field
from pinset.dists import Candidate, InstalledDist, LocalWheel
from pinset.environment.foreign import ForeignTarget, foreign_interpreter
from pinset.errors import IntegrityError, UsageError
from pinset.interpreter import Interpreter
from pinset.kinds import Buildable
from pinset.ops.events import Listener, Phase
from pinset.ops.inputs import Inputs, read_inputs
from pinset.ops.target import choose_target
from pinset.settings import Settings

if TYPE_CHECKING:
    from pinset.ops.hashes import UserHashes
    from pinset.session import IndexSource, Session

Warn = Callable[[str], None]


@dataclass(frozen=True)
class DownloadRequest:
    dest: Path
    requirements: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    foreign: ForeignTarget = field(default_factory=ForeignTarget)
    wheels_only: bool = False
    """``wheel -w``: every file must be a wheel (pinset does not build sdists yet)."""


@dataclass(frozen=True)
class Saved:
    name: str
    version: str
    filename: str
    already_there: bool


@dataclass(frozen=True)
class DownloadResult:
    dest: Path
    saved: tuple[Saved, ...]
    python_version: str
    platform: str


def _inputs(
    request: DownloadRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> Inputs:
    from pinset.ops.install import lazy_fetch

    inputs = read_inputs(
        requirements=request.requirements,
        files=request.files,
        constraints=(*request.constraints, *settings.constraints.value),
        environ=environ,
        cwd=cwd,
        fetch=lazy_fetch(settings, environ),
    )
    for req in inputs.requirements:
        if req.editable:
            raise UsageError(
                f"an editable requirement cannot be downloaded: -e {req.raw}",
                where=req.origin if req.origin.line > 0 else None,
                hint="name the project without -e",
            )
    if not any(not r.constraint for r in inputs.requirements):
        raise UsageError(
            "nothing to download: give requirements or -r FILE",
            hint="e.g. pinset download -d wheelhouse -r requirements.txt",
        )
    return inputs


def _interpreter(
    request: DownloadRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> Interpreter:
    target = choose_target(settings, environ=environ, cwd=cwd, check_managed=False, changes=False)
    base = target.interpreter  # only read: files go into the directory asked for
    return foreign_interpreter(base, request.foreign)


def download(
    request: DownloadRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    on_event: Listener | None = None,
    on_warning: Warn | None = None,
) -> DownloadResult:
    """Resolve ``request`` for its target and save every file of the set into its ``dest``."""
    from pinset.ops.hashes import check_lines, check_pins, commit_finder, user_hashes
    from pinset.ops.install import open_session, uses_hashes
    from pinset.ops.pipeline import exact_pins
    from pinset.resolve import resolve

    event = on_event or (lambda e: None)
    inputs = _inputs(request, settings, environ, cwd)
    hash_mode = uses_hashes(settings, inputs)
    if hash_mode:
        check_lines(inputs.requirements, commit_finder(settings))
    interp = _interpreter(request, settings, environ, cwd)

    with open_session(settings, inputs, environ, on_warning, event) as session:
        source = session.source(interp, no_deps=settings.no_deps.value)
        source.will_install(exact_pins(inputs))
        event(Phase("Resolving dependencies"))
        resolution = resolve(
            inputs.requirements,
            constraints=inputs.constraints,
            source=source,
            installed={},
            markers=interp.markers,
            pre=session.options.index.pre,
        )
        pins = [p for p in resolution.pins.values() if not isinstance(p, InstalledDist)]
        hashes = user_hashes((*inputs.requirements, *inputs.constraints))
        event(Phase(f"Downloading {len(pins)} files", len(pins), "files"))
        files = _fetch_all(session, source, pins, hashes if hash_mode else {}, request.wheels_only)
        if hash_mode:
            by_name = {f.name: f.sha256 for f in files}
            check_pins(pins, hashes, lambda c: _source_sha256(source, c) or by_name[c.name])
        saved = tuple(_save(f, request.dest) for f in files)
    platform = next((t.platform for t in interp.tags if t.platform != "any"), "any")
    return DownloadResult(request.dest, saved, interp.markers["python_full_version"], platform)


def _fetch_all(
    session: Session,
    source: IndexSource,
    pins: Sequence[Candidate],
    required: UserHashes,
    wheels: bool,
) -> list[LocalWheel]:
    """Every file downloaded (or found locally) and verified, on the HTTP pool; with
    ``wheels``, what is not a wheel is built into one."""
    from pinset.distribution.fetch import fetch_file

    client, cache, scratch = session.client, session.cache, session.scratch

    def one(c: Candidate) -> LocalWheel:
        if wheels and isinstance(c.kind, Buildable):
            return source.builder.wheel(c)
        return fetch_file(client, cache, c, scratch, required=required.get(c.name))

    return client.map_parallel(one, pins)


def _source_sha256(source: IndexSource, candidate: Candidate) -> str | None:
    """The sha256 of a buildable candidate's archive (what ``--hash`` values describe)."""
    if not isinstance(candidate.kind, Buildable):
        return None
    return source.builder.source_sha256(candidate)


def _safe_name(filename: str) -> str:
    if filename in ("", ".", "..") or os.path.basename(filename) != filename or "\\" in filename:
        raise IntegrityError(f"refusing to save a file named {filename!r}")
    return filename


def _save(file: LocalWheel, dest: Path) -> Saved:
    """``file`` copied into ``dest`` under its own name (kept when already there, same sha256)."""
    from pinset.distribution.fetch import file_digests

    assert file.candidate is not None
    built = file.path.name.endswith(".whl") and not file.candidate.is_wheel
    name = _safe_name(file.path.name if built else file.candidate.link.filename)
    final = dest / name
    version = str(file.version)
    if final.is_file() and file_digests(final, ())["sha256"] == file.sha256:
        return Saved(file.name, version, name, already_there=True)
    dest.mkdir(parents=True, exist_ok=True)
    partial = dest / f".{name}.pinset-partial"
    try:
        shutil.copyfile(file.path, partial)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return Saved(file.name, version, name, already_there=False)
