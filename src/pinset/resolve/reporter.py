"""Events from the resolver: remembered for explanations, forwarded to an optional listener.

The explainer needs to know how a rejected candidate came to be considered (who needed it), which
resolvelib does not keep once it backtracks; the reporter records every need with its parent.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from resolvelib import BaseReporter

from pinset.resolve.model import Choice, Need, describe, ident_of

if TYPE_CHECKING:
    from resolvelib.structs import RequirementInformation

    Info = RequirementInformation[Need, Choice]
else:
    Info = Any

Listener = Callable[[str], None]
"""Receives short progress messages (``"pinned lib 2.0"``, ``"backtracking: lib"``)."""


class Reporter(BaseReporter[Need, Choice, str]):
    """Records needs by identifier, counts rounds and backtracks."""

    def __init__(self, listener: Listener | None = None) -> None:
        self.edges: dict[str, list[tuple[Need, Choice | None]]] = {}
        self.rounds = 0
        self.backtracks = 0
        self._seen: set[tuple[int, int]] = set()
        self._listener = listener

    def starting_round(self, index: int) -> None:
        self.rounds = index + 1

    def adding_requirement(self, requirement: Need, parent: Choice | None) -> None:
        key = (id(requirement), id(parent))
        if key in self._seen:
            return
        self._seen.add(key)
        self.edges.setdefault(ident_of(requirement), []).append((requirement, parent))

    def resolving_conflicts(self, causes: Collection[Info]) -> None:
        self.backtracks += 1
        if self._listener is not None:
            names = sorted({ident_of(c.requirement) for c in causes})
            self._listener(f"backtracking: {', '.join(names)}")

    def pinning(self, candidate: Choice) -> None:
        if self._listener is not None:
            self._listener(f"pinned {describe(candidate)}")
