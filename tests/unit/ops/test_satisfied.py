"""The no-op check: requirements and, recursively, installed dependencies, with markers/extras."""

from __future__ import annotations

from pathlib import Path

from packaging.utils import NormalizedName

from pinset.dists import InstalledDist
from pinset.environment.installed import scan_dirs
from pinset.ops.satisfied import satisfied
from pinset.requirements import parse_text

MARKERS = {
    "python_version": "3.12",
    "python_full_version": "3.12.1",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_machine": "x86_64",
    "platform_release": "",
    "platform_version": "",
    "implementation_version": "3.12.1",
}


def _dist(site: Path, name: str, version: str, *requires: str) -> None:
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n\nbody\n")


def _site(tmp_path: Path) -> dict[NormalizedName, InstalledDist]:
    site = tmp_path / "site"
    _dist(site, "app", "1.0", "lib>=1", "old ; python_version < '3'", "speedy ; extra == 'fast'")
    _dist(site, "lib", "2.0")
    return scan_dirs([site])


def _check(text: str, installed: dict[NormalizedName, InstalledDist], constraints: str = ""):  # type: ignore[no-untyped-def]
    reqs = parse_text(text, "requirements.txt").requirements
    cons = parse_text(constraints, "c.txt", constraint=True).constraints if constraints else ()
    return satisfied(reqs, cons, installed, MARKERS)


def test_satisfied_counts_every_distribution_checked(tmp_path: Path) -> None:
    assert _check("app\n", _site(tmp_path)) == 2


def test_a_missing_extra_dependency_is_not_satisfied(tmp_path: Path) -> None:
    assert _check("app[fast]\n", _site(tmp_path)) is None


def test_versions_and_constraints_are_checked(tmp_path: Path) -> None:
    installed = _site(tmp_path)
    assert _check("lib>=3\n", installed) is None
    assert _check("app\n", installed, constraints="lib<2\n") is None
    assert _check("app\n", installed, constraints="lib==2.0\n") == 2


def test_lines_for_another_target_are_skipped(tmp_path: Path) -> None:
    assert _check("app\nnothere ; sys_platform == 'win32'\n", _site(tmp_path)) == 2


def test_extra_markers_in_every_spelling(tmp_path: Path) -> None:
    """Lines that only name an extra are judged without packaging; the result is the same."""
    site = tmp_path / "site"
    _dist(
        site,
        "app",
        "1.0",
        'speedy ; extra == "Fast"',
        "turbo (>=2) ;extra=='fast'",
        "legacy ; extra == 'fast' and python_version < '3'",
        "broken-only-in-an-extra >>> 1 ; extra == 'never'",
        "cli[color] >=1 ; extra == 'cli' or python_version >= '3'",
    )
    _dist(site, "cli", "1.0", "colorama ; extra == 'color'")
    installed = scan_dirs([site])
    assert _check("app\n", installed) is None  # cli's extra 'color' needs colorama
    _dist(site, "colorama", "0.4")
    installed = scan_dirs([site])
    assert _check("app\n", installed) == 3
    assert _check("app[fast]\n", installed) is None  # speedy and turbo are missing
    _dist(site, "speedy", "1.0")
    _dist(site, "turbo", "1.0")
    assert _check("app[FAST]\n", scan_dirs([site])) is None  # turbo 1.0 is not >=2


def test_an_undecidable_marker_does_not_apply_as_in_the_resolver(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _dist(site, "app", "1.0", 'odd ; python_version ~= "x"')
    assert _check("app\n", scan_dirs([site])) == 1


def test_crlf_metadata_body_is_not_read_as_headers(tmp_path: Path) -> None:
    """A description line that looks like a header is body text, whatever the line endings."""
    info = tmp_path / "site" / "app-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_bytes(
        b"Metadata-Version: 2.1\r\nName: app\r\nVersion: 1.0\r\n\r\n"
        b"Usage:\r\nRequires-Dist: not-a-dependency\r\n"
    )
    assert _check("app\n", scan_dirs([tmp_path / "site"])) == 1
