"""A page's links made only for the versions judged, each still checked as hostile input."""

from __future__ import annotations

import json

from packaging.utils import canonicalize_name
from packaging.version import Version

from pinset.binary import BinaryPolicy
from pinset.dists import Candidate
from pinset.index.evaluate import LinkEvaluator, sort_key
from pinset.index.simple_json import parse_json, parse_json_files
from pinset.index.versions import VersionGroups, group_page
from pinset.links import Link, PageFiles
from tests.helpers.interpreters import interpreter

BASE = "https://example.org/simple/demo/"
TARGET = interpreter((3, 11, 0))
NAME = canonicalize_name("demo")


def _entry(filename: str, url: str | None = None) -> dict[str, object]:
    return {"filename": filename, "url": url or filename, "hashes": {"sha256": "a" * 64}}


def _page(*entries: object) -> bytes:
    return json.dumps({"meta": {"api-version": "1.1"}, "files": list(entries)}).encode()


def _order(candidate: Candidate) -> object:
    return sort_key(candidate, TARGET, BinaryPolicy())


def _groups(files: PageFiles) -> VersionGroups:
    evaluator = LinkEvaluator(TARGET, BinaryPolicy())
    return VersionGroups(evaluator, NAME, [group_page(files, NAME, evaluator)], _order)


HOSTILE_PAGE = _page(
    _entry("demo-3.0-py3-none-any.whl", "javascript:alert(1)"),
    _entry("demo-3.0.tar.gz"),
    _entry("demo-2.0-py3-none-any.whl", "file:///etc/passwd"),
    _entry("demo-1.0-py3-none-any.whl"),
    _entry("../evil-1.0-py3-none-any.whl"),
    _entry("other-9.0-py3-none-any.whl"),
)


def test_a_file_with_a_hostile_url_is_never_chosen() -> None:
    files = parse_json_files(HOSTILE_PAGE, BASE)
    offered = _groups(files).offered(by_version=True)
    assert [str(v) for v in offered.versions()] == ["3.0", "2.0", "1.0"]
    best = offered.best(Version("3.0"))
    assert best is not None
    assert best.link.url == BASE + "demo-3.0.tar.gz"  # the wheel's javascript: URL dropped
    assert offered.best(Version("2.0")) is None  # a remote page's file: URL dropped
    assert [c.link.filename for c in offered] == [
        "demo-3.0.tar.gz",
        "demo-1.0-py3-none-any.whl",
    ]


def test_the_links_made_are_the_links_parse_json_gives() -> None:
    files = parse_json_files(HOSTILE_PAGE, BASE)
    assert "../evil-1.0-py3-none-any.whl" not in files.names
    assert files.links() == parse_json(HOSTILE_PAGE, BASE)
    assert [link.filename for link in files.links()] == [
        "demo-3.0.tar.gz",
        "demo-1.0-py3-none-any.whl",
        "other-9.0-py3-none-any.whl",
    ]


def test_links_are_made_only_for_the_versions_judged_and_once() -> None:
    made: list[str] = []
    links = [Link(url=BASE + f, filename=f) for f in _filenames()]

    def make(link: Link) -> Link:
        made.append(link.filename)
        return link

    groups = _groups(PageFiles([ln.filename for ln in links], links, make))
    offered = groups.offered(by_version=True)
    assert offered.best(Version("3.0")) is not None
    assert offered.best(Version("3.0")) is not None
    assert sorted(made) == ["demo-3.0-py3-none-any.whl", "demo-3.0.tar.gz"]
    # an error's rejections judge every version: every usable link is made, once each
    rejections = groups.rejections(offered)
    assert sorted(made) == sorted(_filenames())
    assert [r.link.filename for r in rejections] == ["demo-2.0-cp27-none-any.whl", "other-1.tar.gz"]


def _filenames() -> list[str]:
    return [
        "demo-3.0-py3-none-any.whl",
        "demo-3.0.tar.gz",
        "demo-2.0-cp27-none-any.whl",
        "other-1.tar.gz",
        "demo-1.0.tar.gz",
    ]
