"""A remembered install plan, replayed when the same install is asked again of an environment
in the same state: most often a fresh virtual environment (a CI job, a rebuilt ``.venv``)
given the same requirements, whose wheels the cache already holds.

A run is remembered when a later identical run would choose the same files: every pin is an
index's file whose hash the user pinned (hash-checking mode), a version-control revision
written as a full commit id, or an index's file chosen from index pages that the HTTP cache
answers from without a request; then the plan holds until the first of those pages is no
longer fresh, and only while each page's cache entry is the one read (a full run within
that time reads the same pages, from the cache, and makes the same choices). Local
directories, URLs, branches, find-links and installed copies are never remembered.

After such a run changed an environment, the CLI writes a plan to the cache bucket ``plans``
(``marshal`` of plain data, as :mod:`pinset.ops.noop_verdict` writes verdicts, under the same
key: arguments, variables, working directory, pinset's code). It holds the wheels (by the
sha256 the unpacked-wheel cache files them under) with what the transaction writes beside
them (``direct_url.json``, requested names), the settings that shape the change (bytecode,
link mode), what the answer was read from (requirements files by content, configuration
files and index pages' cache entries by stat, the target interpreter by its resolved file's
stat and its ``pyvenv.cfg`` by content) and the distributions the environment held before,
by directory name.

A later run whose verdict does not hold asks :func:`find` (standard library only) whether a
plan holds: same key, same inputs, pages still fresh, the same distributions' directories in
the target, no interrupted run's journal. :func:`replay` then applies it through the one
install transaction (:mod:`pinset.install.transaction`), which scans the environment under
its lock and refuses the plan unless the environment holds exactly what it held when the
plan was made; every wheel must be in the cache, intact (each file's stat, as every warm
install checks). Any doubt means the full path runs. A replayed run prints what the full run
printed and writes the no-op verdict the full run would write.
"""

from __future__ import annotations

import os
import time

from pinset.buckets import bucket_dir_name
from pinset.ops.noop_verdict import (
    RULES,
    Verdict,
    cache_root_of,
    content_digest,
    eligible,
    journals_pending,
    key,
    load_body,
    parse_options,
    rememberable,
    sha256_hex,
    stat_facts,
    store_body,
)

TYPE_CHECKING = False  # collections.abc imports collections (~1 ms): not on the fast path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pinset.install.transaction import ApplyResult

BUCKET = bucket_dir_name("plans")
DIST_SUFFIXES = (".dist-info", ".egg-info", ".egg-link")


def _code_files() -> tuple[str, ...]:
    """Every module of pinset, relative to ``ops`` (the key's rules): what a plan holds was
    decided all over the package (the finder's choice of file, the resolver, the builder,
    the install), so an edited module retires every plan, as a new version does."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    found: list[str] = list(RULES)
    for directory, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        relative = os.path.relpath(directory, here)
        found += [os.path.join(relative, n) for n in sorted(names) if n.endswith(".py")]
    return tuple(found)


class Recorded:
    """What a remembered plan does and what it was read from: the typed form of a plan file.

    Set by the pipeline (what to do): ``wheels`` (name, version, sha256, archive path),
    ``requested``, ``direct_urls`` (name: ``direct_url.json`` text), ``dist_info_files``
    (name: file name: bytes), ``before`` (the environment's distributions by directory name
    when the plan was made), ``compile``, ``link_mode``, ``unpacked_dir``, ``resolved``,
    ``pages`` (the HTTP cache entries of the index pages it chose from, by stat) and
    ``fresh_until`` (when the first of them stops answering without a request).
    Set by the CLI (what it was read from): ``verdict`` (the no-op verdict the run wrote: the
    requirements files, by content, the site directories, what was shown), ``configs`` (by
    stat), ``pythons`` (their resolved file by stat), ``venv_cfgs`` (by content),
    ``cache_root``, ``python``. A plain class with slots, as
    :class:`~pinset.ops.noop_verdict.Verdict`.
    """

    __slots__ = (
        "before",
        "cache_root",
        "compile",
        "configs",
        "direct_urls",
        "dist_info_files",
        "fresh_until",
        "link_mode",
        "pages",
        "python",
        "pythons",
        "requested",
        "resolved",
        "unpacked_dir",
        "venv_cfgs",
        "verdict",
        "wheels",
    )

    def __init__(
        self,
        *,
        wheels: Sequence[tuple[str, str, str, str]],
        requested: Sequence[str],
        direct_urls: Mapping[str, str],
        dist_info_files: Mapping[str, Mapping[str, bytes]],
        before: Sequence[str],
        compile: bool,
        link_mode: str,
        unpacked_dir: str,
        resolved: int,
        pages: Sequence[str] = (),
        fresh_until: float = float("inf"),
        verdict: Verdict | None = None,
        configs: Sequence[str] = (),
        pythons: Sequence[str] = (),
        venv_cfgs: Sequence[str] = (),
        cache_root: str = "",
        python: str = "",
    ) -> None:
        self.wheels = tuple(tuple(w) for w in wheels)
        self.requested = tuple(requested)
        self.direct_urls = dict(direct_urls)
        self.dist_info_files = {n: dict(f) for n, f in dist_info_files.items()}
        self.before = tuple(sorted(before))
        self.compile = compile
        self.link_mode = link_mode
        self.unpacked_dir = unpacked_dir
        self.resolved = resolved
        self.pages = tuple(pages)
        self.fresh_until = fresh_until
        self.verdict = verdict
        self.configs = tuple(configs)
        self.pythons = tuple(pythons)
        self.venv_cfgs = tuple(venv_cfgs)
        self.cache_root = cache_root
        self.python = python

    @property
    def files(self) -> tuple[str, ...]:
        """The requirements files the run read (its verdict's)."""
        return self.verdict.files if self.verdict is not None else ()

    @property
    def site_dirs(self) -> tuple[str, ...]:
        """The target's site directories (its verdict's)."""
        return self.verdict.site_dirs if self.verdict is not None else ()

    def body(self) -> dict[str, object]:
        """The marshalled form (plain tuples, dicts, ints, strings and bytes)."""
        body = {name: getattr(self, name) for name in self.__slots__}
        body["verdict"] = self.verdict.body() if self.verdict is not None else None
        return body

    @classmethod
    def from_body(cls, body: object) -> Recorded | None:
        """The plan a file held, or None when it is not one (a damaged or foreign file)."""
        if not isinstance(body, dict):
            return None
        verdict = Verdict.from_body(body.get("verdict"))
        if verdict is None:
            return None
        try:
            found = cls(**{name: body[name] for name in cls.__slots__ if name != "verdict"})
        except (KeyError, TypeError, ValueError):
            return None
        found.verdict = verdict
        return found if _well_formed(found) else None


def _strings(values: object) -> bool:
    return isinstance(values, tuple) and all(isinstance(v, str) for v in values)


def _well_formed(plan: Recorded) -> bool:
    texts = (plan.unpacked_dir, plan.cache_root, plan.python, plan.link_mode)
    lists = (plan.requested, plan.before, plan.configs, plan.pythons, plan.venv_cfgs)
    return (
        all(isinstance(t, str) for t in texts)
        and all(_strings(v) for v in lists)
        and all(len(w) == 4 and _strings(w) for w in plan.wheels)
        and all(isinstance(v, str) for v in plan.direct_urls.values())
        and all(
            isinstance(f, dict) and all(isinstance(b, bytes) for b in f.values())
            for f in plan.dist_info_files.values()
        )
        and type(plan.compile) is bool
        and type(plan.resolved) is int
        and _strings(plan.pages)
        and type(plan.fresh_until) is float
    )


def plan_key(argv: Sequence[str], environ: Mapping[str, str], cwd: str, as_module: bool) -> str:
    """The file name of the plan for this command line (the no-op verdict's key, with every
    module that decides a plan among the code it covers)."""
    return key(argv, environ, cwd, as_module, rules=_code_files()) + ".plan"


def _interpreter(path: str) -> str:
    """An interpreter named by its resolved file's stat: a recreated virtual environment's
    ``python`` is a new link to the same interpreter (an environment's directory, as
    ``--python`` may name it, by its resolved path alone)."""
    real = os.path.realpath(path)
    return repr((real, "directory" if os.path.isdir(real) else stat_facts(real)))


def _parts(plan: Recorded) -> list[tuple[str, str]]:
    """Each thing the plan was read from, with a digest of its state now."""
    parts = [(f, repr(content_digest(f))) for f in (*plan.files, *plan.venv_cfgs)]
    parts += [(p, repr(stat_facts(p))) for p in (*plan.configs, *plan.pages)]
    parts += [(p, repr(_interpreter(p))) for p in plan.pythons]
    return [(path, sha256_hex(text.encode())) for path, text in parts]


def distributions(site_dirs: Sequence[str]) -> list[str]:
    """The installed distributions' directory (or link) names in ``site_dirs``, sorted."""
    names: list[str] = []
    for directory in site_dirs:
        try:
            names += [n for n in os.listdir(directory) if n.endswith(DIST_SUFFIXES)]
        except OSError:
            continue
    return sorted(names)


def find(
    argv: Sequence[str], environ: Mapping[str, str], cwd: str, *, as_module: bool = False
) -> Recorded | str:
    """The plan for this run when one exists and still holds, else why not (for ``-v``)."""
    pairs = parse_options(argv)
    if not argv or argv[0] != "install" or pairs is None:
        return "an option that always runs the full install"
    if not eligible(pairs, environ):
        return "the target or a requirements file is not pinned down by path"
    bucket = os.path.join(cache_root_of(pairs, environ, cwd), BUCKET)
    if not os.path.isdir(bucket):  # no plan at all: the key (a stat of every module) not made
        return "none recorded for this command line, directory and environment"
    found, body = load_body(os.path.join(bucket, plan_key(argv, environ, cwd, as_module)))
    if not found:
        return "none recorded for this command line, directory and environment"
    plan = Recorded.from_body(body)
    if plan is None or not isinstance(body, dict):
        return "the recorded plan is damaged"
    doubt = _doubt(plan, body)
    return plan if doubt is None else doubt


def _doubt(plan: Recorded, body: Mapping[str, object]) -> str | None:
    """Why ``plan`` may no longer give what the full path would, or None when it does."""
    if time.time() >= plan.fresh_until:
        return "an index page it was made from is no longer fresh in the cache"
    if body.get("state") != sha256_hex(repr(_parts(plan)).encode()):
        return "a file, an index page or the interpreter it was made from changed"
    if distributions(plan.site_dirs) != list(plan.before):
        return "the environment holds other distributions than when it was made"
    if journals_pending(plan.site_dirs):
        return "an interrupted pinset run left a journal to recover"
    return None


def record(
    argv: Sequence[str],
    environ: Mapping[str, str],
    cwd: str,
    plan: Recorded,
    *,
    as_module: bool = False,
) -> bool:
    """Write ``plan`` (complete: the CLI filled in what it was read from); False when this run
    is not one to remember."""
    if not rememberable(argv, environ, plan.files):
        return False
    body = plan.body()
    body["state"] = sha256_hex(repr(_parts(plan)).encode())
    store_body(os.path.join(plan.cache_root, BUCKET, plan_key(argv, environ, cwd, as_module)), body)
    return True


def remember_verdict(
    plan: Recorded,
    argv: Sequence[str],
    environ: Mapping[str, str],
    cwd: str,
    *,
    as_module: bool = False,
) -> None:
    """After a replay, write the no-op verdict the full run wrote (about the environment as
    it is now), so that the next identical run is a no-op."""
    from pinset.ops.noop_verdict import record as record_verdict

    if plan.verdict is None:
        return
    try:
        record_verdict(argv, environ, cwd, plan.cache_root, plan.verdict, as_module=as_module)
    except OSError:
        return  # a cache that cannot be written: the next run just checks again


class Stale(Exception):
    """The environment, or the cache, is no longer what the plan was made for."""


def replay(plan: Recorded) -> ApplyResult:
    """Apply ``plan`` in one transaction; :class:`Stale` (nothing changed) when the cache
    lacks an intact wheel of it or the environment holds other distributions, under the lock,
    than when it was made."""
    from pathlib import Path

    from packaging.utils import NormalizedName
    from packaging.version import Version

    from pinset.direct_url import DirectUrl
    from pinset.dists import InstalledDist, LocalWheel
    from pinset.environment.interpreter import query
    from pinset.environment.schemes import environment_scheme
    from pinset.install.linking import link_mode
    from pinset.install.plan import Plan
    from pinset.install.transaction import apply
    from pinset.install.wheelfile import UnpackedWheel, lookup_unpacked

    interp = query(Path(plan.python), cache_dir=Path(plan.cache_root))
    scheme = environment_scheme(interp)
    if [str(d) for d in scheme.site_dirs()] != list(plan.site_dirs):
        raise Stale("the interpreter's site directories moved")
    unpacked_dir = Path(plan.unpacked_dir)
    wheels: list[LocalWheel] = []
    unpacked: dict[Path, UnpackedWheel] = {}
    for name, version, sha256, archive in plan.wheels:
        found = lookup_unpacked(sha256, unpacked_dir)
        if found is None:
            raise Stale(f"the cache no longer holds {name} {version}")
        wheel = LocalWheel(NormalizedName(name), Version(version), Path(archive), sha256)
        wheels.append(wheel)
        unpacked[wheel.path] = found
    made = Plan(
        install=tuple(wheels),
        remove=(),
        requested=frozenset(NormalizedName(n) for n in plan.requested),
        direct_urls={
            NormalizedName(n): DirectUrl.from_json(t) for n, t in plan.direct_urls.items()
        },
        dist_info_files={NormalizedName(n): f for n, f in plan.dist_info_files.items()},
    )

    def planner(current: Mapping[NormalizedName, InstalledDist]) -> Plan:
        if sorted(d.path.name for d in current.values()) != list(plan.before):
            raise Stale("the environment changed")
        return made

    return apply(
        planner,
        interp,
        scheme,
        compile=plan.compile,
        unpacked_cache=unpacked_dir,
        unpacked=unpacked,
        link_mode=link_mode(plan.link_mode),
    )
