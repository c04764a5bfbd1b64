"""The test wheel/sdist generator makes valid, deterministic files (and broken ones on demand)."""

from __future__ import annotations

import csv
import io
import tarfile
import zipfile
from pathlib import Path

from tests.helpers.dists import make_sdist, make_wheel, record_hash


def _record(whl: Path) -> dict[str, tuple[str, str]]:
    with zipfile.ZipFile(whl) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        rows = csv.reader(io.StringIO(zf.read(name).decode()))
        return {row[0]: (row[1], row[2]) for row in rows}


def _mismatches(whl: Path) -> list[str]:
    bad = []
    with zipfile.ZipFile(whl) as zf:
        for path, (digest, _size) in _record(whl).items():
            if digest and record_hash(zf.read(path)) != digest:
                bad.append(path)
    return bad


def test_wheel_is_named_normalised_and_record_hashes_match(tmp_path: Path) -> None:
    whl = make_wheel(
        tmp_path,
        "My.Project_X",
        "1.0.0",
        requires=["a>=1"],
        extras={"fast": ['b ; python_version > "3"']},
        requires_python=">=3.8",
        entry_points={"console_scripts": {"mp": "my_project_x:main"}},
        data={"scripts": {"tool": "#!python\n"}},
    )
    assert whl.name == "my_project_x-1.0.0-py3-none-any.whl"
    assert _mismatches(whl) == []
    with zipfile.ZipFile(whl) as zf:
        meta = zf.read("my_project_x-1.0.0.dist-info/METADATA").decode()
        names = zf.namelist()
    assert 'Requires-Dist: b ; (python_version > "3") and extra == "fast"' in meta
    assert "Requires-Python: >=3.8" in meta
    assert "my_project_x-1.0.0.data/scripts/tool" in names
    assert "my_project_x-1.0.0.dist-info/entry_points.txt" in names


def test_output_is_deterministic(tmp_path: Path) -> None:
    one = make_wheel(tmp_path / "a", "p", "1").read_bytes()
    two = make_wheel(tmp_path / "b", "p", "1").read_bytes()
    assert one == two
    s1 = make_sdist(tmp_path / "a", "p", "1", requires=["x"]).read_bytes()
    s2 = make_sdist(tmp_path / "b", "p", "1", requires=["x"]).read_bytes()
    assert s1 == s2


def test_tampered_wheel_has_one_mismatching_file(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1", tamper=True)
    assert _mismatches(whl) == ["p/__init__.py"]


def test_malicious_entries_are_listed_with_correct_hashes(tmp_path: Path) -> None:
    whl = make_wheel(tmp_path, "p", "1", raw_entries={"../evil": "x", "/abs": "y"})
    assert {"../evil", "/abs"} <= set(_record(whl))
    assert _mismatches(whl) == []


def test_sdist_has_pyproject_and_pkg_info(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path, "My.Pkg", "2.0", requires=["a"], requires_python=">=3.8")
    assert sdist.name == "my_pkg-2.0.tar.gz"
    with tarfile.open(sdist) as tf:
        names = tf.getnames()
        pyproject = tf.extractfile("my_pkg-2.0/pyproject.toml")
        assert pyproject is not None
        text = pyproject.read().decode()
    assert {"my_pkg-2.0/PKG-INFO", "my_pkg-2.0/my_pkg/__init__.py"} <= set(names)
    assert 'dependencies = ["a"]' in text
    assert "setuptools.build_meta" in text
