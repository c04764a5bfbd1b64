"""A :class:`pinset.build.context.BuildContext` for tests: build requirements are installed by
pinset's own CLI, offline, from the wheelhouse that ``dev/setup`` fills (and from any extra
find-links directories). Projects named in ``local`` are built from their source trees first,
through the builder under test, with the chain passed on (so build cycles are real)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pinset.build.builder import Builder, BuildRequest
from pinset.build.context import BuildEnvironment
from tests.helpers.install_world import run_pinset
from tests.helpers.wheelhouse import WHEELHOUSE


@dataclass
class WheelhouseContext:
    work: Path
    local: dict[str, Path] = field(default_factory=dict)
    calls: list[tuple[str, ...]] = field(default_factory=list)

    def install(
        self, requirements: Sequence[str], env: BuildEnvironment, *, chain: tuple[str, ...]
    ) -> None:
        self.calls.append(tuple(requirements))
        if not requirements:
            return
        built = self.work / f"built-{len(self.calls)}"
        for req in requirements:
            name = canonicalize_name(Requirement(req).name)
            if name in self.local:
                self._build_local(name, env, chain, built)
        done = run_pinset(
            "install",
            "--python",
            str(env.python),
            "--no-index",
            "-f",
            str(WHEELHOUSE),
            "-f",
            str(built),
            *requirements,
        )
        assert done.returncode == 0, done.stderr

    def _build_local(
        self, name: str, env: BuildEnvironment, chain: tuple[str, ...], out: Path
    ) -> None:
        Builder(self).wheel(
            BuildRequest(
                project=name,
                tree=self.local[name],
                python=env.python,
                out_dir=out,
                log=self.work / f"{name}.log",
                chain=chain,
            )
        )
