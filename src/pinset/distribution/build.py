"""Where a distribution that is not a wheel would be built: today, the one refusal.

Source distributions, archives, local trees and VCS checkouts need a build from source, which
pinset does not do yet; every path that would need one raises :func:`needs_build`, with the
same message and hint.
"""

from __future__ import annotations

from pinset.errors import BuildError

SOURCE_HINT = (
    "use a wheel instead: --only-binary :all: (or --prefer-binary) makes pinset choose a "
    "version that has one"
)


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
