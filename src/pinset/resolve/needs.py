"""Turn the user's lines and the candidates' Requires-Dist into needs, evaluating markers.

Markers are evaluated against the *target* environment (never pinset's own interpreter), with
``extra`` set to ``""`` for a project's own dependencies and to the extra's name for an extra's.
A requirement with extras ``lib[a,b]>=1`` becomes three needs: ``lib>=1``, ``lib[a]>=1`` and
``lib[b]>=1``; each extra is resolved on its own identifier and pulls in the base at the same
version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from packaging.requirements import Requirement as Pep508
from packaging.utils import NormalizedName, canonicalize_name

from pinset.errors import Location
from pinset.requirements.model import Requirement
from pinset.resolve.candidates import Chooser
from pinset.resolve.model import Cause, Direct, Extras, Named, Need, describe
from pinset.resolve.model import Choice as Parent

_URL_MARKER = re.compile(r"\s;")


def user_text(req: Requirement) -> str:
    """The user's line as shown in messages: as written, without its marker."""
    if req.marker is None:
        return req.raw.strip()
    if req.url is not None:
        return _URL_MARKER.split(req.raw, maxsplit=1)[0].strip()
    return req.raw.split(";", 1)[0].strip()


def from_user(req: Requirement, chooser: Chooser) -> tuple[NormalizedName, list[Need]]:
    """The needs of one top-level line (the caller has checked its marker)."""
    cause = Cause(user_text(req), req.origin)
    extras = sorted({canonicalize_name(e) for e in req.extras})
    if req.url is not None:
        candidate = chooser.direct(req)
        name = candidate.name
        base: list[Need] = [Direct(name, None, candidate, cause)]
        return name, base + [Direct(name, e, candidate, cause) for e in extras]
    if req.name is None:  # the parser never produces this: a line names a project or a URL
        raise ValueError(f"requirement without a name or a URL: {req.raw!r}")
    name = canonicalize_name(req.name)
    named: list[Need] = [Named(name, None, req.specifier, cause)]
    return name, named + [Named(name, e, req.specifier, cause) for e in extras]


def dependency_text(dep: Pep508) -> str:
    """``lib[fast]>=2`` or ``lib @ https://…`` (without the marker)."""
    extras = f"[{','.join(sorted(dep.extras))}]" if dep.extras else ""
    if dep.url:
        return f"{dep.name}{extras} @ {dep.url}"
    return f"{dep.name}{extras}{dep.specifier}"


def from_dependency(dep: Pep508, parent: Parent, chooser: Chooser) -> list[Need]:
    """The needs of one Requires-Dist entry of ``parent`` (the caller has checked its marker)."""
    name = canonicalize_name(dep.name)
    cause = Cause(dependency_text(dep))
    extras = sorted({canonicalize_name(e) for e in dep.extras})
    if dep.url:
        line = Requirement(
            origin=Location(describe(parent), 0),
            raw=cause.text,
            name=dep.name,
            extras=tuple(extras),
            url=dep.url,
        )
        candidate = chooser.direct(line)
        return [Direct(name, e, candidate, cause) for e in (None, *extras)]
    return [Named(name, e, dep.specifier, cause) for e in (None, *extras)]


def index_names(needs: Iterable[Need]) -> list[NormalizedName]:
    """The projects ``needs`` will ask the index about: version ranges (not URLs, not Python),
    each once, in the order ``needs`` first name them."""
    return list(dict.fromkeys(n.name for n in needs if isinstance(n, Named)))


def index_extras(needs: Iterable[Need]) -> dict[NormalizedName, Extras]:
    """The extras ``needs`` want of the projects they ask the index about (only the projects
    with some)."""
    found: dict[NormalizedName, set[str]] = {}
    for need in needs:
        if isinstance(need, Named) and need.extra is not None:
            found.setdefault(need.name, set()).add(need.extra)
    return {name: frozenset(extras) for name, extras in found.items()}
