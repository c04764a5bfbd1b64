"""The steps of install after the fast path: resolve, choose what to fetch, check hashes,
report, apply. Shared with ``sync``, which differs by one flag: its plan is exact
(``InstallRequest.exact``: what the requirements do not name is removed)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from pinset.direct_url import DirectUrl
from pinset.distribution.direct import with_origin
from pinset.distribution.pinned import (
    CachedPins,
    HashedPin,
    cached_pins,
    remember_choice,
    scope_of,
)
from pinset.distribution.planner import plan_run
from pinset.dists import Candidate, Change, InstalledDist, LocalWheel
from pinset.errors import (
    BuildError,
    HashMismatchError,
    InstallError,
    Location,
    ResolutionError,
)
from pinset.index.evaluate import yanked_warning
from pinset.kinds import (
    Buildable,
    DirectArchive,
    RegistrySdist,
    RegistryWheel,
    VcsCheckout,
    is_direct,
)
from pinset.ops.events import Listener, Phase, Step, Trace
from pinset.ops.hashes import UserHashes, check_pins, hash_origins, user_hashes
from pinset.ops.inputs import Inputs
from pinset.ops.outcome import InstallRequest, InstallResult, result_for
from pinset.ops.replay import Recorded
from pinset.ops.target import Target
from pinset.resolve import CandidateSource, Resolution, resolve
from pinset.session import IndexSource, Session
from pinset.settings import Settings
from pinset.source_tree import INPUTS_FILE, inputs_record
from pinset.vcs.base import VcsError

if TYPE_CHECKING:  # the install machinery is imported when a run installs (not for dry runs)
    from pinset.build.develop import MovableSite
    from pinset.install.linking import LinkMode
    from pinset.install.plan import Plan
    from pinset.install.transaction import ApplyResult
    from pinset.session.unpack import Fetched


def movable_site(target: Target) -> MovableSite | None:
    """A relocatable environment's ``site-packages`` and the directory that moves with it (the
    one holding the environment); None for any other target."""
    scheme = target.scheme
    if not scheme.relocatable or scheme.rooted:
        return None
    from pinset.build.develop import MovableSite  # zipfile, configparser: only for these

    return MovableSite(scheme.purelib, scheme.prefix.parent)


class Pipeline:
    def __init__(
        self,
        session: Session,
        target: Target,
        installed: Mapping[NormalizedName, InstalledDist],
        settings: Settings,
        event: Listener,
        *,
        dry_run: bool = False,
    ) -> None:
        """``dry_run``: nothing is to change, ``--src`` included (editable checkouts are made
        in scratch space)."""
        self.event = event
        self.session = session
        self.target = target
        self.installed = installed
        self.settings = settings
        self.source: IndexSource = session.source(
            target.interpreter,
            no_deps=settings.no_deps.value,
            installed=installed.keys(),
            movable=movable_site(target),
            src_checkouts=not dry_run,
        )
        self.origins: dict[NormalizedName, Location] = {}
        """The user's requirements by name: where a failing build was asked for."""
        self.applied: tuple[Plan, Mapping[NormalizedName, InstalledDist]] | None = None
        """The plan the transaction applied and what the environment held then."""
        self.placed_by: LinkMode = "hardlink"
        """How the applied plan's files were placed (its ``--link-mode``)."""

    def run(
        self, request: InstallRequest, inputs: Inputs, *, hash_mode: bool, warnings: list[str]
    ) -> InstallResult:
        """Resolve, check, report, then (unless a dry run) fetch and apply."""
        start = time.perf_counter()
        self.event(Phase("Resolving dependencies"))
        if not request.dry_run:  # wheels it will keep are downloaded once, whole, for metadata
            ahead = self.session.unpack_ahead()  # and unpacked as each lands
            self.source.will_install(exact_pins(inputs), on_archive=ahead)
        self.origins = {canonicalize_name(r.name): r.origin for r in inputs.requirements if r.name}
        hashed = hashed_pins(inputs)
        scope = scope_of(self.session.options.index, self.target.interpreter)
        hits = cached_pins(self.session.cache, scope, hashed, self.session.intact)
        resolution = self.resolve(inputs, ignore_installed=request.ignore_installed, hits=hits)
        timings = {"resolve": time.perf_counter() - start}
        force = request.force_reinstall or request.ignore_installed
        hashes = user_hashes((*inputs.requirements, *inputs.constraints))
        planned = plan_run(
            resolution.pins,
            self.installed,
            force=force,
            same_version=self._same_version,
            exact=request.exact,
            keep=_names(request.keep),
            renew_editables=self.settings.upgrade.value,
            unpacked=self.session.in_cache,
            required=hashes if hash_mode else None,
        )
        fetch = planned.to_fetch
        if hash_mode:
            self.check_hashes(fetch, hashes)
        report = self.report(fetch, resolution, inputs) if request.report else None
        for message in self.yanked_warnings(fetch):
            warnings.append(message)
        done = {"resolved": len(resolution.pins), "report": report, "timings": timings}
        if request.dry_run:
            replaced = [*planned.replaced, *planned.removed]
            return result_for(
                self.target,
                installed=tuple(Change(c.name, str(c.version)) for c in fetch),
                removed=tuple(Change(d.name, str(d.version)) for d in replaced),
                dry_run=True,
                warnings=tuple(warnings),
                **done,
            )
        # every file the run fetches is counted, those the resolver already downloaded whole
        # (for their metadata) and those found in the cache included: each is one Step
        self.event(Phase(f"Downloading {_count(len(fetch), 'file')}", len(fetch), "files"))
        lines = (*inputs.requirements, *inputs.constraints)
        fetched = self.fetch(
            fetch, hashes if hash_mode else None, hash_origins(lines), planned.from_cache
        )
        self.remember_hashed(fetch, hashed, hits, scope)
        timings["download"] = time.perf_counter() - start - timings["resolve"]
        self.event(Phase(f"Installing {_count(len(fetched), 'package')}", len(fetched), "packages"))
        # the planner decided: what it fetches replaces even the same version (a rebuilt tree)
        replacing = frozenset(c.name for c in fetch)
        applied = self.apply(
            resolution, fetched, request=request, replacing=replacing, warnings=warnings
        )
        timings["total"] = time.perf_counter() - start
        replay = self.replayable(resolution, frozenset(hashed) if hash_mode else frozenset())
        for overwrite in applied.overwrites:
            warnings.append(overwrite.message())
        for message in self.session.cache.warnings:
            warnings.append(message)
        return result_for(
            self.target,
            installed=tuple(Change(d.name, str(d.version)) for d in applied.installed),
            removed=tuple(Change(d.name, str(d.version)) for d in applied.removed),
            warnings=tuple(warnings),
            downloaded=len(fetched),
            recovered=applied.recovered,
            environment=applied.environment,
            replay=replay,
            **done,
        )

    def replayable(
        self, resolution: Resolution, hashed: frozenset[NormalizedName]
    ) -> Recorded | None:
        """The applied plan as a later run may replay it (:mod:`pinset.ops.replay`), when
        every pin's file stays the one this run chose (:func:`replay_basis`; ``hashed``: the
        pins of a hash-checking run), it installed into the interpreter's own environment
        from a lasting cache, and found none of its projects installed (so that what the
        environment held, by directory name, is all a replay must find again); else None."""
        if self.applied is None or self.session.cache.temporary:
            return None
        plan, current = self.applied
        if plan.remove or plan.unchanged:  # the distributions it found decided nothing
            return None
        bases = {replay_basis(pin, name in hashed) for name, pin in resolution.pins.items()}
        if None in bases:
            return None
        pages: tuple[tuple[str, float], ...] = ()
        if "pages" in bases:  # chosen from index pages: the same while they are
            read = self.session.pages_read()
            if read is None or self.session.options.index.find_links:
                return None  # a page no cache entry keeps, or a local directory's listing
            pages = read
        from pinset.environment.schemes import environment_scheme

        if self.target.scheme != environment_scheme(self.target.interpreter):
            return None
        return Recorded(
            wheels=[(w.name, str(w.version), w.sha256, str(w.path)) for w in plan.install],
            requested=sorted(plan.requested),
            direct_urls={name: d.to_json() for name, d in plan.direct_urls.items()},
            dist_info_files={str(n): f for n, f in plan.dist_info_files.items()},
            before=[d.path.name for d in current.values()],
            compile=bool(self.settings.compile.value),
            link_mode=self.placed_by,
            unpacked_dir=str(self.session.unpacked_dir),
            resolved=len(resolution.pins),
            pages=sorted({path for path, _ in pages}),
            fresh_until=min((until for _, until in pages), default=math.inf),
        )

    def remember_hashed(
        self,
        fetched: Sequence[Candidate],
        hashed: Mapping[NormalizedName, HashedPin],
        hits: Mapping[NormalizedName, Candidate],
        scope: str,
    ) -> None:
        """Remember the wheel the index gave each hashed pin: the next run finds it by hash."""
        for candidate in fetched:
            name = candidate.name
            if name in hashed and name not in hits and isinstance(candidate.kind, RegistryWheel):
                remember_choice(self.session.cache, scope, candidate)

    def resolve(
        self,
        inputs: Inputs,
        *,
        ignore_installed: bool = False,
        hits: Mapping[NormalizedName, Candidate] | None = None,
    ) -> Resolution:
        """The resolution; a build that fails while resolving (metadata of an sdist) is
        placed at the user's requirement of that project, when there is one. ``hits``: the
        hashed pins whose file the cache holds (offered without their index pages; a
        resolution that fails with them is made again against the index, so that its error
        is the index's)."""
        if hits:
            try:
                return self._resolve(inputs, CachedPins(self.source, hits), ignore_installed)
            except ResolutionError:
                pass
        return self._resolve(inputs, self.source, ignore_installed)

    def _resolve(
        self, inputs: Inputs, source: CandidateSource, ignore_installed: bool
    ) -> Resolution:
        strategy = self.settings.upgrade_strategy.value
        try:
            return resolve(
                inputs.requirements,
                constraints=inputs.constraints,
                source=source,
                installed={} if ignore_installed else self.installed,
                markers=self.target.interpreter.markers,
                upgrade=self.settings.upgrade.value,
                strategy="eager" if strategy == "eager" else "only-if-needed",
                pre=self.session.options.index.pre,
            )
        except BuildError as exc:
            if exc.project is not None:
                raise with_origin(exc, self.origins.get(canonicalize_name(exc.project))) from None
            raise

    def _same_version(self, dist: InstalledDist) -> Candidate:
        for candidate in self.source.candidates(dist.name):
            if candidate.version == dist.version:
                return candidate
        raise ResolutionError(
            f"cannot reinstall {dist.name} {dist.version}: no file of that version was found",
            hint="check the index options, or upgrade it instead (-U)",
        )

    def check_hashes(self, candidates: Sequence[Candidate], hashes: UserHashes) -> None:
        def sha256_of(candidate: Candidate) -> str:
            known = next((d for a, d in candidate.link.hashes if a == "sha256"), None)
            if known is not None:
                return known
            if isinstance(candidate.kind, Buildable):  # the source archive's, as pip checks
                return self.source.builder.source_sha256(candidate) or ""
            wheel = self.session.fetch([candidate])[0]
            from pinset.distribution.fetch import file_digests

            return file_digests(wheel.path, ())["sha256"]

        check_pins(candidates, hashes, sha256_of)

    def report(
        self, candidates: Sequence[Candidate], resolution: Resolution, inputs: Inputs
    ) -> dict[str, object]:
        from pinset.ops.report import install_report  # --report only

        return install_report(
            candidates,
            requested=resolution.requested,
            requested_extras=requested_extras(inputs, candidates),
            metadata=lambda c: self.source.metadata(c).to_json(),
            markers=self.target.interpreter.markers,
            archive_sha256=self.archive_sha256,
        )

    def archive_sha256(self, candidate: Candidate) -> str | None:
        """The sha256 of a direct archive to be built (``direct_url.json`` names the source
        archive's hash, as pip writes it); None for anything else."""
        if isinstance(candidate.kind, DirectArchive):
            return self.source.builder.source_sha256(candidate)
        return None

    def direct_url(self, candidate: Candidate, wheel_sha256: str) -> DirectUrl:
        from pinset.ops.report import direct_url  # URL requirements only

        return direct_url(candidate, self.archive_sha256(candidate) or wheel_sha256)

    def editable_files(self, candidate: Candidate) -> dict[str, bytes]:
        """What an editable install records in its ``.dist-info`` besides PEP 610: the
        fingerprint of its tree's metadata inputs (see :mod:`pinset.source_tree`)."""
        inputs = self.source.builder.editable_inputs(candidate)
        return {} if inputs is None else {INPUTS_FILE: inputs_record(inputs)}

    @staticmethod
    def yanked_warnings(candidates: Sequence[Candidate]) -> list[str]:
        return [w for w in (yanked_warning(c) for c in candidates) if w]

    def fetch(
        self,
        candidates: Sequence[Candidate],
        required: UserHashes | None,
        origins: Mapping[NormalizedName, Location] | None = None,
        cached: Collection[NormalizedName] = (),
    ) -> list[Fetched]:
        """Every wheel linked from the cache (``cached``: the planner found it unpacked
        there) or downloaded, verified and unpacked into the cache, on the HTTP pool: a
        wheel is unpacked by the worker that downloaded it as soon as it arrives. A hash
        mismatch names the line that gave the hashes (``origins``)."""
        session, needed = self.session, required or {}

        def one(c: Candidate) -> Fetched:
            try:
                got = session.unpacked(
                    self.source, c, required=needed.get(c.name), cached=c.name in cached
                )
            except HashMismatchError as exc:
                where = (origins or {}).get(c.name)
                if exc.where is None and where is not None:
                    exc.where = where
                raise
            except (BuildError, VcsError) as exc:
                raise with_origin(exc, self.origins.get(c.name)) from None
            self.event(Step(str(c.name)))
            return got

        fetched = self._fetch_all(one, candidates, needed, cached)
        for candidate, item in zip(candidates, fetched, strict=True):
            unpacked = item.unpacked
            self.source.check_wheel_metadata(
                candidate, unpacked.root / unpacked.dist_info / "METADATA"
            )
            if item.reused:
                self.event(Trace(f"{candidate}: already unpacked in the cache, not downloaded"))
        return fetched

    def _fetch_all(
        self,
        one: Callable[[Candidate], Fetched],
        candidates: Sequence[Candidate],
        required: UserHashes,
        cached: Collection[NormalizedName],
    ) -> list[Fetched]:
        """``one`` of every candidate, in order: those whose copy in the cache is intact
        (checked first, in this thread: see :meth:`Session.check_cached`) here, the others
        (to download, build, or unpack again) on the HTTP pool."""
        taken = [c for c in candidates if c.name in cached]
        verdicts = self.session.check_cached(taken, required)
        intact = {c.name for c, ok in zip(taken, verdicts, strict=True) if ok}
        here = {c.name: one(c) for c in candidates if c.name in intact}
        # the largest first: the longest download and unpack is started soonest, not last
        rest = sorted((c for c in candidates if c.name not in intact), key=_size, reverse=True)
        pooled = dict(
            zip((c.name for c in rest), self.session.client.map_parallel(one, rest), strict=True)
        )
        return [here[c.name] if c.name in intact else pooled[c.name] for c in candidates]

    def apply(
        self,
        resolution: Resolution,
        fetched: Sequence[Fetched],
        *,
        request: InstallRequest,
        replacing: frozenset[NormalizedName] = frozenset(),
        warnings: list[str],
    ) -> ApplyResult:
        from pinset.install.plan import make_plan
        from pinset.install.transaction import ApplyResult, apply

        by_name = {f.wheel.name: f.wheel for f in fetched}
        wanted: dict[NormalizedName, LocalWheel | InstalledDist] = {}
        direct: dict[NormalizedName, DirectUrl] = {}
        stamps: dict[NormalizedName, dict[str, bytes]] = {}
        for name, pin in resolution.pins.items():
            wheel = by_name.get(name)
            if wheel is not None:
                wanted[name] = wheel
                if wheel.candidate is not None and is_direct(wheel.candidate.kind):
                    direct[name] = self.direct_url(wheel.candidate, wheel.sha256)
                    stamps[name] = self.editable_files(wheel.candidate)
            elif isinstance(pin, InstalledDist):
                wanted[name] = pin
            elif name in self.installed:
                wanted[name] = self.installed[name]

        def plan_for(current: Mapping[NormalizedName, InstalledDist]) -> Plan:
            _check_kept(wanted, current)
            made = make_plan(
                wanted,
                current,
                requested=resolution.requested,
                direct_urls=direct,
                dist_info_files=stamps,
                force_reinstall=request.force_reinstall or request.ignore_installed or replacing,
                exact=request.exact,
                protected=_names(request.keep),
            )
            self.applied = (made, current)
            return made

        if plan_for(self.installed).is_empty:
            self.applied = None
            return ApplyResult((), ())
        self.target.location.mkdir(parents=True, exist_ok=True)
        mode = self.placed_by = self.link_mode(warnings)
        applied = apply(
            plan_for,  # planned again under the lock, against what is installed then
            self.target.interpreter,
            self.target.scheme,
            compile=self.settings.compile.value,
            unpacked_cache=self.session.unpacked_dir,
            unpacked={f.wheel.path: f.unpacked for f in fetched},
            hook=self._step,
            link_mode=mode,
        )
        if applied.copied and not self.session.cache.temporary:
            why = "on another filesystem?" if mode == "hardlink" else "not allowed there?"
            warnings.append(
                f"could not {'hard-link' if mode == 'hardlink' else 'symlink'} files from the "
                f"cache ({self.session.cache.root}) into {self.target.location} ({why}): they "
                "were copied. If that is intended, use --link-mode copy (or "
                "PINSET_LINK_MODE=copy) to say so"
            )
        return applied

    def link_mode(self, warnings: list[str]) -> LinkMode:
        """The ``--link-mode``; a throwaway cache (``--no-cache-dir``) is never symlinked to."""
        from pinset.install.linking import link_mode

        mode = link_mode(self.settings.link_mode.value)
        if mode == "symlink" and self.session.cache.temporary:
            warnings.append(
                "--link-mode symlink needs a cache that outlives the run; with --no-cache-dir "
                "files are hard-linked from a throwaway cache (nothing else shares them)"
            )
            return "hardlink"
        return mode

    def _step(self, step: str, detail: str) -> None:
        if step == "install":
            self.event(Step(detail))
        elif step == "compile":
            self.event(Phase("Compiling bytecode"))


def _check_kept(
    wanted: Mapping[NormalizedName, LocalWheel | InstalledDist],
    current: Mapping[NormalizedName, InstalledDist],
) -> None:
    """Refuse to go on when a distribution the resolution kept was changed by another run
    while this one resolved (the resolution no longer holds; this run has no wheel for it)."""
    for name, item in wanted.items():
        now = current.get(name)
        if isinstance(item, InstalledDist) and (now is None or now.version != item.version):
            found = f"is now {now.version}" if now is not None else "was removed"
            raise InstallError(
                f"{name} {item.version} {found}: another run changed the environment while "
                "this one was resolving",
                note="this run changed nothing",
                hint="run the command again",
            )


def replay_basis(pin: Candidate | InstalledDist, hashed: bool) -> str | None:
    """What keeps ``pin``'s file the one a later identical run chooses: ``"hash"`` (an
    index's file whose hash the user pinned, ``hashed``), ``"commit"`` (a version-control
    revision written as a full commit id, not editable), ``"pages"`` (an index's file chosen
    from its pages: the same while they are); None when nothing does (an installed copy, a
    local tree, a URL, a branch or tag)."""
    if isinstance(pin, InstalledDist):
        return None
    match pin.kind:
        case RegistryWheel() | RegistrySdist():
            return "hash" if hashed else "pages"
        case VcsCheckout(editable=False):
            from pinset.distribution.checkout import pinned_commit

            try:
                return "commit" if pinned_commit(pin.link.url) is not None else None
            except (VcsError, ValueError):
                return None
        case _:
            return None


def _names(names: frozenset[str]) -> frozenset[NormalizedName]:
    return frozenset(canonicalize_name(n) for n in names)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def exact_pins(inputs: Inputs) -> dict[NormalizedName, Version]:
    """The versions named by ``==``/``===`` requirements and constraints (no wildcard)."""
    pins: dict[NormalizedName, Version] = {}
    for req in (*inputs.requirements, *inputs.constraints):
        specs = list(req.specifier)
        if not req.name or req.url or len(specs) != 1:
            continue
        spec = specs[0]
        if spec.operator in ("==", "===") and not spec.version.endswith("*"):
            try:
                pins[canonicalize_name(req.name)] = Version(spec.version)
            except InvalidVersion:
                continue
    return pins


def hashed_pins(inputs: Inputs) -> dict[NormalizedName, HashedPin]:
    """The ``==`` pins whose ``--hash`` options give sha256 values: their file may be found
    in the cache by hash, without the index."""
    hashes = user_hashes((*inputs.requirements, *inputs.constraints))
    return {
        name: (version, frozenset(hashes[name]["sha256"]))
        for name, version in exact_pins(inputs).items()
        if hashes.get(name, {}).get("sha256")
    }


def requested_extras(
    inputs: Inputs, candidates: Sequence[Candidate] = ()
) -> dict[NormalizedName, list[str]]:
    """The extras the user's lines ask for, by project (a line naming only a path or URL,
    such as ``-e ./proj[fast]``, by the name of the candidate made from it)."""
    by_url = {c.link.url: c.name for c in candidates}
    extras: dict[NormalizedName, set[str]] = {}
    for req in inputs.requirements:
        name = req.name or by_url.get(req.url or "")
        if name and req.extras and not req.constraint:
            extras.setdefault(canonicalize_name(name), set()).update(req.extras)
    return {name: sorted(values) for name, values in extras.items()}


def _size(candidate: Candidate) -> int:
    """The size of ``candidate``'s file, as its index gave it (0 when unknown)."""
    return candidate.link.size or 0
