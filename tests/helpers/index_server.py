"""A real package index on 127.0.0.1 for tests: PEP 503 HTML and PEP 691 JSON, with faults.

Layout served (``base`` is :attr:`IndexServer.url`)::

    base/simple/                     project list
    base/simple/<normalized-name>/   project page; HTML or JSON by the ``Accept`` header
    base/files/<filename>            the distribution file (HTTP Range supported)
    base/files/<filename>.metadata   PEP 658/714 core metadata, extracted from the wheel

Project pages link to files with *relative* URLs (``../../files/...``) carrying a
``#sha256=`` fragment, ``data-requires-python``, ``data-yanked`` and, for wheels,
``data-core-metadata`` plus the older ``data-dist-info-metadata``. The JSON form carries the
same facts (``api-version`` 1.1: ``versions``, ``size``).

Every request is logged in :attr:`IndexServer.requests` as ``(method, path, headers)`` with
lower-case header names. Faults are injected with :meth:`IndexServer.fault`.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import threading
import urllib.parse
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)

from tests.helpers.index_handler import HTML_TYPE, JSON_TYPE, Fault, FaultKind, make_handler

__all__ = ["HTML_TYPE", "JSON_TYPE", "FaultKind", "IndexServer", "project_of", "wheel_metadata"]

RequestRecord = tuple[str, str, dict[str, str]]


@dataclass
class _FileInfo:
    yanked: str | None = None
    requires_python: str | None = None
    sha256: str | None = None  # published hash override (to test mismatches)


@dataclass
class _State:
    files: dict[str, _FileInfo] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def project_of(filename: str) -> str | None:
    """The normalized project name of a distribution file, or None when not one."""
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def wheel_metadata(path: Path) -> bytes | None:
    """The ``*.dist-info/METADATA`` bytes of a wheel, or None."""
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                parts = name.split("/")
                if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                    return zf.read(name)
    except (zipfile.BadZipFile, OSError):
        return None
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _accepts(accept: str) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    for item in accept.split(","):
        media, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            out.append((q, media.strip().lower()))
    return sorted(out, key=lambda pair: -pair[0])


class IndexServer:
    """A threaded simple-index server over the distribution files in ``root``.

    ``auth=(user, password)`` requires HTTP basic auth for every request. ``json``/``html``
    choose which page formats are offered; ``metadata`` offers PEP 658 files for wheels;
    ``ranges=False`` makes the server ignore ``Range`` headers (always a full 200).
    """

    def __init__(
        self,
        root: Path,
        *,
        auth: tuple[str, str] | None = None,
        json: bool = True,
        html: bool = True,
        metadata: bool = True,
        ranges: bool = True,
        host: str = "127.0.0.1",
    ) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.auth = auth
        self.offer_json = json
        self.offer_html = html
        self.offer_metadata = metadata
        self.ranges = ranges
        self._state = _State()
        self._server = ThreadingHTTPServer((host, 0), make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def simple_url(self) -> str:
        return self.url + "/simple"

    def authed_url(self, url: str | None = None) -> str:
        """``url`` (default :attr:`simple_url`) with the configured credentials in it."""
        url = url or self.simple_url
        if self.auth is None:
            return url
        user, password = (urllib.parse.quote(part, safe="") for part in self.auth)
        return url.replace("http://", f"http://{user}:{password}@", 1)

    def start(self) -> IndexServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> IndexServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- content -----------------------------------------------------------------------------
    def add(
        self,
        path: Path,
        *,
        yanked: str | bool | None = None,
        requires_python: str | None = None,
        sha256: str | None = None,
    ) -> str:
        """Serve ``path`` (copied into ``root`` unless already there); returns its URL.

        ``yanked=True`` or a reason string marks it yanked; ``sha256`` publishes that hash
        instead of the real one (to test mismatch refusal).
        """
        path = Path(path)
        dest = self.root / path.name
        if path.resolve() != dest.resolve():
            shutil.copyfile(path, dest)
        reason = "" if yanked is True else (yanked or None)
        with self._state.lock:
            self._state.files[path.name] = _FileInfo(reason, requires_python, sha256)
        return f"{self.url}/files/{urllib.parse.quote(path.name)}"

    def fault(
        self,
        kind: FaultKind,
        count: int = 1,
        *,
        path: str = "",
        delay: float = 2.0,
        target: str | None = None,
    ) -> None:
        """Misbehave on the next ``count`` requests whose path contains ``path``.

        ``"500"``: answer 500; ``"404"``: answer 404; ``"reset"``: close the connection with
        a TCP reset before answering; ``"slow"``: wait ``delay`` seconds, then answer;
        ``"truncate"``: announce the full length and send half the body; ``"redirect"``: 302
        to ``target`` (a base URL, default ``http://localhost:<port>``, i.e. another host)
        plus the same path.
        """
        with self._state.lock:
            self._state.faults.append(Fault(kind, count, path, delay, target))

    @property
    def requests(self) -> list[RequestRecord]:
        with self._state.lock:
            return list(self._state.requests)

    def clear_requests(self) -> None:
        with self._state.lock:
            self._state.requests.clear()

    def paths_requested(self, method: str = "GET") -> list[str]:
        return [p for m, p, _ in self.requests if m == method]

    # -- internals used by the handler ------------------------------------------------------
    def _log(self, record: RequestRecord) -> None:
        with self._state.lock:
            self._state.requests.append(record)

    def _take_fault(self, path: str) -> Fault | None:
        with self._state.lock:
            for fault in self._state.faults:
                if fault.remaining > 0 and fault.path in path:
                    fault.remaining -= 1
                    return fault
        return None

    def _info(self, filename: str) -> _FileInfo:
        with self._state.lock:
            return self._state.files.get(filename, _FileInfo())

    def _dist_files(self) -> Iterator[tuple[str, Path]]:
        for entry in sorted(self.root.iterdir()):
            if entry.is_file():
                project = project_of(entry.name)
                if project is not None:
                    yield project, entry

    def export(self, dest: Path) -> str:
        """Write this index as static files (a ``file://`` index); returns its simple URL.

        ``dest/simple/index.html``, ``dest/simple/<project>/index.html`` (HTML, as a static
        index can only be) and ``dest/files/<file>``.
        """
        (dest / "files").mkdir(parents=True, exist_ok=True)
        for project, path in self._dist_files():
            shutil.copyfile(path, dest / "files" / path.name)
            page = dest / "simple" / project
            page.mkdir(parents=True, exist_ok=True)
            (page / "index.html").write_bytes(self.project_html(project))
        (dest / "simple" / "index.html").write_bytes(self.root_page(as_json=False))
        return (dest / "simple").as_uri()

    def metadata_file(self, filename: str) -> bytes | None:
        """The PEP 658 file served for ``filename`` (None: not offered)."""
        dist = self.root / filename
        if not (self.offer_metadata and dist.name.endswith(".whl") and dist.is_file()):
            return None
        return wheel_metadata(dist)

    def projects(self) -> list[str]:
        return sorted({project for project, _ in self._dist_files()})

    def _file_entries(self, project: str) -> list[dict[str, object]]:
        entries: list[dict[str, object]] = []
        for name, path in self._dist_files():
            if name != project:
                continue
            info = self._info(path.name)
            data = path.read_bytes()
            entry: dict[str, object] = {
                "filename": path.name,
                "url": "../../files/" + urllib.parse.quote(path.name),
                "hashes": {"sha256": info.sha256 or _sha256(data)},
                "size": len(data),
            }
            if info.requires_python is not None:
                entry["requires-python"] = info.requires_python
            if info.yanked is not None:
                entry["yanked"] = info.yanked or True
            meta = (
                wheel_metadata(path) if self.offer_metadata and path.name.endswith(".whl") else None
            )
            if meta is not None:
                entry["core-metadata"] = {"sha256": _sha256(meta)}
                entry["dist-info-metadata"] = {"sha256": _sha256(meta)}
            entries.append(entry)
        return entries

    def project_json(self, project: str) -> bytes:
        files = self._file_entries(project)
        versions = sorted({_version_of(str(f["filename"])) for f in files})
        doc = {
            "meta": {"api-version": "1.1"},
            "name": project,
            "files": files,
            "versions": versions,
        }
        return json.dumps(doc).encode()

    def project_html(self, project: str) -> bytes:
        lines = [
            "<!DOCTYPE html>",
            '<html><head><meta name="pypi:repository-version" '
            'content="1.1"><title>Links for ' + html.escape(project) + "</title></head>",
            "<body><h1>Links for " + html.escape(project) + "</h1>",
        ]
        for entry in self._file_entries(project):
            hashes = entry["hashes"]
            assert isinstance(hashes, dict)
            attrs = [f'href="{html.escape(str(entry["url"]))}#sha256={hashes["sha256"]}"']
            if "requires-python" in entry:
                attrs.append(f'data-requires-python="{html.escape(str(entry["requires-python"]))}"')
            if "yanked" in entry:
                reason = entry["yanked"]
                attrs.append(f'data-yanked="{html.escape("" if reason is True else str(reason))}"')
            if "core-metadata" in entry:
                meta = entry["core-metadata"]
                assert isinstance(meta, dict)
                attrs.append(f'data-core-metadata="sha256={meta["sha256"]}"')
                attrs.append(f'data-dist-info-metadata="sha256={meta["sha256"]}"')
            lines.append(f"<a {' '.join(attrs)}>{html.escape(str(entry['filename']))}</a><br/>")
        lines.append("</body></html>")
        return "\n".join(lines).encode()

    def root_page(self, as_json: bool) -> bytes:
        names = self.projects()
        if as_json:
            doc = {"meta": {"api-version": "1.1"}, "projects": [{"name": n} for n in names]}
            return json.dumps(doc).encode()
        links = "".join(f'<a href="{n}/">{n}</a>\n' for n in names)
        return f"<!DOCTYPE html><html><body>{links}</body></html>".encode()

    def choose_format(self, accept: str) -> str | None:
        """The content type to answer with, or None when nothing acceptable is offered."""
        offered: list[str] = []
        if self.offer_json:
            offered.append(JSON_TYPE)
        if self.offer_html:
            offered += [HTML_TYPE, "text/html"]
        if not accept.strip():
            return offered[-1] if offered else None
        for q, media in _accepts(accept):
            if q <= 0:
                continue
            if media in offered:
                return media
            if media in ("*/*", "application/*", "text/*") and offered:
                return "text/html" if self.offer_html else offered[0]
        return None


def _version_of(filename: str) -> str:
    if filename.endswith(".whl"):
        return str(parse_wheel_filename(filename)[1])
    return str(parse_sdist_filename(filename)[1])
