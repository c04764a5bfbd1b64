"""PEP 691 pages, including hostile ones."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinset.index.simple_json import PageFormatError, parse_json

BASE = "https://example.org/simple/demo/"
SHA = "b" * 64


def _page(files: list[object], version: str = "1.1") -> bytes:
    return json.dumps({"meta": {"api-version": version}, "name": "demo", "files": files}).encode()


def test_fields_are_read() -> None:
    body = _page(
        [
            {
                "filename": "demo-1.0.tar.gz",
                "url": "../../files/demo-1.0.tar.gz",
                "hashes": {"sha256": SHA, "whirlpool": "x"},
                "requires-python": ">=3.9",
                "yanked": "broken",
                "core-metadata": {"sha256": SHA},
            },
            {
                "filename": "demo-1.0-py3-none-any.whl",
                "url": "https://cdn/x.whl",
                "hashes": {},
                "yanked": False,
                "dist-info-metadata": True,
            },
        ]
    )
    sdist, wheel = parse_json(body, BASE, source="idx")
    assert sdist.url == "https://example.org/files/demo-1.0.tar.gz"
    assert sdist.hashes == (("sha256", SHA),)
    assert sdist.requires_python == ">=3.9"
    assert sdist.yanked == "broken"
    assert sdist.metadata == (("sha256", SHA),)
    assert wheel.filename == "demo-1.0-py3-none-any.whl"
    assert wheel.yanked is None
    assert wheel.metadata == ()


def test_yanked_true_is_yanked_without_reason() -> None:
    (link,) = parse_json(_page([{"filename": "d-1.tar.gz", "url": "d", "yanked": True}]), BASE)
    assert link.yanked == ""


def test_bad_entries_are_skipped() -> None:
    body = _page(
        [
            "not an object",
            3,
            None,
            {"filename": 5, "url": "x"},
            {"filename": "../../etc/passwd", "url": "x"},
            {"filename": "d-1.tar.gz", "url": "javascript:alert(1)"},
            {"filename": "d-1.tar.gz"},
            {
                "filename": "d-1.tar.gz",
                "url": "d-1.tar.gz",
                "hashes": ["list"],
                "yanked": 7,
                "requires-python": {"x": 1},
                "core-metadata": "yes",
            },
        ]
    )
    (link,) = parse_json(body, BASE)
    assert link.hashes == ()
    assert link.yanked is None
    assert link.requires_python is None
    assert link.metadata is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "not a PEP 691 project page"),
        (b'{"files": 3}', "not a PEP 691 project page"),
        (_page([], version="2.0"), "version '2.0'"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_unreadable_documents_raise_a_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(PageFormatError, match=message):
        parse_json(body, BASE)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=6,
)
file_keys = st.sampled_from(
    [
        "filename",
        "url",
        "hashes",
        "yanked",
        "requires-python",
        "core-metadata",
        "dist-info-metadata",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(file_keys, json_values | st.just("d-1.tar.gz")), max_size=3))
def test_any_file_entries_parse_without_error(files: list[dict[str, object]]) -> None:
    for link in parse_json(_page(files), BASE):  # type: ignore[arg-type]
        assert link.url.startswith(("http://", "https://"))
        assert "/" not in link.filename


@given(
    st.text(alphabet="ab/.:%@!$&'()*+,=~-_[] \x00é?#;\t\\", max_size=16),
    st.sampled_from(["https://", "http://", "", "/", "//"]),
)
@settings(max_examples=300, deadline=None)
def test_urls_are_what_urljoin_gives(tail: str, prefix: str) -> None:
    """The fast path for absolute https URLs reads every href as urljoin does; an href
    urljoin cannot read (a malformed IPv6 host) drops the file, never the page."""
    import urllib.parse

    href = prefix + tail
    body = json.dumps({"files": [{"filename": "p-1.0.tar.gz", "url": href}]}).encode()
    links = parse_json(body, BASE)
    try:
        expected = urllib.parse.urljoin(BASE, href)
    except ValueError:
        assert links == []
        return
    assert [link.url for link in links] in ([expected], [])


def test_sha256_fast_path_matches_the_general_rule() -> None:
    digest = "AB" * 32
    files = [
        {"filename": "p-1.0.tar.gz", "url": "p-1.0.tar.gz", "hashes": {"sha256": digest}},
        {"filename": "p-1.1.tar.gz", "url": "p-1.1.tar.gz", "hashes": {"sha256": digest[:-1]}},
        {"filename": "p-1.2.tar.gz", "url": "p-1.2.tar.gz", "hashes": {"sha256": digest + "\n"}},
    ]
    from pinset.index.simple_html import parse_hash

    links = parse_json(json.dumps({"files": files}).encode(), BASE)
    general = [parse_hash(f"sha256={f['hashes']['sha256']}") for f in files]  # type: ignore[index]
    assert [link.hashes for link in links] == [(h,) if h else () for h in general]
    assert general[1] is None
