"""PEP 668: a distribution-managed interpreter is refused with the distribution's own words."""

from __future__ import annotations

import sys
from pathlib import Path

from pinset.environment.interpreter import from_facts
from pinset.environment.managed import DEFAULT_MESSAGE, externally_managed_error
from pinset.interpreter import Interpreter
from tests.helpers.interpreters import current_facts


def _system(stdlib: Path) -> Interpreter:
    facts = current_facts()
    facts["paths"] = dict(facts["paths"]) | {"stdlib": str(stdlib)}  # type: ignore[call-overload]
    return from_facts(Path("/usr/bin/python3"), facts | {"prefix": "/usr", "base_prefix": "/usr"})


def test_message_from_the_marker_file(tmp_path: Path) -> None:
    (tmp_path / "EXTERNALLY-MANAGED").write_text(
        "[externally-managed]\nError=To install Python packages system-wide, try apt install\n"
        " python3-xyz.\n"
    )
    error = externally_managed_error(_system(tmp_path))
    assert error is not None
    assert "externally managed" in error.message
    assert (error.note or "").startswith("To install Python packages")
    assert "--break-system-packages" in (error.hint or "")


def test_marker_without_a_message(tmp_path: Path) -> None:
    (tmp_path / "EXTERNALLY-MANAGED").write_text("")
    error = externally_managed_error(_system(tmp_path))
    assert error is not None
    assert error.note == DEFAULT_MESSAGE


def test_not_managed(tmp_path: Path) -> None:
    assert externally_managed_error(_system(tmp_path)) is None
    venv = from_facts(Path(sys.executable), current_facts() | {"prefix": "/v", "base_prefix": "/u"})
    assert externally_managed_error(venv) is None
