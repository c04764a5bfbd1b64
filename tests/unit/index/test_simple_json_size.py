"""PEP 700 ``size`` on PEP 691 file entries: kept when it is a plain non-negative integer."""

from __future__ import annotations

import json

import pytest

from pinset.index.simple_json import parse_json

BASE = "https://example.org/simple/demo/"


def _link_size(size: object) -> int | None:
    entry = {"filename": "demo-1.0-py3-none-any.whl", "url": "x.whl", "hashes": {}, "size": size}
    body = json.dumps({"meta": {"api-version": "1.1"}, "name": "demo", "files": [entry]})
    (link,) = parse_json(body.encode(), BASE)
    return link.size


def test_size_is_read() -> None:
    assert _link_size(123_456) == 123_456
    assert _link_size(0) == 0


@pytest.mark.parametrize("size", [-1, True, "12", 1.5, None, [1]])
def test_invalid_size_is_unknown(size: object) -> None:
    assert _link_size(size) is None
