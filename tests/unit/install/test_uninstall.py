"""Uninstall removes exactly what RECORD lists, inside the environment, or refuses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from pinset.dists import InstalledDist
from pinset.errors import InstallError
from pinset.install.uninstall import _normal, inside, removal_for


def _installed(site: Path, record: str) -> InstalledDist:
    info = site / "p-1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Name: p\nVersion: 1\n")
    (info / "RECORD").write_text(record)
    return InstalledDist("p", Version("1"), info)  # type: ignore[arg-type]


def test_record_files_their_bytecode_and_metadata(tmp_path: Path) -> None:
    env = tmp_path / "env"
    site = env / "lib" / "site-packages"
    (site / "p" / "__pycache__").mkdir(parents=True)
    (site / "p" / "__init__.py").write_text("")
    (site / "p" / "__pycache__" / "__init__.cpython-312.pyc").write_bytes(b"")
    (site / "p" / "__pycache__" / "other.cpython-312.pyc").write_bytes(b"")
    (env / "bin").mkdir()
    (env / "bin" / "tool").write_text("")
    dist = _installed(
        site, "p/__init__.py,,\n../../bin/tool,,\np/gone.py,,\np-1.dist-info/RECORD,,\n"
    )
    (dist.path / "extra-file").write_text("")
    removal = removal_for(dist, [env])
    names = sorted(str(p.relative_to(env)) for p in removal.files)
    assert names == [
        "bin/tool",
        "lib/site-packages/p-1.dist-info/METADATA",
        "lib/site-packages/p-1.dist-info/RECORD",
        "lib/site-packages/p-1.dist-info/extra-file",
        "lib/site-packages/p/__init__.py",
        "lib/site-packages/p/__pycache__/__init__.cpython-312.pyc",
    ]
    assert site / "p" / "__pycache__" in removal.directories


def test_record_pointing_outside_is_refused(tmp_path: Path) -> None:
    env = tmp_path / "env"
    site = env / "lib"
    (tmp_path / "victim").write_text("precious")
    dist = _installed(site, "../../victim,,\n")
    with pytest.raises(InstallError, match="outside the environment"):
        removal_for(dist, [env])


def test_symlinked_directory_cannot_lead_outside(tmp_path: Path) -> None:
    env = tmp_path / "env"
    site = env / "lib"
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim").write_text("precious")
    dist = _installed(site, "sneaky/victim,,\n")
    os.symlink(tmp_path / "outside", site / "sneaky")
    assert not inside(site / "sneaky" / "victim", [env])
    with pytest.raises(InstallError, match="outside"):
        removal_for(dist, [env])


def test_legacy_egg_info_uses_installed_files(tmp_path: Path) -> None:
    site = tmp_path / "env" / "lib"
    info = site / "old.egg-info"
    info.mkdir(parents=True)
    (site / "old.py").write_text("")
    (info / "PKG-INFO").write_text("Name: old\nVersion: 1\n")
    (info / "installed-files.txt").write_text("../old.py\nPKG-INFO\ninstalled-files.txt\n")
    dist = InstalledDist("old", Version("1"), info)  # type: ignore[arg-type]
    removal = removal_for(dist, [tmp_path / "env"])
    assert sorted(p.name for p in removal.files) == ["PKG-INFO", "installed-files.txt", "old.py"]


def test_missing_record_is_refused(tmp_path: Path) -> None:
    dist = _installed(tmp_path / "env" / "lib", "")
    (dist.path / "RECORD").unlink()
    with pytest.raises(InstallError, match="RECORD"):
        removal_for(dist, [tmp_path / "env"])


def test_bytecode_of_every_tag_and_level_but_not_of_a_dotted_sibling(tmp_path: Path) -> None:
    env = tmp_path / "env"
    cache = env / "p" / "__pycache__"
    cache.mkdir(parents=True)
    (env / "p" / "a.py").write_text("")
    (env / "p" / "a.b.py").write_text("")  # another distribution's file
    names = (
        "a.cpython-312.pyc",
        "a.cpython-38.opt-1.pyc",
        "a.pypy310.opt-2.pyc",
        "a.b.cpython-312.pyc",
        "a.b.cpython-312.opt-1.pyc",
        "ab.cpython-312.pyc",
        "a.txt",
    )
    for name in names:
        (cache / name).write_bytes(b"")
    dist = _installed(env, "p/a.py,,\np-1.dist-info/RECORD,,\n")
    removal = removal_for(dist, [env])
    assert sorted(p.name for p in removal.files if p.parent == cache) == [
        "a.cpython-312.pyc",
        "a.cpython-38.opt-1.pyc",
        "a.pypy310.opt-2.pyc",
    ]


def test_each_bytecode_cache_is_listed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uninstalling a package of n modules reads its ``__pycache__`` once, not n times."""
    env = tmp_path / "env"
    cache = env / "p" / "__pycache__"
    cache.mkdir(parents=True)
    rows = []
    for i in range(200):
        (env / "p" / f"m{i}.py").write_text("")
        (cache / f"m{i}.cpython-312.pyc").write_bytes(b"")
        rows.append(f"p/m{i}.py,,\np/__pycache__/m{i}.cpython-312.pyc,,\n")
    dist = _installed(env, "".join(rows) + "p-1.dist-info/RECORD,,\n")
    listed: list[str] = []
    real_listdir = os.listdir

    def listdir(path: str | os.PathLike[str]) -> list[str]:
        listed.append(os.fspath(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    removal = removal_for(dist, [env])
    assert len(removal.files) == 200 * 2 + 2
    assert listed.count(os.fspath(cache)) == 1


@given(st.lists(st.sampled_from(["a", "b.py", ".", "..", "", ".x", "x."]), max_size=5))
def test_record_paths_are_joined_as_normpath_would(parts: list[str]) -> None:
    relative = "/".join(parts)
    base = "/env/lib/site-packages"
    assert _normal(base, relative) == os.path.normpath(os.path.join(base, relative))
