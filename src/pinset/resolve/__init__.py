"""Resolution: the user's requirements + a candidate source → one pin per project.

``resolve()`` is the entry point; :class:`CandidateSource` is what the composition root
implements (index + metadata); failures raise :class:`ResolutionFailure` with chains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pinset._lazy_exports import exported_from
from pinset.resolve.model import CandidateSource, Extra, Pin, Resolution, Via
from pinset.resolve.resolver import resolve

if TYPE_CHECKING:
    from pinset.resolve.explain import Chain, Hop, ResolutionFailure

EXPLAINING = frozenset({"Chain", "Hop", "ResolutionFailure"})
"""What :mod:`pinset.resolve.explain` defines for a failure: imported when first asked for
(a resolution that succeeds needs none of it)."""


if not TYPE_CHECKING:  # type checkers see the names imported above
    __getattr__ = exported_from(__name__, "pinset.resolve.explain", EXPLAINING)


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
