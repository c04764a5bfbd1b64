"""The same version-control lines (non-editable and editable; git, Mercurial, Subversion)
installed by pip (the dev venv's, offline: ``--no-index``, ``--find-links`` to the local
wheelhouse, no configuration) and by pinset into two environments: the same versions, the
same ``direct_url.json`` and the same ``freeze`` output.

Two differences, each normalised where it is named: each tool checks its editables out into
its own ``--src``, so their paths differ by that directory alone; and, deliberately, a
non-editable Mercurial install's ``vcs_info.commit_id`` is the changeset hash in pinset's
record, where pip writes the clone's local revision number (``0``: meaningless outside the
clone it was made in; ``docs/build.md``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.functional.freeze.world import pinset_freeze, pip_freeze
from tests.functional.install.test_install_vcs import in_dir, project, venv
from tests.helpers.envs import available_versions
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages
from tests.helpers.vcs_repos import git_repo, head, hg_node, hg_repo, svn_repo
from tests.helpers.wheelhouse import WHEELHOUSE

pytestmark = pytest.mark.slow

__all__ = ["venv"]


def _direct_urls(venv: Path) -> dict[str, Any]:
    site = site_packages(venv)
    return {
        entry.name.partition("-")[0].lower(): json.loads((entry / "direct_url.json").read_text())
        for entry in site.glob("*.dist-info")
        if (entry / "direct_url.json").is_file()
    }


def _lines(tmp_path: Path) -> str:
    git_origin = git_repo(
        tmp_path / "gitorigin", {**project("gitpin"), **in_dir("sub", project("gitsub"))}
    )
    git_editable = git_repo(tmp_path / "giteditable", in_dir("pkg", project("gited")))
    commit = head(git_origin)
    hg_origin = hg_repo(tmp_path / "hgorigin", project("hgpin"))
    hg_editable = hg_repo(tmp_path / "hgeditable", project("hged"))
    node = hg_node(hg_origin)
    svn_url = svn_repo(tmp_path, [project("svned"), project("svned", value="second")])
    # trunk last changed in r1, the repository at r2: both tools record and freeze r2
    trunk = svn_repo(tmp_path / "svnhead", [in_dir("trunk", project("svnhead")), {"other": ""}])
    return "".join(
        [
            f"gitpin @ git+{git_origin.as_uri()}@{commit}\n",
            f"git+{git_origin.as_uri()}@main#egg=gitsub&subdirectory=sub\n",
            f"-e git+{git_editable.as_uri()}@main#egg=gited&subdirectory=pkg\n",
            f"hgpin @ hg+{hg_origin.as_uri()}@{node}\n",
            f"-e hg+{hg_editable.as_uri()}#egg=hged\n",
            f"-e svn+{svn_url}@1#egg=svned\n",
            f"svnhead @ svn+{trunk}/trunk\n",
        ]
    )


def _pip_install(venv: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pip 26.3 installing into ``venv`` with its checkouts in ``tmp_path/pip-src``."""
    argv = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
    argv += ["--src", str(tmp_path / "pip-src"), *args]
    pip = subprocess.run(
        argv, cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    return pip


def _pinset_install(venv: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pinset doing the same, with its checkouts in ``tmp_path/pinset-src``."""
    src = ["--src", str(tmp_path / "pinset-src")]
    ours = run_pinset("install", "--python", str(venv), *src, *args, cwd=tmp_path)
    assert ours.returncode == 0, ours.stderr
    return ours


def test_vcs_lines_install_and_freeze_as_pip_does(venv: Path, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(_lines(tmp_path))
    offline = ["--no-index", "--find-links", str(WHEELHOUSE), "-r", "requirements.txt"]
    by_pip = new_venv(tmp_path / "by-pip", available_versions()[-1])
    _pip_install(by_pip, tmp_path, *offline)
    _pinset_install(venv, tmp_path, *offline)

    theirs = {k: v for k, v in installed(site_packages(by_pip)).items() if k != "pip"}
    assert installed(site_packages(venv)) == theirs
    assert len(theirs) == 7

    def same_src(text: str) -> str:  # the deliberate difference: each tool's own --src
        return text.replace(str(tmp_path / "pip-src"), str(tmp_path / "pinset-src"))

    pip_direct = json.loads(same_src(json.dumps(_direct_urls(by_pip))))
    ours_direct = _direct_urls(venv)
    hg_info, pip_hg_info = ours_direct["hgpin"]["vcs_info"], pip_direct["hgpin"]["vcs_info"]
    assert (pip_hg_info["commit_id"], hg_info["commit_id"]) == ("0", hg_info["requested_revision"])
    pip_hg_info["commit_id"] = hg_info["commit_id"]  # the deliberate difference (docstring)
    assert ours_direct == pip_direct

    pip_lines = pip_freeze(by_pip, cwd=tmp_path)
    assert pip_lines.returncode == 0, pip_lines.stderr
    expected = [line for line in pip_lines.stdout.splitlines() if not line.startswith("pip==")]
    # pinset reads pip's environment as pip does, and its own the same way.
    assert pinset_freeze(by_pip, cwd=tmp_path).stdout.splitlines() == pip_lines.stdout.splitlines()
    node = hg_info["commit_id"]
    assert pinset_freeze(venv, cwd=tmp_path).stdout.splitlines() == [
        same_src(line).replace("/hgorigin@0", f"/hgorigin@{node}")  # the hg difference
        for line in expected
    ]


def test_a_dry_run_report_of_an_editable_checkout_is_pips(venv: Path, tmp_path: Path) -> None:
    """pip checks the editable out into its ``--src`` even on a dry run; pinset does not, and
    reports the same install item (the checkout's place named the same way)."""
    origin = git_repo(tmp_path / "origin", in_dir("pkg", project("gitdry")))
    line = f"git+{origin.as_uri()}@main#egg=gitdry&subdirectory=pkg"
    offline = ["--no-index", "--find-links", str(WHEELHOUSE), "--dry-run", "--report", "-", "-q"]
    pip = _pip_install(venv, tmp_path, *offline, "-e", line)
    ours = _pinset_install(venv, tmp_path, *offline, "-e", line)
    assert not (tmp_path / "pinset-src").exists()

    def item(report: str) -> dict[str, Any]:
        (only,) = json.loads(report)["install"]
        keys = ("download_info", "is_direct", "requested")
        return {**{k: only[k] for k in keys}, "version": only["metadata"]["version"]}

    theirs = json.loads(json.dumps(item(pip.stdout)).replace("pip-src", "pinset-src"))
    assert item(ours.stdout) == theirs
    assert theirs["download_info"]["url"].endswith("/pinset-src/gitdry/pkg")
