"""PEP 503 pages, including hostile ones: what links a user's install would see."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pinset.index.simple_html import parse_hash, parse_html, parse_metadata_attr

BASE = "https://example.org/simple/demo/"
SHA = "a" * 64


def test_relative_links_resolve_against_page_and_keep_attributes() -> None:
    page = f"""<html><body>
    <a href="../../files/demo-1.0.tar.gz#sha256={SHA}" data-requires-python="&gt;=3.8"
       data-yanked="bad build" data-core-metadata="sha256={SHA}">demo-1.0.tar.gz</a>
    <a href="https://cdn.example.org/demo-2.0-py3-none-any.whl"
       data-dist-info-metadata="true">x</a>
    </body></html>"""
    first, second = parse_html(page, BASE, source="idx")
    assert first.url == f"https://example.org/files/demo-1.0.tar.gz#sha256={SHA}"
    assert first.url_without_fragment == "https://example.org/files/demo-1.0.tar.gz"
    assert first.filename == "demo-1.0.tar.gz"
    assert first.hashes == (("sha256", SHA),)
    assert first.requires_python == ">=3.8"
    assert first.yanked == "bad build"
    assert first.metadata == (("sha256", SHA),)
    assert first.source == "idx"
    assert second.yanked is None
    assert second.metadata == ()
    assert second.metadata_url == "https://cdn.example.org/demo-2.0-py3-none-any.whl.metadata"


def test_empty_yanked_attribute_means_yanked_without_reason() -> None:
    (link,) = parse_html('<a href="demo-1.0.tar.gz" data-yanked>d</a>', BASE)
    assert link.yanked == ""


def test_core_metadata_wins_over_dist_info_metadata() -> None:
    html = f'<a href="d-1.whl" data-dist-info-metadata="true" data-core-metadata="sha256={SHA}">'
    (link,) = parse_html(html, BASE)
    assert link.metadata == (("sha256", SHA),)


def test_base_href_changes_resolution() -> None:
    html = '<base href="https://mirror.example/pkgs/"><a href="demo-1.0.tar.gz">d</a>'
    (link,) = parse_html(html, BASE)
    assert link.url == "https://mirror.example/pkgs/demo-1.0.tar.gz"


def test_hostile_links_are_dropped() -> None:
    html = """
    <a href="javascript:alert(1)">x</a>
    <a href="data:text/plain,hi">x</a>
    <a>no href</a>
    <a href="">empty</a>
    <a href="https://example.org/dir/">a directory</a>
    <a href="demo-1.0.tar.gz#sha256=nothex">bad hash</a>
    <a href="demo-1.0.tar.gz#md5=abc">short hash</a>
    <a href="demo-1.0.tar.gz#whirlpool=aa">unknown algorithm</a>
    """
    links = parse_html(html, BASE)
    assert [ln.filename for ln in links] == ["demo-1.0.tar.gz"] * 3
    assert all(ln.hashes == () for ln in links)


def test_garbage_markup_never_raises() -> None:
    for page in [
        "<a href='x.whl'",
        '<<<>>><a href="y.whl">',
        "<!-- unterminated",
        "<![CDATA[",
        "\x00\xff<a href=z-1.tar.gz>",
        '<a href="' + "q" * 100_000 + '">',
    ]:
        parse_html(page, BASE)


def test_pathological_pages_are_read_in_linear_time() -> None:
    # each of these took html.parser minutes when fed whole; scanned tag by tag they are instant
    for page in ["<a " * 200_000, "<" * 1_000_000, '<a href="' * 200_000, "<!--" * 200_000]:
        assert parse_html(page, BASE) == []


def test_anchors_in_comments_and_unclosed_tags_are_ignored() -> None:
    page = (
        '<!-- <a href="hidden-1.0.tar.gz"> --><A HREF="shown-1.0.tar.gz">s</A>'
        '<a title="x > y" href="quoted-1.0.tar.gz">q</a><abbr href="no-1.0.tar.gz">'
        '<a href="never-closed-1.0.tar.gz"'
    )
    assert [ln.filename for ln in parse_html(page, BASE)] == [
        "shown-1.0.tar.gz",
        "quoted-1.0.tar.gz",
    ]


def test_bytes_with_bad_encoding_are_replaced_not_fatal() -> None:
    (link,) = parse_html(b'<a href="demo-1.0.tar.gz">\xff\xfe</a>', BASE)
    assert link.filename == "demo-1.0.tar.gz"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_parses_without_error(text: str) -> None:
    for link in parse_html(text, BASE):
        assert link.url.startswith(("http://", "https://", "file:"))


def test_parse_hash_checks_length_and_hex() -> None:
    assert parse_hash("SHA256=" + "A" * 64) == ("sha256", "a" * 64)
    assert parse_hash("sha256=" + "a" * 63) is None
    assert parse_hash("sha256") is None
    assert parse_metadata_attr(None) is None
    assert parse_metadata_attr("TRUE") == ()
    assert parse_metadata_attr("garbage") is None


def test_remote_page_may_not_link_local_files_but_local_page_may() -> None:
    html = '<a href="file:///etc/demo-1.0.tar.gz">x</a><a href="/abs/demo-1.1.tar.gz">y</a>'
    assert [ln.url for ln in parse_html(html, BASE)] == ["https://example.org/abs/demo-1.1.tar.gz"]
    local = [ln.url for ln in parse_html(html, "file:///srv/simple/demo/")]
    assert local == ["file:///etc/demo-1.0.tar.gz", "file:///abs/demo-1.1.tar.gz"]
