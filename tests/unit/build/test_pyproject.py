"""[build-system] as pip reads it: legacy defaults, checks, in-tree backend paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.build.pyproject import LEGACY_BACKEND, LEGACY_REQUIRES, read_build_system
from pinset.errors import BuildError


def _tree(tmp_path: Path, pyproject: str | None) -> Path:
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    return tmp_path


def test_no_pyproject_builds_as_pip_does(tmp_path: Path) -> None:
    system = read_build_system(_tree(tmp_path, None))
    assert system.requires == ("setuptools>=40.8.0",) == LEGACY_REQUIRES
    assert system.backend == "setuptools.build_meta:__legacy__" == LEGACY_BACKEND
    assert not system.declared


def test_pyproject_without_build_system_too(tmp_path: Path) -> None:
    system = read_build_system(_tree(tmp_path, "[tool.black]\nline-length = 99\n"))
    assert (system.requires, system.backend, system.declared) == (
        LEGACY_REQUIRES,
        LEGACY_BACKEND,
        False,
    )


def test_requires_without_backend_uses_the_legacy_backend(tmp_path: Path) -> None:
    system = read_build_system(_tree(tmp_path, '[build-system]\nrequires = ["setuptools>=70"]\n'))
    assert system.requires == ("setuptools>=70",)
    assert system.backend == LEGACY_BACKEND
    assert system.declared


def test_backend_path_inside_the_tree(tmp_path: Path) -> None:
    (tmp_path / "_b").mkdir()
    text = '[build-system]\nrequires = []\nbuild-backend = "be"\nbackend-path = ["_b", "."]\n'
    system = read_build_system(_tree(tmp_path, text))
    assert system.backend_path == ("_b", ".")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[build-system]\nbuild-backend = "x"\n', "[build-system] has no 'requires' list"),
        ("[build-system]\nrequires = 'setuptools'\n", "requires is not a list of strings"),
        ('[build-system]\nrequires = ["setuptools >>> 1"]\n', "'setuptools >>> 1' is invalid"),
        ('[build-system]\nrequires = []\nbuild-backend = "a b"\n', "'a b' is not a 'module"),
        (
            '[build-system]\nrequires = []\nbuild-backend = "b"\nbackend-path = ["/abs"]\n',
            "backend-path '/abs' is absolute",
        ),
        (
            '[build-system]\nrequires = []\nbuild-backend = "b"\nbackend-path = ["../up"]\n',
            "backend-path '../up' leads outside the source tree",
        ),
        ("[build-system\n", "pyproject.toml is not valid TOML"),
        ('build-system = "x"\n', "[build-system] is not a table"),
    ],
)
def test_invalid_build_system_is_an_error_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(BuildError) as caught:
        read_build_system(_tree(tmp_path, text))
    assert message in caught.value.message
    assert caught.value.where == str(tmp_path / "pyproject.toml")


def test_backend_path_through_a_symlink_out_is_refused(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "escape").symlink_to(tmp_path)
    text = '[build-system]\nrequires = []\nbuild-backend = "b"\nbackend-path = ["escape"]\n'
    with pytest.raises(BuildError, match="leads outside the source tree"):
        read_build_system(_tree(tree, text))


def test_not_utf8_and_too_large(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[build-system]\nrequires = ['\xff']\n")
    with pytest.raises(BuildError, match="not UTF-8"):
        read_build_system(tmp_path)
    (tmp_path / "pyproject.toml").write_bytes(b"#" * (1024 * 1024 + 1))
    with pytest.raises(BuildError, match="larger than 1 MiB"):
        read_build_system(tmp_path)
