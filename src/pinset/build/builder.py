"""Turn a source tree into a wheel, or into its metadata, through its build backend.

:meth:`Builder.wheel` and :meth:`Builder.metadata` read the tree's ``[build-system]``
(:mod:`pinset.build.pyproject`), make a temporary build environment of the target interpreter
and have the :class:`~pinset.build.context.BuildContext` install ``requires`` and then what
``get_requires_for_build_wheel`` (or ``_editable``) adds (:mod:`pinset.build.isolation`); with
``isolation=False`` the backend runs in the target interpreter itself, with what it has, as
``pip --no-build-isolation`` does. Metadata comes from ``prepare_metadata_for_build_wheel``
(``_editable``) when the backend has it, else from a wheel built for it, whose ``.dist-info``
is extracted as hostile input. Editables (:meth:`Builder.editable`) use PEP 660
``build_editable``; a backend without it gets pinset's develop-mode wheel
(:mod:`pinset.build.develop`) made from its prepared metadata.

Every hook's output goes to ``request.log``. Build environments are the run's, shared by
builds with the same requirements (:mod:`pinset.build.envs`); without them (or for a build
requirement's own build) each build makes its own and removes it afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from pyproject_hooks import HookMissing

from pinset._dataclass import dataclass, field, replace
from pinset.build.backend import Backend, ConfigSettings
from pinset.build.context import BuildContext, enter_chain
from pinset.build.develop import develop_wheel
from pinset.build.envs import BuildEnvs
from pinset.build.isolation import backend_environ
from pinset.build.pyproject import BuildSystem, read_build_system
from pinset.build.unpack import extract_dist_info
from pinset.errors import BuildError


@dataclass(frozen=True)
class BuildRequest:
    """One build: which tree, for which interpreter, into which directory, how."""

    project: str
    tree: Path
    python: Path
    out_dir: Path
    log: Path
    isolation: bool = True
    editable: bool = False
    config_settings: ConfigSettings = field(default_factory=dict)
    chain: tuple[str, ...] = ()
    """The projects whose builds need this one, outermost first (see ``enter_chain``)."""
    timeout: float | None = None
    environ: Mapping[str, str] | None = None
    """The environment to start from (default: pinset's own)."""
    pth_base: Path | None = None
    """An editable made in develop mode with its ``.pth`` line relative to this directory
    (a relocatable environment's ``site-packages``: see :class:`pinset.build.develop.MovableSite`),
    whatever hooks the backend has."""

    @property
    def kind(self) -> str:
        return "editable" if self.editable else "wheel"


@dataclass(frozen=True)
class BuiltMetadata:
    dist_info: Path
    wheel: Path | None = None
    """The wheel built to get the metadata, when the backend cannot prepare metadata alone."""


@dataclass(frozen=True)
class BuiltEditable:
    wheel: Path
    develop: bool = False
    """The backend has no ``build_editable``: ``wheel`` is pinset's develop-mode wheel."""


@dataclass(frozen=True)
class Builder:
    context: BuildContext
    envs: BuildEnvs | None = None
    """The run's shared build environments (:mod:`pinset.build.envs`); without them each
    build makes its own."""

    def wheel(self, request: BuildRequest) -> Path:
        """Build a wheel (PEP 660 editable one with ``request.editable``) into ``out_dir``."""
        with self._backend(request) as backend:
            return self._build(backend, request)

    def editable(self, request: BuildRequest) -> BuiltEditable:
        """An editable wheel of the tree into ``out_dir``: PEP 660 ``build_editable``, or,
        when the backend has no such hook, a develop-mode wheel (a ``.pth`` naming the tree)
        made from the metadata ``prepare_metadata_for_build_wheel`` gives (always, with
        ``pth_base``)."""
        request = replace(request, editable=True)
        if request.pth_base is None:
            built = self._pep660(request)
            if built is not None:
                return built
        work = replace(request, editable=False, out_dir=request.out_dir / "develop")
        meta = self.metadata(work)
        wheel = develop_wheel(
            meta.dist_info, request.tree, request.out_dir, relative_to=request.pth_base
        )
        return BuiltEditable(wheel, True)

    def _pep660(self, request: BuildRequest) -> BuiltEditable | None:
        """The backend's ``build_editable`` wheel; None when it has no such hook."""
        with self._backend(request) as backend:
            request.out_dir.mkdir(parents=True, exist_ok=True)
            try:
                name = backend.call(
                    "build_editable",
                    wheel_directory=str(request.out_dir),
                    config_settings=request.config_settings,
                )
            except HookMissing:
                name = None
            if name is None:
                return None
            return BuiltEditable(_output(request.out_dir, name, ".whl", request))

    def metadata(self, request: BuildRequest) -> BuiltMetadata:
        """The project's ``.dist-info`` directory, written under ``out_dir``."""
        with self._backend(request) as backend:
            meta_dir = request.out_dir / "metadata"
            meta_dir.mkdir(parents=True, exist_ok=True)
            name = backend.call_optional(
                f"prepare_metadata_for_build_{request.kind}",
                metadata_directory=str(meta_dir),
                config_settings=request.config_settings,
                _allow_fallback=False,
            )
            if name is not None:
                return BuiltMetadata(_output(meta_dir, name, ".dist-info", request))
            wheel = self._build(backend, request)
            return BuiltMetadata(extract_dist_info(wheel, meta_dir / "from-wheel"), wheel)

    def _build(self, backend: Backend, request: BuildRequest) -> Path:
        request.out_dir.mkdir(parents=True, exist_ok=True)
        try:
            name = backend.call(
                f"build_{request.kind}",
                wheel_directory=str(request.out_dir),
                config_settings=request.config_settings,
            )
        except HookMissing:
            raise BuildError(
                f"{request.project} cannot be installed as editable: its build backend "
                f"{backend.system.backend!r} has no build_editable hook (PEP 660)",
                hint="install it without -e, or use a backend that supports editables",
            ) from None
        return _output(request.out_dir, name, ".whl", request)

    @contextmanager
    def _backend(self, request: BuildRequest) -> Iterator[Backend]:
        chain = enter_chain(request.chain, request.project)
        system = read_build_system(request.tree)
        base = os.environ if request.environ is None else request.environ
        if not request.isolation:
            yield self._make(request, system, request.python, backend_environ(base, None))
            return
        with self._environments(request) as envs:
            yield self._isolated(request, system, envs, chain, base)

    @contextmanager
    def _environments(self, request: BuildRequest) -> Iterator[BuildEnvs]:
        """The run's shared environments; a private set, removed afterwards, without them
        or for a build requirement's own build (an environment being made may need it:
        waiting for a shared one there could wait for itself)."""
        if self.envs is not None and not request.chain:
            yield self.envs
            return
        workdir = Path(tempfile.mkdtemp(prefix="pinset-build-"))
        try:
            yield BuildEnvs(workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _isolated(
        self,
        request: BuildRequest,
        system: BuildSystem,
        envs: BuildEnvs,
        chain: tuple[str, ...],
        base: Mapping[str, str],
    ) -> Backend:
        """The backend in an environment holding ``requires`` and what
        ``get_requires_for_build_*`` adds (another environment when it adds anything)."""

        def backend(requires: tuple[str, ...]) -> Backend:
            env = envs.environment(
                request.python,
                requires,
                context=self.context,
                chain=chain,
                log=request.log,
                base=base,
            )
            return self._make(request, system, env.python, backend_environ(base, env))

        first = backend(system.requires)
        hook = f"get_requires_for_build_{request.kind}"
        config = json.dumps(request.config_settings, sort_keys=True)
        key = (str(first.python), str(request.tree), hook, config)
        extra = envs.requires_for(key, lambda: _extra_requires(first, hook, request))
        return backend((*system.requires, *extra)) if extra else first

    @staticmethod
    def _make(
        request: BuildRequest, system: BuildSystem, python: Path, environ: Mapping[str, str]
    ) -> Backend:
        return Backend(
            request.project, request.tree, system, python, environ, request.log, request.timeout
        )


def _extra_requires(backend: Backend, hook: str, request: BuildRequest) -> list[str]:
    """The backend's answer to ``get_requires_for_build_*``: a list of strings."""
    extra = backend.call(hook, config_settings=request.config_settings)
    if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
        raise BuildError(
            f"building {request.project}: the backend's {hook} returned {extra!r}, "
            "not a list of requirement strings",
            where=str(request.log),
        )
    return extra


def _output(directory: Path, name: object, suffix: str, request: BuildRequest) -> Path:
    """The file or directory a hook says it wrote: a plain name in ``directory``, existing."""
    if (
        not isinstance(name, str)
        or not name.endswith(suffix)
        or name != os.path.basename(name)
        or name in ("", ".", "..")
        or not (directory / name).exists()
    ):
        raise BuildError(
            f"building {request.project}: the backend reported {name!r}, "
            f"which is not a {suffix} it wrote in {directory}",
            where=str(request.log),
        )
    return directory / name
