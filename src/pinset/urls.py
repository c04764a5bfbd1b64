"""``file:`` URLs and local paths: the one conversion each way.

- :func:`path_to_url`: an absolute, normalised path (symbolic links kept) as a ``file://`` URL,
  every byte outside ``A-Z a-z 0-9 _ . - ~ /`` percent-encoded (a name that is not UTF-8 keeps
  its bytes); a POSIX path starting with ``//`` keeps both slashes (``file:////x``), so that
  ``x`` is never read as a host.
- :func:`url_to_path`: the path of a ``file:`` URL, percent-decoded; query and fragment are
  ignored. The host must be empty or ``localhost``: ``file://host/share`` is a UNC path on
  Windows and refused elsewhere (as pip does), never quietly read as ``/share``. An encoded NUL
  is refused. On POSIX ``file:///C:/x`` is the path ``/C:/x``, as pip reads it; drive letters
  mean drives only on Windows.

Both refuse with a :class:`~pinset.errors.NetworkError` whose message never repeats the URL's
credentials. ``urllib.request`` is not imported: it costs ~20 ms (it imports ``http.client``).
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path, PureWindowsPath

from pinset.errors import NetworkError

_LOCAL_HOSTS = ("", "localhost")


def is_file_url(url: str) -> bool:
    return url[:5].lower() == "file:"


def path_to_url(path: str | os.PathLike[str]) -> str:
    """The ``file://`` URL of ``path`` (made absolute against the working directory)."""
    text = os.path.normpath(os.path.abspath(os.fspath(path)))
    if os.name == "nt":  # pragma: no cover - Windows drive letters and UNC paths
        return PureWindowsPath(text).as_uri()
    return "file://" + urllib.parse.quote_from_bytes(os.fsencode(text), safe="/")


def url_to_path(url: str) -> Path:
    """The local path a ``file:`` URL names; NetworkError for a remote host or a NUL byte."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    if host.lower() not in _LOCAL_HOSTS and os.name != "nt":
        raise NetworkError(
            f"unsupported file URL: it names the remote host {parts.hostname or host!r}",
            hint="file URLs must name a local path: file:///path/to/file",
        )
    raw = urllib.parse.unquote_to_bytes(parts.path)
    if b"\0" in raw:
        raise NetworkError(
            "unsupported file URL: its path contains a NUL byte", hint="check the URL"
        )
    if os.name == "nt":  # pragma: no cover - Windows drive letters and UNC paths
        import nturl2path

        unc = "//" + host if host.lower() not in _LOCAL_HOSTS else ""
        return Path(nturl2path.url2pathname(unc + parts.path))
    return Path(os.fsdecode(raw))
