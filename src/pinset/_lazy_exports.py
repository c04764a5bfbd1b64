"""A package's names that live in a module only some runs need, imported when first asked
for (PEP 562's module ``__getattr__``): importing the package alone never imports it."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def exported_from(package: str, module: str, names: frozenset[str]) -> Callable[[str], object]:
    """The ``__getattr__`` of ``package`` that takes ``names`` from ``module`` when first
    asked for; any other name is an ``AttributeError``, as without it."""

    def lookup(name: str) -> object:
        if name in names:
            return getattr(importlib.import_module(module), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return lookup
