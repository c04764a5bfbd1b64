"""Scanning site directories: dist-info, egg-info, PEP 376/610 side files."""

from __future__ import annotations

import json
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version

from pinset.direct_url import DirectUrl, DirInfo, read_direct_url
from pinset.environment.installed import scan_dirs


def _dist_info(site: Path, dirname: str, name: str, version: str, **files: str) -> Path:
    info = site / dirname
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nbody\nName: no\n"
    )
    for fname, text in files.items():
        (info / fname.replace("_json", ".json")).write_text(text)
    return info


def test_scan_reads_names_versions_and_side_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    editable = json.dumps({"url": "file:///src", "dir_info": {"editable": True}})
    _dist_info(
        site,
        "My_Pkg-1.0.dist-info",
        "My.Pkg",
        "1.0",
        INSTALLER="pip\n",
        REQUESTED="",
        direct_url_json=editable,
    )
    _dist_info(site, "dep-2.dist-info", "dep", "2")
    _dist_info(site, "bad-1.dist-info", "bad", "not a version")
    (site / "legacy-0.1-py3.8.egg-info").write_text("Name: legacy\nVersion: 0.1\n")
    (site / "eggdir.egg-info").mkdir()
    (site / "eggdir.egg-info" / "PKG-INFO").write_text("Name: EggDir\nVersion: 3\n")
    found = scan_dirs([site])
    assert sorted(found) == ["dep", "eggdir", "legacy", "my-pkg"]
    mine = found["my-pkg"]  # type: ignore[index]
    assert (mine.version, mine.installer, mine.requested) == (Version("1.0"), "pip", True)
    assert (mine.editable, mine.direct_url) == (True, DirectUrl("file:///src", DirInfo(True)))
    dep = found["dep"]  # type: ignore[index]
    assert (dep.requested, dep.installer, dep.editable) == (False, None, False)


def test_first_site_dir_wins(tmp_path: Path) -> None:
    _dist_info(tmp_path / "a", "p-1.dist-info", "p", "1")
    _dist_info(tmp_path / "b", "p-2.dist-info", "p", "2")
    assert scan_dirs([tmp_path / "a", tmp_path / "b"])["p"].version == Version("1")  # type: ignore[index]
    assert scan_dirs([tmp_path / "missing"]) == {}


def test_hostile_direct_url_json_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    site = tmp_path / "site"
    _dist_info(site, "p-1.dist-info", "p", "1", direct_url_json=deep)
    dist = scan_dirs([site])["p"]  # type: ignore[index]
    assert (dist.editable, dist.direct_url) == (False, None)
    assert read_direct_url(deep) is None
    found = read_direct_url('{"url": "file:///x", "dir_info": {}}')
    assert found is not None
    assert found.url == "file:///x"
    assert read_direct_url('{"url": 3, "dir_info": {}}') is None
    assert read_direct_url('{"url": "file:///x"}') is None  # PEP 610 needs one kind of info
    assert read_direct_url("[") is None
    assert read_direct_url(None) is None


def test_metadata_that_is_not_utf8_is_still_found(tmp_path: Path) -> None:
    info = tmp_path / "site" / "old-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_bytes(b"Name: old\nVersion: 1.0\nAuthor: Ren\xe9\n\nbody\n")
    assert [str(d.version) for d in scan_dirs([tmp_path / "site"]).values()] == ["1.0"]


def test_a_legacy_egg_link_is_an_editable_install_of_the_linked_project(tmp_path: Path) -> None:
    from pinset.environment.installed import installed_metadata, list_dirs

    project = tmp_path / "proj" / "src"
    (project / "old_thing.egg-info").mkdir(parents=True)
    (project / "old_thing.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\nName: Old-Thing\nVersion: 0.9\nRequires-Dist: six\n"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "Old-Thing.egg-link").write_text(f"{project}\n../\n")
    (site / "broken.egg-link").write_text(f"{tmp_path / 'nowhere'}\n")
    found = scan_dirs([site])
    assert list(found) == ["old-thing"]
    dist = found[canonicalize_name("old-thing")]
    assert dist.path == site / "Old-Thing.egg-link"
    assert dist.editable
    assert dist.direct_url is not None
    assert dist.direct_url.url == project.as_uri()
    meta = installed_metadata(dist.path)
    assert meta is not None
    assert meta.get_all("Requires-Dist") == ["six"]
    assert [(d.name, d.version) for d in list_dirs([site])] == [("Old-Thing", "0.9")]
