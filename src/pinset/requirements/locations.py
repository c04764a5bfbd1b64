"""URLs and local paths as a requirement line names them: schemes, fragments, file URLs."""

from __future__ import annotations

import os
import posixpath
import re
import urllib.parse

VCS_SCHEMES: dict[str, tuple[str, ...]] = {
    "bzr": ("bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp", "bzr+file"),
    "git": ("git+http", "git+https", "git+ssh", "git+git", "git+file"),
    "hg": ("hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http"),
    "svn": ("svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file"),
}
"""Every ``vcs+transport`` scheme pip knows, by version-control system."""

ALL_VCS_SCHEMES = frozenset(s for schemes in VCS_SCHEMES.values() for s in schemes)
URL_SCHEMES = frozenset({"http", "https", "file", "ftp"}) | ALL_VCS_SCHEMES
ARCHIVE_EXTENSIONS = (
    ".zip",
    ".whl",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
    ".tar.gz",
    ".tgz",
    ".tar",
)
_EGG_RE = re.compile(r"[#&]egg=([^&]*)")
_SUBDIRECTORY_RE = re.compile(r"[#&]subdirectory=([^&]*)")
_PROJECT_NAME_RE = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


def url_scheme(text: str) -> str:
    """The scheme ``urllib`` finds in ``text`` ("" when none or unparsable)."""
    try:
        return urllib.parse.urlsplit(text).scheme
    except ValueError:
        return ""


def is_url(text: str) -> bool:
    """Whether pip reads ``text`` as a URL (http, https, file, ftp or a VCS scheme)."""
    if ":" not in text:
        return False
    scheme = url_scheme(text)
    return bool(scheme) and scheme in URL_SCHEMES


def is_vcs_url(url: str) -> bool:
    return url_scheme(url) in ALL_VCS_SCHEMES


def looks_like_path(name: str) -> bool:
    return os.sep in name or (os.altsep is not None and os.altsep in name) or name[:1] == "."


def split_ext(path: str) -> tuple[str, str]:
    """Like ``posixpath.splitext`` but keeps ``.tar`` with the compression suffix."""
    base, ext = posixpath.splitext(path)
    if base.lower().endswith(".tar"):
        ext = base[-4:] + ext
        base = base[:-4]
    return base, ext


def is_archive(path: str) -> bool:
    return split_ext(path)[1].lower() in ARCHIVE_EXTENSIONS


def is_installable_dir(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyproject.toml")) or os.path.isfile(
        os.path.join(path, "setup.py")
    )


def url_path(url: str) -> str:
    """The percent-decoded path of ``url``."""
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path)


def url_filename(url: str) -> str:
    """The last path segment of ``url`` (decoded), or its host when the path has none."""
    name = os.path.basename(posixpath.basename(url_path(url).rstrip("/")))
    if name not in ("", ".", ".."):
        return name
    netloc = urllib.parse.urlsplit(url).netloc.rpartition("@")[2]
    host = os.path.basename(netloc)
    return "" if host in (".", "..") else host


def egg_fragment(url: str) -> str | None:
    """The ``egg=`` value in ``url``; raises ``ValueError`` when it is not a project name."""
    found = _EGG_RE.search(url)
    if found is None:
        return None
    name = found.group(1)
    if not _PROJECT_NAME_RE.match(name):
        raise ValueError(name)
    return name


def subdirectory_fragment(url: str) -> str | None:
    """The ``subdirectory=`` value in ``url`` (where the project sits in an archive, tree or
    repository), as written; ``None`` when absent or empty. Whether it stays inside the tree is
    for whoever opens the tree to check."""
    fragment = url.partition("#")[2]
    found = _SUBDIRECTORY_RE.search("#" + fragment) if fragment else None
    return (found.group(1) or None) if found else None


def split_path_extras(path: str) -> tuple[str, str | None]:
    """``path[extra1,extra2]`` -> ``(path, "[extra1,extra2]")``.

    pip's ``^(.+)(\\[[^\\]]+\\])$``, in linear time: the last ``[`` (not first in the text)
    followed by at least one character other than ``]`` and then the final ``]``.
    """
    if not path.endswith("]"):
        return path, None
    inner_close = path.rfind("]", 0, len(path) - 1)
    start = path.rfind("[", max(inner_close + 1, 1), len(path) - 2)
    if start == -1:
        return path, None
    return path[:start].rstrip(), path[start:]
