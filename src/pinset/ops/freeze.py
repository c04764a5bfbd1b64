"""``freeze``: what is installed in the target, as requirement lines (``pip freeze``).

The target is chosen as ``install`` chooses it (``--python``, ``$VIRTUAL_ENV``, ``./.venv``,
this Python). What is listed is what its ``sys.path`` shows, as with pip: the user site, its own
site-packages and, for a virtual environment that includes them, the base interpreter's
(``local`` keeps a virtual environment's own only); ``user`` lists the user site alone,
``paths`` the given directories. Lines come
from :mod:`pinset.freeze`; with templates, their lines first, then pip's
``## The following requirements were added by pip freeze:`` and every other project. With
``hashes``, each pin carries the ``--hash`` of every file its version has on the index (or the
installed archive's, for a direct URL): a project that cannot be hashed stops the run, listing
every such project, since a file that ``install --require-hashes`` refuses is no freeze at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name

from pinset._dataclass import dataclass
from pinset.environment.installed import ListedDist, list_dirs
from pinset.environment.schemes import (
    environment_scheme,
    prefix_scheme,
    sees_system_site,
    user_scheme,
)
from pinset.errors import TargetEnvironmentError, UsageError
from pinset.freeze.entries import Frozen, freeze_dist
from pinset.freeze.template import ADDED_HEADER, Merged, Template, merge
from pinset.interpreter import Interpreter
from pinset.markers import marker_applies
from pinset.ops.freeze_hashes import HashSuffix, index_hashes
from pinset.ops.target import choose_target
from pinset.requirements import Requirement, RequirementsFile, parse_file
from pinset.requirements.lines import decode
from pinset.settings import Settings

STDLIB = frozenset({"python", "wsgiref", "argparse"})
BUILD_BACKENDS = frozenset({"setuptools", "distribute", "wheel"})
"""Not listed without ``--all`` when the target is older than 3.12 (pip's rule)."""


@dataclass(frozen=True)
class FreezeRequest:
    templates: tuple[str, ...] = ()
    local: bool = False
    user: bool = False
    paths: tuple[str, ...] = ()
    all: bool = False
    excludes: tuple[str, ...] = ()
    exclude_editable: bool = False
    keep_includes: bool = False
    hashes: bool = False


@dataclass(frozen=True)
class FreezeResult:
    python: Path
    lines: tuple[str, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Listing:
    interp: Interpreter
    dirs: tuple[Path, ...]
    """What the interpreter's ``sys.path`` shows, in its order (the first of a name wins)."""
    only: tuple[Path, ...] | None = None
    """Then keep only what was found in these (``--user``, ``--local``)."""

    def dists(self) -> list[ListedDist]:
        found = list_dirs(self.dirs)
        return [d for d in found if self.only is None or d.path.parent in self.only]


def _listing(
    request: FreezeRequest, settings: Settings, environ: Mapping[str, str], cwd: Path
) -> _Listing:
    if request.paths and (request.user or request.local):
        raise UsageError("--path cannot be combined with --user or --local")
    interp = choose_target(settings, environ=environ, cwd=cwd, check_managed=False).interpreter
    if request.paths:
        return _Listing(interp, tuple(Path(cwd, p) for p in request.paths))
    own = environment_scheme(interp).site_dirs()
    if not sees_system_site(interp):
        return _Listing(interp, own, () if request.user else None)
    user = _user_dirs(interp, environ)
    if interp.is_venv:  # Python's order: the venv's own, the user site, the base's
        base = prefix_scheme(interp, interp.base_prefix).site_dirs()
        dirs = tuple(dict.fromkeys((*own, *user, *base)))
    else:  # the user site first
        dirs = tuple(dict.fromkeys((*user, *own)))
    if request.user:
        return _Listing(interp, dirs, user)
    return _Listing(interp, dirs, own if request.local and interp.is_venv else None)


def _user_dirs(interp: Interpreter, environ: Mapping[str, str]) -> tuple[Path, ...]:
    try:
        return user_scheme(interp, environ).site_dirs()
    except TargetEnvironmentError:  # a venv that does not see the user site: none listed
        return ()


def _skipped(request: FreezeRequest, interp: Interpreter) -> frozenset[str]:
    skip = set(STDLIB) | {canonicalize_name(n) for n in request.excludes}
    if not request.all:
        skip.add("pip")
        if interp.version < (3, 12):
            skip |= BUILD_BACKENDS
    return frozenset(skip)


def _read_templates(
    names: Sequence[str],
    environ: Mapping[str, str],
    cwd: Path,
    fetch: Callable[[str], str] | None,
) -> list[Template]:
    fetched: dict[str, str] = {}

    def remember(url: str) -> str:
        fetched[url] = text = fetch(url) if fetch is not None else ""
        return text

    templates = []
    for name in names:
        parsed = parse_file(name, fetch=remember if fetch else None, environ=environ, cwd=cwd)
        templates.append(Template(parsed, _texts(parsed, fetched), environ))
    return templates


def _texts(parsed: RequirementsFile, fetched: Mapping[str, str]) -> dict[str, str]:
    texts = {}
    for included in parsed.files:
        if included.key in fetched:
            texts[included.key] = fetched[included.key]
        else:
            texts[included.key] = decode(Path(included.key).read_bytes()).text
    return texts


def freeze(
    request: FreezeRequest,
    settings: Settings,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    fetch: Callable[[str], str] | None = None,
) -> FreezeResult:
    """The lines ``pip freeze`` would print for the target (with the request's options)."""
    templates = _read_templates(request.templates, environ, cwd, fetch)
    listing = _listing(request, settings, environ, cwd)
    interp = listing.interp
    installed = _installed(listing.dists(), request.exclude_editable)
    skip = _skipped(request, interp)
    named = {r.name_normalized for t in templates for r in t.parsed.requirements}
    wanted = [f for key, f in installed.items() if key not in skip or key in named]
    hashes = (
        index_hashes(settings, [t.parsed.options for t in templates], interp, wanted, environ)
        if request.hashes
        else {}
    )
    suffix = HashSuffix(hashes, request.hashes)
    merged = Merged()

    def applies(req: Requirement) -> bool:
        return marker_applies(req.marker, interp.markers)

    for template in templates:
        keep = request.keep_includes
        merge(
            template, installed, merged, keep_includes=keep, suffix=suffix.template, applies=applies
        )
    if templates and not merged.header_seen:
        merged.lines.append(ADDED_HEADER)
    rest = (f for key, f in installed.items() if key not in merged.used and key not in skip)
    for frozen in sorted(rest, key=lambda f: f.dist.name.lower()):
        merged.lines.extend(frozen.lines(suffix.plain(frozen)))
    warnings = (*merged.warnings, *suffix.warnings)
    return FreezeResult(interp.executable, tuple(merged.lines), warnings)


def _installed(dists: Iterable[ListedDist], exclude_editable: bool) -> dict[NormalizedName, Frozen]:
    frozen = (freeze_dist(d) for d in dists)
    return {f.key: f for f in frozen if not (exclude_editable and f.editable)}
