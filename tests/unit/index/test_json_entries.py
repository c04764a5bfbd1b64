"""A page's entries found without decoding them: wherever the scan answers, it answers what
decoding the whole page gives, entry for entry; any page it cannot read exactly is left to
the whole decoding (None)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pinset.index.json_entries import scan_files
from pinset.index.simple_json import PageFormatError, parse_json, parse_json_files

BASE = "https://example.org/simple/demo/"
STYLES: list[dict[str, Any]] = [
    {},  # json.dumps's default: ", " and ": "
    {"separators": (",", ":")},  # PyPI's compact form
    {"indent": 1},
    {"indent": "\t", "separators": (" ,", " : ")},
]


def _entry(version: str, **more: object) -> dict[str, object]:
    return {
        "core-metadata": False,
        "filename": f"demo-{version}.tar.gz",
        "hashes": {"sha256": "a" * 64},
        "requires-python": ">=3.8",
        "size": 12,
        "url": f"https://files.example/demo-{version}.tar.gz",
        "yanked": False,
        **more,
    }


def _document(files: list[object], style: dict[str, Any], **top: object) -> bytes:
    doc = {"alternate-locations": [], "files": files, "meta": {"api-version": "1.1"}, **top}
    return json.dumps(doc, **style).encode()


def _same_as_decoding(body: bytes) -> bool:
    """Whether the scan reads ``body`` (True) as decoding it whole does, or leaves it (False);
    a scan that reads it otherwise fails the test."""
    scanned = scan_files(body)
    if scanned is None:
        return False
    whole = json.loads(body)
    files = whole.pop("files")
    doc, names, entries = scanned
    assert doc == {**whole, "files": []}
    assert names == [entry["filename"] for entry in files]
    assert [entries[at] for at in range(len(entries))] == files
    return True


@pytest.mark.parametrize("style", STYLES)
def test_plain_pages_are_scanned_exactly(style: dict[str, Any]) -> None:
    files: list[object] = [
        _entry("1.0"),
        _entry("1.1", yanked='broken: see }, { and {"x"}'),
        _entry("1.2", **{"core-metadata": {"sha256": "c" * 64}, "note": "}]{"}),
        _entry("1.3", **{"data-dist-info-metadata": True, "provenance": None, "x": -1.5e3}),
    ]
    assert not _same_as_decoding(_document(files, style))  # a backslash: decoded whole
    files[1] = _entry("1.1", yanked="broken: see } and {x}")
    assert _same_as_decoding(_document(files, style))
    assert _same_as_decoding(_document([], style))
    assert _same_as_decoding(_document(files[:1], style, versions=["1.0", "files?"]))
    # a separator inside a string: the entry split there is joined again (when the page
    # writes its separators so), else the page is decoded whole; never read otherwise
    files[1] = _entry("1.1", yanked="broken: see }, { and {x}")
    assert _same_as_decoding(_document(files, style)) == (style == {})


@pytest.mark.parametrize(
    "files",
    [
        [_entry("1.0", hashes={"sha256": "a" * 64, "filename": "evil-1.0.tar.gz"})],
        [{"url": "x", "hashes": {"filename": "evil-1.0.tar.gz"}}],  # only a nested one
        [_entry("1.0", extra=["a list"])],
        [_entry("1.0", extra=[{"filename": "evil-1.0.tar.gz"}])],
        [{"filename": 5}],
        [{"filename": "a"}, 5, {"filename": "b"}],
        [{"url": "no name"}],
        ["demo-1.0.tar.gz"],
        [_entry("1.0"), {**_entry("2.0"), "filename": "demo-2.0.zip"}, {"filename": "x\u00e9"}],
    ],
)
@pytest.mark.parametrize("style", STYLES)
def test_pages_of_another_shape_are_decoded_whole_or_exactly(
    files: list[object], style: dict[str, Any]
) -> None:
    body = _document(files, style)
    if not _same_as_decoding(body):
        # what the scan leaves, parse_json_files decodes whole: the same files either way
        assert parse_json(body, BASE) == parse_json_files(body, BASE).links()


@pytest.mark.parametrize(
    "body",
    [
        b'{"files": [], "files": [{"filename": "demo-1.0.tar.gz"}]}',
        b'{"files": [{"filename": "demo-1.0.tar.gz"}], "files": []}',
        b'{"files": [{"filename": "demo-1.0.tar.gz"}], "name": "files"}',
        b'\xef\xbb\xbf{"files": [{"filename": "demo-1.0.tar.gz"}]}',
        b'{"files": [{"filename": "demo-1.0.tar.gz"}]} trailing',
        b'{"files": [{"filename": "demo-1.0.tar.gz"}]',
        b'{"files": [{"filename": "demo-1.0.tar.gz"}], "meta": {"api-version": "2.0"}}',
        b'{"files": [{"filename": "demo-\xff.tar.gz"}]}',
        b'{"files": [{"filename": "demo-1.0.tar.gz"}]]}',
        b'{"files": [{"filename": "demo-1.0.tar.gz"},]}',
    ],
)
def test_a_document_the_scan_does_not_read_exactly_is_left_whole(body: bytes) -> None:
    try:
        expected: object = json.loads(body)
    except ValueError:
        expected = None
    scanned = scan_files(body)
    if scanned is not None:  # read exactly, or not at all
        assert isinstance(expected, dict)
        assert scanned[1] == [e["filename"] for e in expected["files"]]


def test_refusals_of_unreadable_pages_are_unchanged() -> None:
    for body, message in [
        (b'{"files": [{"filename": "demo-1.0.tar.gz"}]', "not valid JSON"),
        (b'{"files": [{"filename": "demo-1.0.tar.gz"}], "meta": {"api-version": "2.0"}}', "2.0"),
        (b'{"files": [], "files": 3}', "not a PEP 691 project page"),
    ]:
        with pytest.raises(PageFormatError, match=message):
            parse_json(body, BASE)


def test_an_entry_that_is_not_json_is_an_unusable_entry() -> None:
    # what the scan does not check: the text inside an entry, read when its version is judged
    body = (
        b'{"files": [{"filename": "demo-1.0.tar.gz", "url": "demo-1.0.tar.gz"}, '
        b'{"filename": "demo-2.0.tar.gz", "url": nonsense}]}'
    )
    files = parse_json_files(body, BASE)
    assert list(files.names) == ["demo-1.0.tar.gz", "demo-2.0.tar.gz"]
    assert files.link(1) is None
    assert [link.filename for link in files.links()] == ["demo-1.0.tar.gz"]


_text = st.text(alphabet='ab-{}[],:" \\\t\u00e9', max_size=8)
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=5,
)
_keys = st.sampled_from(["filename", "url", "hashes", "yanked", "size", "x"]) | _text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.dictionaries(_keys, _values | _text.map(lambda t: f"demo-{t}.tar.gz"))),
    st.sampled_from(STYLES),
)
def test_any_page_is_scanned_exactly_or_left_whole(
    files: list[dict[str, object]], style: dict[str, Any]
) -> None:
    body = _document(files, style)  # type: ignore[arg-type]
    if not _same_as_decoding(body):
        assert scan_files(body) is None


@pytest.mark.parametrize(
    "body",
    [
        '{"m": {' + '"a": 1 ' * 60 + "x",  # members without commas: read one way only
        '{"m": [' + "1 " * 60 + "x",
        '{"m": {"a": 1' + " " * 100_000 + "x",
        '{"files": [{"filename": "a"}' + "}, {" * 100_000 + "]}",
    ],
)
def test_a_malformed_document_is_refused_at_once(body: str) -> None:
    # a pattern that could read a text in many ways takes exponential time to refuse it
    assert scan_files(body.encode()) is None


_plain = st.text(alphabet="ab-.{}[],: \t", max_size=6) | st.sampled_from(
    ["}, {", "},{", "} ,{", "filename", "]", '"']
)
_scalar = st.none() | st.booleans() | st.integers() | _plain
_member = st.sampled_from(["url", "hashes", "yanked", "x", "filename"]) | _plain
_named = st.builds(
    lambda name, more: {**more, "filename": name},
    _plain,
    st.dictionaries(
        _member,
        _scalar | st.dictionaries(_plain, _scalar, max_size=2) | st.lists(_scalar, max_size=2),
        max_size=3,
    ),
)
_element = _named | _named | _named | st.dictionaries(_plain, _scalar, max_size=2) | _scalar
_SPELLINGS = ["}, {", "},{", "} ,{", "}, \n{"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_element, max_size=5),
    st.sampled_from(STYLES[:3]),
    st.lists(st.sampled_from(_SPELLINGS), max_size=3),
    st.booleans(),
)
def test_entries_split_anywhere_are_read_exactly_or_left_whole(
    files: list[object], style: dict[str, Any], spellings: list[str], first: bool
) -> None:
    # mostly named entries, separators and file-name keys inside strings, entries that are not
    # objects or have no name, and some separators spelled otherwise (in strings too: the
    # truth is what json reads)
    top = {"meta": {"api-version": "1.1"}, "versions": ["1", "files?"]}
    text = json.dumps({"files": files, **top} if first else {**top, "files": files}, **style)
    for at, spelling in enumerate(spellings):
        for old in ("}, {", "},{"):
            place = text.find(old, len(text) * at // 4)
            if place >= 0:
                text = text[:place] + spelling + text[place + len(old) :]
                break
    body = text.encode()
    try:
        json.loads(body)
    except ValueError:
        return  # a respelling inside a key made it invalid: not a page to compare with
    if not _same_as_decoding(body):
        assert scan_files(body) is None


@pytest.mark.parametrize("style", STYLES)
def test_a_file_name_within_a_nested_object_is_never_an_entrys(style: dict[str, Any]) -> None:
    # the braces of a string before it must not hide the nested object (json drops the entry)
    nested = {"a": "}", "b": {"filename": "demo-9.0.tar.gz"}, "url": "x"}
    body = _document([_entry("1.0"), nested], style)
    if not _same_as_decoding(body):
        assert parse_json(body, BASE) == parse_json_files(body, BASE).links()
    assert [link.filename for link in parse_json_files(body, BASE).links()] == ["demo-1.0.tar.gz"]
