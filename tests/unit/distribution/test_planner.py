"""The planner decides once, before anything is fetched, what each pin needs."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from pinset.direct_url import ArchiveInfo, DirectUrl, DirInfo
from pinset.distribution.planner import (
    Fetch,
    Keep,
    Reinstall,
    Remove,
    decide,
    kept_tools,
    plan_run,
)
from pinset.dists import Candidate, InstalledDist
from pinset.kinds import DirectArchive, DirectWheel, Kind, LocalDirectory, RegistryWheel
from pinset.links import Link
from pinset.urls import path_to_url


def _n(name: str) -> NormalizedName:
    return canonicalize_name(name)


def candidate(name: str, version: str, kind: Kind | None = None) -> Candidate:
    filename = f"{name}-{version}-py3-none-any.whl"
    link = Link(f"https://h/{filename}", filename)
    return Candidate(_n(name), Version(version), link, kind=kind or RegistryWheel())


def installed(name: str, version: str) -> InstalledDist:
    return InstalledDist(_n(name), Version(version), Path(f"/env/{name}-{version}.dist-info"))


def never(dist: InstalledDist) -> Candidate:
    raise AssertionError(f"{dist.name} looked up")


def test_the_installed_version_of_an_index_file_is_kept() -> None:
    old = installed("a", "1")
    assert decide(candidate("a", "1"), old, force=False, same_version=never) == Keep(old)


def test_another_version_is_fetched_and_replaces_the_installed_one() -> None:
    old, new = installed("a", "1"), candidate("a", "2")
    assert decide(new, old, force=False, same_version=never) == Fetch(new, old)
    assert decide(new, None, force=False, same_version=never) == Fetch(new, None)


def test_a_direct_url_is_fetched_unless_the_installed_copy_came_from_it() -> None:
    old, new = installed("a", "1"), candidate("a", "1", DirectWheel())
    assert decide(new, old, force=False, same_version=never) == Fetch(new, old)
    same = replace(old, direct_url=DirectUrl(new.link.url, ArchiveInfo()))
    assert decide(new, same, force=False, same_version=never) == Keep(same)
    moved = replace(
        old, direct_url=DirectUrl("https://h/elsewhere/a-1-py3-none-any.whl", ArchiveInfo())
    )
    assert decide(new, moved, force=False, same_version=never) == Fetch(new, moved)


def test_a_direct_archive_of_another_hash_is_fetched() -> None:
    url = "https://h/a-1.tar.gz"
    link = Link(f"{url}#sha256={'1' * 64}", "a-1.tar.gz", hashes=(("sha256", "1" * 64),))
    new = Candidate(_n("a"), Version("1"), link, kind=DirectArchive())
    had = ArchiveInfo((("sha256", "2" * 64),))
    old = replace(installed("a", "1"), direct_url=DirectUrl(url, had))
    assert decide(new, old, force=False, same_version=never) == Fetch(new, old)
    same = replace(old, direct_url=DirectUrl(url, ArchiveInfo((("sha256", "1" * 64),))))
    assert decide(new, same, force=False, same_version=never) == Keep(same)


def test_a_local_directory_is_kept_until_a_file_in_it_changes(tmp_path: Path) -> None:
    tree = tmp_path / "proj"
    tree.mkdir()
    (tree / "setup.py").write_text("")
    dist_info = tmp_path / "env" / "a-1.dist-info"
    dist_info.mkdir(parents=True)
    recorded = DirectUrl(path_to_url(tree), DirInfo())
    (dist_info / "direct_url.json").write_text(recorded.to_json())
    url = path_to_url(tree)
    new = Candidate(_n("a"), Version("1"), Link(url, "proj"), kind=LocalDirectory())
    old = InstalledDist(_n("a"), Version("1"), dist_info, direct_url=recorded)
    assert decide(new, old, force=False, same_version=never) == Keep(old)
    later = (dist_info / "direct_url.json").stat().st_mtime_ns + 10**9
    (tree / "setup.py").write_text("# edited")
    os.utime(tree / "setup.py", ns=(later, later))
    assert decide(new, old, force=False, same_version=never) == Fetch(new, old)


def test_force_reinstalls_what_the_resolver_kept_from_a_file_of_that_version() -> None:
    kept = installed("a", "1")
    again = candidate("a", "1")
    assert decide(kept, kept, force=False, same_version=never) == Keep(kept)
    assert decide(kept, kept, force=True, same_version=lambda d: again) == Reinstall(again, kept)
    assert decide(again, kept, force=True, same_version=never) == Reinstall(again, kept)


def test_a_run_plan_lists_what_to_fetch_and_what_it_replaces_in_resolution_order() -> None:
    a1, b1 = installed("a", "1"), installed("b", "1")
    a2, c1 = candidate("a", "2"), candidate("c", "1")
    plan = plan_run(
        {_n("c"): c1, _n("b"): b1, _n("a"): a2},
        {_n("a"): a1, _n("b"): b1},
        force=False,
        same_version=never,
    )
    assert plan.to_fetch == [c1, a2]
    assert plan.replaced == [a1]


def test_an_exact_plan_removes_what_no_pin_names_except_what_it_keeps() -> None:
    a1, pip, extra = installed("a", "1"), installed("pip", "24"), installed("extra", "1")
    a2 = candidate("a", "2")
    current = {_n("a"): a1, _n("pip"): pip, _n("extra"): extra}
    plan = plan_run(
        {_n("a"): a2}, current, force=False, same_version=never, exact=True, keep={_n("pip")}
    )
    assert plan.decisions[_n("extra")] == Remove(extra)
    assert _n("pip") not in plan.decisions
    assert plan.to_fetch == [a2]
    assert plan.replaced == [a1]
    assert plan.removed == [extra]
    loose = plan_run({_n("a"): a2}, current, force=False, same_version=never)
    assert loose.removed == []


def test_seed_tools_are_kept_unless_uv_made_the_environment() -> None:
    names = [_n("pip"), _n("wheel"), _n("requests")]
    assert kept_tools(names, made_by_uv=False) == {_n("pip"), _n("wheel")}
    assert kept_tools(names, made_by_uv=True) == frozenset()


def hashed(name: str, version: str, sha256: str, kind: Kind | None = None) -> Candidate:
    found = candidate(name, version, kind)
    return replace(found, link=replace(found.link, hashes=(("sha256", sha256),)))


def test_a_wheel_unpacked_in_the_cache_under_its_sha256_is_planned_from_the_cache() -> None:
    in_cache, elsewhere = hashed("a", "2", "aa" * 32), hashed("b", "1", "bb" * 32)
    unhashed, kept = candidate("c", "1"), installed("d", "1")
    plan = plan_run(
        {_n("a"): in_cache, _n("b"): elsewhere, _n("c"): unhashed, _n("d"): kept},
        {_n("d"): kept},
        force=False,
        same_version=never,
        unpacked=lambda sha256: sha256 == "aa" * 32,
    )
    assert plan.decisions[_n("a")] == Fetch(in_cache, None, cached=True)
    assert plan.decisions[_n("b")] == Fetch(elsewhere, None)  # downloaded
    assert plan.decisions[_n("c")] == Fetch(unhashed, None)  # no sha256 to look it up by
    assert plan.decisions[_n("d")] == Keep(kept)
    assert plan.from_cache == {_n("a")}
    assert plan.to_fetch == [in_cache, elsewhere, unhashed]


def test_a_cached_wheel_the_users_hashes_do_not_allow_is_not_planned_from_the_cache() -> None:
    wheel = hashed("a", "2", "aa" * 32)
    plan = plan_run(
        {_n("a"): wheel},
        {},
        force=False,
        same_version=never,
        unpacked=lambda sha256: True,
        required={_n("a"): {"sha256": {"cc" * 32}}},
    )
    assert plan.decisions[_n("a")] == Fetch(wheel, None)  # downloaded, and refused there
    assert plan.from_cache == frozenset()


def test_a_reinstall_and_a_direct_archive_are_planned_from_the_cache_only_as_wheels() -> None:
    old = installed("a", "2")
    wheel, archive = hashed("a", "2", "aa" * 32), hashed("b", "1", "bb" * 32, DirectArchive())
    archive = replace(archive, link=replace(archive.link, filename="b-1.tar.gz"))
    plan = plan_run(
        {_n("a"): wheel, _n("b"): archive},
        {_n("a"): old},
        force=True,
        same_version=never,
        unpacked=lambda sha256: True,
    )
    assert plan.decisions[_n("a")] == Reinstall(wheel, old, cached=True)
    assert plan.decisions[_n("b")] == Fetch(archive, None)  # built: not an unpacked wheel
