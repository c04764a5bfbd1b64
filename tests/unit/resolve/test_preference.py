"""The provider's preference: what it remembers between rounds follows the requirements."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.version import Version
from resolvelib.structs import RequirementInformation

from pinset.resolve.candidates import Chooser, Policy
from pinset.resolve.model import Cause, Named, Need, PythonCandidate
from pinset.resolve.needs import from_user
from pinset.resolve.provider import Provider
from tests.helpers.repository import Repository, parse_lines, target_markers


def _provider() -> tuple[Provider, Chooser]:
    repo = Repository({"lib": {"1.0": {}, "2.0": {}}, "app": {"1.0": {"requires": ["lib==1.0"]}}})
    chooser = Chooser(repo, Policy({}, {}, frozenset()))
    python = PythonCandidate(Version(target_markers()["python_full_version"]))
    return Provider(repo, chooser, target_markers(), python), chooser


def _needs(text: str, chooser: Chooser) -> list[Named]:
    found = [need for req in parse_lines(text) for need in from_user(req, chooser)[1]]
    assert all(isinstance(need, Named) for need in found)
    return [need for need in found if isinstance(need, Named)]


def _not_pinned(provider: Provider, needs: Sequence[Need]) -> bool:
    infos = {"lib": [RequirementInformation(need, None) for need in needs]}
    preference = provider.get_preference("lib", {}, {}, {"lib": iter(infos["lib"])}, [])
    return preference[2]


def test_a_pin_arriving_later_makes_the_project_pinned_and_leaving_unpins_it() -> None:
    """resolvelib asks on every round; the provider remembers the answer for the same
    requirement objects only: one more requirement (a dependency's ``==``), or one fewer
    (after backtracking), is judged again."""
    provider, chooser = _provider()
    loose = _needs("lib>=1", chooser)
    pinned = [Named(loose[0].name, None, _needs("lib==1.0", chooser)[0].specifier, Cause("app"))]
    assert _not_pinned(provider, loose) is True
    assert _not_pinned(provider, loose) is True  # remembered: the same objects
    assert _not_pinned(provider, [*loose, *pinned]) is False
    assert _not_pinned(provider, loose) is True
    assert _not_pinned(provider, _needs("lib>=1", chooser)) is True  # equal, not the same
    assert _not_pinned(provider, pinned) is False
