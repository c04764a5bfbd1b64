"""A wheel whose METADATA is missing, doubled or names another project is refused with a
message that names the file and what was expected."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from pinset.distribution.metadata import metadata_from_wheel
from pinset.dists import Candidate
from pinset.errors import IntegrityError
from pinset.kinds import RegistryWheel
from pinset.links import Link

FILENAME = "lib-1.0-py3-none-any.whl"


def _wheel(tmp_path: Path, members: dict[str, str]) -> tuple[Path, Candidate]:
    path = tmp_path / FILENAME
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    link = Link(f"https://index.example/files/{FILENAME}", FILENAME)
    return path, Candidate(canonicalize_name("lib"), Version("1.0"), link, kind=RegistryWheel())


def _refusal(tmp_path: Path, members: dict[str, str]) -> str:
    path, candidate = _wheel(tmp_path, members)
    with pytest.raises(IntegrityError) as caught:
        metadata_from_wheel(path, candidate)
    error = caught.value
    return " | ".join(str(part) for part in (error.message, error.where, error.note) if part)


def test_metadata_without_name_and_version(tmp_path: Path) -> None:
    text = _refusal(tmp_path, {"lib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\n\n"})
    assert "None" not in text
    assert FILENAME in text
    assert "no Name" in text
    assert "no Version" in text
    assert "lib 1.0" in text


def test_metadata_of_another_project(tmp_path: Path) -> None:
    metadata = "Metadata-Version: 2.1\nName: other\nVersion: 2.0\n\n"
    text = _refusal(tmp_path, {"lib-1.0.dist-info/METADATA": metadata})
    assert FILENAME in text
    assert "other 2.0" in text
    assert "lib 1.0" in text


def test_no_metadata_for_the_project(tmp_path: Path) -> None:
    text = _refusal(tmp_path, {"other-1.0.dist-info/METADATA": "Name: other\n", "lib.py": ""})
    assert FILENAME in text
    assert "lib-*.dist-info/METADATA" in text  # what was expected
    assert "other-1.0.dist-info/METADATA" in text  # what was found


def test_two_metadata_files_for_the_project(tmp_path: Path) -> None:
    members = {"lib-1.0.dist-info/METADATA": "Name: lib\n", "lib-2.0.dist-info/METADATA": ""}
    text = _refusal(tmp_path, members)
    assert FILENAME in text
    assert "lib-1.0.dist-info/METADATA" in text
    assert "lib-2.0.dist-info/METADATA" in text


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_metadata_is_read_whatever_the_compression(tmp_path: Path, method: int) -> None:
    path = tmp_path / FILENAME
    metadata = "Metadata-Version: 2.1\nName: lib\nVersion: 1.0\nRequires-Dist: dep>=2\n\n"
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        zf.writestr("lib.py", "x = 1\n" * 1000)
        zf.writestr("lib-1.0.dist-info/METADATA", metadata)
    link = Link(f"https://index.example/files/{FILENAME}", FILENAME)
    candidate = Candidate(canonicalize_name("lib"), Version("1.0"), link, kind=RegistryWheel())
    read = metadata_from_wheel(path, candidate)
    assert read.get("Name") == "lib"
    assert read.get_all("Requires-Dist") == ["dep>=2"]
