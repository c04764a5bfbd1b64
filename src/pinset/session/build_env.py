"""The :class:`~pinset.build.context.BuildContext` of a run: build requirements installed by
pinset itself, a nested and smaller install into the build environment.

The requirement strings (``[build-system].requires`` and what ``get_requires_for_build_*``
adds) are read as PEP 508 requirements only (a hostile ``pyproject.toml`` cannot slip in
requirements-file options), resolved for the build environment's interpreter against the
run's indexes and find-links (the run's HTTP client, credentials and caches), and their wheels
linked from the cache into the environment (hard links, no bytecode: the environment is thrown
away). A build requirement that is only an sdist is built too, with the chain of projects being
built passed on, so that a cycle is an error that names it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Pep508
from packaging.utils import NormalizedName

from pinset.build.context import BuildEnvironment
from pinset.dists import Candidate, InstalledDist, LocalWheel
from pinset.environment.installed import scan
from pinset.environment.interpreter import query
from pinset.environment.schemes import environment_scheme
from pinset.errors import BuildError, Location
from pinset.requirements.model import Requirement
from pinset.resolve import resolve

if TYPE_CHECKING:
    from pinset.session import Session


class NestedInstall:
    """Installs build requirements with the session's resolver, caches and installer."""

    def __init__(self, session: Session, constraints: Sequence[Requirement] = ()) -> None:
        self.session = session
        self.constraints = tuple(constraints)
        """``--build-constraint`` files' lines: they bound every build's requirements."""

    def install(
        self, requirements: Sequence[str], env: BuildEnvironment, *, chain: tuple[str, ...]
    ) -> None:
        if not requirements:
            return
        from pinset.install.plan import make_plan
        from pinset.install.transaction import apply

        where = f"build requirements of {chain[-1] if chain else 'a build'}"
        wanted_lines = [_requirement(text, where) for text in requirements]
        interp = query(env.python, cache_dir=None)
        scheme = environment_scheme(interp)
        installed = scan(scheme)
        source = self.session.source(interp, installed=installed.keys(), chain=chain)
        resolution = resolve(
            wanted_lines,
            constraints=self.constraints,
            source=source,
            installed=installed,
            markers=interp.markers,
            pre=self.session.options.index.pre,
        )
        candidates = [p for p in resolution.pins.values() if isinstance(p, Candidate)]
        fetched = self.session.client.map_parallel(
            lambda c: self.session.unpacked(source, c), candidates
        )
        wanted: dict[NormalizedName, LocalWheel | InstalledDist] = {
            f.wheel.name: f.wheel for f in fetched
        }
        for name, pin in resolution.pins.items():
            if isinstance(pin, InstalledDist):
                wanted[name] = pin
        apply(
            lambda current: make_plan(wanted, current, requested=resolution.requested),
            interp,
            scheme,
            compile=False,
            unpacked_cache=self.session.unpacked_dir,
            unpacked={f.wheel.path: f.unpacked for f in fetched},
            link_mode="hardlink",
        )


def read_build_constraints(files: Sequence[str], environ: Mapping[str, str]) -> list[Requirement]:
    """The lines of the ``--build-constraint`` files (read as ``-c`` files are)."""
    from pinset.requirements import parse_file

    found: list[Requirement] = []
    for name in files:
        found.extend(parse_file(name, constraint=True, environ=environ).constraints)
    return found


def _requirement(text: str, where: str) -> Requirement:
    """One build requirement, read as PEP 508 only."""
    try:
        parsed = Pep508(text)
    except InvalidRequirement as exc:
        raise BuildError(
            f"{where}: {text!r} is not a valid requirement ({exc})",
            hint="[build-system] requires and get_requires_for_build_* list PEP 508 strings",
        ) from None
    return Requirement(
        origin=Location(where, 1),
        raw=text,
        name=parsed.name,
        extras=tuple(sorted(parsed.extras)),
        specifier=parsed.specifier,
        marker=parsed.marker,
        url=parsed.url,
    )
