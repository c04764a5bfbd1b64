"""Building from source for the distribution layer: :class:`SourceBuilds`, the real
:class:`~pinset.distribution.build.SourceBuilder`.

A buildable distribution (a registry sdist, a direct archive, a local directory, a VCS checkout)
is turned into
its metadata (for the resolver) and its wheel (for the installer) by :mod:`pinset.build`, run
with the *target* interpreter; build requirements go into the build environment through the
:class:`~pinset.build.context.BuildContext` the composition root gives.

- The *source key* names what is built: an archive's sha256 (the index's or the URL's
  ``#sha256=``; else the file is downloaded and hashed), or a local tree's fingerprint
  (:func:`pinset.source_tree.tree_fingerprint`: an edited tree is a new source), with the
  ``#subdirectory=``; a VCS checkout's is
  :func:`pinset.distribution.checkout.wheel_cache_key` (URL, commit, subdirectory) when its
  revision is written as a full commit id: a warm cache then runs no VCS tool at all.
- A VCS checkout is made with :func:`~pinset.distribution.checkout.checkout_tree` (the
  repository's copy in the ``vcs`` bucket, fetched rather than cloned again) into the run's
  scratch directory, once per run, and built like a local directory. A revision that can move
  (a branch, a tag, a short id) is built every time, as pip does: its metadata and wheel are
  kept in a cache of the run's own (:attr:`SourceBuilds.run_cache`), never in the shared one.
- Built wheels are kept in the ``wheels-built`` bucket under the source key, the target's tags,
  isolation and the config settings: a second install of the same source builds nothing; its
  metadata is then read from that wheel. Metadata that ``prepare_metadata_for_build_wheel``
  gave is kept in the ``metadata`` bucket under the same key.
- An archive is downloaded (verified against the hashes the index or URL gave) and unpacked
  (as hostile input, :mod:`pinset.build.unpack`) once per run, into the run's scratch directory.
- At most :attr:`BuildOptions.parallel` builds run at once; each is announced as it starts and
  as it ends (``on_build(text, done)``) and logged into ``logs``.
- An editable VCS checkout (``-e git+…#egg=name``) is checked out into ``--src``
  (:func:`~pinset.distribution.checkout.checkout_editable`, with ``--exists-action``) once per
  run, then built as an editable local tree.
- Editables (``-e ./dir``) are built by :meth:`SourceBuilds.editable_install` (see
  :mod:`pinset.distribution.editable`) once per run into the run's scratch directory, never
  into ``wheels-built``; their metadata is kept in ``metadata`` under the tree's fingerprint.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from pinset._dataclass import dataclass, field, replace
from pinset._once import OncePerKey
from pinset.cache import Cache, make_key
from pinset.core_metadata import CoreMetadata
from pinset.distribution.archives import index_sha256
from pinset.distribution.checkout import (
    ExistsAction,
    VcsTree,
    check_editable_place,
    checkout_editable,
    checkout_tree,
    editable_location,
    pinned_commit,
    wheel_cache_key,
)
from pinset.distribution.download import index_hashes
from pinset.distribution.editable import DEVELOP_NOTE, EditableBuild, editable_install
from pinset.distribution.fetch import check_file
from pinset.distribution.src_changes import SrcChanges
from pinset.dists import Candidate, LocalWheel
from pinset.errors import BuildError
from pinset.http.client import HttpClient
from pinset.index.evaluate import SDIST_SUFFIXES
from pinset.interpreter import Interpreter
from pinset.kinds import (
    Buildable,
    DirectArchive,
    LocalDirectory,
    RegistrySdist,
    VcsCheckout,
    is_editable,
)
from pinset.links import Link
from pinset.redaction import redact_url
from pinset.requirements.locations import egg_fragment
from pinset.source_tree import tree_fingerprint
from pinset.urls import url_to_path

if TYPE_CHECKING:  # the build layer (tarfile, pyproject_hooks, tomllib): imported by a build
    from pinset.build.backend import ConfigSettings
    from pinset.build.builder import Builder, BuildRequest
    from pinset.build.context import BuildContext
    from pinset.build.develop import MovableSite
    from pinset.build.envs import BuildEnvs

Announce = Callable[[str], None]
BuildListener = Callable[[str, bool], None]
"""Told of each build: ``(text, False)`` as it starts, ``(text, True)`` once it ended."""


@dataclass(frozen=True)
class BuildOptions:
    """How a run builds: isolation, the ``-C`` settings of the command line, parallelism."""

    isolation: bool = True
    config_settings: ConfigSettings = field(default_factory=dict)
    per_project: Mapping[str, ConfigSettings] = field(default_factory=dict)
    """The ``-C`` settings written on the line of a named requirement (``foo -C k=v``), by
    normalized name: given to the build of that project's sdist from an index, over
    ``config_settings``."""
    parallel: int = 1
    movable: MovableSite | None = None
    """The target is a relocatable environment: an editable tree that moves with it is
    installed in develop mode with a relative ``.pth`` (:mod:`pinset.build.develop`)."""
    src_dir: Path | None = None
    """Where editable VCS checkouts go (``--src``, made absolute by the caller)."""
    exists_action: tuple[ExistsAction, ...] = ()
    src_checkouts: bool = True
    """Editable VCS lines are checked out into ``--src``; False (a dry run, a check): their
    metadata is read from a checkout in the run's scratch directory (the repository's copy in
    the cache), and ``--src`` is never touched."""
    src_changes: SrcChanges | None = None
    """Where the checkouts made in ``--src`` are recorded, to be undone if the run fails."""


@dataclass(frozen=True)
class _Source:
    """A source tree ready to build and the key of what it holds."""

    tree: Path
    key: str
    sha256: str | None = None


class SourceBuilds:
    """Builds registry sdists, direct archives, local directories and VCS checkouts for one
    target."""

    def __init__(
        self,
        *,
        client: HttpClient,
        cache: Cache,
        target: Interpreter,
        scratch: Path,
        logs: Path,
        context: BuildContext,
        options: BuildOptions,
        environ: Mapping[str, str],
        chain: tuple[str, ...] = (),
        on_build: BuildListener | None = None,
        on_note: Announce | None = None,
        envs: BuildEnvs | None = None,
    ) -> None:
        self.client, self.cache, self.target = client, cache, target
        self.scratch, self.logs, self.environ = scratch, logs, environ
        self._context, self._envs = context, envs
        self.options = options
        self.chain = chain
        self.on_build = on_build or (lambda text, done: None)
        self.on_note = on_note or (lambda text: None)
        self._editables: OncePerKey[str, EditableBuild] = OncePerKey()
        self._slots = threading.BoundedSemaphore(max(1, options.parallel))
        self._archives: OncePerKey[str, tuple[Path, str]] = OncePerKey()
        self._trees: OncePerKey[str, Path] = OncePerKey()
        self._checkouts: OncePerKey[str, VcsTree] = OncePerKey()
        self._metadata: OncePerKey[str, CoreMetadata] = OncePerKey()
        """Metadata by wheel key, once per run (the candidate and the resolver both ask)."""
        self.run_cache = Cache(scratch / "run-cache", temporary=True)
        """Where what must not outlive the run is kept (builds of a movable VCS revision)."""
        self._config: dict[str, ConfigSettings] = {}

    @property
    def builder(self) -> Builder:
        """The build layer, imported by the first build: a run that builds nothing (wheels
        only, or built wheels from the cache) never loads it (tarfile, pyproject_hooks)."""
        from pinset.build.builder import Builder

        return Builder(self._context, self._envs)

    # -- SourceBuilder -------------------------------------------------------------------------
    def metadata(
        self, label: str, kind: Buildable, link: Link, config: ConfigSettings | None = None
    ) -> CoreMetadata:
        _refuse_unsupported(label, kind, link)
        settings = self._settings(label, kind, config)
        self._config[link.url] = settings
        if isinstance(kind, VcsCheckout) and not self.options.src_checkouts:
            kind = replace(kind, editable=False, tree="")  # built from the scratch checkout
        if is_editable(kind):
            return self._editable_metadata(label, kind, link, settings)
        key = self._wheel_key(self._source_key(link, kind), settings)
        return self._metadata.get(
            key, lambda: self._cached_metadata(label, kind, link, key, settings)
        )

    def _cached_metadata(
        self, label: str, kind: Buildable, link: Link, key: str, settings: ConfigSettings
    ) -> CoreMetadata:
        """The metadata under ``key``: from the built wheel, else the metadata bucket, else
        prepared by the backend (and kept)."""
        store = self._store(kind, link)
        built = store.lookup_dir("wheels-built", key)
        wheel = _wheel_in(built) if built is not None else None
        if wheel is not None:
            return self._wheel_metadata(wheel)
        cached = store.read_json("metadata", key)
        found = CoreMetadata.from_json(cached) if isinstance(cached, dict) else None
        if found is not None:
            return found
        meta = self._static_metadata(label, kind, link) or self._prepare_metadata(
            label, kind, link, key, settings
        )
        store.write_json("metadata", key, meta.to_cache())
        return meta

    def vcs_checkout(self, label: str, kind: VcsCheckout, link: Link) -> VcsCheckout:
        """The commit of a pinned revision as written, else the checkout's, made now; an
        editable is checked out into ``--src`` now (its commit and directory), unless
        ``--src`` is not to be touched (then: where it would go)."""
        if kind.editable and self.options.src_checkouts:
            made = self._editable_checkout(link)
            return replace(kind, commit_id=made.commit_id, tree=str(made.path))
        commit = pinned_commit(link.url) or self._checkout(link).commit_id
        if kind.editable:  # a dry run: where its checkout would go, not made
            place, subdirectory = self._src_place(link), _subdirectory(link.url)
            check_editable_place(link.url, place.name, place.parent, self.options.exists_action)
            tree = place / subdirectory if subdirectory else place
            return replace(kind, commit_id=commit, tree=str(tree))
        return replace(kind, commit_id=commit)

    def wheel(self, candidate: Candidate) -> LocalWheel:
        """The candidate's wheel, from the built-wheel cache or built now."""
        kind = candidate.kind
        assert isinstance(kind, Buildable)
        link = candidate.link
        _refuse_unsupported(str(candidate), kind, link)
        settings = self._config.get(link.url) or self._settings(str(candidate), kind, None)
        if is_editable(kind):
            tree = self._editable_tree(kind, link)
            built = self.editable_install(str(candidate.name), tree, settings)
            return LocalWheel(
                candidate.name, candidate.version, built.wheel, built.sha256, candidate
            )
        from pinset.build.context import enter_chain

        with _naming(str(candidate)):  # before the entry's lock, which a cycle would wait on
            enter_chain(self.chain, str(candidate.name))
        key = self._wheel_key(self._source_key(link, kind), settings)
        label = str(candidate)

        def build(out: Path) -> None:
            self._build(label, kind, link, settings, out)

        entry = self._store(kind, link).ensure_dir("wheels-built", key, build)
        path = _wheel_in(entry)
        if path is None:  # pragma: no cover - ensure_dir publishes a built wheel
            raise BuildError(f"building {label} left no wheel in {entry}")
        sha256 = check_file(path, {}, path.name)
        return LocalWheel(candidate.name, candidate.version, path, sha256, candidate)

    def source_sha256(self, candidate: Candidate) -> str | None:
        """The sha256 of the candidate's archive (downloaded if the index did not say it);
        None for a local directory."""
        if not isinstance(candidate.kind, RegistrySdist | DirectArchive):
            return None
        return index_sha256(candidate.link) or self._archive(candidate.link)[1]

    def editable_inputs(self, candidate: Candidate) -> str | None:
        """The fingerprint of the metadata inputs of an editable candidate's tree, taken when
        its editable wheel was built (None for anything else)."""
        kind = candidate.kind
        if not is_editable(kind) or not isinstance(kind, Buildable):
            return None
        settings = self._config.get(candidate.link.url, self.options.config_settings)
        tree = self._editable_tree(kind, candidate.link)
        return self.editable_install(str(candidate.name), tree, settings).inputs

    # -- editables -----------------------------------------------------------------------------
    def editable_install(
        self, label: str, tree_path: Path, settings: ConfigSettings | None = None
    ) -> EditableBuild:
        """The editable wheel of the project in the local tree ``tree_path`` (built once per
        run, never cached), with its metadata: the seam a VCS checkout's editable install
        calls with its checkout directory. ``label``: the project's name, or how the user
        named it."""
        chosen = self.options.config_settings if settings is None else settings
        return self._editables.get(
            str(tree_path), lambda: self._build_editable(label, tree_path, chosen)
        )

    def _build_editable(self, label: str, tree: Path, settings: ConfigSettings) -> EditableBuild:
        out = self.scratch / "editables" / make_key(str(tree))[:16]
        shutil.rmtree(out, ignore_errors=True)
        shown = f"{label} ({tree})" if "://" not in label else str(tree)
        request = self._request(label, tree, out, settings)
        movable = self.options.movable
        if movable is not None and movable.holds(tree):
            request = replace(request, pth_base=movable.site_packages)
        with self._slots, self._announced(f"Building editable for {shown}"), _naming(label):
            built = editable_install(tree, self.builder, request)
        if built.develop and request.pth_base is None:  # chosen: the docs say why
            self.on_note(DEVELOP_NOTE.format(name=built.metadata.get("Name") or label, tree=tree))
        return built

    @contextmanager
    def _announced(self, text: str) -> Iterator[None]:
        """``text`` told to ``on_build`` as the build starts, then as it ends (failed or not)."""
        self.on_build(text, False)
        try:
            yield
        finally:
            self.on_build(text, True)

    def _editable_metadata(
        self, label: str, kind: Buildable, link: Link, settings: ConfigSettings
    ) -> CoreMetadata:
        """An editable's metadata: kept in ``metadata`` by the tree's fingerprint (an unchanged
        tree is not built to be resolved), else from its editable wheel, built now."""
        tree = self._editable_tree(kind, link)
        source = make_key("editable", str(tree), tree_fingerprint(tree))
        key = self._wheel_key(source, settings)
        cached = self.cache.read_json("metadata", key)
        found = CoreMetadata.from_json(cached) if isinstance(cached, dict) else None
        if found is not None:
            return found
        meta = self.editable_install(label, tree, settings).metadata
        self.cache.write_json("metadata", key, meta.to_cache())
        return meta

    def _settings(
        self, label: str, kind: Buildable, config: ConfigSettings | None
    ) -> ConfigSettings:
        """The ``config_settings`` of a build: the command line's, under the requirement's
        own (``config``, for a URL or a tree; for an index's sdist, its project's line, found
        by the candidate's name in ``label``, ``name==version``)."""
        if config is None and isinstance(kind, RegistrySdist):
            config = self.options.per_project.get(canonicalize_name(label.partition("==")[0]))
        return {**self.options.config_settings, **(config or {})}

    # -- keys ----------------------------------------------------------------------------------
    def _source_key(self, link: Link, kind: Buildable) -> str:
        subdirectory = _subdirectory(link.url)
        if isinstance(kind, VcsCheckout):
            pinned = wheel_cache_key(link.url)
            if pinned is not None:
                return make_key("vcs", pinned)
            commit = kind.commit_id or self._checkout(link).commit_id
            return make_key("vcs-checkout", link.url, commit)
        if isinstance(kind, LocalDirectory):
            tree = self._local_tree(link)
            return make_key("tree", str(tree), tree_fingerprint(tree))
        sha256 = index_sha256(link) or self._archive(link)[1]
        return make_key("archive", sha256, subdirectory or "")

    def _wheel_key(self, source_key: str, settings: ConfigSettings) -> str:
        tags = self.target.tags_text
        isolation = "isolated" if self.options.isolation else "in-target"
        config = json.dumps(settings, sort_keys=True)
        return make_key("built-wheel", source_key, tags, isolation, config)

    def _store(self, kind: Buildable, link: Link) -> Cache:
        """The shared cache, or the run's own for a VCS revision that can move."""
        if isinstance(kind, VcsCheckout) and wheel_cache_key(link.url) is None:
            return self.run_cache
        return self.cache

    # -- sources -------------------------------------------------------------------------------
    def _editable_tree(self, kind: Buildable, link: Link) -> Path:
        """The project directory an editable is built from: its ``--src`` checkout's, or the
        local tree the link names."""
        if isinstance(kind, VcsCheckout):
            found = self._editable_checkout(link)
            return _project(found.path, f"{link.source} at {found.commit_id}")
        return self._local_tree(link)

    def _editable_checkout(self, link: Link) -> VcsTree:
        """``link``'s revision checked out into ``--src/<name>`` (``--exists-action`` deciding
        about a directory already there), once per run."""

        def obtain() -> VcsTree:
            self._src_place(link)  # refused first when it names no project
            name = egg_fragment(link.url) or ""
            options = self.options
            src = options.src_dir or Path.cwd() / "src"
            mirrors = self.cache.bucket_dir("vcs")
            return checkout_editable(
                link.url, name, src, mirrors, options.exists_action, changes=options.src_changes
            )

        return self._checkouts.get("editable:" + link.url, obtain)

    def _src_place(self, link: Link) -> Path:
        """Where an editable VCS line's checkout goes: ``--src/<name>`` (``#egg=``)."""
        name = egg_fragment(link.url)
        if name is None:
            raise BuildError(
                f"-e {link.source} names no project, so it has no directory in --src",
                hint="add #egg=NAME to the URL (the project's name), as pip requires",
            )
        return editable_location(self.options.src_dir or Path.cwd() / "src", name)

    def _checkout(self, link: Link) -> VcsTree:
        """``link``'s revision checked out into the scratch directory, once per run."""

        def obtain() -> VcsTree:
            dest = self.scratch / "checkouts" / make_key(link.url)[:16]
            shutil.rmtree(dest, ignore_errors=True)
            dest.parent.mkdir(parents=True, exist_ok=True)
            return checkout_tree(link.url, self.cache.bucket_dir("vcs"), dest)

        return self._checkouts.get(link.url, obtain)

    def _local_tree(self, link: Link) -> Path:
        root = url_to_path(link.url_without_fragment)
        tree = _inside(root, _subdirectory(link.url), link)
        if not tree.is_dir():
            raise BuildError(f"{tree} is not a directory", hint="check the path of the requirement")
        return _project(tree, str(tree))

    def _archive(self, link: Link) -> tuple[Path, str]:
        """The archive on disk (once per run) and its sha256, verified against the hashes the
        index or the URL's fragment gave."""
        return self._archives.get(link.url_without_fragment, lambda: self._get_archive(link))

    def _get_archive(self, link: Link) -> tuple[Path, str]:
        shown = redact_url(link.url_without_fragment)
        expected = index_hashes(link)
        if link.is_file_url:
            path = url_to_path(link.url_without_fragment)
            if not path.is_file():
                raise BuildError(f"no such file: {shown}", hint="check the path")
            return path, check_file(path, expected, shown)
        dest = self.scratch / "sdists" / make_key(link.url_without_fragment)[:16]
        dest.mkdir(parents=True, exist_ok=True)
        result = self.client.download(
            link.url_without_fragment, dest / link.filename, hashes=expected or None
        )
        return _named_by_content(result.path), result.sha256

    def _tree(self, label: str, kind: Buildable, link: Link) -> Path:
        if isinstance(kind, LocalDirectory):
            return self._local_tree(link)
        if isinstance(kind, VcsCheckout):
            found = self._checkout(link)
            return _project(found.path, f"{link.source} at {found.commit_id}")
        return self._trees.get(link.url, lambda: self._unpack(link))

    def _unpack(self, link: Link) -> Path:
        from pinset.build.unpack import unpack_archive

        archive, sha256 = self._archive(link)
        dest = self.scratch / "source-trees" / make_key(sha256, link.url)[:16]
        shutil.rmtree(dest, ignore_errors=True)
        return _inside(unpack_archive(archive, dest), _subdirectory(link.url), link)

    # -- building ------------------------------------------------------------------------------
    def _request(self, label: str, tree: Path, out: Path, settings: ConfigSettings) -> BuildRequest:
        from pinset.build.builder import BuildRequest

        project = label.partition("==")[0]
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / f"{make_key(label, str(out))[:12]}-{_safe(project)}.log"
        return BuildRequest(
            project=project,
            tree=tree,
            python=self.target.executable,
            out_dir=out,
            log=log,
            isolation=self.options.isolation,
            config_settings=dict(settings),
            chain=self.chain,
            environ=self.environ,
        )

    def _build(
        self, label: str, kind: Buildable, link: Link, settings: ConfigSettings, out: Path
    ) -> Path:
        tree = self._tree(label, kind, link)
        building = f"Building {_shown(label)} ({_what(kind)})"
        with self._slots, self._announced(building), _naming(label):
            return self.builder.wheel(self._request(label, tree, out, settings))

    def _prepare_metadata(
        self, label: str, kind: Buildable, link: Link, key: str, settings: ConfigSettings
    ) -> CoreMetadata:
        tree = self._tree(label, kind, link)
        work = self.scratch / "metadata" / key[:16]
        preparing = f"Preparing metadata of {_shown(label)} ({_what(kind)})"
        with self._slots, self._announced(preparing), _naming(label):
            found = self.builder.metadata(self._request(label, tree, work, settings))
        if found.wheel is not None:  # built for its metadata: kept, the install needs it
            wheel = found.wheel
            self._store(kind, link).ensure_dir(
                "wheels-built", key, lambda out: shutil.copyfile(wheel, out / wheel.name)
            )
        return _read_metadata(found.dist_info / "METADATA", label)

    def _static_metadata(self, label: str, kind: Buildable, link: Link) -> CoreMetadata | None:
        """A registry sdist's own ``PKG-INFO`` when it may stand for its wheel's metadata
        (PEP 643, :mod:`pinset.build.pkg_info`): no backend runs to resolve it."""
        name, pinned, version = label.partition("==")
        if not isinstance(kind, RegistrySdist) or not pinned:
            return None
        from pinset.build.pkg_info import static_metadata

        return static_metadata(self._tree(label, kind, link), name, version)

    def _wheel_metadata(self, wheel: Path) -> CoreMetadata:
        """The METADATA of a wheel in the built-wheel cache, read from the archive (its zip
        rules checked; nothing unpacked)."""
        from pinset.build.unpack import dist_info_metadata

        return CoreMetadata.from_bytes(dist_info_metadata(wheel))


@contextmanager
def _naming(label: str) -> Iterator[None]:
    """A BuildError raised inside names the project (``label`` up to ``==``)."""
    try:
        yield
    except BuildError as exc:
        if exc.project is None:
            exc.project = label.partition("==")[0]
        raise


def _refuse_unsupported(label: str, kind: Buildable, link: Link) -> None:
    """An editable must be a directory or a VCS checkout."""
    if is_editable(kind) and not isinstance(kind, LocalDirectory | VcsCheckout):
        raise BuildError(
            f"{redact_url(link.url)} cannot be installed as editable: it is not a directory",
            hint="unpack it and name the project's directory with -e, or install it without -e",
        )


def _shown(label: str) -> str:
    """How a build names what it builds: ``docopt 0.6.2`` for the candidate ``docopt==0.6.2``."""
    name, pinned, version = label.partition("==")
    return f"{name} {version}" if pinned else label


def _what(kind: Buildable) -> str:
    match kind:
        case RegistrySdist():
            return "sdist"
        case LocalDirectory():
            return "local directory"
        case VcsCheckout(vcs=vcs):
            return f"{vcs} checkout"
        case _:
            return "archive"


_MAGIC = ((b"\x1f\x8b", ".tar.gz"), (b"PK\x03\x04", ".zip"), (b"BZh", ".tar.bz2"))


def _named_by_content(path: Path) -> Path:
    """A downloaded archive whose URL names no archive (``…/tarball/master``), renamed with
    the suffix its first bytes show, so that it unpacks as what it is."""
    if path.name.lower().endswith(SDIST_SUFFIXES):
        return path
    with open(path, "rb") as fh:
        head = fh.read(4)
    suffix = next((s for magic, s in _MAGIC if head.startswith(magic)), None)
    if suffix is None:
        return path  # unpack_archive refuses it by name, with its hint
    named = path.with_name(path.name + suffix)
    path.rename(named)
    return named


def _project(tree: Path, shown: str) -> Path:
    """``tree``, refused unless it holds a Python project (``shown``: how to name it)."""
    if not (tree / "pyproject.toml").is_file() and not (tree / "setup.py").is_file():
        raise BuildError(
            f"{shown} is not a Python project: it has neither pyproject.toml nor setup.py",
            hint="name the project's directory (or its #subdirectory=)",
        )
    return tree


def _wheel_in(directory: Path) -> Path | None:
    found = sorted(directory.glob("*.whl"))
    return found[0] if found else None


def _read_metadata(path: Path, label: str) -> CoreMetadata:
    try:
        return CoreMetadata.from_bytes(path.read_bytes())
    except OSError as exc:
        raise BuildError(f"building {label}: its metadata cannot be read: {exc}") from None


def _subdirectory(url: str) -> str | None:
    fragment = urllib.parse.urlsplit(url).fragment
    values = urllib.parse.parse_qs(fragment).get("subdirectory")
    return values[0] if values else None


def _inside(root: Path, subdirectory: str | None, link: Link) -> Path:
    """``root``/``subdirectory``, refused when the subdirectory leaves ``root``."""
    if not subdirectory:
        return root
    tree = (root / subdirectory).resolve()
    if tree != root.resolve() and root.resolve() not in tree.parents:
        raise BuildError(
            f"#subdirectory={subdirectory} leaves the source of {redact_url(link.url)}",
            hint="a subdirectory is a relative path inside the archive or directory",
        )
    return tree


def _safe(name: str) -> str:
    """A file-name-safe form of a project name (or of a URL, for a name-less archive)."""
    return re.sub(r"[^a-z0-9]+", "-", canonicalize_name(name))[:40].strip("-") or "build"
