"""Build environments shared, within one run, by the builds whose requirements are the same.

A source's metadata build and its wheel build, and every sdist built by the same backend
(``hatchling``, ``setuptools>=61``), need the same environment: making one per build cost a
virtual environment, a nested resolve and install, a probe of the new interpreter and, worse,
a backend imported without bytecode every time. :class:`BuildEnvs` makes each environment once
per run, keyed by the interpreter and the exact set of requirement strings it was filled with,
and hands the same one to every build that asks for that key (concurrent askers wait for the
first). An environment is never changed once made: a backend whose
``get_requires_for_build_*`` adds requirements gets another environment, keyed by the whole
set, so what one build needs never shows in another's. The answer of that hook is remembered
per environment, tree, hook and config settings (a source's metadata and wheel builds ask the
same question of the same tree).

The environments live under ``root`` (the run's scratch directory) and go with it. A backend
could write into its environment: it already runs the user's code with the user's rights,
and the environments never outlive the run.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pinset._once import OncePerKey
from pinset.build.context import BuildContext, BuildEnvironment
from pinset.build.isolation import create_build_env


class BuildEnvs:
    """The build environments of one run, under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._envs: OncePerKey[tuple[str, ...], BuildEnvironment] = OncePerKey()
        self._answers: OncePerKey[tuple[str, ...], list[str]] = OncePerKey()

    def environment(
        self,
        python: Path,
        requires: Sequence[str],
        *,
        context: BuildContext,
        chain: tuple[str, ...],
        log: Path,
        base: Mapping[str, str],
    ) -> BuildEnvironment:
        """The environment of ``python`` holding exactly ``requires`` (made on first ask)."""
        wanted = tuple(sorted(set(requires)))
        key = (str(python), *wanted)

        def make() -> BuildEnvironment:
            dest = self.root / hashlib.sha256("\0".join(key).encode()).hexdigest()[:16]
            shutil.rmtree(dest, ignore_errors=True)  # left by a failed attempt
            env = create_build_env(python, dest, log=log, base=base)
            context.install(wanted, env, chain=chain)
            return env

        return self._envs.get(key, make)

    def requires_for(self, key: tuple[str, ...], ask: Callable[[], list[str]]) -> list[str]:
        """What ``get_requires_for_build_*`` answered for ``key`` (environment, tree, hook,
        config settings), asked once."""
        return list(self._answers.get(key, ask))
