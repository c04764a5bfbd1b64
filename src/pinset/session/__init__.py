"""The composition root: one run's collaborators, built from one :class:`Settings`.

A :class:`Session` owns the cache, the HTTP client (created on first use, so that a run that
needs no network never builds one), the finder for a target interpreter and the resolver's
candidate source. Use it as a context manager; everything is closed on exit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from packaging.utils import NormalizedName

from pinset._fs import WriteBehind
from pinset.cache import Cache, open_cache
from pinset.distribution.build import DeferredBuilds, NoBuilds, SourceBuilder
from pinset.distribution.fetch import known_sha256
from pinset.distribution.source import IndexSource
from pinset.dists import Candidate, LocalWheel
from pinset.http.client import DownloadListener, HttpClient
from pinset.http.config import HttpConfig
from pinset.index.finder import Finder
from pinset.index.page_form import PageForms
from pinset.index.page_worker import PageWorker
from pinset.interpreter import Interpreter
from pinset.kinds import Buildable, is_editable
from pinset.requirements.model import FileOptions, Requirement
from pinset.session.options import RunOptions, run_options
from pinset.settings import Settings

if TYPE_CHECKING:  # the install layer is imported when a run installs
    from pinset.build.develop import MovableSite
    from pinset.build.envs import BuildEnvs
    from pinset.distribution.builder import BuildListener
    from pinset.distribution.src_changes import SrcChanges
    from pinset.install.wheelfile import UnpackedWheel
    from pinset.session.unpack import Fetched, UnpackAhead

__all__ = ["IndexSource", "RunOptions", "Session", "http_config", "run_options", "text_fetcher"]

Warn = Callable[[str], None]


def http_config(
    settings: Settings,
    *,
    trusted_hosts: Sequence[str] = (),
    cache_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> HttpConfig:
    return HttpConfig(
        timeout=settings.timeout.value,
        retries=settings.retries.value,
        download_timeout=settings.download_timeout.value,
        proxy=settings.proxy.value,
        cert=settings.cert.value,
        client_cert=settings.client_cert.value,
        trusted_hosts=tuple(trusted_hosts) or settings.trusted_hosts.value,
        offline=settings.offline.value,
        cache_dir=cache_dir,
        environ=environ,
        keyring=settings.keyring_provider.value != "disabled",
    )


def text_fetcher(settings: Settings, environ: Mapping[str, str]) -> Callable[[str], str]:
    """A ``fetch`` for requirements files read by URL (one client per file), with the
    settings' TLS, proxy, trusted hosts and credentials (the URL's, those of an index URL on
    the same host, ``.netrc``, keyring)."""
    indexes = (settings.index_url.value or "", *settings.extra_index_urls.value)

    def fetch(url: str) -> str:
        with HttpClient(http_config(settings, environ=environ)) as client:
            response = client.get(_with_index_credentials(url, indexes))
            response.raise_for_status()
            return response.body.decode("utf-8", errors="replace")

    return fetch


def _config_settings(items: Sequence[str]) -> dict[str, str | list[str]]:
    """The ``-C`` items as ``config_settings``; none given: the build layer is not imported."""
    if not items:
        return {}
    from pinset.build.backend import parse_config_settings

    return parse_config_settings(items)


def _with_index_credentials(url: str, indexes: Sequence[str]) -> str:
    """``url`` with the credentials of an index URL on the same origin, if it has none."""
    from pinset.http.auth import origin_of, split_credentials

    if split_credentials(url)[1] is not None:
        return url
    for index in indexes:
        bare, creds = split_credentials(index)
        if creds is not None and origin_of(bare) == origin_of(url):
            userinfo = urllib.parse.urlsplit(index).netloc.rpartition("@")[0]
            scheme, rest = url.split("://", 1)
            return f"{scheme}://{userinfo}@{rest}"
    return url


class Session:
    """One run's cache, HTTP client, finder and candidate source."""

    def __init__(
        self,
        settings: Settings,
        files: Sequence[FileOptions] = (),
        *,
        environ: Mapping[str, str],
        warn: Warn | None = None,
        on_download: DownloadListener | None = None,
        trace: Warn | None = None,
        on_build: BuildListener | None = None,
        project_config: Mapping[str, Mapping[str, str | list[str]]] | None = None,
    ) -> None:
        self.settings = settings
        self.project_config = project_config or {}
        """The ``-C`` settings of named requirements' lines, by normalized name (for the
        build of an sdist an index offers)."""
        self.on_download = on_download
        self.on_build = on_build
        """Told of each build as it starts and ends ("Building docopt 0.6.2 (sdist)")."""
        self.trace = trace
        """Told what the run does, for ``-v`` (requests, cache hits)."""
        self.options: RunOptions = run_options(settings, files)
        self.environ = environ
        self.warn: Warn = warn or (lambda message: None)
        self._stack = ExitStack()
        self.cache: Cache = self._stack.enter_context(
            open_cache(settings.cache_dir.value, disabled=settings.no_cache_dir.value)
        )
        self.behind = WriteBehind()
        """Writes the entries fetching reads from the index (HTTP cache, page forms,
        metadata) while the run goes on; closed after everything that fetches, before the
        cache (every entry written when the session closes)."""
        self._stack.callback(self.behind.close)
        self._client: HttpClient | None = None
        self._forms: PageForms | None = None
        self._src_changes: SrcChanges | None = None
        self._scratch: Path | None = None
        self._logs: Path | None = None
        self._constraints: list[Requirement] | None = None
        self._ahead: UnpackAhead | None = None
        self._found: dict[str, UnpackedWheel] = {}
        """Intact unpacked wheels found this run, by archive sha256."""
        self._envs: BuildEnvs | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._settle_src(failed=exc is not None)
        self.close(keep_logs=exc is not None)

    def _changes_in_src(self) -> SrcChanges:
        """What this run changes in ``--src`` (editable checkouts), one log for the run (source
        builders are made when first needed, maybe by two threads at once)."""
        with self._lock:
            if self._src_changes is None:
                from pinset.distribution.src_changes import SrcChanges

                self._src_changes = SrcChanges()
            return self._src_changes

    def _settle_src(self, *, failed: bool) -> None:
        """A failed run's changes in ``--src`` undone (what cannot be, warned about); a
        successful run's kept."""
        changes = self._src_changes
        if changes is None:
            return
        if not failed:
            changes.keep()
            return
        for problem in changes.undo():
            self.warn(f"--src could not be restored as it was: {problem}")

    def close(self, *, keep_logs: bool = False) -> None:
        """Close everything; the build logs stay when the run failed (errors name them)."""
        self._stack.close()
        if self._logs is not None and not keep_logs:
            shutil.rmtree(self._logs, ignore_errors=True)

    def pages_read(self) -> tuple[tuple[str, float], ...] | None:
        """The HTTP cache entries the run's pages were answered from, each with the time until
        which it stays fresh (:attr:`HttpClient.pages_read`); () when no page was read."""
        return () if self._client is None else self._client.pages_read

    @property
    def client(self) -> HttpClient:
        if self._client is None:
            config = http_config(
                self.settings,
                trusted_hosts=self.options.trusted_hosts,
                cache_dir=self.cache.bucket_dir("http"),
                environ=self.environ,
            )
            client = HttpClient(
                config,
                on_warning=self.warn,
                on_download=self.on_download,
                on_trace=self.trace,
                behind=self.behind,
            )
            self._client = self._stack.enter_context(client)
        return self._client

    @property
    def scratch(self) -> Path:
        """A directory for this run's temporary files, removed when the session closes."""
        if self._scratch is None:
            tmp = self._stack.enter_context(tempfile.TemporaryDirectory(prefix="pinset-run-"))
            self._scratch = Path(tmp)
        return self._scratch

    @property
    def build_logs(self) -> Path:
        """Where builds write their logs: kept after a failed run, removed otherwise."""
        if self._logs is None:
            self._logs = Path(tempfile.mkdtemp(prefix="pinset-build-logs-"))
        return self._logs

    def finder(self, interp: Interpreter) -> Finder:
        return Finder(self.client, self.options.index, interp, forms=self._page_forms())

    def _page_forms(self) -> PageForms | None:
        """Where pages are kept parsed, with the run's one page worker (stopped when the
        session closes, after the sources that use it); None for a cache deleted when the
        run ends (``--no-cache-dir``), which keeps no page parsed."""
        if self.cache.temporary:
            return None
        with self._lock:
            if self._forms is None:
                worker = PageWorker()
                self._stack.callback(worker.close)
                self._forms = PageForms(self.cache.bucket_dir("pages"), worker, self.behind)
            return self._forms

    def source(
        self,
        interp: Interpreter,
        *,
        no_deps: bool = False,
        installed: Collection[NormalizedName] = frozenset(),
        chain: tuple[str, ...] = (),
        movable: MovableSite | None = None,
        src_checkouts: bool = True,
    ) -> IndexSource:
        """The resolver's source; ``installed`` names are not fetched ahead of the resolver;
        ``chain``: the projects being built that need this resolution (build requirements);
        ``movable``: the target is a relocatable environment (editables that move with it are
        installed with a relative path); ``src_checkouts``: editable VCS lines are checked
        out into ``--src`` (False: a dry run, which leaves ``--src`` alone)."""
        source = IndexSource(
            self.finder(interp),
            self.client,
            self.cache,
            no_deps=no_deps,
            warn=self.warn,
            installed=installed,
            trace=self.trace,
            unpacked_metadata=self._unpacked_metadata,
            build=self.source_builder(interp, chain, movable, src_checkouts=src_checkouts),
            behind=self.behind,
        )
        self._stack.callback(source.close)
        return source

    def source_builder(
        self,
        interp: Interpreter,
        chain: tuple[str, ...] = (),
        movable: MovableSite | None = None,
        *,
        src_checkouts: bool = True,
    ) -> SourceBuilder:
        """What builds sdists, archives and local trees for ``interp``: the build layer with
        this session's nested installs as its context, made when first needed; a refusal
        under ``--only-binary :all:``."""
        from pinset.binary import ALL

        if ALL in self.options.index.policy.only_binary:
            return NoBuilds()
        return DeferredBuilds(
            lambda: self._source_builds(interp, chain, movable, src_checkouts=src_checkouts)
        )

    def _source_builds(
        self,
        interp: Interpreter,
        chain: tuple[str, ...],
        movable: MovableSite | None,
        *,
        src_checkouts: bool,
    ) -> SourceBuilder:
        from pinset.distribution.builder import BuildOptions, SourceBuilds
        from pinset.distribution.checkout import exists_actions
        from pinset.session.build_env import NestedInstall

        src = self.settings.src_dir.value
        options = BuildOptions(
            isolation=self.settings.build_isolation.value,
            config_settings=_config_settings(self.settings.config_settings.value),
            per_project=self.project_config,
            parallel=os.cpu_count() or 1,
            movable=movable,
            src_dir=Path(src) if src else None,
            exists_action=exists_actions(self.settings.exists_action.value),
            src_checkouts=src_checkouts,
            src_changes=self._changes_in_src(),
        )
        return SourceBuilds(
            client=self.client,
            cache=self.cache,
            target=interp,
            scratch=self.scratch,
            logs=self.build_logs,
            context=NestedInstall(self, self._build_constraints()),
            options=options,
            environ=self.environ,
            chain=chain,
            on_build=self.on_build,
            on_note=self.warn,
            envs=self._build_envs(),
        )

    def _build_envs(self) -> BuildEnvs:
        """The run's build environments, shared by builds with the same requirements."""
        with self._lock:
            if self._envs is None:
                from pinset.build.envs import BuildEnvs

                self._envs = BuildEnvs(self.scratch / "build-envs")
            return self._envs

    def _build_constraints(self) -> list[Requirement]:
        """The ``--build-constraint`` lines, read once per run (racing threads read alike)."""
        if self._constraints is None:
            from pinset.session.build_env import read_build_constraints

            files = self.settings.build_constraints.value
            self._constraints = read_build_constraints(files, self.environ)
        return self._constraints

    def unpacked(
        self,
        source: IndexSource,
        candidate: Candidate,
        required: Mapping[str, Collection[str]] | None = None,
        *,
        cached: bool = False,
    ) -> Fetched:
        """The candidate's wheel, verified and unpacked in the cache: linked from there when
        the planner found it ``cached`` (downloaded after all if it is gone or damaged), else
        downloaded, or built by ``source``'s builder (found in the built-wheel cache, or built
        now)."""
        from pinset.session.unpack import fetch_unpacked, from_cache, unpack_built

        sha256 = known_sha256(candidate, required) if cached else None
        found = self._intact(sha256) if sha256 is not None else None
        if sha256 is not None and found is not None:
            return from_cache(self.cache, candidate, sha256, found)

        if isinstance(candidate.kind, Buildable):
            wheel = source.builder.wheel(candidate)
            if is_editable(candidate.kind):  # never cached: unpacked in the run's scratch
                return unpack_built(self.cache, candidate, wheel, self.scratch / "editables")
            return unpack_built(self.cache, candidate, wheel)
        return fetch_unpacked(self.client, self.cache, candidate, self.scratch, required=required)

    def check_cached(
        self,
        candidates: Sequence[Candidate],
        required: Mapping[NormalizedName, Mapping[str, Collection[str]]],
    ) -> list[bool]:
        """For each candidate the planner found unpacked in the cache, whether its copy is
        intact (every file's stat, remembered for the run), checked one after another in the
        calling thread: the check is a stat per file, which threads sharing one interpreter
        lock on a few cores only contend for (tens of thousands of lock hand-overs for a large
        set). What is not intact is downloaded again by :meth:`unpacked`."""
        found: list[bool] = []
        for candidate in candidates:
            sha256 = known_sha256(candidate, required.get(candidate.name))
            found.append(sha256 is not None and self._intact(sha256) is not None)
        return found

    def unpack_ahead(self) -> UnpackAhead:
        """The run's background unpacker of wheels the resolver downloads whole, for an
        installing run's source (:meth:`IndexSource.will_install`); call it from the run's
        thread. Closed, waiting for the unpacking under way, before the client and cache."""
        if self._ahead is None:
            from pinset.session.unpack import UnpackAhead

            ahead = UnpackAhead(self.client, self.cache, self.scratch)
            self._stack.callback(ahead.close)
            self._ahead = ahead
        return self._ahead

    def in_cache(self, sha256: str) -> bool:
        """Whether the cache keeps an entry for the wheel whose archive had ``sha256``
        unpacked (the planner's look: one stat). Whether every file of it is intact is checked
        when the fetch step takes it (:meth:`unpacked`, side by side with the others), which
        downloads the wheel after all when it is not."""
        if sha256 in self._found:
            return True
        from pinset.session.unpack import has_unpacked  # the install layer's cache

        return has_unpacked(self.cache, sha256)

    def intact(self, sha256: str) -> bool:
        """Whether the cache keeps the wheel whose archive had ``sha256`` unpacked and intact
        (every file checked, once per run)."""
        return self._intact(sha256) is not None

    def _intact(self, sha256: str) -> UnpackedWheel | None:
        found = self._found.get(sha256)
        if found is None:
            from pinset.session.unpack import intact_unpacked  # the install layer's cache

            found = intact_unpacked(self.cache, sha256)
            if found is not None:
                self._found[sha256] = found
        return found

    def _unpacked_metadata(self, sha256: str) -> bytes | None:
        from pinset.session.unpack import metadata_of  # the install layer's cache

        found = self._intact(sha256)
        return None if found is None else metadata_of(found)

    def fetch(
        self,
        candidates: Sequence[Candidate],
        required: Mapping[NormalizedName, Mapping[str, Collection[str]]] | None = None,
    ) -> list[LocalWheel]:
        """Every candidate's wheel, downloaded in parallel and verified (``required``: the
        user's ``--hash`` values by project name)."""
        from pinset.distribution.fetch import fetch_wheel  # downloads: not needed to resolve

        needed = required or {}
        client, cache, scratch = self.client, self.cache, self.scratch
        return client.map_parallel(
            lambda c: fetch_wheel(client, cache, c, scratch, required=needed.get(c.name)),
            candidates,
        )

    @property
    def unpacked_dir(self) -> Path:
        return self.cache.bucket_dir("wheels-unpacked")
