"""An Interpreter built from probe facts: venv detection, scheme paths, PEP 668, the cache."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pinset.environment.interpreter import cache_file, from_facts, query
from pinset.environment.schemes import environment_scheme
from pinset.errors import TargetEnvironmentError
from tests.helpers.interpreters import current_facts


def test_facts_of_this_interpreter() -> None:
    interp = from_facts(Path(sys.executable), current_facts())
    assert interp.version == tuple(sys.version_info[:3])
    assert interp.markers["python_version"] == f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert interp.is_venv == (sys.prefix != sys.base_prefix)
    assert environment_scheme(interp).purelib.name in {"site-packages", "dist-packages"}
    assert interp.cache_tag == sys.implementation.cache_tag


def test_externally_managed_only_outside_a_venv(tmp_path: Path) -> None:
    (tmp_path / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    facts = current_facts()
    facts["paths"] = dict(facts["paths"]) | {"stdlib": str(tmp_path)}  # type: ignore[call-overload]
    system = from_facts(Path("/usr/bin/python3"), facts | {"prefix": "/usr", "base_prefix": "/usr"})
    assert system.externally_managed
    assert not system.is_venv
    venv = from_facts(Path("/v/bin/python"), facts | {"prefix": "/v", "base_prefix": "/usr"})
    assert venv.is_venv
    assert not venv.externally_managed
    assert venv.paths["headers"].startswith("/v/include/site/python")


def test_cached_facts_are_used_without_running_the_target(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    facts = current_facts()
    markers = dict(facts["markers"])  # type: ignore[call-overload]
    markers["os_name"] = "from-cache"
    target = cache_file(Path(sys.executable), cache)
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(facts | {"markers": markers}))
    assert query(Path(sys.executable), cache_dir=cache).markers["os_name"] == "from-cache"


def test_missing_interpreter(tmp_path: Path) -> None:
    with pytest.raises(TargetEnvironmentError, match="no Python interpreter"):
        query(tmp_path / "nope" / "python", cache_dir=None)


def test_garbage_facts_are_a_clean_error() -> None:
    with pytest.raises(TargetEnvironmentError, match="unexpected answer"):
        from_facts(Path("/x/python"), {"version": "3"})
