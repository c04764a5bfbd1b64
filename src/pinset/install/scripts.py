"""Console and GUI scripts: entry points read from a wheel, launchers written for the target.

A launcher's shebang names the *target* interpreter (never pinset's own). Script names are
checked: a single file name, not hidden, and never one that would replace the environment's
interpreter or its activation scripts (``python``, ``python3.12``, ``activate``...). Scripts
shipped in ``.data/scripts`` whose first line is ``#!python`` get the same shebang.

In a relocatable environment (``relocatable``: see :mod:`pinset.environment.venv`) a script
names no absolute path: its first lines are a ``/bin/sh`` prologue that runs the ``python``
beside the script, so the environment moved elsewhere keeps its scripts working.
"""

from __future__ import annotations

import re
from typing import Literal

from pinset._dataclass import dataclass
from pinset.errors import InstallError

_REFERENCE = r"^\s*(?P<module>[\w.]+)\s*:\s*(?P<attr>[\w.]+)\s*(?:\[[^\]]*\])?\s*$"
_PROTECTED = (
    r"^(python[0-9.]*[tw]?|pythonw|activate(_this\.py|\.(csh|fish|nu|bat|ps1|xsh))?|"
    r"deactivate\.bat|pyvenv\.cfg)$"
)
"""The patterns of an entry point and of the names a script may not take: compiled (by
``re``'s own cache) only when a wheel has entry points, as ``configparser`` is imported."""
MAX_SHEBANG = 127
RELATIVE_PROLOGUE = (
    b"#!/bin/sh\n"
    b'\'\'\'exec\' "$(dirname -- "$(realpath -- "$0" 2>/dev/null || echo "$0")")/python" '
    b'"$0" "$@"\n'
    b"' '''\n"
)
"""The first lines of a script in a relocatable environment: ``sh`` runs the ``python`` in the
script's own directory (the script's link resolved); Python reads a string and goes on."""


@dataclass(frozen=True, slots=True)
class EntryPoint:
    name: str
    module: str
    attr: str
    gui: bool


def parse_entry_points(text: str, *, source: str) -> tuple[EntryPoint, ...]:
    """The ``console_scripts`` and ``gui_scripts`` of an ``entry_points.txt``."""
    import configparser  # only for a wheel with entry points

    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text, source=source)
    except configparser.Error as exc:
        raise InstallError(f"invalid entry_points.txt in {source}: {exc}") from exc
    found: list[EntryPoint] = []
    for section, gui in (("console_scripts", False), ("gui_scripts", True)):
        if not parser.has_section(section):
            continue
        for name, value in parser.items(section):
            match = re.match(_REFERENCE, value)
            if match is None:
                raise InstallError(
                    f"{source}: entry point {name} = {value!r} is not 'module:attribute'"
                )
            check_script_name(name.strip(), source=source)
            found.append(EntryPoint(name.strip(), match["module"], match["attr"], gui))
    return tuple(found)


def check_script_name(name: str, *, source: str) -> None:
    """Refuse a script name that is a path, hidden, or would replace the interpreter."""
    bare = name[:-4] if name.lower().endswith(".exe") else name
    if (
        not name
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or name.startswith(".")
        or re.match(_PROTECTED, bare, re.IGNORECASE)
    ):
        raise InstallError(
            f"{source} wants to install a script named {name!r}, which pinset refuses",
            hint="a script may not be a path, hidden, or replace the environment's python",
        )


def launcher(
    entry: EntryPoint,
    executable: str,
    *,
    windows_kind: str | None = None,
    relocatable: bool = False,
) -> bytes:
    """The launcher file for ``entry`` running under ``executable`` (with ``relocatable``, the
    ``python`` beside the launcher, wherever the environment is). A POSIX launcher is a short
    Python program written here; a Windows one (an ``.exe`` with the program appended) comes
    from ``installer``, imported only then (with its dependencies, ``email`` among them, about
    a tenth of a warm install's instructions)."""
    if windows_kind is not None:
        from installer.scripts import Script

        section: Literal["console", "gui"] = "gui" if entry.gui else "console"
        script = Script(entry.name, entry.module, entry.attr, section)
        _name, data = script.generate(executable, windows_kind)  # type: ignore[arg-type]
        return data
    first = RELATIVE_PROLOGUE if relocatable else shebang(executable)
    return first + program(entry)


def program(entry: EntryPoint) -> bytes:
    """The Python part of a POSIX launcher: import the entry point's object, call it, exit with
    what it returns. ``attr`` may be dotted (``cli.main``): its first name is imported from the
    module, the rest reached as attributes. A name in ``sys.argv[0]`` that a Windows launcher
    would have left (``-script.pyw``, ``.exe``) is cut, as other installers' launchers do.
    ``module`` and ``attr`` passed :data:`_REFERENCE` (words and dots only)."""
    head = entry.attr.split(".", 1)[0]
    text = (
        "# -*- coding: utf-8 -*-\n"
        "import sys\n"
        f"from {entry.module} import {head}\n"
        'if __name__ == "__main__":\n'
        '    for _tail in ("-script.pyw", ".exe"):\n'
        "        if sys.argv[0].endswith(_tail):\n"
        "            sys.argv[0] = sys.argv[0][: -len(_tail)]\n"
        "            break\n"
        f"    sys.exit({entry.attr}())\n"
    )
    return text.encode("utf-8")


def shebang(executable: str) -> bytes:
    """A shebang line running ``executable``; long or spaced paths go through ``/bin/sh``."""
    if " " not in executable and len(executable) + 2 <= MAX_SHEBANG:
        return f"#!{executable}\n".encode()
    quoted = "'" + executable.replace("'", "'\"'\"'") + "'"
    return f"#!/bin/sh\n'''exec' {quoted} \"$0\" \"$@\"\n' '''\n".encode()


def rewrite_shebang(content: bytes, executable: str, *, relocatable: bool = False) -> bytes | None:
    """``content`` with a ``#!python`` first line pointed at ``executable`` (``relocatable``:
    at the ``python`` beside the script); None otherwise."""
    if not content.startswith(b"#!python"):
        return None
    first, _sep, rest = content.partition(b"\n")
    if relocatable:
        return RELATIVE_PROLOGUE + rest
    tail = first[len(b"#!python") :].rstrip(b"\r")
    if tail.startswith(b"w"):
        tail = tail[1:]
    if tail.strip() and " " not in executable and len(executable) + len(tail) + 2 <= MAX_SHEBANG:
        return f"#!{executable}".encode() + tail + b"\n" + rest
    return shebang(executable) + rest
