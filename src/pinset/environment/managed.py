"""PEP 668: an interpreter whose installation is managed by another tool (a Linux distribution)
carries ``EXTERNALLY-MANAGED`` in its stdlib directory; installing into it is refused unless the
user insists (``--break-system-packages``). Virtual environments are never externally managed.
"""

from __future__ import annotations

import locale
from pathlib import Path

from pinset.errors import TargetEnvironmentError
from pinset.interpreter import Interpreter

DEFAULT_MESSAGE = "this Python installation is managed by another tool (PEP 668)"
HINT = (
    "create a virtual environment (pinset venv) and install there, or pass "
    "--break-system-packages to install anyway"
)


def externally_managed_error(interp: Interpreter) -> TargetEnvironmentError | None:
    """The error to raise before changing ``interp``, or None when it is not managed."""
    if not interp.externally_managed:
        return None
    stdlib = interp.paths.get("stdlib")
    message = read_message(Path(stdlib) / "EXTERNALLY-MANAGED") if stdlib else None
    return TargetEnvironmentError(
        f"{interp.executable} is externally managed",
        hint=HINT,
        note=message or DEFAULT_MESSAGE,
    )


def read_message(marker: Path) -> str | None:
    """The ``Error`` text of the marker file, in the user's language when it offers one."""
    import configparser  # only for a Python that is externally managed

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(marker, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return None
    if not parser.has_section("externally-managed"):
        return None
    section = parser["externally-managed"]
    lang = (locale.getlocale(locale.LC_MESSAGES)[0] or "") if hasattr(locale, "LC_MESSAGES") else ""
    for key in (f"Error-{lang}", f"Error-{lang.split('_')[0]}", "Error"):
        if lang or key == "Error":
            value = section.get(key)
            if value:
                return value.strip()
    return None
