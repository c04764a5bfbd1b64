"""Launchers name the target interpreter; dangerous script names are refused."""

from __future__ import annotations

import sys
import types

import pytest

from pinset.errors import InstallError
from pinset.install.scripts import (
    EntryPoint,
    launcher,
    parse_entry_points,
    rewrite_shebang,
    shebang,
)

EP = """
[console_scripts]
Tool = pkg.cli:main
other=pkg:run [extra]

[gui_scripts]
window = pkg.gui:start

[other.group]
ignored = x:y
"""


def test_console_and_gui_entry_points() -> None:
    found = parse_entry_points(EP, source="pkg 1")
    assert found == (
        EntryPoint("Tool", "pkg.cli", "main", False),
        EntryPoint("other", "pkg", "run", False),
        EntryPoint("window", "pkg.gui", "start", True),
    )


@pytest.mark.parametrize(
    "name",
    [
        "python",
        "python3",
        "python3.12",
        "pythonw",
        "Python3.13t",
        "activate",
        "activate.fish",
        "../evil",
        "sub/dir",
        ".hidden",
        "python.exe",
    ],
)
def test_dangerous_names_are_refused(name: str) -> None:
    with pytest.raises(InstallError, match="refuses"):
        parse_entry_points(f"[console_scripts]\n{name} = pkg:main\n", source="pkg 1")


def test_reference_without_attribute_is_refused() -> None:
    with pytest.raises(InstallError, match="module:attribute"):
        parse_entry_points("[console_scripts]\nx = pkg\n", source="pkg 1")


def test_launcher_uses_the_target_interpreter() -> None:
    data = launcher(EntryPoint("t", "pkg.cli", "main", False), "/env/bin/python")
    assert data.startswith(b"#!/env/bin/python\n")
    assert b"from pkg.cli import main" in data


def test_posix_launcher_runs_a_dotted_attribute_and_exits_with_its_value(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = types.ModuleType("pkg_cli")

    class Tool:
        @staticmethod
        def main() -> int:
            print(sys.argv[0], sys.argv[1:])
            return 3

    module.Tool = Tool  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pkg_cli", module)
    monkeypatch.setattr(sys, "argv", ["/env/bin/tool-script.pyw", "a", "b"])
    data = launcher(EntryPoint("tool", "pkg_cli", "Tool.main", False), "/env/bin/python")
    assert data.startswith(b"#!/env/bin/python\n")
    with pytest.raises(SystemExit) as exited:
        exec(compile(data, "/env/bin/tool", "exec"), {"__name__": "__main__"})
    assert exited.value.code == 3
    assert capsys.readouterr().out == "/env/bin/tool ['a', 'b']\n"  # Windows's suffix cut


def test_a_windows_launcher_is_installer_s_executable() -> None:
    data = launcher(
        EntryPoint("t", "pkg.cli", "main", False), "C:\\env\\python.exe", windows_kind="win-amd64"
    )
    assert data.startswith(b"MZ")  # a Windows executable, the program appended as a zip
    assert b"from pkg.cli import main" in data


def test_shebang_for_spaces_and_long_paths_goes_through_sh() -> None:
    assert shebang("/a b/python").startswith(b"#!/bin/sh\n")
    assert shebang("/" + "x" * 200 + "/python").startswith(b"#!/bin/sh\n")
    assert shebang("/env/bin/python") == b"#!/env/bin/python\n"


def test_rewrite_shebang() -> None:
    assert rewrite_shebang(b"#!python\nprint(1)\n", "/e/python") == b"#!/e/python\nprint(1)\n"
    assert rewrite_shebang(b"#!python -u\nx\n", "/e/python") == b"#!/e/python -u\nx\n"
    assert rewrite_shebang(b"#!pythonw\nx\n", "/e/python") == b"#!/e/python\nx\n"
    assert rewrite_shebang(b"#!/bin/sh\necho\n", "/e/python") is None
