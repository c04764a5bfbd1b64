"""The one table of deliberate differences between pinset's and pip's reading of a file.

pinset reads every file pip accepts the way pip reads it. A few forms that pip 26 refuses are
still written in real files, and in the documents pinset was started from; pinset reads them
as their authors meant and warns with the spelling pip accepts today (``legacy_form``).
Nothing else may differ: the differential tests fail on any difference not matched here.

Each row says what pip does, what pinset does, and how to recognise the form on a line pip
refused (``applies``: the logical line without comment, the directory of the file it is in,
and the working directory).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_SPEC = r"(?:===|==|!=|~=|<=|>=|<|>)\s*[^,;\s\[]+"
_EXTRAS_AFTER_VERSION = re.compile(
    rf"^{_NAME}\s*{_SPEC}(?:\s*,\s*{_SPEC})*\s*\[[^\]]*\]\s*(?:;.*)?$"
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _requirement_part(line: str) -> tuple[bool, str]:
    """(editable, requirement text) of a logical line; options after `` -``/`` --`` dropped."""
    editable = False
    text = line.strip()
    match = re.match(r"^(?:-e|--editable)(?:\s+|=)(.*)$", text)
    if match:
        editable, text = True, match.group(1)
    text = re.split(r"\s+--?[A-Za-z]", text, maxsplit=1)[0].strip()
    return editable, text


def _extras_after_version(line: str, _file_dir: Path, _cwd: Path) -> bool:
    editable, text = _requirement_part(line)
    return not editable and _EXTRAS_AFTER_VERSION.match(text) is not None


def _egg_on_url(line: str, _file_dir: Path, _cwd: Path) -> bool:
    editable, text = _requirement_part(line)
    return not editable and "#egg=" in text and _URL.match(text) is not None


def _bare_vcs_url(line: str, _file_dir: Path, _cwd: Path) -> bool:
    editable, text = _requirement_part(line)
    return not editable and re.match(r"^(git|hg|svn|bzr):", text, re.I) is not None


def _svn_date_revision(line: str, _file_dir: Path, _cwd: Path) -> bool:
    _, text = _requirement_part(line)
    return text.lower().startswith("svn+") and re.search(r"@\{[^}]*\}", text) is not None


def _local_path(text: str) -> str:
    text = re.split(r"\s*;", text, maxsplit=1)[0].strip()
    text = text.split("#", 1)[0]
    return re.sub(r"\[[^\]]*\]$", "", text)


def _path_relative_to_file(line: str, file_dir: Path, cwd: Path) -> bool:
    _, text = _requirement_part(line)
    if _URL.match(text) or not text:
        return False
    path = _local_path(text)
    if not path or not ("/" in path or path.startswith(".")):
        return False
    return not (cwd / path).exists() and (file_dir / path).exists()


@dataclass(frozen=True)
class Deliberate:
    key: str
    example: str
    """A requirement line in this form (files it names are created by the test)."""
    pip: str
    pinset: str
    applies: Callable[[str, Path, Path], bool]
    expected: dict[str, object]
    """What pinset reads from ``example`` (``{ROOT}`` in a URL: the project root)."""
    pip_refuses: bool = True
    """False where pip 26 accepts the line at parse time and the difference is elsewhere."""


DELIBERATE: tuple[Deliberate, ...] = (
    Deliberate(
        key="extras-after-version",
        example="MyPackage==3.0 [PDF]",
        pip="refuses: Invalid requirement (extras must come before the version today)",
        pinset="reads MyPackage[PDF]==3.0 and warns with that spelling",
        applies=_extras_after_version,
        expected={
            "name_normalized": "mypackage",
            "specifier": "==3.0",
            "extras": ["PDF"],
            "legacy_form": "MyPackage[PDF]==3.0",
        },
    ),
    Deliberate(
        key="egg-on-url",
        example="https://example.com/MyProject-1.0.tar.gz#egg=MyProject",
        pip="accepts a non-editable URL named by #egg= silently",
        pinset="reads the same requirement and warns that `MyProject @ URL` is today's spelling",
        applies=_egg_on_url,
        expected={
            "name_normalized": "myproject",
            "url": "https://example.com/MyProject-1.0.tar.gz#egg=MyProject",
            "legacy_form": "MyProject @ https://example.com/MyProject-1.0.tar.gz",
        },
        pip_refuses=False,
    ),
    Deliberate(
        key="bare-vcs-url",
        example="git://git.example.com/MyProject.git@v1.0#egg=MyProject",
        pip="refuses a non-editable git:// (hg:, svn:, bzr:) URL; after -e reads it as git+git://",
        pinset="reads it as git+git://… like pip's -e form, and warns",
        applies=_bare_vcs_url,
        expected={
            "name_normalized": "myproject",
            "url": "git+git://git.example.com/MyProject.git@v1.0#egg=MyProject",
            "editable": False,
        },
    ),
    Deliberate(
        key="svn-date-revision",
        example="-e svn+http://svn.example.com/svn/MyProject/trunk@{20080101}#egg=MyProject",
        pip="accepts the line; the {date} revision is passed to svn at checkout",
        pinset="reads the same URL and revision (may warn that svn date revisions are old)",
        applies=_svn_date_revision,
        expected={
            "name_normalized": "myproject",
            "url": "svn+http://svn.example.com/svn/MyProject/trunk@{20080101}#egg=MyProject",
            "editable": True,
        },
        pip_refuses=False,
    ),
    Deliberate(
        key="path-relative-to-file",
        example="./pkg",
        pip="refuses: paths are relative to the working directory, where ./pkg is missing",
        pinset="reads ./pkg relative to the requirements file, where it exists, with a note",
        applies=_path_relative_to_file,
        expected={"name": None, "url": "file://{ROOT}/sub/pkg", "editable": False},
    ),
)


def deliberate_for(line: str, file_dir: Path, cwd: Path) -> Deliberate | None:
    """The row that covers a line pip refused, if any."""
    for row in DELIBERATE:
        if row.pip_refuses and row.applies(line, file_dir, cwd):
            return row
    return None
