"""The text of a resolution failure's chains, one line per chain::

    requirements.txt:1:1  web==2.0 → needs app>=1 → app 1.1, 1.0 need lib>=2

The resolver returns chains as data (:class:`pinset.resolve.explain.Chain`); this is the only
place they become words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pinset.errors import Location

if TYPE_CHECKING:
    from pinset.resolve.explain import Chain, Hop, ResolutionFailure

MAX_VERSIONS = 3
"""Versions named in one hop before the rest are counted (``and 3 more``)."""


def hop_text(hop: Hop) -> str:
    """``needs lib>=2`` (the project was pinned by the previous need) or
    ``app 1.2, 1.1 need lib>=2``."""
    if not hop.project:
        return f"needs {hop.need}"
    shown = ", ".join(hop.versions[:MAX_VERSIONS])
    more = len(hop.versions) - MAX_VERSIONS
    if more > 0:
        shown += f" and {more} more"
    verb = "needs" if len(hop.versions) == 1 else "need"
    return f"{hop.project} {shown} {verb} {hop.need}"


def chain_text(chain: Chain) -> str:
    """The user's line, then every hop down to the need that failed, joined by arrows."""
    return " → ".join([chain.root, *(hop_text(h) for h in chain.hops)])


def details(error: ResolutionFailure) -> list[tuple[Location | None, str]]:
    """One ``(origin, text)`` detail per chain, in the resolver's order."""
    return [(chain.origin, chain_text(chain)) for chain in error.chains]
