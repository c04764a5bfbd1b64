"""Which ``pinset install`` command lines may be answered by a remembered no-op verdict."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from pinset.buckets import bucket_dir_name
from pinset.ops.noop_verdict import Verdict, find, key, lookup, record

ENV = {"HOME": "/nonexistent", "VIRTUAL_ENV": "/venv"}


def verdict(*files: str, verbosity: int = 0) -> Verdict:
    return Verdict(
        files=files,
        stats=[],
        site_dirs=[],
        verbosity=verbosity,
        audited=1,
        location="/venv",
        python_version="3.12.1",
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["install", "-U", "-r", "r.txt"],
        ["install", "--upgr", "-r", "r.txt"],  # argparse would take the abbreviation
        ["install", "--force-reinstall", "-r", "r.txt"],
        ["install", "-I", "-r", "r.txt"],
        ["install", "--dry-run", "-r", "r.txt"],
        ["install", "--report", "-", "-r", "r.txt"],
        ["install", "--target", "t", "-r", "r.txt"],
        ["install", "--user", "-r", "r.txt"],
        ["install", "--no-cache-dir", "-r", "r.txt"],
        ["install", "-r", "https://example.org/r.txt"],
        ["install", "-r", "file:///r.txt"],
        ["install", "--python", "3.12", "-r", "r.txt"],
        ["install", "-r"],
        ["install", "--", "-r", "r.txt"],
    ],
)
def test_command_lines_that_are_never_remembered(argv: list[str], tmp_path: Path) -> None:
    assert not record(argv, ENV, str(tmp_path), str(tmp_path), verdict())
    assert not (tmp_path / bucket_dir_name("noop")).exists()


def test_a_remembered_verdict_holds_until_a_file_it_read_changes(tmp_path: Path) -> None:
    req = tmp_path / "r.txt"
    req.write_text("app\n")
    argv = ["install", "-q", "--python", "/venv/bin/python", "-r", "r.txt", "--cache-dir", "c"]
    assert record(argv, ENV, str(tmp_path), str(tmp_path / "c"), verdict(str(req), verbosity=-1))
    found = lookup(argv, ENV, str(tmp_path))
    assert found is not None
    assert (found.files, found.audited, found.verbosity) == ((str(req),), 1, -1)
    assert (found.location, found.python_version) == ("/venv", "3.12.1")
    assert lookup(argv, {**ENV, "PIP_INDEX_URL": "http://127.0.0.1:1/"}, str(tmp_path)) is None
    req.write_text("app\nlib\n")
    assert lookup(argv, ENV, str(tmp_path)) is None


def test_no_target_named_means_no_verdict(tmp_path: Path) -> None:
    assert not record(["install", "app"], {"HOME": "/x"}, str(tmp_path), str(tmp_path), verdict())


def test_system_means_no_verdict(tmp_path: Path) -> None:
    argv = ["install", "--system", "app"]
    assert not record(argv, {"HOME": "/x"}, str(tmp_path), str(tmp_path), verdict())
    env = {**ENV, "PINSET_SYSTEM": "1"}
    assert not record(["install", "app"], env, str(tmp_path), str(tmp_path), verdict())
    assert not (tmp_path / bucket_dir_name("noop")).exists()


def test_a_verdict_of_python_dash_m_pinset_never_answers_the_console_script(
    tmp_path: Path,
) -> None:
    """``python -m pinset`` may change its own environment; ``pinset`` refuses it: one's
    "already satisfied" must not answer for the other."""
    argv = ["install", "app"]
    assert key(argv, ENV, str(tmp_path), True) != key(argv, ENV, str(tmp_path))
    env = {**ENV, "PINSET_CACHE_DIR": str(tmp_path)}
    assert record(argv, env, str(tmp_path), str(tmp_path), verdict(), as_module=True)
    assert lookup(argv, env, str(tmp_path), as_module=True) is not None
    assert lookup(argv, env, str(tmp_path)) is None


def test_a_change_to_the_target_rules_retires_every_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key covers the code that decides the answer, the target's discovery included: a
    verdict recorded under other rules (which may have refused this target) is never reused."""
    from pinset.ops import noop_verdict

    seen: list[str] = []

    def stat(path: str) -> list[int]:
        seen.append(Path(path).resolve().as_posix())
        return [0]

    monkeypatch.setattr(noop_verdict, "stat_facts", stat)
    key(["install", "app"], ENV, str(tmp_path))
    for rule in ("ops/target.py", "environment/discovery.py", "ops/satisfied.py"):
        assert any(p.endswith(f"pinset/{rule}") for p in seen), (rule, seen)


def test_a_file_using_variables_is_never_remembered(tmp_path: Path) -> None:
    req = tmp_path / "r.txt"
    req.write_text("app==${APP_VERSION}\n")
    argv = ["install", "--python", "/venv/bin/python", "-r", "r.txt"]
    assert not record(argv, ENV, str(tmp_path), str(tmp_path), verdict(str(req)))


@pytest.mark.parametrize(
    "body",
    [
        ["not", "a", "dict"],
        {"files": 5, "stats": [], "site_dirs": [], "verbosity": 0, "audited": 1},
        {"files": [1], "stats": [], "site_dirs": [], "verbosity": 0, "audited": 1},
        {"files": [], "stats": [], "site_dirs": [], "verbosity": "0", "audited": 1},
        {"files": [], "stats": [], "site_dirs": [], "verbosity": 0, "audited": True},
        {"files": [], "stats": [], "site_dirs": [], "verbosity": 0, "audited": 1},
    ],
)
def test_a_damaged_or_foreign_verdict_file_is_no_verdict(body: object, tmp_path: Path) -> None:
    argv = ["install", "--python", "/venv/bin/python", "-r", "r.txt", "--cache-dir", "c"]
    path = tmp_path / "c" / bucket_dir_name("noop") / (key(argv, ENV, str(tmp_path)) + ".verdict")
    path.parent.mkdir(parents=True)
    path.write_bytes(marshal.dumps(body))  # type: ignore[arg-type]
    assert lookup(argv, ENV, str(tmp_path)) is None


@pytest.mark.parametrize("cut", [0, 1, 9, -1], ids=["empty", "one-byte", "cut", "zeros"])
def test_what_a_crash_can_leave_of_an_unsynced_verdict_is_no_verdict(
    cut: int, tmp_path: Path
) -> None:
    """Verdicts are written without fsync: a machine crash may leave the file empty, cut
    short or filled with zeros, and each must read as no verdict."""
    req = tmp_path / "r.txt"
    req.write_text("lib==1\n")
    argv = ["install", "--python", "/venv/bin/python", "-r", "r.txt", "--cache-dir", "c"]
    assert record(argv, ENV, str(tmp_path), str(tmp_path / "c"), verdict(str(req)))
    path = tmp_path / "c" / bucket_dir_name("noop") / (key(argv, ENV, str(tmp_path)) + ".verdict")
    assert lookup(argv, ENV, str(tmp_path)) is not None
    whole = path.read_bytes()
    path.write_bytes(b"\0" * len(whole) if cut < 0 else whole[:cut])
    assert lookup(argv, ENV, str(tmp_path)) is None


def test_link_mode_does_not_forbid_a_remembered_verdict(tmp_path: Path) -> None:
    argv = ["install", "--python", "/venv/bin/python", "--link-mode", "copy", "lib"]
    assert record(argv, ENV, str(tmp_path), str(tmp_path), verdict())


def test_a_device_or_fifo_read_as_a_config_file_is_judged_by_its_kind_not_its_times(
    tmp_path: Path,
) -> None:
    """``PIP_CONFIG_FILE=/dev/null`` (pip's "no configuration file") put /dev/null's stat in every
    verdict; its times change whenever another process uses it, and the verdicts of the test
    suite failed at random. A FIFO stands in for the device here: its times move, its kind not."""
    fifo = tmp_path / "devnull"
    os.mkfifo(fifo)
    config = tmp_path / "pip.conf"
    config.write_text("[global]\n")
    argv = ["install", "--python", "/venv/bin/python", "-r", "r.txt", "--cache-dir", "c"]
    held = Verdict(
        files=[],
        stats=[str(fifo), str(config)],
        site_dirs=[],
        verbosity=0,
        audited=1,
        location="/venv",
        python_version="3.12.1",
    )
    assert record(argv, ENV, str(tmp_path), str(tmp_path / "c"), held)
    os.utime(fifo, ns=(1, 1))
    assert lookup(argv, ENV, str(tmp_path)) is not None
    config.write_text("[global]\nquiet = 1\n")
    assert find(argv, ENV, str(tmp_path)) == f"{config} changed since the last check"


class _Lookups:
    """A path finder that records which modules the import system searched the path for."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        self.names.append(name)


def test_the_verdict_digest_is_sha256_and_searches_the_path_for_no_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hashlib
    import sys

    from pinset.ops.noop_verdict import state

    held = verdict()
    first = state(held)  # imports the built-in sha256 module once
    lookups = _Lookups()
    monkeypatch.setattr(sys, "meta_path", [lookups, *sys.meta_path])
    assert state(held) == first
    assert first == hashlib.sha256(repr([]).encode()).hexdigest()
    # a failed import is searched for again each time: a no-op digests a dozen things
    assert lookups.names == []
