"""A cache directory that cannot be written is not fatal (issue 8 #12): like pip, ``pinset
install`` warns once and goes on without the cache, and leaves the cache as it was.

The directory is made read-only for real (a read-only bind mount in a private namespace, see
tests/helpers/read_only.py), so every writer meets the error a read-only volume gives:
interpreter facts, index pages, metadata, archives, unpacked wheels and the no-op verdict.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)
from __future__ import annotations

from pathlib import Path

from tests.helpers.envs import snapshot
from tests.helpers.fixtures_install import NEWEST, catalog, index, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import installed, new_venv, run_pinset, site_packages
from tests.helpers.read_only import read_only

DISABLED = "the cache is disabled for this run"


def _install(
    index: IndexServer, venv: Path, cache: Path, *args: str, wrapper: list[str] | None = None
) -> tuple[int, str]:
    result = run_pinset(
        "install",
        "--python",
        str(venv),
        "-i",
        index.simple_url,
        "--cache-dir",
        str(cache),
        *args,
        cwd=venv.parent,
        wrapper=wrapper or [],
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr


def _one_warning(stderr: str, cache: Path) -> None:
    lines = [line for line in stderr.splitlines() if DISABLED in line]
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"warning: the cache directory {cache} cannot be written ("), stderr


def test_an_empty_read_only_cache_warns_once_and_installs(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    with read_only(cache) as wrapper:
        code, stderr = _install(index, venv, cache, "app", wrapper=wrapper)
        assert code == 0, stderr
        _one_warning(stderr, cache)
        assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0"}
        code, stderr = _install(index, venv, cache, "app", wrapper=wrapper)  # the no-op path
        assert code == 0, stderr
        _one_warning(stderr, cache)
    assert list(cache.iterdir()) == []


def test_a_filled_read_only_cache_is_left_as_it_was(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    code, stderr = _install(index, venv, cache, "app")  # fills every bucket
    assert code == 0, stderr
    assert DISABLED not in stderr
    before = snapshot(cache)
    other = new_venv(tmp_path / "other", NEWEST)
    with read_only(cache) as wrapper:
        code, stderr = _install(index, other, cache, "app", "speedy", wrapper=wrapper)
    assert code == 0, stderr
    _one_warning(stderr, cache)
    assert installed(site_packages(other)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    assert snapshot(cache) == before


def test_uninstall_with_a_read_only_cache_warns_once_and_removes(
    index: IndexServer, venv: Path, tmp_path: Path
) -> None:
    code, stderr = _install(index, venv, tmp_path / "writable", "speedy")
    assert code == 0, stderr
    cache = tmp_path / "cache"
    cache.mkdir()
    with read_only(cache) as wrapper:
        args = ["uninstall", "-y", "--python", str(venv), "speedy"]  # no --cache-dir option
        env = {"PIP_CACHE_DIR": str(cache)}
        result = run_pinset(*args, cwd=tmp_path, env=env, wrapper=wrapper)
    assert result.returncode == 0, result.stderr
    _one_warning(result.stderr, cache)
    assert "speedy" not in installed(site_packages(venv))
