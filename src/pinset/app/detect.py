"""What an application directory holds: a ``requirements.txt`` at its root, else a project
(``setup.py`` or ``pyproject.toml``) that a platform installs as if its requirements said
``-e .``; anything else is not an application pinset can build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pinset.errors import AppError, BuildError

REQUIREMENTS = "requirements.txt"
PROJECT_FILES = ("setup.py", "pyproject.toml")


@dataclass(frozen=True)
class App:
    root: Path
    requirements: Path | None
    """``requirements.txt`` when there is one."""
    project: Path | None
    """``setup.py`` or ``pyproject.toml`` when there is no ``requirements.txt``."""


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


def refuse_project(app: App) -> None:
    """A project without ``requirements.txt`` is installed as ``-e .``: editable installs
    are not supported yet (the seam where they plug in)."""
    if app.requirements is None and app.project is not None:
        raise BuildError(
            f"{app.root} has {app.project.name} but no {REQUIREMENTS}: it would be installed "
            "as `-e .`, and pinset does not support editable installs yet",
            where=str(app.project),
            hint=f"add a {REQUIREMENTS} listing the application's dependencies",
        )
