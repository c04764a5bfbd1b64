"""The one METADATA reader, on ordinary and hostile input."""

from __future__ import annotations

import email.parser
import email.policy
import re
import time

import pytest

from pinset.core_metadata import CoreMetadata

ORDINARY = [
    b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\nbody\n",
    b"Name: demo\nVersion: 1.0\nSummary: folded\n  over\n\tthree lines\n\nbody\n",
    b"Name: demo\r\nVersion: 1.0\r\nRequires-Dist: a\r\n"
    b"Requires-Dist: b ; extra == 'x'\r\n\r\nb\r\n",
    b"Name: demo\nVersion: 1.0\nDescription: first\n        |second\n        |\n\nbody\n",
    b"Name:demo\nVersion:    1.0   \nX-Custom: kept\n",
    b"Name: demo\nnot a header line\nVersion: 1.0\n",
    b"  orphan continuation\nName: demo\nVersion: 1.0\n",
    b"Name: demo\nName: second\nVersion: 1.0\n\n",
    b"",
    b"\n\nName: only-body\n",
]

_FOLD = re.compile(r"\r?\n[ \t]+")


def _as_email_reads_it(data: bytes) -> tuple[tuple[str, str], ...]:
    """What Python's email package (compat32) makes of the headers, unfolded like pinset."""
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data)
    pairs = []
    for key, value in message.items():
        text = str(value).replace("\r\n", "\n")
        pairs.append((key, text if key.lower() == "description" else _FOLD.sub(" ", text).strip()))
    return tuple(pairs)


@pytest.mark.parametrize("data", ORDINARY)
def test_headers_are_read_as_the_email_package_reads_them(data: bytes) -> None:
    assert CoreMetadata.from_bytes(data).headers == _as_email_reads_it(data)


def test_fields_body_and_headers_only() -> None:
    data = b"Name: demo\r\nVersion: 1.0\r\nRequires-Dist: a\r\n\r\nRequires-Dist: not-a-header\r\n"
    meta = CoreMetadata.from_bytes(data)
    assert (meta.get("name"), meta.get("VERSION")) == ("demo", "1.0")
    assert meta.get_all("Requires-Dist") == ["a"]
    assert meta.body == "Requires-Dist: not-a-header\n"
    quick = CoreMetadata.from_bytes(data, headers_only=True)
    assert (quick.headers, quick.body) == (meta.headers, "")


def test_old_mac_line_endings_end_lines_too() -> None:
    meta = CoreMetadata.from_bytes(b"Name: demo\rVersion: 1.0\r\rbody", headers_only=True)
    assert (meta.get("Name"), meta.get("Version")) == ("demo", "1.0")


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02 binary junk \xff\xfe",
        b"\xff\xfeN\x00a\x00m\x00e\x00",  # UTF-16
        b"PK\x03\x04" + bytes(range(256)) * 4,  # a zip, not metadata
        b": no name\n",
        b"Na me: x\n",
        b"\n" * 10_000,
    ],
)
def test_junk_gives_no_name_and_no_error(data: bytes) -> None:
    meta = CoreMetadata.from_bytes(data)
    assert meta.get("Name") is None
    assert meta.get_all("Requires-Dist") == []


def test_bytes_that_are_not_utf8_are_replaced_not_fatal() -> None:
    meta = CoreMetadata.from_bytes(b"Name: demo\nAuthor: Ren\xe9 \xc3\xa9\n")
    assert meta.get("Author") == "Ren\ufffd \u00e9"


def test_large_input_is_read_in_linear_time() -> None:
    """Eight hundred thousand lines take seconds (a reader that re-joins a folded value line by
    line takes minutes: the bound is loose so that a loaded machine does not fail it)."""
    lines = 400_000
    data = b"Classifier: x\n" * lines + b"Name: demo\n" + b" folded\n" * lines
    start = time.perf_counter()
    meta = CoreMetadata.from_bytes(data)
    assert time.perf_counter() - start < 60
    assert len(meta.get_all("Classifier")) == lines
    assert (meta.get("Name") or "").startswith("demo folded folded")


def test_invalid_requires_dist_is_skipped_with_a_warning() -> None:
    meta = CoreMetadata.from_bytes(
        b"Name: demo\nVersion: 1\nRequires-Dist: ok>=1\nRequires-Dist: bad >>> 1\n"
        b"Requires-Python: not a specifier\n"
    )
    warnings: list[str] = []
    assert [str(r) for r in meta.requires_dist(warnings.append)] == ["ok>=1"]
    assert len(warnings) == 1
    assert "bad >>> 1" in warnings[0]
    assert meta.requires_python() is None


def test_metadata_resolves_unlike_only_where_the_resolver_would_see_a_difference() -> None:
    base = b"Name: demo\nVersion: 1.0\nRequires-Python: >=3.8\nRequires-Dist: a>=1\n"
    same = CoreMetadata.from_bytes(base + b"Requires-Dist: b[y,x] ; extra == 'x'\n")
    respelled = CoreMetadata.from_bytes(
        b"Name: demo\nVersion: 1.0\nSummary: other\nRequires-Python:>= 3.8\n"
        b'Requires-Dist: a >= 1\nRequires-Dist: b[x,y]; extra == "x"\n\nbody\n'
    )
    assert same.resolves_unlike(same) == []
    assert same.resolves_unlike(respelled) == []
    other_dep = CoreMetadata.from_bytes(base + b"Requires-Dist: c\n")
    assert same.resolves_unlike(other_dep) == ["Requires-Dist"]
    other_python = CoreMetadata.from_bytes(
        b"Name: demo\nVersion: 1.0\nRequires-Python: >=3.9\nRequires-Dist: a>=1\n"
        b"Requires-Dist: b[y,x] ; extra == 'x'\nProvides-Extra: x\n"
    )
    assert same.resolves_unlike(other_python) == ["Requires-Python", "Provides-Extra"]
