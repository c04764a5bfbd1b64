"""Where a distribution that is not a wheel is built: the :class:`SourceBuilder` seam.

The composition root gives the candidate source a source builder:
:class:`pinset.distribution.builder.SourceBuilds` when building is possible, else
:class:`NoBuilds`, which refuses every source distribution, archive, local tree and VCS
checkout by its kind, with one message and hint (:func:`needs_build`; ``--only-binary :all:``
says why). A VCS checkout first learns its commit (:meth:`SourceBuilder.vcs_checkout`; an
editable one also its directory in ``--src``), which travels with its candidate.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from pinset.core_metadata import CoreMetadata
from pinset.dists import Candidate, LocalWheel
from pinset.errors import BuildError
from pinset.kinds import Buildable, DirectArchive, LocalDirectory, RegistrySdist, VcsCheckout
from pinset.links import Link
from pinset.redaction import redact_url

if TYPE_CHECKING:  # the build layer is imported when something is built
    from pinset.build.backend import ConfigSettings

SOURCE_HINT = (
    "allow building from source (drop --only-binary :all:), or use a version that has a wheel"
)
EDITABLE_HINT = (
    "install it without -e (a local directory or archive is built), or build a wheel of it "
    "and install that"
)


class SourceBuilder(Protocol):
    """Builds what is not a wheel: its metadata (for the resolver) and its wheel."""

    def metadata(
        self, label: str, kind: Buildable, link: Link, config: ConfigSettings | None = None
    ) -> CoreMetadata:
        """The core metadata of ``link``'s distribution (``label``: how to name it;
        ``config``: the requirement's own ``--config-settings``)."""
        ...

    def vcs_checkout(self, label: str, kind: VcsCheckout, link: Link) -> VcsCheckout:
        """``kind`` with the immutable commit ``link``'s revision names (a full commit id as
        written, with no tool run; else the repository is fetched and the revision checked
        out); for an editable, checked out into ``--src`` now, with its project directory."""
        ...

    def wheel(self, candidate: Candidate) -> LocalWheel:
        """The candidate's wheel, built (or found built in the cache)."""
        ...

    def source_sha256(self, candidate: Candidate) -> str | None:
        """The sha256 of the candidate's source archive (None for a directory)."""
        ...

    def editable_inputs(self, candidate: Candidate) -> str | None:
        """For an editable candidate whose wheel was built: the fingerprint of its tree's
        metadata inputs when it was built (:func:`pinset.source_tree.inputs_fingerprint`)."""
        ...


class DeferredBuilds:
    """A source builder made when it is first asked for something: a run whose distributions
    are all wheels never imports the build and VCS layers (about 12 ms of a warm install).
    Safe to share between threads: the resolver's workers may ask at the same time."""

    def __init__(self, make: Callable[[], SourceBuilder]) -> None:
        self._make = make
        self._made: SourceBuilder | None = None
        self._lock = threading.Lock()

    @property
    def made(self) -> bool:
        """Whether the builder was made (something asked it)."""
        return self._made is not None

    def _builder(self) -> SourceBuilder:
        with self._lock:
            if self._made is None:
                self._made = self._make()
            return self._made

    def metadata(
        self, label: str, kind: Buildable, link: Link, config: ConfigSettings | None = None
    ) -> CoreMetadata:
        return self._builder().metadata(label, kind, link, config)

    def vcs_checkout(self, label: str, kind: VcsCheckout, link: Link) -> VcsCheckout:
        return self._builder().vcs_checkout(label, kind, link)

    def wheel(self, candidate: Candidate) -> LocalWheel:
        return self._builder().wheel(candidate)

    def source_sha256(self, candidate: Candidate) -> str | None:
        return self._builder().source_sha256(candidate)

    def editable_inputs(self, candidate: Candidate) -> str | None:
        return self._builder().editable_inputs(candidate)


class NoBuilds:
    """The source builder of a run that may not build (``--only-binary :all:``)."""

    def __init__(self, hint: str = SOURCE_HINT) -> None:
        self.hint = hint

    def metadata(
        self, label: str, kind: Buildable, link: Link, config: ConfigSettings | None = None
    ) -> CoreMetadata:
        raise self._refuse(label, what_to_build(kind, link))

    def vcs_checkout(self, label: str, kind: VcsCheckout, link: Link) -> VcsCheckout:
        raise self._refuse(label, what_to_build(kind, link))

    def wheel(self, candidate: Candidate) -> LocalWheel:
        assert isinstance(candidate.kind, Buildable)
        raise self._refuse(str(candidate), what_to_build(candidate.kind, candidate.link))

    def source_sha256(self, candidate: Candidate) -> str | None:
        return None

    def editable_inputs(self, candidate: Candidate) -> str | None:
        return None

    def _refuse(self, label: str, what: str) -> SourceBuildNeeded:
        return SourceBuildNeeded(label, what, hint=self.hint, why="building from source is off")


def what_to_build(kind: Buildable, link: Link) -> str:
    """What ``link`` needs, in the words of the refusal."""
    shown = redact_url(link.url)
    match kind:
        case RegistrySdist():
            return f"its source distribution {link.filename} built"
        case VcsCheckout(vcs=vcs):
            return f"a {vcs} checkout built ({shown})"
        case DirectArchive(editable=True) | LocalDirectory(editable=True):
            return f"an editable build ({shown})"
        case LocalDirectory():
            return f"a source tree built ({shown})"
        case DirectArchive():
            return f"{link.filename} built ({shown})"


class SourceBuildNeeded(BuildError):
    """Something must be built from source, which this run may not or cannot do; ``label``
    names it (``name==version``, or the requirement as written)."""

    def __init__(
        self,
        label: str,
        what: str,
        *,
        hint: str = SOURCE_HINT,
        why: str = "building from source is not supported yet",
    ) -> None:
        super().__init__(f"{why}: {label} needs {what}", hint=hint)
        self.label = label


def needs_build(name: str, what: str, hint: str = EDITABLE_HINT) -> SourceBuildNeeded:
    """The error for what a later pinset version builds (editable VCS checkouts)."""
    return SourceBuildNeeded(name, what, hint=hint)
