"""``pinset freeze`` against ``pip freeze`` on the same real environments, flag by flag.

One environment holds every form pip writes: names as installed (case, ``_``, ``.``), a version
that is not PEP 440 (``===``), PEP 610 archives (legacy ``hash`` fragment, ``hashes`` only,
``subdirectory``), VCS and directory references, editable trees (no VCS; git checkouts with an
``origin``, with another remote only, with packed refs, with an scp-style remote, with no
remote, with the project in a subdirectory), an ``.egg-info``, an unreadable
``direct_url.json``, and pip, setuptools and wheel (hidden without ``--all`` below 3.12).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.functional.freeze.world import (
    checkout,
    editable,
    pinset_freeze,
    pip_freeze,
    put_dist,
    site_packages,
)
from tests.helpers.envs import available_versions, python_for
from tests.helpers.install_world import new_venv

VERSIONS = [v for v in ("3.11", "3.13") if v in available_versions()]


def zoo(tmp_path: Path, version: str) -> Path:
    venv = new_venv(tmp_path / "venv", version)
    site = site_packages(venv)
    for name, ver in [
        ("Foo_Bar", "1.0"),
        ("zope.interface", "6.0"),
        ("alpha", "2.0.post1"),
        ("Unnormal", "1.0.0-RC1"),
        ("Legacy-Ver", "2013b-custom build"),
        ("pip", "26.0"),
        ("setuptools", "70.0"),
        ("wheel", "0.43"),
    ]:
        put_dist(site, name, ver)
    put_dist(site, "eggy", "0.3", egg_info=True)
    put_dist(site, "-bad-", "1.0")  # not a valid project name: skipped by both
    put_dist(site, "broken-url", "1.1", direct_url="{not json")
    mismatch = {"hash": "sha256=" + "1" * 64, "hashes": {"sha256": "2" * 64}}
    put_dist(
        site,
        "mismatch",
        "1.2",
        direct_url={"url": "https://x.example/m.whl", "archive_info": mismatch},
    )
    put_dist(site, "relative-dir", "1.3", direct_url={"url": "file:rel", "dir_info": {}})
    put_dist(
        site,
        "arch",
        "1.0",
        direct_url={
            "url": "https://files.example.com/arch-1.0.tar.gz",
            "archive_info": {"hash": "sha256=" + "a" * 64, "hashes": {"sha256": "a" * 64}},
        },
    )
    put_dist(
        site,
        "arch2",
        "1.0",
        direct_url={
            "url": "https://files.example.com/arch2-1.0.whl",
            "archive_info": {"hashes": {"sha256": "b" * 64}},
            "subdirectory": "py",
        },
    )
    put_dist(
        site,
        "from-git",
        "0.2",
        direct_url={
            "url": "https://git.example.com/from-git.git",
            "vcs_info": {"vcs": "git", "commit_id": "c" * 40, "requested_revision": "main"},
            "subdirectory": "sub",
        },
    )
    put_dist(
        site, "local-dir", "0.1", direct_url={"url": (tmp_path / "ld").as_uri(), "dir_info": {}}
    )
    trees = tmp_path / "trees"
    plain = trees / "plain"
    plain.mkdir(parents=True)
    editable(site, "ed-plain", plain)
    checkout(
        trees / "origin",
        remotes={"upstream": "https://example.com/up.git", "origin": "https://example.com/o.git"},
    )
    editable(site, "ed-origin", trees / "origin")
    checkout(trees / "other", remotes={"mine": "https://example.com/mine.git"}, packed=True)
    editable(site, "ed-other", trees / "other")
    checkout(trees / "scp", remotes={"origin": "git@example.com:org/scp.git"})
    editable(site, "ed-scp", trees / "scp")
    checkout(trees / "lonely", remotes={})
    editable(site, "ed-lonely", trees / "lonely")
    checkout(
        trees / "mono", remotes={"origin": "https://example.com/mono.git"}, project="pkgs/inner"
    )
    editable(site, "ed-mono", trees / "mono" / "pkgs" / "inner")
    checkout(trees / "bad", remotes={"origin": "not a url"})
    editable(site, "ed-bad", trees / "bad")
    return venv


FLAG_SETS = [
    (),
    ("--all",),
    ("-l",),
    ("--exclude-editable",),
    ("--user",),
    ("--exclude", "foo-bar", "--exclude", "ARCH", "--exclude", "pip", "--all"),
]


@pytest.mark.skipif(not VERSIONS, reason="no Python 3.11 or 3.13 from pyenv")
@pytest.mark.parametrize("version", VERSIONS)
def test_same_lines_as_pip_for_every_form_and_flag(tmp_path: Path, version: str) -> None:
    venv = zoo(tmp_path, version)
    for flags in FLAG_SETS:
        ours = pinset_freeze(venv, *flags, cwd=tmp_path)
        theirs = pip_freeze(venv, *flags, cwd=tmp_path)
        assert theirs.returncode == 0, theirs.stderr
        assert ours.returncode == 0, ours.stderr
        assert ours.stdout.splitlines() == theirs.stdout.splitlines(), flags
    out = pinset_freeze(venv, cwd=tmp_path).stdout
    assert "Legacy-Ver===2013b-custom build" in out
    assert "Unnormal==1.0.0rc1" in out
    assert "-e git+https://example.com/o.git@" in out
    assert "#egg=ed_mono&subdirectory=pkgs/inner" in out


@pytest.mark.skipif(not VERSIONS, reason="no Python from pyenv")
def test_path_lists_only_those_directories_as_pip(tmp_path: Path) -> None:
    venv = new_venv(tmp_path / "venv", VERSIONS[-1])
    put_dist(site_packages(venv), "inside", "1.0")
    extra, other = tmp_path / "extra", tmp_path / "other"
    put_dist(extra, "Outside", "2.0")
    put_dist(other, "far", "3.0")
    for flags in [("--path", str(extra)), ("--path", str(extra), "--path", str(other))]:
        ours = pinset_freeze(venv, *flags, cwd=tmp_path)
        theirs = pip_freeze(venv, *flags, cwd=tmp_path)
        assert ours.stdout.splitlines() == theirs.stdout.splitlines(), ours.stderr
    assert pinset_freeze(venv, "--path", str(extra), cwd=tmp_path).stdout == "Outside==2.0\n"
    refused = pinset_freeze(venv, "--path", str(extra), "--local", cwd=tmp_path)
    assert refused.returncode == 2
    assert "--path cannot be combined with --user or --local" in refused.stderr


@pytest.mark.skipif(not VERSIONS, reason="no Python from pyenv")
def test_system_site_and_user_site_listed_as_pip_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version = VERSIONS[-1]
    base = python_for(version)
    assert base is not None
    venv = tmp_path / "venv"
    subprocess.run(
        [str(base), "-I", "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
        check=True,
    )
    user_base = tmp_path / "userbase"
    monkeypatch.setenv("PYTHONUSERBASE", str(user_base))
    user_site = user_base / "lib" / f"python{version}" / "site-packages"
    put_dist(user_site, "in-user-site", "1.0")
    put_dist(user_site, "shadowed", "1.0")
    put_dist(site_packages(venv), "shadowed", "2.0")
    put_dist(site_packages(venv), "in-venv", "3.0")
    for flags in [(), ("-l",), ("--user",), ("--all",)]:
        ours = pinset_freeze(venv, *flags, cwd=tmp_path)
        theirs = pip_freeze(venv, *flags, cwd=tmp_path)
        assert ours.returncode == 0, ours.stderr
        assert ours.stdout.splitlines() == theirs.stdout.splitlines(), flags
    assert "in-user-site==1.0" in pinset_freeze(venv, cwd=tmp_path).stdout
    assert pinset_freeze(venv, "--user", cwd=tmp_path).stdout == "in-user-site==1.0\n"
