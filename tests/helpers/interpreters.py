"""Interpreters for tests that need one without starting a process."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from packaging.tags import Tag

from pinset.environment.interpreter import from_facts
from pinset.environment.probe import PROBE_SOURCE
from pinset.interpreter import Interpreter

ANY = (Tag("py3", "none", "any"),)


def current_facts() -> dict[str, object]:
    """Run the probe's ``collect()`` in this process (no subprocess in unit tests)."""
    namespace: dict[str, object] = {"__name__": "pinset_probe"}
    exec(PROBE_SOURCE, namespace)
    collect = namespace["collect"]
    assert callable(collect)
    facts = collect()
    assert isinstance(facts, dict)
    return facts


def running_interpreter() -> Interpreter:
    """The Python running the tests, described as the probe would describe it."""
    return from_facts(Path(sys.executable), current_facts())


def interpreter(
    version: tuple[int, int, int],
    tags: tuple[Tag, ...] = ANY,
    markers: Mapping[str, str] | None = None,
) -> Interpreter:
    """A made-up target: only its version, tags and markers are meant to be read."""
    prefix = Path("/nonexistent/target")
    return Interpreter(
        executable=prefix / "bin" / "python",
        version=version,
        implementation="cpython",
        tags=tags,
        markers=dict(markers or {}),
        paths={},
        prefix=prefix,
        base_prefix=prefix,
        is_venv=False,
        externally_managed=False,
    )
