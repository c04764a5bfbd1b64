"""PEP 508 environment markers evaluated for the *target* interpreter: one function, one policy.

``environment`` is the target's marker values (from its probe, never pinset's own); ``extra``
is ``""`` for a project's own dependencies and the extra's name for an extra's.

A marker that parses but cannot be evaluated (``python_version ~= "x"``: no version to compare)
does not apply, as uv decides, so that the fast no-op check, the resolver and the prefetcher
agree on every line; pip stops with a traceback there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # packaging.markers is imported by whoever built the Marker
    from packaging.markers import Marker


def marker_applies(marker: Marker | None, environment: Mapping[str, str], extra: str = "") -> bool:
    """Whether a requirement line or dependency with ``marker`` applies to the target."""
    if marker is None:
        return True
    from packaging.markers import UndefinedComparison, UndefinedEnvironmentName

    values = dict(environment)
    values["extra"] = extra
    try:
        return marker.evaluate(values)
    except (UndefinedComparison, UndefinedEnvironmentName, ValueError, TypeError):
        return False


def extra_only(marker: Marker | None, environment: Mapping[str, str], extra: str) -> bool:
    """A dependency that applies with ``extra`` and not without it belongs to the extra."""
    return marker_applies(marker, environment, extra) and not marker_applies(
        marker, environment, ""
    )
