"""Names a package exports from a module that only some runs need (a resolution's failure
explainer, ``pinset cache``'s maintenance): still the defining module's own, from the package
(that they are imported only when asked for: tests/functional/test_lazy_exports.py)."""

from __future__ import annotations

import pytest

import pinset.cache
import pinset.resolve
from pinset.cache import maintenance
from pinset.resolve import explain


def test_every_deferred_name_is_the_defining_modules_own() -> None:
    for name in pinset.resolve.EXPLAINING:
        assert getattr(pinset.resolve, name) is getattr(explain, name)
        assert name in pinset.resolve.__all__
    for name in pinset.cache.MAINTENANCE:
        assert getattr(pinset.cache, name) is getattr(maintenance, name)
        assert name in pinset.cache.__all__


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nowhere'"):
        _ = pinset.resolve.Nowhere  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="no attribute 'nowhere'"):
        _ = pinset.cache.nowhere  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        from pinset.resolve import Nowhere  # type: ignore[attr-defined]  # noqa: F401
