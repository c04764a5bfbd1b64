"""A package's names from a module only some runs need are imported when first asked for,
never by importing the package alone (their values: tests/unit/test_lazy_exports.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
import {package}
assert {module!r} not in sys.modules, "imported with the package"
getattr({package}, {name!r})
assert {module!r} in sys.modules, "not imported when asked for"
"""


@pytest.mark.parametrize(
    ("package", "module", "name"),
    [
        ("pinset.resolve", "pinset.resolve.explain", "ResolutionFailure"),
        ("pinset.cache", "pinset.cache.maintenance", "prune"),
    ],
)
def test_the_module_is_imported_when_a_name_of_it_is_first_asked_for(
    package: str, module: str, name: str
) -> None:
    code = CHECK.format(package=package, module=module, name=name)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
