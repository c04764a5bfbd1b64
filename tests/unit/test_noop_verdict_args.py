"""Which ``pinset install`` command lines may be answered by a remembered no-op verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.ops.noop_verdict import lookup, record

ENV = {"HOME": "/nonexistent", "VIRTUAL_ENV": "/venv"}


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
    facts = {"files": [], "stats": [], "site_dirs": [], "verbosity": 0, "audited": 1}
    assert not record(argv, ENV, str(tmp_path), str(tmp_path), facts)
    assert not (tmp_path / "noop-v1").exists()


def test_a_remembered_verdict_holds_until_a_file_it_read_changes(tmp_path: Path) -> None:
    req = tmp_path / "r.txt"
    req.write_text("app\n")
    argv = ["install", "-q", "--python", "/venv/bin/python", "-r", "r.txt", "--cache-dir", "c"]
    facts = {"files": [str(req)], "stats": [], "site_dirs": [], "verbosity": -1, "audited": 1}
    assert record(argv, ENV, str(tmp_path), str(tmp_path / "c"), facts)
    found = lookup(argv, ENV, str(tmp_path))
    assert found is not None
    assert found["audited"] == 1
    assert lookup(argv, {**ENV, "PIP_INDEX_URL": "http://127.0.0.1:1/"}, str(tmp_path)) is None
    req.write_text("app\nlib\n")
    assert lookup(argv, ENV, str(tmp_path)) is None


def test_no_target_named_means_no_verdict(tmp_path: Path) -> None:
    facts = {"files": [], "stats": [], "site_dirs": [], "verbosity": 0, "audited": 1}
    assert not record(["install", "app"], {"HOME": "/x"}, str(tmp_path), str(tmp_path), facts)


def test_a_file_using_variables_is_never_remembered(tmp_path: Path) -> None:
    req = tmp_path / "r.txt"
    req.write_text("app==${APP_VERSION}\n")
    argv = ["install", "--python", "/venv/bin/python", "-r", "r.txt"]
    facts = {"files": [str(req)], "stats": [], "site_dirs": [], "verbosity": 0, "audited": 1}
    assert not record(argv, ENV, str(tmp_path), str(tmp_path), facts)
