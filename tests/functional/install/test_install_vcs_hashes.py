"""Hash-checking mode and version-control requirements: a full commit id stands in for the
hash; a branch, tag or short id is refused with the line to write, naming its commit now."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.envs import diff, snapshot
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.install_world import installed, run_pinset, site_packages
from tests.helpers.vcs_repos import git, git_repo, head
from tests.helpers.wheelhouse import WHEELHOUSE

pytestmark = pytest.mark.slow


def test_a_branch_is_refused_with_its_commit_to_pin(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    origin = git_repo(tmp_path / "origin", {"setup.py": "# pkg\n"})
    git(origin, "tag", "v1")
    commit = head(origin)
    (tmp_path / "requirements.txt").write_text(
        "--require-hashes\n"
        f"git+{origin.as_uri()}@main#egg=pkg\n"
        f"pkg2 @ git+{origin.as_uri()}@{commit[:8]}\n"
    )
    before = snapshot(venv)
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 1
    assert "requirements.txt:2:1: error:" in result.stderr
    assert "does not name a full commit id" in result.stderr
    assert f"git+{origin.as_uri()}@{commit}#egg=pkg" in result.stderr
    assert "requirements.txt:3:1: error:" in result.stderr
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}


def test_a_full_commit_passes_hash_checking_and_installs(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    backends = index_server_factory()
    backends.add(next(WHEELHOUSE.glob("flit_core-*.whl")))
    pyproject = (
        '[build-system]\nrequires = ["flit_core>=3.4"]\nbuild-backend = "flit_core.buildapi"\n'
        '[project]\nname = "pkg"\nversion = "1.0"\ndescription = "d"\n'
    )
    origin = git_repo(tmp_path / "origin", {"pyproject.toml": pyproject, "pkg.py": '"""p"""\n'})
    line = f"git+{origin.as_uri()}@{head(origin)}#egg=pkg"
    (tmp_path / "requirements.txt").write_text(f"--require-hashes\n{line}\n")
    result = run_pinset(
        "install",
        "--python",
        str(venv),
        "-i",
        backends.simple_url,
        "-r",
        "requirements.txt",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"pkg": "1.0"}


def test_credentials_in_a_refused_line_are_never_shown(pinset: Run, tmp_path: Path) -> None:
    secret = "T0p-s3cret-token"
    (tmp_path / "requirements.txt").write_text(
        f"--require-hashes\ngit+https://me:{secret}@127.0.0.1:9/r.git@main#egg=pkg\n"
    )
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 1
    assert "requirements.txt:2:1: error:" in result.stderr
    assert secret not in result.stderr + result.stdout
