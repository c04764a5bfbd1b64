"""Turn resolvelib's causes of failure into chains a user can act on.

Every cause is a need and the choice that had it. Walking the recorded needs back up to the
user's lines gives one chain per cause, with the origin of the line it starts from::

    error: cannot install app==1.0 and lib<2 together
      requirements.txt:3:1  app==1.0 → needs lib>=2
      requirements.txt:4:1  lib<2

(as ``pinset.cli.resolution`` renders the chains: the engine returns them as data).

Four kinds of failure are told apart: a *conflict* (needs that no single version satisfies
together), *not found* (no index or find-links location knows the project at all: the message
names every place asked), *no matching version* (a need nothing satisfies even alone: the note
lists what was found and what the source skipped, and why), and *unsupported Python* (every
version left needs another Python).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass
from pinset.errors import Location, ResolutionError
from pinset.resolve.candidates import Chooser
from pinset.resolve.model import (
    CandidateSource,
    Choice,
    Direct,
    Exact,
    Named,
    Need,
    NeedsPython,
    PythonCandidate,
    ident_of,
    version_of,
)
from pinset.resolve.needs import user_text
from pinset.resolve.provider import base_of, is_pin, split_ident

if TYPE_CHECKING:
    from resolvelib.structs import RequirementInformation

    Info = RequirementInformation[Need, Choice]
else:
    Info = Any

Kind = Literal["conflict", "no-match", "not-found", "python"]
Edges = Mapping[str, Sequence[tuple[Need, Choice | None]]]
Satisfies = Callable[[Need, Choice], bool]

_MAX_FOUND = 10


@dataclass(frozen=True, slots=True)
class Hop:
    """``app`` at ``versions`` (newest first) needs ``need``; ``project`` is empty when the
    previous need pinned it exactly (only the need is worth telling)."""

    project: str
    versions: tuple[str, ...]
    need: str


@dataclass(frozen=True, slots=True)
class Chain:
    """From one of the user's lines (or constraints) down to a need that failed."""

    origin: Location | None
    root: str
    hops: tuple[Hop, ...] = ()
    constraint: bool = False


class ResolutionFailure(ResolutionError):
    """A resolution error as data: ``kind``, the ``chains`` (from the user's lines, in file
    order, then constraints), the project ``names`` in question; the CLI renders them."""

    def __init__(
        self,
        message: str,
        *,
        kind: Kind,
        chains: tuple[Chain, ...],
        names: tuple[str, ...],
        hint: str | None = None,
        note: str | None = None,
    ) -> None:
        first = next((c.origin for c in chains if c.origin is not None), None)
        super().__init__(message, where=first, hint=hint, note=note)
        self.kind: Kind = kind
        self.chains = chains
        self.names = names


@dataclass(frozen=True, slots=True)
class Context:
    """What the explainer may consult."""

    edges: Edges
    satisfies: Satisfies
    chooser: Chooser
    source: CandidateSource
    python: PythonCandidate


def explain(causes: Sequence[Info], context: Context) -> ResolutionFailure:
    """The failure behind ``causes`` (resolvelib's ``ResolutionImpossible.causes``)."""
    if not causes:
        message = "no set of versions satisfies the requirements"
        return ResolutionFailure(message, kind="conflict", chains=(), names=())
    others = [c for c in causes if not isinstance(c.requirement, NeedsPython)]
    chains = _merge([_chain(c, context) for c in causes])
    idents = sorted({ident_of(c.requirement) for c in others})
    if not others:
        return _python_failure(chains, causes, context)
    if len(idents) == 1 and all(_hopeless(c.requirement, context) for c in others):
        return _no_match(idents[0], chains, others, context)
    for ident in idents:
        chains.extend(_constraint_chains(split_ident(ident)[0], context))
    chains = _sorted(chains)
    roots = list(dict.fromkeys(c.root for c in chains))
    names = ", ".join(idents)
    if len(roots) > 1:
        message = f"cannot install {_join(roots)} together"
    else:
        message = f"cannot install {roots[0]}: its dependencies conflict over {names}"
    hint = f"loosen one of these requirements so that one version of {names} satisfies them all"
    return ResolutionFailure(
        message, kind="conflict", chains=tuple(chains), names=tuple(idents), hint=hint
    )


def _python_failure(
    chains: list[Chain], causes: Sequence[Info], context: Context
) -> ResolutionFailure:
    chains = _sorted(chains)
    roots = list(dict.fromkeys(c.root for c in chains))
    names = sorted({ident_of(c.parent) for c in causes if c.parent is not None})
    message = f"cannot install {_join(roots)} on Python {context.python.version}"
    hint = "every version that fits needs another Python: target one with --python"
    return ResolutionFailure(
        message, kind="python", chains=tuple(chains), names=tuple(names), hint=hint
    )


def _no_match(
    ident: str, chains: list[Chain], causes: Sequence[Info], context: Context
) -> ResolutionFailure:
    name = split_ident(ident)[0]
    chained = tuple(_sorted(chains))
    missing_on = list(context.source.missing_on(name))
    if missing_on:
        message = f"{name} was not found on {_join(missing_on, 'or')}"
        hint = "check the project's name, and the index (--index-url, --extra-index-url)"
        return ResolutionFailure(
            message, kind="not-found", chains=chained, names=(ident,), hint=hint
        )
    texts = list(dict.fromkeys(c.requirement.cause.text for c in causes))
    message = f"no version of {ident} satisfies {_join(texts, 'or')}"
    found = context.chooser.index_versions(name)
    notes = [
        "versions found: "
        + ", ".join(str(v) for v in found[:_MAX_FOUND])
        + (f" and {len(found) - _MAX_FOUND} more" if len(found) > _MAX_FOUND else "")
        if found
        else f"no versions of {name} were found"
    ]
    reasons: dict[str, int] = {}
    for reason in context.source.rejections(name):
        reasons[reason] = reasons.get(reason, 0) + 1
    notes.extend(
        f"{n} {'was' if n == 1 else 'were'} skipped ({reason})" for reason, n in reasons.items()
    )
    note = "; ".join(notes)
    return ResolutionFailure(message, kind="no-match", chains=chained, names=(ident,), note=note)


def _hopeless(need: Need, context: Context) -> bool:
    """Nothing satisfies ``need`` even on its own, without constraints."""
    if not isinstance(need, Named | Direct):
        return False
    pins = context.chooser.pins(need.name, [need], lambda _: True, constrained=False)
    found = pins() if callable(pins) else pins
    return next(iter(found), None) is None


def _constraint_chains(name: NormalizedName, context: Context) -> list[Chain]:
    constraint = context.chooser.policy.constraints.get(name)
    if constraint is None:
        return []
    return [Chain(line.origin, user_text(line), constraint=True) for line in constraint.lines]


def _chain(cause: Info, context: Context) -> Chain:
    need: Need = cause.requirement
    parent: Choice | None = cause.parent
    if parent is None:
        return Chain(need.cause.origin, need.cause.text)
    path = _route(parent, context)
    if not path:
        return Chain(None, _describe(parent), (Hop("", (), need.cause.text),))
    first = path[0][0]
    hops: list[Hop] = []
    steps = [*path[1:], (need, None)]
    for (previous, chosen), (step, _) in zip(path, steps, strict=True):
        hops.append(_hop(previous, chosen, step))
    return Chain(first.cause.origin, first.cause.text, tuple(hops))


def _hop(previous: Need, chosen: Choice, need: Need) -> Hop:
    if _implied(previous, chosen):
        return Hop("", (), need.cause.text)
    project = "Python" if isinstance(chosen, PythonCandidate) else ident_of(chosen)
    return Hop(project, (str(version_of(chosen)),), need.cause.text)


def _implied(need: Need, chosen: Choice) -> bool:
    """The need names exactly this choice, so saying the version again adds nothing."""
    if isinstance(need, Direct | Exact):
        return True
    return isinstance(need, Named) and is_pin(need.specifier)


def _route(choice: Choice, context: Context) -> list[tuple[Need, Choice]]:
    """The shortest recorded path of needs from a user's line down to ``choice``."""
    queue: deque[tuple[Choice, list[tuple[Need, Choice]]]] = deque([(choice, [])])
    seen: set[Choice] = {choice}
    while queue:
        current, tail = queue.popleft()
        for need, parent in context.edges.get(ident_of(current), ()):
            if not context.satisfies(need, current):
                continue
            path = [(need, current), *tail]
            if parent is None:
                return path
            if parent not in seen:
                seen.add(parent)
                queue.append((parent, path))
    return []


def _merge(chains: list[Chain]) -> list[Chain]:
    """One chain for causes that differ only in the version of the last project."""
    merged: dict[tuple[object, ...], Chain] = {}
    for chain in chains:
        last = chain.hops[-1] if chain.hops else None
        key: tuple[object, ...] = (chain.origin, chain.root, chain.hops[:-1])
        key += (last.project, last.need) if last else ((), ())
        known = merged.get(key)
        if known is None or last is None or not known.hops:
            merged.setdefault(key, chain)
            continue
        old = known.hops[-1]
        versions = tuple(dict.fromkeys([*old.versions, *last.versions]))
        merged[key] = Chain(
            chain.origin, chain.root, (*chain.hops[:-1], Hop(old.project, versions, old.need))
        )
    return list(merged.values())


def _sorted(chains: list[Chain]) -> list[Chain]:
    def key(chain: Chain) -> tuple[object, ...]:
        """The user's lines in file order, then constraints, then chains without an origin."""
        o = chain.origin
        path = (chain.root, *((h.project, h.versions, h.need) for h in chain.hops))
        if o is None:
            return (True, "\uffff", 0, 0, path)
        return (chain.constraint, o.file, o.line, o.column, path)

    return sorted(dict.fromkeys(chains), key=key)


def _describe(choice: Choice) -> str:
    pin = base_of(choice)
    return f"Python {version_of(choice)}" if pin is None else f"{ident_of(choice)} {pin.version}"


def _join(items: Sequence[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
