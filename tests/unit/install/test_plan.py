"""The plan keeps what is already right, replaces what differs, and removes extras on sync."""

from __future__ import annotations

from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pinset.direct_url import ArchiveInfo, DirectUrl
from pinset.dists import InstalledDist, LocalWheel
from pinset.install.plan import make_plan


def _n(name: str) -> NormalizedName:
    return canonicalize_name(name)


def _wheel(name: str, version: str) -> LocalWheel:
    return LocalWheel(_n(name), Version(version), Path(f"/c/{name}-{version}.whl"), "0" * 64)


def _dist(name: str, version: str, direct_url: DirectUrl | None = None) -> InstalledDist:
    return InstalledDist(
        _n(name), Version(version), Path(f"/e/{name}-{version}.dist-info"), direct_url=direct_url
    )


def test_same_version_is_kept_other_versions_replaced() -> None:
    installed = {_n("a"): _dist("a", "1"), _n("b"): _dist("b", "1")}
    plan = make_plan(
        {_n("a"): _wheel("a", "1"), _n("b"): _wheel("b", "2"), _n("c"): _wheel("c", "1")},
        installed,
        requested=frozenset({_n("a")}),
    )
    assert [w.name for w in plan.install] == ["b", "c"]
    assert plan.remove == (installed[_n("b")],)
    assert plan.unchanged == (installed[_n("a")],)
    assert plan.requested == {"a"}


def test_force_reinstall_all_or_some() -> None:
    installed = {_n("a"): _dist("a", "1"), _n("b"): _dist("b", "1")}
    wanted = {_n("a"): _wheel("a", "1"), _n("b"): _wheel("b", "1")}
    everything = make_plan(wanted, installed, force_reinstall=True)
    assert [w.name for w in everything.install] == ["a", "b"]
    assert len(everything.remove) == 2
    some = make_plan(wanted, installed, force_reinstall=frozenset({_n("b")}))
    assert [w.name for w in some.install] == ["b"]


def test_the_same_version_is_kept_unless_forced() -> None:
    """Whether a direct URL's installed copy is the same source is the planner's decision
    (``distribution.planner.same_source``); it reaches the plan as a forced name."""
    installed = {_n("a"): _dist("a", "1", DirectUrl("file:///old.whl", ArchiveInfo()))}
    assert make_plan({_n("a"): _wheel("a", "1")}, installed).is_empty
    moved = make_plan({_n("a"): _wheel("a", "1")}, installed, force_reinstall=frozenset({_n("a")}))
    assert [w.name for w in moved.install] == ["a"]


def test_exact_removes_unwanted_except_protected() -> None:
    installed = {_n(x): _dist(x, "1") for x in ("a", "pip", "stray")}
    plan = make_plan(
        {_n("a"): installed[_n("a")]}, installed, exact=True, protected=frozenset({_n("pip")})
    )
    assert [d.name for d in plan.remove] == ["stray"]
    assert plan.install == ()
