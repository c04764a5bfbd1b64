"""``pinset install`` refuses a wheel whose zip could be read as another archive (issue 8 #7).

pip 26.3 installs the hidden archive of each of these wheels; pinset names the wheel and the
reason, exits 1 and leaves the environment as it was, from an index and from a local directory.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

from pathlib import Path

from tests.helpers.dists import make_wheel
from tests.helpers.envs import diff, snapshot
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import venv  # noqa: F401
from tests.helpers.hostile_zips import as_tar, build, entries_of
from tests.helpers.install_world import installed, run_pinset, site_packages

WHEEL = "hidden-1.0-py3-none-any.whl"


def _hostile(dest: Path, kind: str) -> Path:
    """``hidden`` 1.0 (``GOOD = 1``) with a second ``hidden`` 1.0 (``EVIL = 1``) smuggled in."""
    good = make_wheel(dest, "hidden", "1.0", files={"hidden/__init__.py": "GOOD = 1\n"})
    evil = make_wheel(dest / "evil", "hidden", "1.0", files={"hidden/__init__.py": "EVIL = 1\n"})
    body, other = good.read_bytes(), evil.read_bytes()
    crafted = {
        "comment": build(entries_of(good), comment=other),
        "appended": body + other,
        "tar-prefix": as_tar(other)[:512] + other,
    }[kind]
    good.write_bytes(crafted)
    return good


def test_hostile_archives_are_refused_from_an_index_and_a_directory(
    index_server_factory: IndexServerFactory, venv: Path, tmp_path: Path
) -> None:
    before = snapshot(venv)
    for kind, reason in [
        ("comment", "the archive comment holds another archive"),
        ("appended", "bytes precede the archive (a prefix or another archive)"),
        ("tar-prefix", "512 bytes precede the archive (a prefix or another archive)"),
    ]:
        wheel = _hostile(tmp_path / kind, kind)
        server = index_server_factory()
        server.add(wheel)
        for where in (["-i", server.simple_url], ["--no-index", "-f", str(wheel.parent)]):
            args = ["install", "--python", str(venv), *where, "hidden"]
            result = run_pinset(*args, "--cache-dir", str(tmp_path / "cache"), cwd=tmp_path)
            assert result.returncode == 1, (kind, where, result.stderr)
            assert f"error: {WHEEL} is not a valid wheel" in result.stderr, (kind, result.stderr)
            assert reason in result.stderr, (kind, where, result.stderr)
            assert "could be read as other files than those it lists" in result.stderr
            assert "Traceback" not in result.stderr
            assert diff(before, snapshot(venv)) == {"added": [], "removed": [], "changed": []}
    assert "hidden" not in installed(site_packages(venv))
