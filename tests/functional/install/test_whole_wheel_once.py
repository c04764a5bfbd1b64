"""An installing run downloads each wheel it keeps once, whole, and reads its metadata from that
file (no range requests, no second download to install); a dry run still reads metadata with
range requests or PEP 658 files. Checked in the real index server's request log."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import NEWEST, VERSIONS, catalog  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import (
    install_into,
    installed,
    new_venv,
    serve,
    site_packages,
)

PINS = ("app==1.0", "lib==2.0", "speedy==0.1")
WHEELS = {"app-1.0-py3-none-any.whl", "lib-2.0-py3-none-any.whl", "speedy-0.1-py3-none-any.whl"}


def _wheel_gets(index: IndexServer) -> list[tuple[str, str | None]]:
    """(file name, Range header or None) of every GET of a wheel or a wheel's metadata file."""
    return [
        (path.rpartition("/")[2], headers.get("range"))
        for method, path, headers in index.requests
        if method == "GET" and (path.endswith(".whl") or path.endswith(".whl.metadata"))
    ]


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    if not VERSIONS:
        pytest.skip("no pyenv interpreters on this machine")
    return new_venv(tmp_path / "env", NEWEST)


@pytest.mark.parametrize("metadata", [False, True], ids=["no-pep658", "pep658"])
def test_pinned_install_downloads_each_wheel_once_without_ranges(
    index_server_factory: IndexServerFactory,
    catalog: Path,
    venv: Path,
    tmp_path: Path,
    metadata: bool,
) -> None:
    index = serve(index_server_factory(metadata=metadata), catalog)
    result = install_into(index, venv, tmp_path / "cache", "--no-compile", *PINS)
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    gets = _wheel_gets(index)
    assert [rng for _, rng in gets if rng is not None] == []
    assert Counter(name for name, _ in gets) == Counter(dict.fromkeys(WHEELS, 1))


def test_unpinned_small_wheels_are_downloaded_once_too(
    index_server_factory: IndexServerFactory,
    catalog: Path,
    venv: Path,
    tmp_path: Path,
) -> None:
    index = serve(index_server_factory(metadata=False), catalog)  # JSON pages give the size
    result = install_into(index, venv, tmp_path / "cache", "--no-compile", "app[fast]")
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {"app": "1.0", "lib": "2.0", "speedy": "0.1"}
    gets = _wheel_gets(index)
    assert [rng for _, rng in gets if rng is not None] == []
    counts = Counter(name for name, _ in gets)
    assert {name: counts[name] for name in WHEELS} == dict.fromkeys(WHEELS, 1)
    assert max(counts.values()) == 1  # a guess the resolver did not keep is not fetched twice


def test_dry_run_reads_metadata_with_ranges(
    index_server_factory: IndexServerFactory,
    catalog: Path,
    venv: Path,
    tmp_path: Path,
) -> None:
    index = serve(index_server_factory(metadata=False), catalog)
    result = install_into(index, venv, tmp_path / "cache", "--no-compile", "--dry-run", *PINS)
    assert result.returncode == 0, result.stderr
    assert installed(site_packages(venv)) == {}
    gets = _wheel_gets(index)
    assert {name for name, _ in gets} >= WHEELS  # (and the prefetch's guesses)
    assert [name for name, rng in gets if rng is None] == []  # every wheel GET is a range


def test_dry_run_reads_pep658_metadata_files(
    index_server_factory: IndexServerFactory,
    catalog: Path,
    venv: Path,
    tmp_path: Path,
) -> None:
    index = serve(index_server_factory(metadata=True), catalog)
    result = install_into(index, venv, tmp_path / "cache", "--no-compile", "--dry-run", *PINS)
    assert result.returncode == 0, result.stderr
    gets = _wheel_gets(index)
    assert {name for name, _ in gets} >= {f"{w}.metadata" for w in WHEELS}
    assert [name for name, _ in gets if not name.endswith(".metadata")] == []
