"""Resolution: the user's requirements + a candidate source → one pin per project.

``resolve()`` is the entry point; :class:`CandidateSource` is what the composition root
implements (index + metadata); failures raise :class:`ResolutionFailure` with chains.
"""

from __future__ import annotations

from pinset.resolve.explain import Chain, Hop, ResolutionFailure
from pinset.resolve.model import CandidateSource, Extra, Pin, Resolution, Via
from pinset.resolve.resolver import resolve

__all__ = [
    "CandidateSource",
    "Chain",
    "Extra",
    "Hop",
    "Pin",
    "Resolution",
    "ResolutionFailure",
    "Via",
    "resolve",
]
