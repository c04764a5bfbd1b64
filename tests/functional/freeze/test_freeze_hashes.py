"""``freeze --hashes``: a file that ``install --require-hashes`` turns into the same environment.

Every pin carries the hash of every file its version has on the index; what cannot be hashed
(an editable install here) stops the run with every such project named, and nothing is written.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import hashlib
from pathlib import Path

from tests.functional.freeze.world import editable, pinset_freeze, put_dist
from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import NEWEST, Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages


def _sha(catalog: Path, filename: str) -> str:
    return hashlib.sha256((catalog / filename).read_bytes()).hexdigest()


def test_hashed_freeze_installs_the_same_environment(
    pinset: Run, venv: Path, index: IndexServer, catalog: Path, tmp_path: Path
) -> None:
    assert pinset("install", "app[fast]").returncode == 0
    done = pinset_freeze(venv, "--hashes", "-i", index.simple_url, "-o", "frozen.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    frozen = (tmp_path / "frozen.txt").read_text()
    lib = _sha(catalog, "lib-2.0-py3-none-any.whl")
    assert f"lib==2.0 \\\n    --hash=sha256:{lib}\n" in frozen
    assert frozen.count("--hash=sha256:") == 3

    again = new_venv(tmp_path / "again", NEWEST)
    args = ["--python", str(again), "-i", index.simple_url, "--require-hashes", "-r", "frozen.txt"]
    installed_again = run_pinset("install", *args, cwd=tmp_path)
    assert installed_again.returncode == 0, installed_again.stderr
    assert installed(site_packages(again)) == installed(site_packages(venv))
    assert pinset_freeze(again, cwd=tmp_path).stdout == pinset_freeze(venv, cwd=tmp_path).stdout


def test_what_cannot_be_hashed_stops_the_run_and_writes_nothing(
    pinset: Run, venv: Path, index: IndexServer, tmp_path: Path
) -> None:
    assert pinset("install", "lib==1.0").returncode == 0
    site = site_packages(venv)
    tree = tmp_path / "tree"
    tree.mkdir()
    editable(site, "ed-tree", tree)
    put_dist(site, "gone", "9.9")
    (tmp_path / "frozen.txt").write_text("before\n")
    done = pinset_freeze(venv, "--hashes", "-i", index.simple_url, "-o", "frozen.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert "cannot write --hash values for 2 projects" in done.stderr
    assert "ed-tree 0.1: an editable install has no archive to hash" in done.stderr
    assert "gone 9.9: the index has no file of this version" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "frozen.txt").read_text() == "before\n"
    excluded = pinset_freeze(
        venv,
        "--hashes",
        "-i",
        index.simple_url,
        "--exclude-editable",
        "--exclude",
        "gone",
        cwd=tmp_path,
    )
    assert excluded.returncode == 0, excluded.stderr
    assert excluded.stdout.startswith("lib==1.0 \\\n    --hash=sha256:")


def test_every_file_of_the_version_on_the_index_is_hashed(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    mine = [
        make_wheel(files, "multi", "1.0"),
        make_wheel(files, "multi", "1.0", tag="cp39-cp39-win_amd64"),
        make_sdist(files, "multi", "1.0"),
    ]
    server = index_server_factory()
    for path in [*mine, make_wheel(files, "multi", "2.0")]:
        server.add(path)
    put_dist(site_packages(venv), "multi", "1.0")
    done = pinset_freeze(venv, "--hashes", "-i", server.simple_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    hashes = sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in mine)
    assert (
        done.stdout == "multi==1.0" + "".join(f" \\\n    --hash=sha256:{h}" for h in hashes) + "\n"
    )
