"""Where a distribution that is not a wheel would be built: the :class:`SourceBuilder` seam.

The composition root gives the candidate source a source builder. This pinset version has only
:class:`NoBuilds`: every source distribution, archive, local tree and VCS checkout is refused
here, by its kind, with one message and hint (:func:`needs_build`).
"""

from __future__ import annotations

from typing import Protocol

from pinset.core_metadata import CoreMetadata
from pinset.errors import BuildError
from pinset.kinds import Buildable, DirectArchive, LocalDirectory, RegistrySdist, VcsCheckout
from pinset.links import Link
from pinset.redaction import redact_url

SOURCE_HINT = (
    "use a wheel instead: --only-binary :all: (or --prefer-binary) makes pinset choose a "
    "version that has one"
)


class SourceBuilder(Protocol):
    """Builds what is not a wheel: its metadata (for the resolver) and its wheel."""

    def metadata(self, label: str, kind: Buildable, link: Link) -> CoreMetadata:
        """The core metadata of ``link``'s distribution (``label``: how to name it)."""
        ...


class NoBuilds:
    """The source builder of a pinset that does not build from source yet."""

    def metadata(self, label: str, kind: Buildable, link: Link) -> CoreMetadata:
        raise needs_build(label, what_to_build(kind, link))


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
    """Something must be built from source, which pinset does not do yet; ``label`` names it
    (``name==version``, or the requirement as written)."""

    def __init__(self, label: str, what: str) -> None:
        super().__init__(
            f"building from source is not supported yet: {label} needs {what}", hint=SOURCE_HINT
        )
        self.label = label


def needs_build(name: str, what: str) -> SourceBuildNeeded:
    """The error for anything that needs building from source (a later pinset version)."""
    return SourceBuildNeeded(name, what)
