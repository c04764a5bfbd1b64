"""The one credential redactor (``pinset.redaction``): URLs, free text, and a caret's column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pinset.redaction import redact_at, redact_text, redact_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:secret@host/x", "https://user:****@host/x"),
        ("https://token@host/simple/", "https://****@host/simple/"),
        ("https://user:@host/", "https://user:****@host/"),
        ("https://u:p%40ss@host:8443/a?b=c#d", "https://u:****@host:8443/a?b=c#d"),
        ("https://u:p@ss@host/x", "https://u:****@host/x"),
        ("https://host/path@not-userinfo", "https://host/path@not-userinfo"),
        ("https://host/x", "https://host/x"),
        ("git+https://u:tok@github.com/o/r.git@v1", "git+https://u:****@github.com/o/r.git@v1"),
        ("/local/path", "/local/path"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_redact_text_redacts_every_url() -> None:
    text = (
        "could not fetch https://a:pw1@one.example/simple/ (redirected from "
        "http://tok2@two.example:81/x), see https://three.example/y and mail me@example.org"
    )
    assert redact_text(text) == (
        "could not fetch https://a:****@one.example/simple/ (redirected from "
        "http://****@two.example:81/x), see https://three.example/y and mail me@example.org"
    )


# valid userinfo never holds whitespace or control characters (they must be percent-encoded)
userinfo_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Zs", "Zl", "Zp", "Cc"), blacklist_characters="/?#"
    ),
    min_size=1,
)


@given(user=userinfo_text.filter(lambda u: ":" not in u), password=userinfo_text)
def test_redaction_never_shows_the_password(user: str, password: str) -> None:
    url = f"https://{user}:{password}@index.example/simple/pkg/"
    shown = redact_url(url)
    assert shown.endswith("@index.example/simple/pkg/")
    assert shown.startswith("https://")
    assert "****" in shown
    in_text = redact_text(f"error: {url} failed")
    assert in_text == f"error: {shown} failed"


def test_redact_at_follows_the_column() -> None:
    line = "pkg @ https://user:longsecret@host/pkg.whl ; extra"
    shown, column = redact_at(line, line.index(";") + 1)
    assert shown == "pkg @ https://user:****@host/pkg.whl ; extra"
    assert shown[column - 1] == ";"
    inside, at = redact_at(line, line.index("longsecret") + 3)
    assert inside[at - 1 :].startswith("user:****")
    assert redact_at("no url here", 4) == ("no url here", 4)


_URLISH = st.text(alphabet="ab9_é+.-:/@?# \n\t", max_size=60)


@given(_URLISH)
def test_redact_text_hides_what_a_full_scan_hides(text: str) -> None:
    # redact_text looks only around each "://"; redact_at scans every character
    assert redact_text(text) == redact_at(text, 1)[0]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a://u@x://v:p@h/", "a://****@x://v:****@h/"),
        ("é_https://u:p@h", "é_https://u:****@h"),
        ("_https://u:p@h", "_https://u:****@h"),
        (
            "see https://a.b/c and mail@x.org, git+https://tok@host/r",
            "see https://a.b/c and mail@x.org, git+https://****@host/r",
        ),
        ("x" * 100_000 + " https://u:p@h " + "y@" * 1000, None),
    ],
)
def test_redact_text_at_the_edges(text: str, shown: str | None) -> None:
    assert redact_text(text) == (shown if shown is not None else redact_at(text, 1)[0])
    assert "u:p@" not in redact_text(text)
