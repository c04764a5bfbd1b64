"""``pinset install`` failures: exact messages with origins, and the environment left as it was."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.envs import diff, snapshot
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, run_pinset, serve, site_packages


def test_conflict_names_both_lines_with_their_origins(
    pinset: Run, venv: Path, tmp_path: Path
) -> None:
    (tmp_path / "requirements.txt").write_text("# the web app\nlib>=2\nold\n")
    before = snapshot(venv)
    result = pinset("install", "-r", "requirements.txt")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: cannot install lib>=2 and old together\n"
        "  requirements.txt:2:1  lib>=2\n"
        "  requirements.txt:3:1  old → old 1.0 needs lib<2\n"
        "  hint: loosen one of these requirements so that one version of lib satisfies them all\n"
    )
    assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}


def test_requires_python_excludes_every_version(pinset: Run) -> None:
    result = pinset("install", "modern")
    assert result.returncode == 1
    assert "modern 1.0 needs Python >=3.99" in result.stderr
    assert "<command line>:1:1" in result.stderr


def test_only_binary_all_refuses_source_distributions_and_builds(
    pinset: Run, tmp_path: Path
) -> None:
    only = pinset("install", "--only-binary", ":all:", "srconly")
    assert only.returncode == 1
    assert "--only-binary forbids source distributions" in only.stderr
    archive = make_sdist(tmp_path / "files", "srcdirect", "1.0")
    direct = pinset("install", "--only-binary", ":all:", f"srcdirect @ {archive.as_uri()}")
    assert direct.returncode == 1
    assert direct.stderr.startswith(
        "<command line>:1:1: error: building from source is off: srcdirect needs "
        "srcdirect-1.0.tar.gz built"
    )
    assert "drop --only-binary :all:" in direct.stderr
    assert "Traceback" not in direct.stderr


def test_sync_refuses_editable_vcs_checkouts_clearly(pinset: Run, tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "six==1.16.0\n-e git+https://example.invalid/r.git#egg=r\n"
        "-e hg+https://example.invalid/o#egg=o\n"
    )
    both = pinset("sync", "requirements.txt")
    assert both.returncode == 1
    assert both.stderr.startswith(
        "requirements.txt:2:4: error: sync does not install editable version-control "
        "checkouts: -e git+https://example.invalid/r.git#egg=r, -e hg+https://example.invalid/o#egg=o\n"
    )
    assert "Traceback" not in both.stderr


def test_nothing_to_install_is_a_usage_error(pinset: Run) -> None:
    result = pinset("install")
    assert result.returncode == 2
    assert "nothing to install" in result.stderr


def test_credentials_are_never_printed(
    index_server_factory: IndexServerFactory, catalog: Path, venv: Path, tmp_path: Path
) -> None:
    server = serve(index_server_factory(auth=("alice", "s3cret-pw")), catalog)
    ok = run_pinset(
        "install", "--python", str(venv), "-i", server.authed_url(), "app", "-v", cwd=tmp_path
    )
    assert ok.returncode == 0, ok.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}
    wrong = server.simple_url.replace("http://", "http://alice:wrong-pw@")
    failed = run_pinset("install", "--python", str(venv), "-i", wrong, "speedy", cwd=tmp_path)
    assert failed.returncode == 1
    assert "401" in failed.stderr
    assert "alice:****@" in failed.stderr
    for secret in ("s3cret-pw", "wrong-pw"):
        assert secret not in ok.stdout + ok.stderr + failed.stdout + failed.stderr


def test_a_failing_index_is_reported_not_crashed_on(pinset: Run, index: IndexServer) -> None:
    index.fault("500", 20, path="/simple/lib/")
    result = pinset("install", "lib", "--retries", "0")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "500" in result.stderr


def test_dangling_dot_venv_is_an_error_not_pinsets_own_python(
    index: IndexServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    project = tmp_path / "project"
    project.mkdir()
    (project / ".venv").symlink_to(tmp_path / "removed-env")
    result = run_pinset(
        "install", "--dry-run", "-i", index.simple_url, "--cache-dir", "cache", "lib", cwd=project
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        f"error: {project / '.venv'} is not a usable virtual environment: it is a broken "
        f"symbolic link to {tmp_path / 'removed-env'}\n"
        "  hint: remove the link, or choose the environment with --python or VIRTUAL_ENV\n"
    )


def _refused_index() -> str:
    """The URL of an index on a port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    return f"http://user:pw-secret@127.0.0.1:{port}/simple"


def test_an_unreachable_index_is_named_with_its_cause(venv: Path, tmp_path: Path) -> None:
    url = _refused_index()
    shown = url.replace("pw-secret", "****")
    start = time.monotonic()
    result = run_pinset("install", "--python", str(venv), "-i", url, "flask", cwd=tmp_path)
    elapsed = time.monotonic() - start
    assert result.returncode == 1
    assert result.stderr == (
        f"error: index {shown} cannot be read: GET {shown}/flask/: cannot connect "
        "(Connection refused)\n"
        "  hint: check the URL, your network connection and proxy settings\n"
    )
    assert elapsed < 7.5, "a refused connection is not retried (5 retries sleep 7.75 s)"


def test_an_unreachable_extra_index_stops_the_search_with_its_name(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    """``nothere`` is not on the first index, so the second must answer: its failure is the
    error (pip would warn and then say that nothing satisfies ``nothere``)."""
    dead = _refused_index().replace("user:pw-secret@", "")
    argv = ["install", "--python", str(venv), "-i", index.simple_url, "--extra-index-url", dead]
    result = run_pinset(*argv, "nothere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: index {dead} cannot be read: GET {dead}/nothere/: cannot connect "
        "(Connection refused)",
        f"  note: nothere is not on {index.simple_url}; with --index-strategy first-index a "
        "later index is never asked in place of one that fails, so that a project cannot be "
        "taken from the wrong index",
        "  hint: check the URL, your network connection and proxy settings",
    ]
    # merging every index needs every index
    merged = run_pinset(*argv, "--index-strategy", "unsafe-best-match", "lib", cwd=tmp_path)
    assert merged.returncode == 1
    assert f"error: index {dead} cannot be read" in merged.stderr
    assert "every index must answer for lib" in merged.stderr
    # the first index has ``lib``: the dead later index cannot change the answer
    ok = run_pinset(*argv, "lib", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert f"warning: index {dead} cannot be read" in ok.stderr


def test_files_skipped_alike_are_counted_not_repeated(
    pinset: Run, index: IndexServer, tmp_path: Path
) -> None:
    for version in ("1.0", "1.1", "1.2"):
        index.add(make_wheel(tmp_path, "plat", version, tag="cp27-cp27m-win32"))
    result = pinset("install", "plat")
    assert result.returncode == 1
    assert result.stderr == (
        "error: no version of plat satisfies plat\n"
        "  <command line>:1:1  plat\n"
        "  note: no versions of plat were found; 3 were skipped (built for other Pythons or "
        "platforms)\n"
    )


def test_a_project_no_index_knows_is_not_found(pinset: Run, index: IndexServer) -> None:
    result = pinset("install", "nothere>=1")
    assert result.returncode == 1
    assert result.stderr == (
        f"error: nothere was not found on {index.simple_url}\n"
        "  <command line>:1:1  nothere>=1\n"
        "  hint: check the project's name, and the index (--index-url, --extra-index-url)\n"
    )
