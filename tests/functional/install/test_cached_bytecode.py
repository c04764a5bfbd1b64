"""Bytecode from the cache: a wheel's modules are compiled once per interpreter into its
unpacked-wheel cache entry and the ``.pyc`` files are linked (or copied) with the sources. What a
user checks: Python uses the installed ``.pyc`` without compiling again (its import system says
so with ``-v``), RECORD lists it, uninstall removes it, tracebacks name the installed file, and a
copied install keeps the sources' mtimes so its ``.pyc`` stays valid."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers.dists import make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import NEWEST, VERSIONS
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import install_into, new_venv, run_pinset, site_packages

pytestmark = pytest.mark.skipif(not VERSIONS, reason="no pyenv interpreters on this machine")

BOOM = "def fail():\n    raise ValueError('boom from the module')\n"
BROKEN = "def nope(:\n"


@pytest.fixture
def boom_index(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    wheel = make_wheel(
        wheels,
        "boom",
        "1.0",
        files={
            "boom/__init__.py": BOOM,
            "boom/sub/__init__.py": "VALUE = 42\n",
            "boom/broken.py": BROKEN,
        },
    )
    server = index_server_factory()
    server.add(wheel)
    return server


def _python(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run(
        [str(venv / "bin" / "python"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _pyc(venv: Path, module: str) -> Path:
    (found,) = (site_packages(venv) / module).parent.glob(f"__pycache__/{Path(module).stem}.*.pyc")
    return found


def _cached_pycs(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*.pyc") if "wheels-unpacked" in str(p))


def _assert_used_as_is(venv: Path, module: str, pyc: Path) -> None:
    """Importing ``module`` loads ``pyc`` unchanged: the import system reports that it matches
    its source, writes nothing, and the file keeps its inode and mtime."""
    before = pyc.stat()
    dotted = module[: -len(".py")].replace("/", ".").removesuffix(".__init__")
    result = _python(venv, "-v", "-c", f"import {dotted}")
    assert result.returncode == 0, result.stderr
    source = site_packages(venv) / module
    assert f"# {pyc} matches {source}" in result.stderr
    assert f"# wrote {pyc!r}" not in result.stderr
    after = pyc.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_warm_install_links_bytecode_python_uses_as_is(
    boom_index: IndexServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = new_venv(tmp_path / "one", NEWEST)
    assert install_into(boom_index, first, cache, "boom").returncode == 0
    cached = _cached_pycs(cache)
    assert [p.name.split(".")[0] for p in cached] == ["__init__", "__init__"]  # broken.py: none

    venv = new_venv(tmp_path / "two", NEWEST)
    result = install_into(boom_index, venv, cache, "boom")
    assert result.returncode == 0, result.stderr
    assert _cached_pycs(cache) == cached  # compiled once, not again
    pyc = _pyc(venv, "boom/__init__.py")
    assert os.path.samefile(pyc, cached[0]) or os.path.samefile(pyc, cached[1])
    assert not list((site_packages(venv) / "boom").glob("__pycache__/broken.*"))
    record = (site_packages(venv) / "boom-1.0.dist-info" / "RECORD").read_text()
    rel = pyc.relative_to(site_packages(venv)).as_posix()
    assert f"{rel},sha256=" in record
    _assert_used_as_is(venv, "boom/__init__.py", pyc)
    _assert_used_as_is(venv, "boom/sub/__init__.py", _pyc(venv, "boom/sub/__init__.py"))

    check = run_pinset("check", "--env", "--python", str(venv))
    assert check.returncode == 0, check.stderr
    removed = run_pinset("uninstall", "--python", str(venv), "-y", "boom")
    assert removed.returncode == 0, removed.stderr
    assert not (site_packages(venv) / "boom").exists()
    assert all(p.exists() for p in cached)  # uninstalling removed the links, not the cache


def test_a_traceback_names_the_installed_file_not_the_cache(
    boom_index: IndexServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    for name in ("one", "two"):  # the second install links what the first compiled
        venv = new_venv(tmp_path / name, NEWEST)
        assert install_into(boom_index, venv, cache, "boom").returncode == 0
    source = site_packages(venv) / "boom" / "__init__.py"
    result = _python(venv, "-c", "import boom; print(boom.fail.__code__.co_filename); boom.fail()")
    assert result.stdout == f"{source}\n"
    assert f'File "{source}", line 2, in fail' in result.stderr
    assert "raise ValueError('boom from the module')" in result.stderr  # the line is shown
    assert str(cache) not in result.stderr


@pytest.mark.parametrize("mode", ["copy", "symlink"])
def test_other_link_modes_keep_the_bytecode_valid(
    boom_index: IndexServer, tmp_path: Path, mode: str
) -> None:
    cache = tmp_path / "cache"
    assert (
        install_into(boom_index, new_venv(tmp_path / "one", NEWEST), cache, "boom").returncode == 0
    )
    venv = new_venv(tmp_path / "two", NEWEST)
    result = install_into(boom_index, venv, cache, "boom", "--link-mode", mode)
    assert result.returncode == 0, result.stderr
    source = site_packages(venv) / "boom" / "__init__.py"
    pyc = _pyc(venv, "boom/__init__.py")
    if mode == "copy":
        assert source.stat().st_nlink == 1
        assert pyc.stat().st_nlink == 1
    else:
        assert source.is_symlink()
        assert pyc.is_symlink()
    _assert_used_as_is(venv, "boom/__init__.py", pyc)


def test_a_cache_on_another_filesystem_copies_bytecode_that_stays_valid(
    boom_index: IndexServer, tmp_path: Path
) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem here")
    cache = Path(tempfile.mkdtemp(dir=shm))
    try:
        for name in ("one", "two"):
            venv = new_venv(tmp_path / name, NEWEST)
            result = install_into(boom_index, venv, cache, "boom")
            assert result.returncode == 0, result.stderr
            assert "warning: could not hard-link files from the cache" in result.stderr
            pyc = _pyc(venv, "boom/__init__.py")
            assert pyc.stat().st_nlink == 1
            _assert_used_as_is(venv, "boom/__init__.py", pyc)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def test_each_interpreter_gets_bytecode_of_its_own(boom_index: IndexServer, tmp_path: Path) -> None:
    if len(VERSIONS) < 2:
        pytest.skip("needs two Python versions")
    cache = tmp_path / "cache"
    for version in (VERSIONS[0], NEWEST):
        venv = new_venv(tmp_path / version, version)
        result = install_into(boom_index, venv, cache, "boom")
        assert result.returncode == 0, result.stderr
        _assert_used_as_is(venv, "boom/__init__.py", _pyc(venv, "boom/__init__.py"))
    tags = {p.name.split(".")[1] for p in _cached_pycs(cache)}
    assert len(tags) == 2


def test_a_source_edited_through_a_link_never_gets_stale_bytecode(
    boom_index: IndexServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    one = new_venv(tmp_path / "one", NEWEST)
    assert install_into(boom_index, one, cache, "boom").returncode == 0
    edited = site_packages(one) / "boom" / "sub" / "__init__.py"
    with open(edited, "r+") as fh:  # in place, same size: the cache's file changes too
        fh.write("VALUE = 43\n")
    two = new_venv(tmp_path / "two", NEWEST)
    result = install_into(boom_index, two, cache, "boom")
    assert result.returncode == 0, result.stderr
    assert "had changed (boom/sub/__init__.py)" in result.stderr
    pyc = _pyc(two, "boom/sub/__init__.py")
    _assert_used_as_is(two, "boom/sub/__init__.py", pyc)
    shown = _python(two, "-c", "import boom.sub; print(boom.sub.VALUE)")
    assert shown.stdout == "42\n"


def _record_rows(venv: Path, dist_info: str) -> dict[str, str]:
    text = (site_packages(venv) / dist_info / "RECORD").read_text()
    return {line.split(",")[0]: line.split(",")[1] for line in text.splitlines()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_record_lists_each_linked_pyc_with_its_own_hash(
    boom_index: IndexServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    for name in ("one", "two"):  # the second install writes RECORD from the cache's manifest
        venv = new_venv(tmp_path / name, NEWEST)
        assert install_into(boom_index, venv, cache, "boom").returncode == 0
        rows = _record_rows(venv, "boom-1.0.dist-info")
        pycs = sorted(site_packages(venv).rglob("*.pyc"))
        assert len(pycs) == 2
        for pyc in pycs:
            assert rows[pyc.relative_to(site_packages(venv)).as_posix()] == _sha256(pyc)
        check = run_pinset("check", "--env", "--python", str(venv))
        assert check.returncode == 0, check.stdout + check.stderr


def test_a_cached_pyc_changed_through_a_link_is_compiled_again(
    boom_index: IndexServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    one = new_venv(tmp_path / "one", NEWEST)
    assert install_into(boom_index, one, cache, "boom").returncode == 0
    linked = _pyc(one, "boom/sub/__init__.py")
    with open(linked, "r+b") as fh:  # in place: the cache's .pyc changes too
        fh.seek(0, os.SEEK_END)
        fh.write(b"\0garbage")
    two = new_venv(tmp_path / "two", NEWEST)
    result = install_into(boom_index, two, cache, "boom")
    assert result.returncode == 0, result.stderr
    pyc = _pyc(two, "boom/sub/__init__.py")
    assert not os.path.samefile(pyc, linked)
    rows = _record_rows(two, "boom-1.0.dist-info")
    assert rows[pyc.relative_to(site_packages(two)).as_posix()] == _sha256(pyc)
    _assert_used_as_is(two, "boom/sub/__init__.py", pyc)
    check = run_pinset("check", "--env", "--python", str(two))
    assert check.returncode == 0, check.stdout + check.stderr


def test_bytecode_without_its_manifest_is_compiled_again(
    boom_index: IndexServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    one = new_venv(tmp_path / "one", NEWEST)
    assert install_into(boom_index, one, cache, "boom").returncode == 0
    (manifest,) = (p for p in cache.rglob("manifest.json") if p.parent.parent.name == "bytecode")
    manifest.unlink()  # as a damaged entry, or one an interrupted run left, would be
    two = new_venv(tmp_path / "two", NEWEST)
    result = install_into(boom_index, two, cache, "boom")
    assert result.returncode == 0, result.stderr
    assert manifest.is_file()
    pyc = _pyc(two, "boom/__init__.py")
    assert any(os.path.samefile(pyc, p) for p in _cached_pycs(cache))
    _assert_used_as_is(two, "boom/__init__.py", pyc)
    check = run_pinset("check", "--env", "--python", str(two))
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_module_two_wheels_ship_gets_the_bytecode_of_the_one_placed(
    index_server_factory: IndexServerFactory, tmp_path: Path
) -> None:
    """Two wheels ship ``shared/mod.py`` (same size, same timestamp, other values): the later
    wheel's file is placed, and so must its ``.pyc`` be, linked once; the other wheel's cached
    ``.pyc`` is left as it was (a second link to the same path, copied over the first, wrote
    one wheel's bytecode into the other's cache entry, and Python, seeing the same source mtime
    and size, ran it)."""
    wheels = tmp_path / "wheels"
    for name, value in (("one", "1"), ("two", "2")):
        make_wheel(
            wheels, name, "1.0", files={"shared/__init__.py": "", "shared/mod.py": f"V={value}\n"}
        )
    server = index_server_factory()
    for wheel in sorted(wheels.iterdir()):
        server.add(wheel)
    cache = tmp_path / "cache"
    for name in ("first", "second"):  # the second links what the first compiled
        venv = new_venv(tmp_path / name, NEWEST)
        result = install_into(server, venv, cache, "one", "two")
        assert result.returncode == 0, result.stderr
        cached = {p: p.read_bytes() for p in _cached_pycs(cache) if p.name.startswith("mod.")}
        assert len(cached) == 2
        assert len(set(cached.values())) == 2  # each wheel's entry keeps its own bytecode
        source = site_packages(venv) / "shared" / "mod.py"
        pyc = _pyc(venv, "shared/mod.py")
        owner = [p for p in cached if os.path.samefile(p, pyc)]
        assert len(owner) == 1
        assert (
            owner[0].parents[4] / "files" / "shared" / "mod.py"
        ).read_text() == source.read_text()
        shown = _python(venv, "-c", "import shared.mod; print(shared.mod.V)")
        assert shown.stdout == source.read_text().removeprefix("V=")
        _assert_used_as_is(venv, "shared/mod.py", pyc)
