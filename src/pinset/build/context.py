"""What the build layer needs from above it, as a Protocol (design principle 6).

Building needs build requirements resolved and installed; resolving may need a build. The
composition root implements :class:`BuildContext` with pinset's resolver and installer (and its
caches), and the build layer calls only this seam, so imports stay acyclic.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from packaging.utils import canonicalize_name

from pinset._dataclass import dataclass
from pinset.errors import BuildError


@dataclass(frozen=True)
class BuildEnvironment:
    """A temporary virtual environment that a build's requirements go into."""

    path: Path
    python: Path
    scripts: Path


class BuildContext(Protocol):
    """Installs build requirements into a build environment."""

    def install(
        self, requirements: Sequence[str], env: BuildEnvironment, *, chain: tuple[str, ...]
    ) -> None:
        """Install ``requirements`` (PEP 508 strings, markers evaluated for ``env.python``)
        and what they depend on into ``env``; raise a PinsetError when that fails.

        ``chain`` names the projects being built, outermost first, the one being built last:
        when a requirement must itself be built from source, the context passes ``chain`` on
        to the builder, which refuses a project already in it (a cycle).
        """
        ...


def enter_chain(chain: tuple[str, ...], project: str) -> tuple[str, ...]:
    """``chain`` with ``project`` appended; BuildError naming the cycle when it is there."""
    wanted = canonicalize_name(project)
    names = [canonicalize_name(p) for p in chain]
    if wanted in names:
        cycle = " -> ".join((*chain[names.index(wanted) :], project))
        raise BuildError(
            f"cyclic build requirements: {cycle}",
            hint=f"{project} is needed to build itself; install a wheel of one of them first",
        )
    return (*chain, project)
