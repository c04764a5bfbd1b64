"""What a user sees when a build cannot happen: the backend's last lines, the log, a hint;
a cycle in build requirements named; credentials kept from the backend."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from pinset.build.builder import Builder
from pinset.errors import BuildError
from tests.functional.build.conftest import request_for
from tests.helpers import source_trees
from tests.helpers.build_context import WheelhouseContext


@pytest.mark.parametrize("version", ["3.8", "3.13"])
def test_failing_build_shows_the_last_lines_and_the_log(
    tmp_path: Path, builder: Builder, version: str
) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    request = request_for(tmp_path, tree, version, config_settings={"fail": "1"})
    with pytest.raises(BuildError) as caught:
        builder.wheel(request)
    error = caught.value
    assert error.message == "building src failed: the backend's build_wheel exited with code 3"
    assert error.where == str(request.log)
    assert error.note is not None
    assert error.note.splitlines()[-1] == "error: the in-tree backend was told to fail"
    assert "compiling step 39" in error.note
    assert "compiling step 0\n" not in error.note
    assert error.hint == f"the backend's whole output is in {request.log}"
    assert "compiling step 0\n" in request.log.read_text()
    assert not list(Path(tmp_path / "out").glob("*.whl"))


def test_a_build_that_outlives_its_timeout_is_killed(tmp_path: Path, builder: Builder) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    backend = tree / "_backend" / "intree_backend.py"
    backend.write_text(
        backend.read_text().replace(
            "def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n",
            "def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):\n"
            "    import time; print('waiting', flush=True); time.sleep(60)\n",
        )
    )
    with pytest.raises(BuildError, match=r"build_wheel did not finish within 2 s"):
        builder.wheel(request_for(tmp_path, tree, "3.13", timeout=2.0))


def test_missing_backend_is_named_with_a_hint(tmp_path: Path, builder: Builder) -> None:
    tree = source_trees.pep621(tmp_path / "src", "no_such_backend.api", "", "nobackend")
    with pytest.raises(BuildError) as caught:
        builder.wheel(request_for(tmp_path, tree, "3.13"))
    assert caught.value.message == (
        "building src: the build backend 'no_such_backend.api' cannot be imported"
    )
    assert caught.value.hint is not None
    assert "[build-system] requires" in caught.value.hint


def test_cycle_in_build_requirements_names_the_chain(tmp_path: Path) -> None:
    a = source_trees.in_tree(tmp_path / "a", requires='"b"')
    b = source_trees.in_tree(tmp_path / "b", requires='"a"')
    context = WheelhouseContext(tmp_path / "context", local={"a": a, "b": b})
    with pytest.raises(BuildError) as caught:
        Builder(context).wheel(request_for(tmp_path, a, "3.13"))
    assert caught.value.message == "cyclic build requirements: a -> b -> a"


def test_editable_without_pep660_hook_is_a_clear_error(tmp_path: Path, builder: Builder) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    backend = tree / "_backend" / "intree_backend.py"
    text = backend.read_text()
    backend.write_text(text[: text.index("def build_editable")])
    with pytest.raises(BuildError, match="has no build_editable hook"):
        builder.wheel(request_for(tmp_path, tree, "3.13", editable=True))


def test_backend_never_sees_index_credentials(tmp_path: Path, builder: Builder) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    environ = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PIP_INDEX_URL": "https://alice:s3cret@private.example/simple",
        "PIP_EXTRA_INDEX_URL": "https://token123@other.example/simple",
        "PINSET_FIND_LINKS": "https://bob:pw@links.example/",
        "PIP_TIMEOUT": "30",
        "PIP_TRUSTED_HOST": "private.example",
    }
    wheel = builder.wheel(request_for(tmp_path, tree, "3.13", environ=environ))
    with zipfile.ZipFile(wheel) as zf:
        seen = json.loads(zf.read("intree_seen.json"))["environ"]
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PINSET_FIND_LINKS"):
        assert name not in seen
    assert seen["PIP_TIMEOUT"] == "30"
    assert seen["PIP_TRUSTED_HOST"] == "private.example"


def test_backend_naming_a_wheel_outside_its_directory_is_refused(
    tmp_path: Path, builder: Builder
) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    backend = tree / "_backend" / "intree_backend.py"
    backend.write_text(
        backend.read_text().replace(
            "    return _wheel(wheel_directory, config_settings, {})\n",
            "    _wheel(wheel_directory, config_settings, {})\n"
            "    return '../intree-0.1-py3-none-any.whl'\n",
        )
    )
    with pytest.raises(BuildError) as caught:
        builder.wheel(request_for(tmp_path, tree, "3.13"))
    assert caught.value.message.startswith(
        "building src: the backend reported '../intree-0.1-py3-none-any.whl', which is not a "
        ".whl it wrote in "
    )


def test_requirements_the_backend_adds_go_through_the_context(
    tmp_path: Path, builder: Builder, context: WheelhouseContext
) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    environ = {"PATH": "/usr/bin:/bin", "INTREE_REQUIRES": '["wheel>=0.40"]'}
    builder.wheel(request_for(tmp_path, tree, "3.8", environ=environ))
    assert context.calls == [(), ("wheel>=0.40",)]


def test_backend_adding_something_else_than_requirements_is_refused(
    tmp_path: Path, builder: Builder
) -> None:
    tree = source_trees.in_tree(tmp_path / "src")
    environ = {"PATH": "/usr/bin:/bin", "INTREE_REQUIRES": "[1, 2]"}
    with pytest.raises(BuildError) as caught:
        builder.wheel(request_for(tmp_path, tree, "3.13", environ=environ))
    assert caught.value.message == (
        "building src: the backend's get_requires_for_build_wheel returned [1, 2], "
        "not a list of requirement strings"
    )
