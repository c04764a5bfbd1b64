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
