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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pinset._dataclass import dataclass, field, replace

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover - exercised on 3.10 only
    pass  # type: ignore[import-not-found,unused-ignore]

from pinset.cache.location import open_cache
from pinset.environment.foreign import ForeignTarget, foreign_interpreter
from pinset.errors import BuildError, PinsetError, UsageError
from pinset.interpreter import Interpreter
from pinset.lockfile.model import LockedPin, LockedSet
from pinset.ops.events import Listener
from pinset.ops.inputs import Inputs
from pinset.requirements import FileOptions, RequirementsFile, parse_file, parse_text
from pinset.settings import Settings

if TYPE_CHECKING:
    from pinset.dists import Candidate

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
    header: bool = True
    annotate: bool = True
    strip_extras: bool = True
    extras: tuple[str, ...] = ()
    """``--extra``: a project input's extras whose dependencies are locked too."""
    all_extras: bool = False


@dataclass(frozen=True)
class LockResult:
    text: str
    """The lock file's text."""
    format: Format
    count: int
    """How many projects it pins."""
    kept: int
    """How many pins of the existing output were kept."""
    fast: bool = False
    """No index page read: the kept pins alone resolved, or the remembered result held."""
    warnings: tuple[str, ...] = ()
    """A pin whose file is yanked (PEP 592; chosen only for an exact pin), as ``install``
    words it; remembered with the text, so that a lock answered from memory says it too."""


def lock_format(request: LockRequest) -> Format:
    """``--format``, else pylock for a ``pylock.toml``/``pylock.NAME.toml`` output."""
    if request.format is not None:
        return request.format
    from pinset.lockfile.names import is_pylock

    out = request.output
    return "pylock" if out not in (None, "-") and is_pylock(out) else "requirements.txt"


@dataclass(frozen=True)
class _Facts:
    """What one lock decides by: the request, settings, inputs as read, target, kept pins."""

    request: LockRequest
    settings: Settings
    inputs: Inputs
    interp: Interpreter
    preferred: Mapping[NormalizedName, Version]
    format: Format


def lock(
    request: LockRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    on_event: Listener | None = None,
    on_warning: Warn | None = None,
) -> LockResult:
    """Resolve ``request``'s inputs for its target and return the lock's text.

    When the output already holds the text this same lock produced last time (same inputs,
    options, target and pins: the remembered result's key), that text is the answer, with
    nothing resolved.
    """
    fmt = lock_format(request)
    inputs = _inputs(request, settings, environ, cwd)
    interp = _interpreter(request, settings, environ, cwd)
    existing = {} if request.upgrade else _existing(request, fmt, cwd)
    freed = {canonicalize_name(n) for n in request.upgrade_packages}
    preferred = {n: v for n, v in existing.items() if n not in freed}
    facts = _Facts(request, settings, inputs, interp, preferred, fmt)
    remembered = _Remembered(facts)
    result = remembered.lookup(cwd)
    if result is None:
        result = _resolved(facts, environ, cwd, on_event or (lambda e: None), on_warning)
        remembered.record(result, cwd)
    for message in result.warnings:
        (on_warning or (lambda _: None))(message)
    return result


def _resolved(
    facts: _Facts, environ: Mapping[str, str], cwd: Path, event: Listener, warn: Warn | None
) -> LockResult:
    from pinset.ops.install import open_session
    from pinset.ops.lock_resolve import LockRun, locked_pin

    request, inputs, fmt = facts.request, facts.inputs, facts.format
    with open_session(facts.settings, inputs, environ, warn, event) as session:
        run = LockRun(session, facts.interp, inputs, facts.preferred, event)
        resolution, pins, files = run.resolve(with_files=request.generate_hashes or fmt == "pylock")
    pins, mine = _without_own(pins, inputs)
    locked = LockedSet(
        pins=tuple(
            _via_own(
                locked_pin(c, resolution, inputs, files.get(c.name, ()), request.generate_hashes),
                mine,
            )
            for c in pins
        ),
        command=request.command,
        python=".".join(facts.interp.markers["python_full_version"].split(".")[:2]),
        options=_option_lines(facts.settings, request, environ, cwd),
    )
    kept = sum(1 for c in pins if facts.preferred.get(c.name) == c.version)
    from pinset.index.evaluate import yanked_warning

    yanked = tuple(w for w in (yanked_warning(c) for c in pins) if w)
    text = _text(locked, request, fmt)
    return LockResult(text, fmt, len(pins), kept, fast=run.fast, warnings=yanked)


def _without_own(pins: list[Candidate], inputs: Inputs) -> tuple[list[Candidate], frozenset[str]]:
    """The pins but the projects a ``setup.py`` input names (pip-compile leaves the project
    itself out), and those projects' names."""
    from pinset.ops.lock_inputs import own_urls

    own = own_urls(inputs.requirements)
    mine = frozenset(c.name for c in pins if c.link.url_without_fragment in own)
    return [c for c in pins if c.name not in mine], mine


def _via_own(pin: LockedPin, mine: frozenset[str]) -> LockedPin:
    """``# via mine (setup.py)`` for what the ``setup.py`` project requires, as pip-compile."""
    if not mine.intersection(pin.via):
        return pin
    return replace(pin, via=tuple(f"{v} (setup.py)" if v in mine else v for v in pin.via))


def _text(locked: LockedSet, request: LockRequest, fmt: Format) -> str:
    if fmt == "pylock":
        from pinset.lockfile import pylock

        return pylock.dumps(pylock.build(locked))
    from pinset.lockfile.requirements_txt import render

    return render(
        locked,
        header=request.header,
        annotate=request.annotate,
        strip_extras=request.strip_extras,
    )


class _Remembered:
    """The text a lock produced, remembered in the ``locks`` bucket under everything it
    depends on (pinset's code and :class:`_Facts`); a lock whose output still holds that text
    is answered with it. Not for ``-U``/``-P`` (whose point is to look at the index again),
    nor without an output file."""

    def __init__(self, facts: _Facts) -> None:
        request = facts.request
        self.usable = (
            not request.upgrade
            and not request.upgrade_packages
            and request.output not in (None, "-")
        )
        self.facts = facts

    def lookup(self, cwd: Path) -> LockResult | None:
        if not self.usable or not self.facts.preferred:
            return None
        key = _result_key(self.facts)
        settings = self.facts.settings
        with open_cache(settings.cache_dir.value, disabled=settings.no_cache_dir.value) as cache:
            value = cache.read_json("locks", key)
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            return None
        try:
            current = (cwd / str(self.facts.request.output)).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if current != value["text"]:
            return None
        count = int(value["count"])  # every pin of the output is kept: it is the result
        warnings = tuple(str(w) for w in value.get("warnings", ()))
        return LockResult(current, self.facts.format, count, count, fast=True, warnings=warnings)

    def record(self, result: LockResult, cwd: Path) -> None:
        """Under the key of the next lock, which finds this text in the output: its pins kept."""
        if not self.usable:
            return
        facts = self.facts
        pins = _pins_of(result.text, facts.format, str(facts.request.output), cwd)
        key = _result_key(replace(facts, preferred=pins))
        value = {"text": result.text, "count": result.count, "warnings": list(result.warnings)}
        settings = facts.settings
        with open_cache(settings.cache_dir.value, disabled=settings.no_cache_dir.value) as cache:
            cache.write_json("locks", key, value)


def _result_key(facts: _Facts) -> str:
    import json

    import pinset
    from pinset.cache import make_key

    code = Path(__file__).parent.parent
    stamps = [
        (str(p), p.stat().st_mtime_ns)
        for p in sorted([*code.glob("ops/lock*.py"), *code.glob("lockfile/*.py")])
    ]
    settings = [[dest, repr(s.value)] for dest, s in facts.settings.items()]
    inputs = facts.inputs
    described = {
        "pinset": [pinset.__version__, stamps],
        "request": repr(replace(facts.request, output=None)),
        "output": facts.request.output,
        "format": facts.format,
        "settings": [item for item in settings if item[0] not in ("verbose", "quiet")],
        "requirements": [r.to_dict() for r in (*inputs.requirements, *inputs.constraints)],
        "options": [o.to_dict() for o in inputs.options],
        "target": [[str(t) for t in facts.interp.tags], dict(facts.interp.markers)],
        "pins": sorted(f"{n}=={v}" for n, v in facts.preferred.items()),
        "trees": _trees(inputs),
    }
    return make_key("lock-result", json.dumps(described, sort_keys=True, default=str))


def _trees(inputs: Inputs) -> list[str]:
    """The fingerprint of each local directory among the inputs (a ``setup.py`` input's, a
    ``./dir`` line's): its metadata, so its dependencies, change when it changes."""
    from pinset.source_tree import tree_fingerprint
    from pinset.urls import url_to_path

    found = []
    for req in inputs.requirements:
        if req.url and req.url.startswith("file:"):
            path = url_to_path(req.url.partition("#")[0])
            found.append(tree_fingerprint(path) if path.is_dir() else str(path))
    return found


def _inputs(
    request: LockRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> Inputs:
    from pinset.ops.install import lazy_fetch

    if not request.inputs:
        raise UsageError(
            "nothing to lock: name the input files",
            hint="e.g. pinset lock requirements.in -o requirements.txt",
        )
    parsed = [
        _read(name, environ, cwd, lazy_fetch(settings, environ), request) for name in request.inputs
    ]
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
    name: str,
    environ: Mapping[str, str],
    cwd: Path,
    fetch: Callable[[str], str],
    request: LockRequest,
) -> RequirementsFile:
    """A requirements file, or what a ``pyproject.toml``/``setup.cfg`` declares."""
    from pinset.ops.lock_inputs import is_project_file, read_project

    if is_project_file(name):
        return read_project(name, cwd, request.extras, request.all_extras)
    return parse_file(name, fetch=fetch, environ=environ, cwd=cwd)


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
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # none yet, or unreadable: replaced, not kept
        return {}
    return _pins_of(text, fmt, str(path), cwd)


def _pins_of(text: str, fmt: Format, where: str, cwd: Path) -> dict[NormalizedName, Version]:
    """The pins a lock's text holds, as a later lock keeps them."""
    try:
        if fmt == "pylock":
            from pinset.lockfile import pylock

            return pylock.pinned_versions(pylock.loads(text, where))
        from pinset.lockfile.requirements_txt import pinned_versions

        return dict(pinned_versions(parse_text(text, where, environ={}, cwd=cwd).requirements))
    except PinsetError:  # an unreadable old lock is replaced, not kept
        return {}


def written_url(url: str) -> str:
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
            lines.append(f"--index-url {written_url(index.index_url)}")
        lines += [f"--extra-index-url {written_url(u)}" for u in index.extra_index_urls]
    lines += [f"--find-links {written_url(f)}" for f in index.find_links]
    lines += [f"--trusted-host {h}" for h in run.trusted_hosts]
    return tuple(lines)


def _written_options(
    request: LockRequest, environ: Mapping[str, str], cwd: Path
) -> tuple[FileOptions, ...]:
    """The inputs' file options before ``${VAR}`` expansion (read again with no variables);
    when that reading fails (an include named by a variable), as expanded."""
    try:
        return tuple(_read(name, {}, cwd, _no_fetch, request).options for name in request.inputs)
    except PinsetError:
        return tuple(
            _read(name, environ, cwd, _no_fetch, request).options for name in request.inputs
        )


def _no_fetch(url: str) -> str:
    raise UsageError(f"{url}: a remote include is not read twice")
