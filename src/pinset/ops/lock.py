"""``lock`` (alias ``compile``): resolve loose inputs for a target and write every pin.

inputs (requirements files; ``pyproject.toml``'s ``[project] dependencies``) → the target
(this one, or another machine: :mod:`pinset.environment.foreign`) → the pins an existing
output keeps (unless ``-U``; ``-P NAME`` frees one) → resolve as ``install --dry-run`` would,
as if nothing were installed, the kept pins tried first → for ``--generate-hashes`` or
pylock, every file of each pinned version on the index → a :class:`LockResult` with the text
(pip-compile's format, or PEP 751). Never writes: the caller writes the text (atomically).

Index options are written as the inputs wrote them (``${TOKEN}`` stays a reference); a value
given with a literal credential on the command line or in configuration is written redacted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

from pinset.dists import Candidate
from pinset.environment.foreign import ForeignTarget, foreign_interpreter
from pinset.errors import BuildError, IntegrityError, PinsetError, ResolutionError, UsageError
from pinset.interpreter import Interpreter
from pinset.kinds import is_direct
from pinset.links import Link
from pinset.lockfile.model import LockedPin, LockedSet
from pinset.ops.events import Listener, Phase
from pinset.ops.inputs import Inputs
from pinset.requirements import FileOptions, RequirementsFile, parse_file, parse_text
from pinset.resolve import CandidateSource, Resolution
from pinset.settings import Settings

if TYPE_CHECKING:
    from pinset.index.finder import Finder
    from pinset.session import Session

Format = str
"""``requirements.txt`` (pip-compile's format) or ``pylock`` (PEP 751)."""
Warn = Callable[[str], None]


@dataclass(frozen=True)
class LockRequest:
    inputs: tuple[str, ...]
    output: str | None = None
    """The lock file (its pins are kept); None or ``-``: none (the text goes to stdout)."""
    format: Format | None = None
    constraints: tuple[str, ...] = ()
    generate_hashes: bool = False
    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()
    foreign: ForeignTarget = field(default_factory=ForeignTarget)
    command: str = "pinset lock"
    """The command line to name in the header (already redacted)."""


@dataclass(frozen=True)
class LockResult:
    locked: LockedSet
    format: Format
    kept: int
    """How many pins of the existing output were kept."""
    fast: bool = False
    """Resolved with the kept pins alone, no index page read."""


def lock_format(request: LockRequest) -> Format:
    """``--format``, else pylock for a ``pylock.toml``/``pylock.NAME.toml`` output."""
    if request.format is not None:
        return request.format
    from pinset.lockfile.names import is_pylock

    out = request.output
    return "pylock" if out not in (None, "-") and is_pylock(out) else "requirements.txt"


def lock(
    request: LockRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    on_event: Listener | None = None,
    warn: Warn | None = None,
) -> LockResult:
    """Resolve ``request``'s inputs for its target and return the locked set."""
    from pinset.ops.install import open_session

    event = on_event or (lambda e: None)
    fmt = lock_format(request)
    inputs = _inputs(request, settings, environ, cwd)
    interp = _interpreter(request, settings, environ, cwd)
    existing = {} if request.upgrade else _existing(request, fmt, cwd)
    freed = {canonicalize_name(n) for n in request.upgrade_packages}
    preferred = {n: v for n, v in existing.items() if n not in freed}
    with open_session(settings, inputs, environ, warn, event) as session:
        run = _Run(session, interp, inputs, preferred, event)
        resolution, pins, files = run.resolve(with_files=request.generate_hashes or fmt == "pylock")
    locked = LockedSet(
        pins=tuple(
            _locked(c, resolution, inputs, files.get(c.name, ()), request.generate_hashes)
            for c in pins
        ),
        command=request.command,
        python=".".join(interp.markers["python_full_version"].split(".")[:2]),
        options=_option_lines(settings, request, environ, cwd),
    )
    kept = sum(1 for c in pins if preferred.get(c.name) == c.version)
    return LockResult(locked, fmt, kept, fast=run.fast)


class _Run:
    """One lock's resolution: first with the kept pins alone (no index page read, when the
    ``locks`` bucket remembers their files), else in full with the kept pins preferred."""

    def __init__(
        self,
        session: Session,
        interp: Interpreter,
        inputs: Inputs,
        preferred: Mapping[NormalizedName, Version],
        event: Listener,
    ) -> None:
        from pinset.distribution.pinned import scope_of

        self.session = session
        self.interp = interp
        self.inputs = inputs
        self.preferred = preferred
        self.event = event
        self.source = session.source(interp)
        self.scope = scope_of(session.options.index, interp)
        self.fast = False

    def resolve(
        self, *, with_files: bool
    ) -> tuple[Resolution, list[Candidate], dict[NormalizedName, tuple[Link, ...]]]:
        from pinset.distribution.pinned import PinnedMiss, PinnedSource, remember

        self.event(Phase("Resolving dependencies"))
        pinned = PinnedSource(self.source, self.session.cache, self.scope, self.preferred)
        resolution = self._kept(pinned) if self.preferred else None
        self.fast = resolution is not None
        if resolution is None:
            resolution = self._resolve(self.source)
        pins = [p for p in resolution.pins.values() if isinstance(p, Candidate)]
        files: dict[NormalizedName, tuple[Link, ...]] = {}
        if with_files:
            try:
                files = {p.name: _known(pinned.files(p.name)) for p in pins if self.fast}
            except PinnedMiss:
                files = {}
            if len(files) != len(pins):
                self.event(Phase("Looking up the files of each pin"))
                files = _files(self.session, self.source.finder, pins)
        if not self.fast or (with_files and files):
            for pin in pins:
                if not is_direct(pin.kind):
                    remember(self.session.cache, self.scope, pin, files.get(pin.name))
        return resolution, pins, files

    def _kept(self, pinned: CandidateSource) -> Resolution | None:
        from pinset.distribution.pinned import PinnedMiss

        try:
            return self._resolve(pinned)
        except (PinnedMiss, ResolutionError):
            return None

    def _resolve(self, source: CandidateSource) -> Resolution:
        from pinset.resolve import resolve

        return resolve(
            self.inputs.requirements,
            constraints=self.inputs.constraints,
            source=source,
            installed={},
            markers=self.interp.markers,
            pre=self.session.options.index.pre,
            preferred=self.preferred,
        )


def _known(files: tuple[Link, ...] | None) -> tuple[Link, ...]:
    from pinset.distribution.pinned import PinnedMiss

    if files is None:
        raise PinnedMiss("files")
    return files


def _inputs(
    request: LockRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> Inputs:
    from pinset.ops.install import lazy_fetch

    if not request.inputs:
        raise UsageError(
            "nothing to lock: name the input files",
            hint="e.g. pinset lock requirements.in -o requirements.txt",
        )
    parsed = [_read(name, environ, cwd, lazy_fetch(settings, environ)) for name in request.inputs]
    for name in (*request.constraints, *settings.constraints.value):
        fetch = lazy_fetch(settings, environ)
        parsed.append(parse_file(name, constraint=True, fetch=fetch, environ=environ, cwd=cwd))
    inputs = Inputs(
        requirements=tuple(r for f in parsed for r in f.requirements),
        constraints=tuple(c for f in parsed for c in f.constraints),
        options=tuple(f.options for f in parsed),
        diagnostics=tuple(d for f in parsed for d in f.diagnostics),
    )
    editables = [r for r in inputs.requirements if r.editable]
    if editables:
        raise BuildError(
            "editable requirements cannot be locked yet: "
            + ", ".join(f"-e {r.raw}" for r in editables),
            where=editables[0].origin,
            hint="name the project without -e, or leave it out of the lock's inputs",
        )
    return inputs


def _read(
    name: str, environ: Mapping[str, str], cwd: Path, fetch: Callable[[str], str]
) -> RequirementsFile:
    """A requirements file, or the ``[project] dependencies`` of a ``pyproject.toml``."""
    if Path(name).name != "pyproject.toml":
        return parse_file(name, fetch=fetch, environ=environ, cwd=cwd)
    path = cwd / name
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{name} is not valid TOML: {exc}") from None
    dependencies = project.get("dependencies", [])
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise UsageError(f"{name}: [project] dependencies is not a list of strings")
    return parse_text("\n".join(dependencies), name, environ={}, cwd=path.parent)


def _interpreter(
    request: LockRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> Interpreter:
    from pinset.ops.target import choose_target

    target = choose_target(settings, environ=environ, cwd=cwd, check_managed=False, changes=False)
    return foreign_interpreter(target.interpreter, request.foreign)


def _existing(request: LockRequest, fmt: Format, cwd: Path) -> dict[NormalizedName, Version]:
    """The pins of the output file as it is (none when it does not exist yet)."""
    if request.output in (None, "-"):
        return {}
    path = cwd / request.output
    if not path.is_file():
        return {}
    try:
        if fmt == "pylock":
            from pinset.lockfile import pylock

            return pylock.pinned_versions(pylock.load(path))
        from pinset.lockfile.requirements_txt import pinned_versions

        return dict(pinned_versions(parse_file(path, environ={}, cwd=cwd).requirements))
    except PinsetError:  # an unreadable old lock is replaced, not kept
        return {}


def _files(
    session: Session, finder: Finder, pins: Sequence[Candidate]
) -> dict[NormalizedName, tuple[Link, ...]]:
    """Every file of each pinned version the run's policy allows, with a strong hash: an
    index's as it lists them; a direct URL's hashed here when its URL gives no sha256."""
    from pinset.distribution.fetch import fetch_file
    from pinset.ops.freeze_hashes import strong_hashes, version_links

    client, cache, scratch = session.client, session.cache, session.scratch

    def one(pin: Candidate) -> tuple[Link, ...]:
        if not is_direct(pin.kind):
            return tuple(version_links(finder, pin.name, pin.version, policy=True))
        if strong_hashes([pin.link]):
            return (pin.link,)
        fetched = fetch_file(client, cache, pin, scratch, required=None)
        return (replace(pin.link, hashes=(("sha256", fetched.sha256),)),)

    finder.prefetch(p.name for p in pins if not is_direct(p.kind))
    found = dict(zip((p.name for p in pins), client.map_parallel(one, pins), strict=True))
    unhashed = [f"{p.name} {p.version}" for p in pins if strong_hashes(found[p.name]) in (None, ())]
    if unhashed:
        raise IntegrityError(
            f"cannot write --hash values for {', '.join(unhashed)}",
            note="the index lists no file of this version, or a file without a sha256",
            hint="lock without --generate-hashes, or ask the index's owner for sha256 hashes",
        )
    return found


def _locked(
    pin: Candidate,
    resolution: Resolution,
    inputs: Inputs,
    files: tuple[Link, ...],
    hashes: bool,
) -> LockedPin:
    from pinset.ops.freeze_hashes import strong_hashes
    from pinset.redaction import redact_url

    direct = is_direct(pin.kind)
    url = next(
        (
            r.url
            for r in inputs.requirements
            if r.url and r.name and canonicalize_name(r.name) == pin.name
        ),
        pin.link.url_without_fragment if direct else None,
    )
    return LockedPin(
        name=pin.name,
        version=str(pin.version),
        via=tuple(resolution.parents.get(pin.name, ())),
        extras=tuple(sorted(resolution.extras.get(pin.name, ()))),
        url=_shown(url) if direct and url else None,
        hashes=(strong_hashes(files) or ()) if hashes else (),
        files=tuple(replace(f, url=_without_credentials(f.url)) for f in files),
        requires_python=pin.link.requires_python,
        index=None
        if direct or not pin.link.source.startswith("http")
        else redact_url(pin.link.source),
    )


def _without_credentials(url: str) -> str:
    from pinset.http.auth import split_credentials

    return split_credentials(url)[0]


def _shown(url: str) -> str:
    """A URL as written in a lock: a ``${VAR}`` reference kept, a literal secret redacted."""
    from pinset.redaction import redact_url

    return url if "${" in url else redact_url(url)


def _option_lines(
    settings: Settings, request: LockRequest, environ: Mapping[str, str], cwd: Path
) -> tuple[str, ...]:
    """The index options of the run, as pip-compile writes them, as the inputs wrote them."""
    from pinset.options import DEFAULT_INDEX_URL
    from pinset.session import run_options

    run = run_options(settings, _written_options(request, environ, cwd))
    index = run.index
    lines: list[str] = []
    if index.no_index:
        lines.append("--no-index")
    else:
        if index.index_url and index.index_url.rstrip("/") != DEFAULT_INDEX_URL:
            lines.append(f"--index-url {_shown(index.index_url)}")
        lines += [f"--extra-index-url {_shown(u)}" for u in index.extra_index_urls]
    lines += [f"--find-links {_shown(f)}" for f in index.find_links]
    lines += [f"--trusted-host {h}" for h in run.trusted_hosts]
    return tuple(lines)


def _written_options(
    request: LockRequest, environ: Mapping[str, str], cwd: Path
) -> tuple[FileOptions, ...]:
    """The inputs' file options before ``${VAR}`` expansion (read again with no variables);
    when that reading fails (an include named by a variable), as expanded."""
    try:
        return tuple(_read(name, {}, cwd, _no_fetch).options for name in request.inputs)
    except PinsetError:
        return tuple(_read(name, environ, cwd, _no_fetch).options for name in request.inputs)


def _no_fetch(url: str) -> str:
    raise UsageError(f"{url}: a remote include is not read twice")
