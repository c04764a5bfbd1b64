"""Unmet requirements after a change: what pip's check after install reports, from the
distributions a run touched and those that require them."""

from __future__ import annotations

from pathlib import Path

from pinset.environment.installed import scan_dirs
from pinset.ops.broken import broken_requirements
from tests.unit.ops.test_satisfied import MARKERS, _dist


def _texts(site: Path, changed: list[str]) -> list[str]:
    return [str(b) for b in broken_requirements(scan_dirs([site]), changed, MARKERS)]


def test_a_wrong_version_and_a_missing_project_are_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _dist(site, "flask", "3.1.0", "Werkzeug>=3.1", "itsdangerous>=2.2", "blinker")
    _dist(site, "werkzeug", "2.0.0")
    _dist(site, "blinker", "1.9")
    assert _texts(site, ["werkzeug"]) == [
        "flask 3.1.0 requires Werkzeug>=3.1, but Werkzeug 2.0.0 is installed",
        "flask 3.1.0 requires itsdangerous>=2.2, but itsdangerous is not installed",
    ]


def test_only_what_the_change_touched_is_judged(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _dist(site, "already-broken", "1.0", "gone")
    _dist(site, "app", "1.0", "lib>=2")
    _dist(site, "lib", "2.0")
    _dist(site, "other", "1.0")
    assert _texts(site, ["other"]) == []
    assert _texts(site, ["lib"]) == []
    assert _texts(site, ["already-broken"]) == [
        "already-broken 1.0 requires gone, but gone is not installed"
    ]


def test_markers_for_the_target_and_extras_are_followed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _dist(site, "app", "1.0", "lib[fast]>=1", "legacy ; python_version < '3'", "x ; extra == 'y'")
    _dist(site, "lib", "1.0", "speedy>=2 ; extra == 'fast'", "base")
    _dist(site, "speedy", "1.0")
    _dist(site, "base", "1.0")
    assert _texts(site, ["lib"]) == [
        "app 1.0 requires speedy>=2 (for lib[fast]), but speedy 1.0 is installed"
    ]


def test_prereleases_satisfy_a_range_as_in_pip(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _dist(site, "app", "1.0", "lib>=1")
    _dist(site, "lib", "2.0b1")
    assert _texts(site, ["lib"]) == []


def test_after_a_resolved_install_only_what_requires_a_changed_project_is_judged(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    _dist(site, "app", "1.0", "Lib<2", "helper ; extra == 'x'")  # untouched, names lib
    _dist(site, "lib", "2.0", "missing-dep")  # installed by the run: its own needs resolved
    _dist(site, "bystander", "1.0", "gone", "not a requirement!")  # names nothing changed
    _dist(site, "odd", "1.0", "!!! lib")  # unreadable line: packaging decides, and skips it
    found = broken_requirements(scan_dirs([site]), ["lib"], MARKERS, resolved=True)
    assert [str(b) for b in found] == ["app 1.0 requires Lib<2, but Lib 2.0 is installed"]
    assert _texts(site, ["lib"]) == [
        "app 1.0 requires Lib<2, but Lib 2.0 is installed",
        "lib 2.0 requires missing-dep, but missing-dep is not installed",
    ]


def test_a_fresh_environment_after_a_resolved_install_is_not_parsed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _dist(site, "app", "1.0", "lib>=3")
    _dist(site, "lib", "2.0")
    assert broken_requirements(scan_dirs([site]), ["app", "lib"], MARKERS, resolved=True) == []
