"""``-v`` says what pinset is doing (phases, each index request and how the cache answered);
``-q`` leaves only errors and the data asked for."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

from pathlib import Path

from tests.helpers.fixtures_install import Run, catalog, index, pinset, venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import run_pinset


def test_verbose_install_shows_phases_requests_and_cache_hits(
    pinset: Run, index: IndexServer, venv: Path
) -> None:
    first = pinset("install", "-v", "app")
    assert first.returncode == 0, first.stderr
    assert f"  target: {venv} (environment), Python 3." in first.stderr
    page = f"GET {index.simple_url.rstrip('/')}/app/"
    assert "Resolving dependencies\n" in first.stderr
    assert f"  {page}: HTTP 200 (cache miss)\n" in first.stderr
    assert "Installing 2 packages\n" in first.stderr
    assert pinset("uninstall", "-y", "app").returncode == 0
    again = pinset("install", "-v", "app")
    assert again.returncode == 0, again.stderr
    assert f"  {page}: fresh in the cache (no request), kept parsed\n" in again.stderr
    assert "  metadata of app==1.0 from the cache\n" in again.stderr
    assert "  app==1.0: already unpacked in the cache, not downloaded\n" in again.stderr


def test_quiet_commands_print_nothing_on_success(pinset: Run, tmp_path: Path) -> None:
    for command in (
        ("install", "-q", "app"),
        ("uninstall", "-q", "-y", "lib"),
        ("download", "-q", "-d", str(tmp_path / "house"), "lib"),
    ):
        result = pinset(*command)
        assert result.returncode == 0, result.stderr
        assert (result.stdout, result.stderr) == ("", ""), command
    made = run_pinset("venv", "-q", str(tmp_path / "other"))
    assert (made.returncode, made.stdout, made.stderr) == (0, "", "")
    listed = pinset("list", "-q", "--format", "freeze")
    assert listed.stdout == "app==1.0\n"
    assert listed.stderr == ""


def test_quiet_check_shows_errors_only(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("MyPackage==3.0 [PDF]\n")
    (tmp_path / "bad.txt").write_text("MyPackage==3.0 [PDF]\nnot a requirement!\n")
    warned = run_pinset("check", "-q", "r.txt", cwd=tmp_path)
    assert (warned.returncode, warned.stderr) == (0, "")
    failed = run_pinset("check", "-q", "bad.txt", cwd=tmp_path)
    assert failed.returncode == 1
    assert "bad.txt:2:" in failed.stderr
    assert "warning" not in failed.stderr


def test_verbose_cache_clean_names_what_it_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "http-v1" / "ab").mkdir(parents=True)
    (cache / "http-v1" / "ab" / "entry").write_text("x")
    result = run_pinset("cache", "--cache-dir", str(cache), "clean", "-v")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"  removed {cache / 'http-v1'}\nremoved 1 item, freed 1 B\n"
