"""``lock``'s resolution: the kept pins alone first (``distribution.pinned.PinnedSource``, no
index page read), else in full with those pins preferred; then every file of each pin and
the :class:`~pinset.lockfile.model.LockedSet` (imported only by a run that resolves: a lock
answered by its remembered result never loads the resolver or the HTTP stack).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pinset._dataclass import replace
from pinset.distribution.pinned import PinnedMiss, PinnedSource, remember, scope_of
from pinset.dists import Candidate
from pinset.errors import IntegrityError, ResolutionError
from pinset.index.finder import Finder
from pinset.interpreter import Interpreter
from pinset.kinds import is_direct
from pinset.links import Link
from pinset.lockfile.model import LockedPin
from pinset.ops.events import Listener, Phase
from pinset.ops.inputs import Inputs
from pinset.ops.lock import written_url
from pinset.resolve import CandidateSource, Resolution, resolve
from pinset.session import Session


class LockRun:
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
        self.event(Phase("Resolving dependencies"))
        pinned = PinnedSource(self.source, self.session.cache, self.scope, self.preferred)
        resolution = self._kept(pinned) if self.preferred else None
        self.fast = resolution is not None
        if resolution is None:
            resolution = self._resolve(self.source)
        pins = [p for p in resolution.pins.values() if isinstance(p, Candidate)]
        files = self._remembered_files(pinned, pins) if with_files and self.fast else None
        looked_up = with_files and files is None
        if looked_up:
            self.event(Phase("Looking up the files of each pin"))
            files = _files(self.session, self.source.finder, pins)
        if not self.fast or looked_up:  # what was chosen (or looked up) now, for next time
            for pin in pins:
                if not is_direct(pin.kind):
                    found = None if files is None else files.get(pin.name)
                    remember(self.session.cache, self.scope, pin, found)
        return resolution, pins, files or {}

    @staticmethod
    def _remembered_files(
        pinned: PinnedSource, pins: Sequence[Candidate]
    ) -> dict[NormalizedName, tuple[Link, ...]] | None:
        """Every pin's files as remembered (a direct URL's: its own, when it gives a sha256),
        or None when one of them is not."""
        from pinset.ops.freeze_hashes import strong_hashes

        try:
            return {
                p.name: _known((p.link,) if strong_hashes([p.link]) else None)
                if is_direct(p.kind)
                else _known(pinned.files(p.name))
                for p in pins
            }
        except PinnedMiss:
            return None

    def _kept(self, pinned: CandidateSource) -> Resolution | None:
        try:
            return self._resolve(pinned)
        except (PinnedMiss, ResolutionError):
            return None

    def _resolve(self, source: CandidateSource) -> Resolution:
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
    if files is None:
        raise PinnedMiss("files")
    return files


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


def locked_pin(
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
        url=written_url(url) if direct and url else None,
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
