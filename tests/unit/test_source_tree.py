"""A local tree's fingerprint and "changed since": what a build writes is ignored, edits count."""

from __future__ import annotations

import os
from pathlib import Path

from pinset.source_tree import changed_since, tree_fingerprint


def _tree(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (root / "pkg" / "__init__.py").write_text("X = 1\n")
    return root


def test_what_builds_and_tools_write_does_not_change_the_fingerprint(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "proj")
    before = tree_fingerprint(tree)
    for name in ("build", "dist", ".git", "__pycache__", "proj.egg-info"):
        (tree / name).mkdir()
        (tree / name / "file").write_text("written by a build")
    assert tree_fingerprint(tree) == before


def test_an_edit_an_added_and_a_removed_file_change_the_fingerprint(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "proj")
    seen = {tree_fingerprint(tree)}
    (tree / "pkg" / "__init__.py").write_text("X = 22\n")
    seen.add(tree_fingerprint(tree))
    (tree / "pkg" / "extra.py").write_text("")
    seen.add(tree_fingerprint(tree))
    (tree / "pkg" / "extra.py").unlink()
    os.utime(tree / "pkg" / "__init__.py", ns=(1, 1))
    seen.add(tree_fingerprint(tree))
    assert len(seen) == 4


def test_changed_since_looks_at_every_file_but_the_ignored_ones(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "proj")
    old = 10**18  # far in the past of a later moment
    for path in (tree, tree / "pkg", tree / "setup.py", tree / "pkg" / "__init__.py"):
        os.utime(path, ns=(old, old))
    moment = old + 10**9
    assert not changed_since(tree, moment)
    (tree / "build").mkdir()
    os.utime(tree, ns=(old, old))
    assert not changed_since(tree, moment)
    later = moment + 10**9
    os.utime(tree / "pkg" / "__init__.py", ns=(later, later))
    assert changed_since(tree, moment)
    assert changed_since(tmp_path / "missing", moment)


def test_the_inputs_fingerprint_follows_the_metadata_files_only(tmp_path: Path) -> None:
    from pinset.source_tree import inputs_fingerprint

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "p.py").write_text("X = 1\n")
    first = inputs_fingerprint(tmp_path)
    (tmp_path / "p.py").write_text("X = 2\n")
    assert inputs_fingerprint(tmp_path) == first
    (tmp_path / "setup.cfg").write_text("")
    assert inputs_fingerprint(tmp_path) != first
    (tmp_path / "setup.cfg").unlink()
    assert inputs_fingerprint(tmp_path) == first
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'q'\n")
    assert inputs_fingerprint(tmp_path) != first


def test_an_editable_is_unchanged_while_its_recorded_inputs_hold(tmp_path: Path) -> None:
    from pinset.direct_url import DirectUrl, DirInfo
    from pinset.source_tree import (
        INPUTS_FILE,
        editable_unchanged,
        inputs_fingerprint,
        inputs_record,
    )

    tree, info = tmp_path / "tree", tmp_path / "p-1.dist-info"
    tree.mkdir()
    info.mkdir()
    (tree / "setup.py").write_text("from setuptools import setup; setup()\n")
    recorded = DirectUrl(tree.as_uri(), DirInfo(editable=True))
    assert not editable_unchanged(info, recorded)  # nothing recorded: installed by another tool
    (info / INPUTS_FILE).write_bytes(inputs_record(inputs_fingerprint(tree)))
    assert editable_unchanged(info, recorded)
    (tree / "setup.py").write_text("from setuptools import setup; setup(name='x')\n")
    assert not editable_unchanged(info, recorded)
