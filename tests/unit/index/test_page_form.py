"""Pages kept parsed: a kept form offers exactly what its page offers, only for that very
page body, and a form that is damaged in any byte is ignored."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import NormalizedName, canonicalize_name

from pinset.binary import BinaryPolicy
from pinset.dists import Candidate
from pinset.http.client import Response
from pinset.index import page_form
from pinset.index.evaluate import LinkEvaluator, Rejection, sort_key
from pinset.index.page_form import PageForms
from pinset.index.simple_json import JSON_CONTENT_TYPE, parse_json_files
from pinset.index.versions import PageVersions, group_page
from pinset.links import Link
from tests.helpers.interpreters import interpreter
from tests.helpers.page_offers import everything

BASE = "https://example.org/simple/demo/"
TARGET = interpreter((3, 11, 0))
NAME = canonicalize_name("demo")
SHA = "b" * 64


def _entry(filename: str, url: str | None = None, more: dict[str, object] | None = None) -> object:
    return {
        "filename": filename,
        "url": url or filename,
        "hashes": {"sha256": "a" * 64},
        **(more or {}),
    }


PAGE = json.dumps(
    {
        "meta": {"api-version": "1.1"},
        "files": [
            _entry("demo-3.0-py3-none-any.whl", "javascript:alert(1)"),
            _entry("demo-3.0.tar.gz", None, {"size": 1234, "requires-python": ">=3.8"}),
            _entry("demo-2.0-py3-none-any.whl", "file:///etc/passwd"),
            _entry("demo-2.0.tar.gz", None, {"yanked": "broken build", "core-metadata": True}),
            _entry("demo-1.0.0-cp27-none-any.whl", "https://files.example/demo-1.0.0.whl"),
            _entry("demo-1.0-1-py3-none-any.whl", None, {"core-metadata": {"sha256": "c" * 64}}),
            _entry("demo-1.0.zip", None, {"yanked": True}),
            _entry("demo-0.9.tar.gz", None, {"requires-python": ">=4"}),
            _entry("demo-junk!.tar.gz"),
            _entry("../evil-1.0-py3-none-any.whl"),
            _entry("other-9.0-py3-none-any.whl"),
            _entry("demo-0.1.tar.gz", None, {"hashes": {"sha256": ["not", "a", "hash"]}}),
        ],
    }
).encode()


def _response(body: bytes = PAGE, *, digest: str | None = None, **headers: str) -> Response:
    return Response(
        BASE,
        200,
        {"content-type": JSON_CONTENT_TYPE, **headers},
        body,
        from_cache=True,
        digest=hashlib.sha256(body).hexdigest() if digest is None else digest,
    )


def _reader() -> LinkEvaluator:
    return LinkEvaluator(TARGET, BinaryPolicy())


def _order(candidate: Candidate) -> object:
    return sort_key(candidate, TARGET, BinaryPolicy())


def _parsed(body: bytes = PAGE) -> PageVersions:
    return group_page(parse_json_files(body, BASE, source="idx"), NAME, _reader())


def _kept(tmp_path: Path, response: Response | None = None) -> PageVersions | None:
    forms = PageForms(tmp_path)
    response = response or _response()
    forms.store(response, NAME, _parsed(response.body))
    head = _response(b"", digest=response.digest)
    return forms.load(head, NAME, _reader(), "idx")


def _everything(page: PageVersions) -> tuple[list[str], list[list[Link]], list[Rejection]]:
    return everything(page, NAME, TARGET)


def test_a_kept_page_offers_exactly_what_the_page_offers(tmp_path: Path) -> None:
    kept = _kept(tmp_path)
    assert kept is not None
    assert _everything(kept) == _everything(_parsed())
    assert list(kept.by_version) == sorted(kept.by_version, reverse=True)  # kept newest first
    versions, files, rejections = _everything(kept)
    assert versions == ["3.0", "2.0", "1.0.0", "0.9", "0.1"]
    by_version = dict(zip(versions, files, strict=True))
    # hostile URLs are dropped from the kept form as from the page
    assert [ln.url for ln in by_version["3.0"]] == [BASE + "demo-3.0.tar.gz"]
    assert by_version["3.0"][0].size == 1234
    assert by_version["3.0"][0].requires_python == ">=3.8"
    # yanked flags and reasons, core metadata, build-tag wheels: kept
    assert [(ln.filename, ln.yanked, ln.metadata) for ln in by_version["2.0"]] == [
        ("demo-2.0.tar.gz", "broken build", ())
    ]
    assert [(ln.filename, ln.yanked, ln.metadata) for ln in by_version["1.0.0"]] == [
        ("demo-1.0-1-py3-none-any.whl", None, (("sha256", "c" * 64),)),
        ("demo-1.0.zip", "", None),
    ]
    assert by_version["0.1"][0].hashes == ()
    assert {r.kind for r in rejections} == {"tags", "requires-python", "filename", "name"}


def test_a_form_serves_only_the_body_it_was_made_from(tmp_path: Path) -> None:
    forms = PageForms(tmp_path)
    response = _response()
    forms.store(response, NAME, _parsed())
    reader = _reader()
    assert forms.load(_response(b"", digest=response.digest), NAME, reader, "idx") is not None
    # the page changed (another body), another project, a page now HTML, or not a 200
    assert forms.load(_response(b"", digest="c" * 64), NAME, reader, "idx") is None
    other = NormalizedName("other")
    assert forms.load(_response(b"", digest=response.digest), other, reader, "idx") is None
    html = _response(b"", digest=response.digest, **{"content-type": "text/html"})
    assert forms.load(html, NAME, reader, "idx") is None
    gone = Response(BASE, 404, response.headers, b"", from_cache=True, digest=response.digest)
    assert forms.load(gone, NAME, reader, "idx") is None


def test_nothing_is_kept_for_a_page_the_http_cache_does_not_hold(tmp_path: Path) -> None:
    forms = PageForms(tmp_path)
    forms.store(_response(digest=""), NAME, _parsed())
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_form_damaged_in_any_byte_or_cut_short_is_ignored(tmp_path: Path) -> None:
    assert _kept(tmp_path) is not None
    (path,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    good = path.read_bytes()
    head = _response(b"", digest=_response().digest)
    for at in range(len(good)):
        damaged = bytearray(good)
        damaged[at] ^= 0x20
        path.write_bytes(bytes(damaged))
        assert PageForms(tmp_path).load(head, NAME, _reader(), "idx") is None, at
    for size in (0, 10, len(good) // 2, len(good) - 1):
        path.write_bytes(good[:size])
        assert PageForms(tmp_path).load(head, NAME, _reader(), "idx") is None, size
    path.write_bytes(good + b"\0")
    assert PageForms(tmp_path).load(head, NAME, _reader(), "idx") is None


def test_a_form_of_another_packaging_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(page_form, "_FORMAT", ("0.1", "little", 4))
        assert _kept(tmp_path) is not None
    head = _response(b"", digest=_response().digest)
    assert PageForms(tmp_path).load(head, NAME, _reader(), "idx") is None


def test_a_kept_page_of_many_files_reads_back_every_file(tmp_path: Path) -> None:
    # 3 files of each of 70 versions, a version's files far apart on the page
    files = [_entry(f"demo-{v}.{kind}") for kind in ("tar.gz", "zip") for v in range(70)]
    files += [_entry(f"demo-{v}-py3-none-any.whl", None, {"yanked": str(v)}) for v in range(70)]
    body = json.dumps({"meta": {"api-version": "1.0"}, "files": files}).encode()
    kept = _kept(tmp_path, _response(body))
    assert kept is not None
    assert _everything(kept) == _everything(_parsed(body))
    _, found, _ = _everything(kept)
    assert len(found) == 70
    assert all(len(links) == 3 for links in found)
    assert {ln.yanked for links in found for ln in links} == {None, *map(str, range(70))}


_SHAPES: dict[str, dict[str, Any]] = {
    "default": {},
    "compact": {"separators": (",", ":")},
    "indented": {"indent": 2},
    "unicode": {"ensure_ascii": False},
}


@pytest.mark.parametrize("shape", sorted(_SHAPES))
@pytest.mark.parametrize(
    "more",
    [
        {},
        {"yanked": "see }, { and },{ here"},  # a separator inside a string: entries rejoined
        {"yanked": "caf\u00e9"},  # not ASCII (written as is by the unicode shape)
        {"yanked": 'a "quoted" reason'},  # an escape: the page decoded whole
    ],
)
def test_a_kept_page_of_any_shape_reads_back_every_file(
    tmp_path: Path, shape: str, more: dict[str, object]
) -> None:
    files = [_entry(f"demo-{v}.tar.gz", None, more if v % 3 == 1 else None) for v in range(9)]
    files.insert(4, _entry("../evil-1.0.tar.gz"))  # an unusable name: the others kept apart
    body = json.dumps({"files": files, "meta": {"api-version": "1.1"}}, **_SHAPES[shape])
    for page in (body, body.replace('"../evil-1.0.tar.gz"', '"demo-0.5.tar.gz"')):
        response = _response(page.encode())
        kept = _kept(tmp_path, response)
        assert kept is not None
        assert _everything(kept) == _everything(_parsed(response.body))
        _, found, _ = _everything(kept)
        assert sum(len(links) for links in found) == 9 + ("0.5" in page)
