"""Installed files against their RECORD (``check --env``): changed, removed, outside."""

from __future__ import annotations

from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version

from pinset.dists import InstalledDist
from pinset.install.audit import audit
from pinset.install.record import RecordRow, hash_bytes, render_record


def _install(site: Path, files: dict[str, bytes], extra: list[RecordRow]) -> InstalledDist:
    info = site / "p-1.dist-info"
    info.mkdir(parents=True)
    rows = []
    for rel, data in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows.append(RecordRow(rel, hash_bytes(data), len(data)))
    rows += [*extra, RecordRow("p-1.dist-info/RECORD", "", None)]
    (info / "RECORD").write_text(render_record(rows))
    return InstalledDist(canonicalize_name("p"), Version("1"), info)


def test_untouched_files_match(tmp_path: Path) -> None:
    dist = _install(tmp_path / "site", {"p/__init__.py": b"V = 1\n", "p/data.txt": b"x"}, [])
    result = audit([dist], [tmp_path])
    assert result.checked_files == 2
    assert result.mismatches == ()
    assert result.checked == (dist,)


def test_changed_and_removed_files_are_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = {"p/__init__.py": b"V = 1\n", "p/a.py": b"A = 1\n", "p/b.py": b"B\n"}
    dist = _install(site, files, [])
    (site / "p" / "__init__.py").write_bytes(b"V = 2\n")  # same size, other content
    (site / "p" / "a.py").write_bytes(b"A = 100\n")
    (site / "p" / "b.py").unlink()
    found = {(m.path.name, m.problem) for m in audit([dist], [tmp_path]).mismatches}
    assert found == {("__init__.py", "modified"), ("a.py", "modified"), ("b.py", "missing")}


def test_bytecode_may_be_missing_but_not_changed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pyc = "p/__pycache__/__init__.cpython-312.pyc"
    dist = _install(site, {"p/__init__.py": b"V = 1\n", pyc: b"\x00bytecode"}, [])
    (site / pyc).unlink()
    assert audit([dist], [tmp_path]).mismatches == ()
    (site / pyc).write_bytes(b"\x00bytecodf")
    (mismatch,) = audit([dist], [tmp_path]).mismatches
    assert (mismatch.path, mismatch.problem) == (site / pyc, "modified")


def test_rows_outside_the_environment_are_reported_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s")
    outside = RecordRow("../../secret", hash_bytes(b"s"), 1)
    weak = RecordRow("p/old.py", "md5=abc", 3)
    dist = _install(tmp_path / "env" / "site", {"p/__init__.py": b"V\n"}, [outside, weak])
    (tmp_path / "env" / "site" / "p" / "old.py").write_text("old")
    (mismatch,) = audit([dist], [tmp_path / "env"]).mismatches
    assert (mismatch.path, mismatch.problem) == (secret, "outside the environment")


def test_distributions_without_record_are_unchecked(tmp_path: Path) -> None:
    egg = tmp_path / "old.egg-info"
    egg.mkdir()
    dist = InstalledDist(canonicalize_name("old"), Version("1"), egg)
    result = audit([dist], [tmp_path])
    assert result.unchecked == (dist,)
    assert result.checked_files == 0
