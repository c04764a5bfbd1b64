"""One logical line of a requirements file -> a :class:`Requirement`, as pip 26.3 reads it.

Grammar (after :mod:`pinset.requirements.lines` has joined, stripped and expanded the line)::

    line        = requirement [" " options] | options
    options     = option {" " option}           ; split like a POSIX shell, see options.py
    requirement = pep508                         ; name[extras] specifiers [; marker]
                                                 ; or name[extras] @ url [ ; marker]
                | url [ "; " marker]             ; http(s)/ftp/file/vcs+transport URL
                | path ["[" extras "]"] [";" marker]   ; a local directory or archive
    editable    = "-e" ( path ["[" extras "]"] | vcs-url | pep508-with-url )

The words before the first one starting with ``-`` are the requirement; the rest are
options. ``--hash`` and ``-C/--config-settings`` belong to the requirement; other options
on a requirement line are ignored (as pip does; pinset warns).

How the requirement text is read (pip's order, each step a rule of its own):

1. A URL is text whose scheme is http, https, ftp, file or ``vcs+transport``; its marker needs
   ``"; "`` (semicolon *and* space), since ``;`` may appear in URLs. Otherwise ``;`` starts
   the marker.
2. Text that is not a URL is a local path when it names an existing directory and looks
   like a path (contains ``/`` or starts with ``.``), or ends like an archive (``.whl``,
   ``.tar.gz``, ``.zip``...) and exists or has no ``@`` after a non-path prefix. A directory
   must hold ``pyproject.toml`` or ``setup.py``. Paths are relative to the working directory
   and become absolute ``file://`` URLs; ``path[extra]`` extras are lower-cased.
3. The name of a URL or path requirement comes from a wheel's file name (``name==version``)
   or the ``#egg=`` fragment (a bare project name, no extras or versions); else it is unnamed.
4. Anything else must be a PEP 508 requirement (parsed by ``packaging``).

Editables (``-e``): a ``name @ url`` requirement, else a local directory (relative to the
working directory, ``[extras]`` allowed) or a ``file:`` URL, else a VCS URL (``git:``,
``hg:``, ``svn:``, ``bzr:`` get their ``vcs+`` prefix) that must name its project with
``#egg=``.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from pinset._dataclass import dataclass, field
from pinset.errors import Severity
from pinset.requirements import legacy
from pinset.requirements.locations import (
    ARCHIVE_EXTENSIONS,
    VCS_SCHEMES,
    egg_fragment,
    is_archive,
    is_installable_dir,
    is_url,
    is_vcs_url,
    looks_like_path,
    split_ext,
    split_path_extras,
    url_filename,
    url_path,
    url_scheme,
)
from pinset.requirements.problems import Finding, LineProblem
from pinset.urls import path_to_url

if TYPE_CHECKING:  # imported when a line needs them (~15 ms): plain pins never do
    from packaging.markers import Marker
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Pep508

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_SPEC = r"(?:===|==|!=|<=|>=|~=|<|>)[ \t]*[A-Za-z0-9][A-Za-z0-9.*+!_-]*"
_FAST_RE = re.compile(
    rf"({_NAME})[ \t]*(?:\[[ \t]*({_NAME}(?:[ \t]*,[ \t]*{_NAME})*)[ \t]*\][ \t]*)?"
    rf"((?:{_SPEC}(?:[ \t]*,[ \t]*{_SPEC})*)?)"
)
"""``name[extras] specifiers`` (specifiers optional): read without packaging's full parser
(same result; that parser's tokenizer compiles some twenty patterns when imported, about a
tenth of a warm install's instructions)."""
_OPERATORS = ("~=", "==", "!=", "<=", ">=", "<", ">", "===")


@dataclass(frozen=True, slots=True)
class Place:
    """Where relative paths in a requirement are looked up."""

    cwd: str
    file_dir: str | None = None
    """Directory of the requirements file (local files only): pinset's fallback for paths."""


@dataclass(slots=True)
class Parts:
    """What a requirement line says, before it becomes a frozen Requirement."""

    name: str | None = None
    extras: tuple[str, ...] = ()
    specifier: SpecifierSet = field(default_factory=SpecifierSet)
    marker: Marker | None = None
    url: str | None = None
    legacy_form: str | None = None
    findings: list[Finding] = field(default_factory=list)


def quick_requirement(text: str) -> tuple[str, tuple[str, ...], SpecifierSet] | None:
    """``(name, extras, specifier)`` of a plain ``name[extras] specifiers`` text (no marker,
    no URL), read as packaging would but without its parser; None for anything else."""
    fast = _FAST_RE.fullmatch(text.strip())
    if fast is None:
        return None
    try:
        spec = SpecifierSet(fast.group(3))
    except InvalidSpecifier:
        return None
    extras = fast.group(2)
    names = tuple(sorted({e.strip() for e in extras.split(",")})) if extras else ()
    return fast.group(1), names, spec


_LEADING_NAME = re.compile(rf"[ \t]*({_NAME})")


def requirement_name(text: str) -> str | None:
    """The project name a PEP 508 requirement ``text`` starts with (not normalized), read
    without parsing the rest; None when it does not start with one (invalid)."""
    found = _LEADING_NAME.match(text)
    return found.group(1) if found is not None else None


def parse_line_requirement(text: str, place: Place) -> Parts:
    """Read a (non-editable) requirement as ``pip install -r`` does."""
    fast = _FAST_RE.fullmatch(text.rstrip())
    if fast is not None and not _read_as_path(text.rstrip().lower(), fast):
        try:
            spec = SpecifierSet(fast.group(3))
        except InvalidSpecifier:
            pass
        else:
            extras = fast.group(2)
            names = tuple(sorted({e.strip() for e in extras.split(",")})) if extras else ()
            return Parts(name=fast.group(1), extras=names, specifier=spec)
    return _slow_line(text, place)


def _read_as_path(lowered: str, fast: re.Match[str]) -> bool:
    """Whether pip's path reading has a say in a line the quick pattern matched, which the full
    reading follows: an archive's name; without specifiers, a ``base.txt``/``base.in`` (a
    project name, with a warning when such a file is here) or trailing ``[extras]`` (which
    pip's path reading lower-cases)."""
    if lowered.endswith(ARCHIVE_EXTENSIONS):
        return True
    return not fast.group(3) and (fast.group(2) is not None or lowered.endswith((".txt", ".in")))


def _slow_line(text: str, place: Place) -> Parts:
    parts = Parts()
    name = text
    url_like = is_url(name)
    separator = "; " if url_like else ";"
    if separator in name:
        name, _, marker_text = name.partition(separator)
        parts.marker = _marker(marker_text, len(name) + len(separator))
    name = name.strip()
    path_extras: str | None = None
    if url_like:
        url: str | None = name
    else:
        url, path_extras = _url_from_path(name, place, parts)
        converted = legacy.bare_vcs_url(name) if url is None else None
        if converted is not None:
            parts.findings.append(converted.finding)
            parts.legacy_form = converted.spelling
            url, path_extras = converted.text, None
    if url is not None:
        _read_link(url, place, parts)
        req_text = _name_from_link(parts)
    else:
        req_text = name
    if req_text is not None:
        _apply_pep508(parts, _pep508(req_text, place, parts))
    if path_extras and not any(f.code == legacy.EXTRAS_CODE for f in parts.findings):
        parts.extras = _path_extras(path_extras, len(name) - len(path_extras))
    if parts.url is None and not parts.specifier and name.endswith((".txt", ".in")):
        _file_named_as_package(name, place, parts)
    return _svn_date(parts)


def _file_named_as_package(name: str, place: Place, parts: Parts) -> None:
    """``base.txt`` is a valid project name; warn when it is also a file next to us."""
    bases = [place.cwd] if place.file_dir is None else [place.file_dir, place.cwd]
    if any(os.path.isfile(os.path.join(base, name)) for base in bases):
        parts.findings.append(
            Finding(
                Severity.WARNING,
                f"{name!r} is read as the name of a package to install, but it is also a file here",
                "file-as-package",
                hint=f"to include another requirements file, write `-r {name}`",
            )
        )


def _svn_date(parts: Parts) -> Parts:
    found = legacy.svn_date_revision(parts.url) if parts.url else None
    if found is not None:
        parts.findings.append(found.finding)
        parts.legacy_form = parts.legacy_form or found.spelling
    return parts


def _marker(text: str, offset: int) -> Marker | None:
    stripped = text.strip()
    if not stripped:
        return None
    from packaging.markers import InvalidMarker, Marker

    try:
        return Marker(stripped)
    except InvalidMarker as exc:
        raise LineProblem(f"invalid marker: {_first_line(exc)}", offset) from None


def _first_line(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0]


def _resolve(name: str, place: Place, parts: Parts, exists: str) -> str:
    """Path for ``name``: the working directory's, or the requirements file's as a fallback."""
    path = os.path.normpath(os.path.join(place.cwd, name))
    if place.file_dir is None or not looks_like_path(name):
        return path
    check = os.path.isdir if exists == "dir" else os.path.exists
    bare = split_path_extras(path)[0]
    if check(bare):
        return path
    alternative = os.path.normpath(os.path.join(place.file_dir, name))
    if alternative != path and check(split_path_extras(alternative)[0]):
        parts.findings.append(
            Finding(
                Severity.NOTE,
                f"{name} does not exist in the working directory {place.cwd}; "
                f"using {split_path_extras(alternative)[0]}, next to the requirements file",
                "path-relative-to-file",
                hint="pip reads such paths from the working directory only",
            )
        )
        return alternative
    return path


def _url_from_path(name: str, place: Place, parts: Parts) -> tuple[str | None, str | None]:
    """pip's reading of a non-URL: a local directory or archive, else ``None`` (PEP 508).

    Also returns the ``[extras]`` suffix, which pip takes (lower-cased) even for PEP 508 text.
    """
    path, extras = split_path_extras(_resolve(name, place, parts, "any"))
    if looks_like_path(name) and os.path.isdir(path):
        if is_installable_dir(path):
            return path_to_url(path), extras
        raise LineProblem(
            f"directory {name!r} is not installable: it has neither setup.py nor pyproject.toml",
            hint="point at the project's root directory",
        )
    if not is_archive(path):
        return None, extras
    if os.path.isfile(path):
        return path_to_url(path), extras
    before, at, _ = name.partition("@")
    if at and not looks_like_path(before):
        return None, extras
    parts.findings.append(
        Finding(
            Severity.WARNING,
            f"{name!r} looks like a file name, but the file does not exist",
            "missing-file",
        )
    )
    return path_to_url(path), extras


def _read_link(url: str, place: Place, parts: Parts) -> None:
    if url_scheme(url) == "file" and "../" in url:
        url = path_to_url(os.path.normpath(os.path.join(place.cwd, url_path(url))))
    parts.url = url


def _name_from_link(parts: Parts) -> str | None:
    url = parts.url or ""
    filename = url_filename(url)
    if split_ext(filename)[1] == ".whl":
        _egg(url)
        try:
            name, version, _, _ = parse_wheel_filename(filename)
        except InvalidWheelFilename as exc:
            raise LineProblem(f"{filename!r} is not a valid wheel file name: {exc}") from None
        return f"{name}=={version}"
    egg = _egg(url)
    if egg is not None:
        finding = legacy.egg_on_url(egg, url)
        parts.findings.append(finding.finding)
        parts.legacy_form = finding.spelling
    return egg


def _egg(url: str) -> str | None:
    try:
        return egg_fragment(url)
    except ValueError as exc:
        bad = str(exc)
        hint = "write the name and extras before the URL: 'name[extra] @ URL'"
        if any(op in bad for op in _OPERATORS):
            hint = "versions in #egg= are ignored; " + hint
        raise LineProblem(
            f"the #egg={bad} fragment is not a project name", max(0, url.find("egg=")), hint
        ) from None


def _pep508(text: str, place: Place, parts: Parts) -> Pep508:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        fixed = legacy.extras_after_version(text)
        if fixed is not None:
            try:
                req = Requirement(fixed.text)
            except InvalidRequirement:
                pass
            else:
                parts.findings.append(fixed.finding)
                parts.legacy_form = fixed.spelling
                return req
        raise _invalid(text, exc, place) from None


def _invalid(text: str, exc: InvalidRequirement, place: Place) -> LineProblem:
    detail = str(exc).split("\n")
    column = _caret_column(detail)
    message = f"invalid requirement {text!r}: {detail[0]}"
    hint: str | None = None
    if "=" in text and not any(op in text for op in _OPERATORS):
        hint = f"did you mean `{text.replace('=', '==', 1)}`?"
    elif looks_like_path(text) or text.endswith((".txt", ".in")):
        path = os.path.join(place.cwd, text)
        if os.path.isfile(path) or (
            place.file_dir is not None and os.path.isfile(os.path.join(place.file_dir, text))
        ):
            hint = f"to include another requirements file, write `-r {text}`"
        elif os.sep in text:
            message += f"; it looks like a path, but {text} does not exist"
    return LineProblem(message, column, hint)


def _caret_column(detail: list[str]) -> int:
    """Offset of the ``^`` packaging puts under the bad character (0 when absent)."""
    for line in detail[1:]:
        if "^" in line:
            return max(0, line.index("^") - 4)
    return 0


def _apply_pep508(parts: Parts, req: Pep508) -> None:
    parts.name = req.name
    parts.extras = tuple(sorted(req.extras))
    parts.specifier = req.specifier
    if parts.marker is None:
        parts.marker = req.marker
    if parts.url is None and req.url:
        _egg(req.url)
        parts.url = req.url


def _path_extras(extras: str, offset: int) -> tuple[str, ...]:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return tuple(sorted(Requirement("placeholder" + extras.lower()).extras))
    except InvalidRequirement as exc:
        raise LineProblem(f"invalid extras {extras!r}: {_first_line(exc)}", offset) from None


def parse_editable(text: str, place: Place) -> Parts:
    """Read an ``-e``/``--editable`` value as pip does."""
    parts = Parts()
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req: Pep508 | None = Requirement(text)
    except InvalidRequirement:
        req = None
    if req is not None and req.url:
        _apply_pep508(parts, req)
        parts.specifier = SpecifierSet()
        return _check_editable(text, parts)
    bare, extras = split_path_extras(text)
    path = _resolve(bare, place, parts, "dir")
    url = bare
    if bare and os.path.isdir(path):
        url = path_to_url(path)
    elif looks_like_path(bare) and not url_scheme(bare):
        raise LineProblem(
            f"{text} is not a valid editable requirement: there is no directory {path}",
            hint="editable paths are relative to the working directory; "
            "write a project directory or a VCS URL (-e git+https://host/repo.git#egg=name)",
            code="invalid-editable",
        )
    if url.lower().startswith("file:"):
        parts.url = url
        parts.name = _egg(url)
        if extras:
            parts.extras = _path_extras(extras, len(bare))
        return _check_editable(text, parts)
    for vcs in VCS_SCHEMES:
        if text.lower().startswith(f"{vcs}:"):
            text = f"{vcs}+{text}"
            break
    parts.url = text
    parts.name = _egg(text)
    return _check_editable(text, parts)


def _check_editable(text: str, parts: Parts) -> Parts:
    url = parts.url or ""
    if not is_vcs_url(url) and not url.startswith("file:"):
        raise LineProblem(
            f"{text} is not a valid editable requirement: it must be a path to a local "
            "project or a version-control URL",
            hint="write a directory (-e ./project) or a URL such as "
            "-e git+https://host/repo.git#egg=name",
            code="invalid-editable",
        )
    if not parts.name and not url.startswith("file:"):
        raise LineProblem(
            f"cannot tell the project name of {text!r}",
            hint="write it as `name @ URL`, or add #egg=name to the URL",
            code="unnamed-editable",
        )
    return _svn_date(parts)
