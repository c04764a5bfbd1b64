"""``resolve()``: the user's requirements + a candidate source → a :class:`Resolution`.

Steps: drop lines whose markers don't match the target; turn constraints into one
:class:`Constraint` per project; turn lines into needs; run resolvelib with our provider and
reporter; on failure, explain; on success, keep the pins reachable from the user's lines with
how each was reached (``via``) and order them dependencies first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version
from resolvelib import ResolutionImpossible, ResolutionTooDeep, Resolver

from pinset._dataclass import replace
from pinset.dists import InstalledDist
from pinset.errors import ResolutionError
from pinset.markers import marker_applies
from pinset.requirements.model import Requirement
from pinset.resolve.candidates import Chooser, Policy, Strategy
from pinset.resolve.model import (
    PYTHON,
    CandidateSource,
    Choice,
    Constraint,
    Direct,
    Exact,
    Extra,
    Need,
    NeedsPython,
    Pin,
    PythonCandidate,
    Resolution,
    Via,
    ident_of,
)
from pinset.resolve.needs import from_user, index_extras, user_text
from pinset.resolve.provider import Provider, base_of
from pinset.resolve.reporter import Listener, Reporter

if TYPE_CHECKING:
    from resolvelib.resolvers import Result

    Outcome = Result[Need, Choice, str]
else:
    Outcome = Any

MAX_ROUNDS = 200_000
"""resolvelib rounds before giving up (pip uses 200 000 too)."""
_DIRECT_WORKERS = 8
"""URL lines made side by side at most (their work is mostly other processes')."""

_RELEASE = re.compile(r"\d+(\.\d+)*")


def resolve(
    requirements: Sequence[Requirement],
    *,
    constraints: Sequence[Requirement] = (),
    source: CandidateSource,
    installed: Mapping[NormalizedName, InstalledDist],
    markers: Mapping[str, str],
    upgrade: bool | frozenset[NormalizedName] = False,
    strategy: Strategy = "only-if-needed",
    pre: bool = False,
    no_deps: bool = False,
    listener: Listener | None = None,
    max_rounds: int = MAX_ROUNDS,
    preferred: Mapping[NormalizedName, Version] | None = None,
) -> Resolution:
    """Pin one version of every project the requirements need, for the target ``markers``.

    ``installed`` distributions are kept when they satisfy everything, unless ``upgrade``
    allows upgrading them: ``True`` upgrades the user's projects (``strategy="eager"``: their
    dependencies too), a set upgrades those projects. ``no_deps`` (pip's ``--no-deps``) resolves
    the user's lines alone (Requires-Python is still checked). Raises :class:`ResolutionError`
    (a :class:`pinset.resolve.explain.ResolutionFailure` with chains when no set works).
    ``preferred`` versions are tried first where they fit (a lock file's pins, kept).
    """
    python = PythonCandidate(python_version(markers))
    policy = Policy(
        installed,
        {},
        frozenset(),
        upgrade=upgrade,
        strategy=strategy,
        pre=pre,
        preferred=preferred or {},
    )
    chooser = Chooser(source, policy)
    chooser = chooser.replace(constraints=_constraints(constraints, markers, chooser))
    lines = [r for r in requirements if not r.constraint and marker_applies(r.marker, markers)]
    _make_directs(chooser, lines)
    roots: list[Need] = []
    for req in lines:
        roots.extend(from_user(req, chooser)[1])
    ignored = tuple(
        r for r in (*requirements, *constraints) if not marker_applies(r.marker, markers)
    )
    requested = frozenset(_base_name(n) for n in roots)
    chooser = chooser.replace(requested=requested, by_url=_by_url(roots, chooser.policy))
    provider = Provider(source, chooser, markers, python, no_deps=no_deps)
    reporter = Reporter(listener)
    # in the order of the lines: resolvelib asks about the roots in that order, first thing
    first = dict.fromkeys(_base_name(n) for n in roots)
    source.prefetch([n for n in first if chooser.needs_index(n)], index_extras(roots))
    try:
        outcome: Outcome = Resolver(provider, reporter).resolve(roots, max_rounds=max_rounds)
    except ResolutionImpossible as exc:
        from pinset.resolve.explain import Context, explain  # failures only

        context = Context(reporter.edges, provider.is_satisfied_by, chooser, source, python)
        raise explain(list(exc.causes), context) from None
    except ResolutionTooDeep:
        raise ResolutionError(
            f"gave up resolving after {max_rounds} rounds of backtracking",
            hint="pin some of the projects named in the backtracking messages (-v)",
        ) from None
    return replace(_result(outcome, chooser.policy, requested), ignored=ignored)


def _make_directs(chooser: Chooser, lines: Sequence[Requirement]) -> None:
    """The candidates of the user's URL lines made side by side (each a download, a checkout
    or a build, mostly in other processes) before the roots are read one line after the
    other; the first failure, in line order, is raised as reading them in turn would. An
    editable line is left to its turn: it checks out into ``--src``, and a later line's
    failure must stop the run before that."""
    unique: dict[tuple[str | None, str], Requirement] = {}
    for r in lines:  # each URL once, at its first line
        if r.url is not None and not r.editable:
            unique.setdefault((r.name, r.url), r)
    urls = list(unique.values())
    if len(urls) < 2:
        return
    with ThreadPoolExecutor(min(len(urls), _DIRECT_WORKERS), "pinset-direct") as pool:
        made = [pool.submit(chooser.direct, r) for r in urls]
    for future in made:
        future.result()


def python_version(markers: Mapping[str, str]) -> Version:
    """The target interpreter's version from its markers (``python_full_version``)."""
    text = markers.get("python_full_version") or markers.get("python_version", "")
    match = _RELEASE.match(text)
    try:
        return Version(match.group(0) if match else text)
    except InvalidVersion:
        raise ResolutionError(f"the target's Python version {text!r} is not a version") from None


def _constraints(
    lines: Sequence[Requirement], markers: Mapping[str, str], chooser: Chooser
) -> dict[NormalizedName, Constraint]:
    found: dict[NormalizedName, Constraint] = {}
    for line in lines:
        if not marker_applies(line.marker, markers):
            continue
        name = canonicalize_name(line.name) if line.name else chooser.direct(line).name
        known = found.get(name, Constraint(name, SpecifierSet(), ()))
        link = line if line.url is not None else known.link
        found[name] = Constraint(name, known.specifier & line.specifier, (*known.lines, line), link)
    return found


def _by_url(roots: Sequence[Need], policy: Policy) -> frozenset[NormalizedName]:
    """The projects whose only candidate is a file the user named: by a line's URL or path,
    or by a constraint's."""
    lines = {n.name for n in roots if isinstance(n, Direct)}
    constrained = {name for name, c in policy.constraints.items() if c.link is not None}
    return frozenset(lines | constrained)


def _base_name(need: Need) -> NormalizedName:
    if isinstance(need, Exact):
        return need.pin.name
    if isinstance(need, NeedsPython):
        return NormalizedName(PYTHON)
    return need.name


def _result(outcome: Outcome, policy: Policy, requested: frozenset[NormalizedName]) -> Resolution:
    pins: dict[NormalizedName, Pin] = {}
    extras: dict[NormalizedName, set[str]] = {}
    for choice in outcome.mapping.values():
        if isinstance(choice, Extra):
            extras.setdefault(choice.base.name, set()).add(choice.extra)
            continue
        pin = base_of(choice)
        if pin is not None:
            pins[pin.name] = pin
    via = _vias(outcome, pins, policy)
    order = _dependencies_first(pins, via)
    parents = {name: _parents(via.get(name, ())) for name in order}
    return Resolution(
        pins={name: pins[name] for name in order},
        parents=parents,
        via={name: tuple(via.get(name, ())) for name in order},
        extras={name: frozenset(e) for name, e in sorted(extras.items())},
        requested=requested & frozenset(pins),
    )


def _vias(
    outcome: Outcome, pins: Mapping[NormalizedName, Pin], policy: Policy
) -> dict[NormalizedName, list[Via]]:
    via: dict[NormalizedName, list[Via]] = {}
    for ident, criterion in outcome.criteria.items():
        if ident == PYTHON:
            continue
        for info in criterion.information:
            entry = _via(info.requirement, info.parent, outcome)
            if entry is None or entry[0] not in pins:
                continue
            known = via.setdefault(entry[0], [])
            if entry[1] not in known:
                known.append(entry[1])
    for name, constraint in policy.constraints.items():
        if name in pins:
            for line in constraint.lines:
                via.setdefault(name, []).append(Via(None, user_text(line), line.origin, True))
    return via


def _via(need: Need, parent: Choice | None, outcome: Outcome) -> tuple[NormalizedName, Via] | None:
    """The ``via`` entry a need of the final state gives, if it counts."""
    if isinstance(need, Exact | NeedsPython):
        return None
    if parent is None:
        return need.name, Via(None, need.cause.text, need.cause.origin)
    pin = base_of(parent)
    if pin is None or pin.name == need.name:  # an extra's own base, or extras naming extras
        return None
    if outcome.mapping.get(ident_of(parent)) is not parent:
        return None
    return need.name, Via(pin.name, need.cause.text)


def _parents(vias: Sequence[Via]) -> tuple[str, ...]:
    found: set[str] = set()
    for via in vias:
        if via.parent is not None:
            found.add(via.parent)
        elif via.origin is not None:
            found.add(f"{'-c' if via.constraint else '-r'} {via.origin.file}")
    return tuple(sorted(found))


def _dependencies_first(
    pins: Mapping[NormalizedName, Pin], via: Mapping[NormalizedName, Sequence[Via]]
) -> list[NormalizedName]:
    children: dict[NormalizedName, set[NormalizedName]] = {name: set() for name in pins}
    for name, entries in via.items():
        for entry in entries:
            if entry.parent is not None and entry.parent in children and entry.parent != name:
                children[entry.parent].add(name)
    order: list[NormalizedName] = []
    done: set[NormalizedName] = set()
    for name in sorted(pins):
        _visit(name, children, done, order)
    return order


def _visit(
    start: NormalizedName,
    children: Mapping[NormalizedName, set[NormalizedName]],
    done: set[NormalizedName],
    order: list[NormalizedName],
) -> None:
    """Post-order depth-first walk without recursion (dependency chains can be long)."""
    if start in done:
        return
    done.add(start)
    stack: list[tuple[NormalizedName, list[NormalizedName]]] = [(start, sorted(children[start]))]
    while stack:
        name, pending = stack[-1]
        while pending and pending[-1] in done:
            pending.pop()
        if pending:
            child = pending.pop()
            done.add(child)
            stack.append((child, sorted(children[child])))
        else:
            stack.pop()
            order.append(name)
