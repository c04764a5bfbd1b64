"""The ``-e`` line of an editable checkout, as ``pip freeze`` writes it for each tool."""

from __future__ import annotations

from pathlib import Path

from pinset.distribution.src_dir import editable_src_dir
from pinset.freeze.entries import src_requirement


def test_each_tool_its_prefix_unless_the_scheme_is_the_tools_own() -> None:
    assert src_requirement("git", "https://e.com/r.git", "a" * 40, "my-pkg") == (
        f"git+https://e.com/r.git@{'a' * 40}#egg=my_pkg"
    )
    assert src_requirement("git", "git://e.com/r.git", "b" * 40, "p") == (
        f"git://e.com/r.git@{'b' * 40}#egg=p"
    )
    assert src_requirement("svn", "svn://e.com/repo/trunk", "7", "p") == (
        "svn://e.com/repo/trunk@7#egg=p"
    )
    assert (
        src_requirement("svn", "https://e.com/svn/p", "7", "p") == "svn+https://e.com/svn/p@7#egg=p"
    )
    assert src_requirement("bzr", "https://e.com/trunk", "12", "P.x") == (
        "bzr+https://e.com/trunk@12#egg=P.x"
    )


def test_src_defaults_as_pip(tmp_path: Path) -> None:
    venv, cwd = tmp_path / "venv", tmp_path / "work"
    assert editable_src_dir(None, venv, cwd) == venv / "src"
    assert editable_src_dir(None, None, cwd) == cwd / "src"
    assert editable_src_dir("checkouts", venv, cwd) == cwd / "checkouts"
    assert editable_src_dir(str(tmp_path / "abs" / ".." / "x"), venv, cwd) == tmp_path / "x"
