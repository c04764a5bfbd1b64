"""What an application directory holds: a ``requirements.txt`` at its root, else a project
(``setup.py`` or ``pyproject.toml``) that a platform installs as if its requirements said
``-e .``; anything else is not an application pinset can build."""

from __future__ import annotations

from pathlib import Path

from pinset._dataclass import dataclass
from pinset.errors import AppError

REQUIREMENTS = "requirements.txt"
PROJECT_FILES = ("setup.py", "pyproject.toml")


@dataclass(frozen=True)
class App:
    root: Path
    requirements: Path | None
    """``requirements.txt`` when there is one."""
    project: Path | None
    """``setup.py`` or ``pyproject.toml`` when there is no ``requirements.txt``: the
    application is then installed as ``-e .`` (the platform's ``setup.py develop``)."""


def detect(root: Path) -> App:
    """The application at ``root``; raises AppError when it is not one."""
    if not root.is_dir():
        raise AppError(f"{root} is not a directory", hint="give the application's directory")
    requirements = root / REQUIREMENTS
    if requirements.is_file():
        return App(root, requirements, None)
    for name in PROJECT_FILES:
        if (root / name).is_file():
            return App(root, None, root / name)
    raise AppError(
        f"no Python application in {root}: looked for {REQUIREMENTS}, "
        + " and ".join(PROJECT_FILES),
        hint=f"add a {REQUIREMENTS} at the application's root",
    )
