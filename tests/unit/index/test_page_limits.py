"""Pages beyond what pinset reads are an error, never silently cut (a cut page would become
a wrong "no version satisfies")."""

from __future__ import annotations

import json

import pytest

from pinset.http.body import ResponseTooLarge
from pinset.index import simple_html, simple_json
from pinset.index.simple_html import parse_html
from pinset.index.simple_json import parse_json

BASE = "https://example.org/simple/demo/"


def _html(count: int) -> bytes:
    return "".join(f'<a href="demo-{i}.tar.gz">x</a>\n' for i in range(count)).encode()


def _json(count: int) -> bytes:
    files = [{"filename": f"demo-{i}.tar.gz", "url": f"demo-{i}.tar.gz"} for i in range(count)]
    return json.dumps({"meta": {"api-version": "1.0"}, "files": files}).encode()


def test_every_link_up_to_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simple_html, "MAX_LINKS", 50)
    monkeypatch.setattr(simple_json, "MAX_LINKS", 50)
    assert len(parse_html(_html(50), BASE, source="idx")) == 50
    assert len(parse_json(_json(50), BASE, source="idx")) == 50


def test_more_links_than_pinset_reads_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simple_html, "MAX_LINKS", 50)
    monkeypatch.setattr(simple_json, "MAX_LINKS", 50)
    for parse, body in ((parse_html, _html(51)), (parse_json, _json(51))):
        with pytest.raises(ResponseTooLarge) as info:
            parse(body, BASE, source="https://idx.example/simple")
        assert "lists more than 50 files" in info.value.message
        assert BASE in info.value.message
        assert info.value.hint


def test_the_real_limit_is_far_above_real_indexes() -> None:
    assert simple_html.MAX_LINKS >= 200_000
    assert simple_json.MAX_LINKS == simple_html.MAX_LINKS  # type: ignore[attr-defined]


def test_a_page_larger_than_the_cap_is_an_error_not_a_prefix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(simple_html, "MAX_PAGE_BYTES", 1000)
    monkeypatch.setattr(simple_json, "MAX_PAGE_BYTES", 1000)
    with pytest.raises(ResponseTooLarge):
        parse_html(_html(100), BASE)
    with pytest.raises(ResponseTooLarge):
        parse_json(_json(100), BASE)
