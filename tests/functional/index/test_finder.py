"""The finder against a real index on 127.0.0.1 through the real HTTP client."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from pinset.binary import BinaryPolicy
from pinset.errors import NetworkError
from pinset.http.client import HttpClient, HttpConfig
from pinset.index.evaluate import summarize_rejections
from pinset.index.finder import Finder, IndexConfig, no_match_error
from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import JSON_TYPE, IndexServer
from tests.helpers.interpreters import interpreter

TARGET = interpreter((3, 10, 4))


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(HttpConfig(timeout=5, retries=2, backoff=0.01)) as http:
        yield http


@pytest.fixture
def dists(tmp_path: Path) -> Path:
    out = tmp_path / "dists"
    out.mkdir()
    return out


def _finder(client: HttpClient, *indexes: str, **options: object) -> Finder:
    config = IndexConfig(
        index_url=indexes[0] if indexes else None,
        extra_index_urls=tuple(indexes[1:]),
        **options,  # type: ignore[arg-type]
    )
    return Finder(client, config, TARGET)


def _versions(finder: Finder, name: str) -> list[str]:
    return [str(c.version) for c in finder.find(name).candidates]


@pytest.mark.parametrize("json", [True, False])
def test_json_or_html_page_gives_the_same_candidates(
    index_server_factory: IndexServerFactory, dists: Path, client: HttpClient, json: bool
) -> None:
    server = index_server_factory(json=json)
    server.add(make_wheel(dists, "demo", "1.0"))
    server.add(make_sdist(dists, "demo", "1.0"))
    server.add(make_wheel(dists, "demo", "1.1"))
    finder = _finder(client, server.simple_url)
    found = finder.find("Demo")
    assert [c.link.filename for c in found.candidates] == [
        "demo-1.1-py3-none-any.whl",
        "demo-1.0-py3-none-any.whl",
        "demo-1.0.tar.gz",
    ]
    assert all(c.link.hashes and c.link.hashes[0][0] == "sha256" for c in found.candidates)
    ((method, path, headers),) = server.requests
    assert (method, path) == ("GET", "/simple/demo/")
    assert headers["accept"].startswith(JSON_TYPE)


def test_name_is_normalized_and_results_memoised_across_threads(
    index_server: IndexServer, dists: Path, client: HttpClient
) -> None:
    index_server.add(make_wheel(dists, "my.pkg", "1.0"))
    index_server.fault("slow", 1, delay=0.3)
    finder = _finder(client, index_server.simple_url)
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(_versions(finder, n)))
        for n in ("My_Pkg", "my.pkg", "MY-PKG", "my--pkg")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [["1.0"]] * 4
    assert index_server.paths_requested() == ["/simple/my-pkg/"]


def test_prefetch_fetches_every_page_once(
    index_server: IndexServer, dists: Path, client: HttpClient
) -> None:
    for name in ("a", "b", "c"):
        index_server.add(make_wheel(dists, name, "1.0"))
    finder = _finder(client, index_server.simple_url)
    finder.prefetch(["a", "b", "c", "missing"])
    assert sorted(index_server.paths_requested()) == [
        "/simple/a/",
        "/simple/b/",
        "/simple/c/",
        "/simple/missing/",
    ]
    index_server.clear_requests()
    assert _versions(finder, "b") == ["1.0"]
    assert finder.find("missing").candidates == ()
    assert index_server.requests == []


def test_file_index(
    index_server: IndexServer, tmp_path: Path, dists: Path, client: HttpClient
) -> None:
    index_server.add(make_wheel(dists, "demo", "2.0"), requires_python=">=3.8")
    simple = index_server.export(tmp_path / "static")
    finder = _finder(client, simple)
    (cand,) = finder.find("demo").candidates
    wheel = tmp_path / "static" / "files" / "demo-2.0-py3-none-any.whl"
    assert cand.link.url.startswith(wheel.as_uri() + "#sha256=")
    assert cand.link.requires_python == ">=3.8"
    assert finder.find("nothere").warnings == ()
    assert index_server.requests == []


def test_find_links_directory_page_and_file(
    index_server: IndexServer, tmp_path: Path, dists: Path, client: HttpClient
) -> None:
    local = tmp_path / "wheelhouse"
    local.mkdir()
    make_wheel(local, "demo", "1.0")
    make_wheel(local, "other", "9.0")
    (local / "notes.txt").write_text("not a distribution")
    url = index_server.add(make_wheel(dists, "demo", "3.0"))
    single = make_sdist(tmp_path, "demo", "2.0")
    config = IndexConfig(
        index_url=None,
        no_index=True,
        find_links=(str(local), index_server.simple_url + "/demo/", str(single)),
    )
    found = Finder(client, config, TARGET).find("demo")
    assert [(str(c.version), c.link.url.split("#")[0]) for c in found.candidates] == [
        ("3.0", url),
        ("2.0", single.as_uri()),
        ("1.0", (local / "demo-1.0-py3-none-any.whl").as_uri()),
    ]
    assert index_server.paths_requested() == ["/simple/demo/"]


def test_missing_find_links_is_a_warning(client: HttpClient, tmp_path: Path) -> None:
    config = IndexConfig(index_url=None, find_links=(str(tmp_path / "nope"),))
    found = Finder(client, config, TARGET).find("demo")
    assert found.candidates == ()
    assert found.warnings == (f"find-links location {tmp_path / 'nope'} does not exist; skipped",)


def test_a_file_url_on_another_host_is_refused_not_read_locally(
    client: HttpClient, tmp_path: Path
) -> None:
    """``file://host/dir`` is a UNC path on Windows; elsewhere it must not mean ``/dir``."""
    make_wheel(tmp_path, "demo", "1.0")
    location = "file://elsewhere" + tmp_path.as_posix()
    config = IndexConfig(index_url=None, find_links=(location,))
    found = Finder(client, config, TARGET).find("demo")
    assert found.candidates == ()
    assert found.warnings == (
        f"find-links {location}: unsupported file URL: it names the remote host 'elsewhere';"
        " skipped",
    )


def test_first_index_never_takes_a_name_from_a_later_index(
    index_server_factory: IndexServerFactory, dists: Path, client: HttpClient
) -> None:
    private = index_server_factory()
    public = index_server_factory()
    private.add(make_wheel(dists, "corp-lib", "1.0"))
    public_dir = dists / "public"
    public_dir.mkdir()
    public.add(make_wheel(public_dir, "corp-lib", "99.0"))
    public.add(make_wheel(public_dir, "requests", "2.0"))
    finder = _finder(client, private.simple_url, public.simple_url)
    found = finder.find("corp-lib")
    assert [str(c.version) for c in found.candidates] == ["1.0"]
    (warning,) = found.warnings
    assert f"{public.simple_url} offers version 99.0, higher than 1.0" in warning
    assert "--index-strategy" in warning
    assert _versions(finder, "requests") == ["2.0"]  # not on the first index: next one used
    merged = _finder(client, private.simple_url, public.simple_url, strategy="unsafe-best-match")
    assert _versions(merged, "corp-lib") == ["99.0", "1.0"]
    assert merged.find("corp-lib").warnings == ()


def test_yanked_requires_python_and_prereleases(
    index_server: IndexServer, dists: Path, client: HttpClient
) -> None:
    index_server.add(make_wheel(dists, "demo", "1.0"))
    index_server.add(make_wheel(dists, "demo", "1.1"), yanked="broken metadata")
    index_server.add(make_wheel(dists, "demo", "1.2"), requires_python=">=3.12")
    index_server.add(make_wheel(dists, "demo", "1.3"), requires_python=">=3.12")
    index_server.add(make_wheel(dists, "demo", "2.0rc1"))
    finder = _finder(client, index_server.simple_url)
    best = finder.best("demo", SpecifierSet())
    assert best is not None
    assert str(best.version) == "1.0"
    pinned = finder.best("demo", SpecifierSet("==1.1"))
    assert pinned is not None
    assert pinned.link.yanked == "broken metadata"
    assert finder.best("demo", SpecifierSet("==1.1"), allow_yanked_pin=False) is None
    pre = finder.best("demo", SpecifierSet(), prereleases=True)
    assert pre is not None
    assert str(pre.version) == "2.0rc1"
    with_pre = _finder(client, index_server.simple_url, pre=True).best("demo", SpecifierSet())
    assert with_pre is not None
    assert str(with_pre.version) == "2.0rc1"
    assert finder.best("demo", SpecifierSet(">=1.2,<2")) is None
    _, rejections = finder.select("demo", SpecifierSet(">=1.2,<2"))
    assert "skipped 2 files because they need Python >=3.12" in summarize_rejections(rejections)


def test_binary_policy(index_server: IndexServer, dists: Path, client: HttpClient) -> None:
    index_server.add(make_wheel(dists, "demo", "1.0"))
    index_server.add(make_sdist(dists, "demo", "1.0"))
    index_server.add(make_sdist(dists, "demo", "1.1"))
    index_server.add(make_wheel(dists, "demo", "1.2", tag="cp313-cp313-win_amd64"))

    def best(policy: BinaryPolicy) -> str:
        config = IndexConfig(index_url=index_server.simple_url, policy=policy)
        cand = Finder(client, config, TARGET).best("demo", SpecifierSet())
        assert cand is not None
        return cand.link.filename

    assert best(BinaryPolicy()) == "demo-1.1.tar.gz"
    assert best(BinaryPolicy(prefer_binary=True)) == "demo-1.0-py3-none-any.whl"
    assert best(BinaryPolicy().with_only_binary(":all:")) == "demo-1.0-py3-none-any.whl"
    assert best(BinaryPolicy().with_no_binary("demo")) == "demo-1.1.tar.gz"
    config = IndexConfig(
        index_url=index_server.simple_url, policy=BinaryPolicy().with_no_binary(":all:")
    )
    found = Finder(client, config, TARGET).find("demo")
    assert {c.link.filename for c in found.candidates} == {"demo-1.0.tar.gz", "demo-1.1.tar.gz"}
    assert summarize_rejections(found.rejections) == [
        "skipped 1 file because --no-binary forbids wheels",
        "skipped 1 file built for other Pythons or platforms (e.g. cp313-cp313-win_amd64)",
    ]


def test_auth_from_url_and_redacted_warnings(
    index_server_factory: IndexServerFactory, dists: Path, client: HttpClient
) -> None:
    server = index_server_factory(auth=("alice", "s3cret"))
    server.add(make_wheel(dists, "demo", "1.0"))
    assert _versions(_finder(client, server.authed_url()), "demo") == ["1.0"]
    with HttpClient(HttpConfig(timeout=5, retries=0)) as fresh:
        bad = server.simple_url.replace("http://", "http://alice:wrong@")
        with pytest.raises(NetworkError) as info:
            _finder(fresh, bad).find("demo")
    assert "HTTP 401" in info.value.message
    assert "wrong" not in info.value.message
    assert info.value.hint is not None
    assert "credentials" in info.value.hint


def test_server_errors_are_errors_and_retries_recover(
    index_server: IndexServer, dists: Path, client: HttpClient
) -> None:
    index_server.add(make_wheel(dists, "demo", "1.0"))
    index_server.add(make_wheel(dists, "other", "1.0"))
    index_server.fault("500", 1, path="/simple/demo/")
    assert _versions(_finder(client, index_server.simple_url), "demo") == ["1.0"]
    index_server.fault("500", 100, path="/simple/other/")
    with pytest.raises(NetworkError) as info:
        _finder(client, index_server.simple_url).find("other")
    assert info.value.message == (
        f"index {index_server.simple_url} cannot be read: GET {index_server.simple_url}/other/: "
        "HTTP 500 after 3 attempts"
    )


def test_redirect_to_another_host_resolves_links_against_the_final_url(
    index_server: IndexServer, dists: Path, client: HttpClient
) -> None:
    index_server.add(make_wheel(dists, "demo", "1.0+local.1"))
    index_server.fault("redirect", 1, path="/simple/")
    (cand,) = _finder(client, index_server.simple_url).find("demo").candidates
    assert str(cand.version) == "1.0+local.1"
    assert cand.link.url == (
        f"http://localhost:{index_server.port}/files/demo-1.0%2Blocal.1-py3-none-any.whl"
    )
    assert cand.link.hashes[0][0] == "sha256"
    assert cand.link.filename == "demo-1.0+local.1-py3-none-any.whl"


@pytest.mark.parametrize("kind", ["reset", "truncate"])
def test_broken_connections_are_retried(
    index_server: IndexServer, dists: Path, client: HttpClient, kind: str
) -> None:
    index_server.add(make_wheel(dists, "demo", "1.0"))
    index_server.fault(kind, 1, path="/simple/")  # type: ignore[arg-type]
    found = _finder(client, index_server.simple_url).find("demo")
    assert [str(c.version) for c in found.candidates] == ["1.0"]
    assert len(index_server.paths_requested()) == 2


def test_plain_http_index_on_another_host_is_refused_without_trusted_host(
    client: HttpClient,
) -> None:
    with pytest.raises(NetworkError) as info:
        _finder(client, "http://user:pw@index.invalid/simple").find("demo")
    assert info.value.message == (
        "index http://user:****@index.invalid/simple is not a secure or trusted host (plain http)"
    )


def test_remote_page_cannot_point_at_local_files(
    index_server: IndexServer, tmp_path: Path, client: HttpClient
) -> None:
    index_server.root.joinpath("files").mkdir()
    page = index_server.root / "page.html"
    local = make_wheel(tmp_path, "demo", "1.0")
    page.write_text(f'<a href="{local.as_uri()}">demo</a>')
    # a find-links page served over HTTP that links to a file on this machine
    config = IndexConfig(index_url=None, find_links=(index_server.url + "/files/page.html",))
    index_server.add(page)
    found = Finder(client, config, TARGET).find("demo")
    assert found.candidates == ()


def test_no_match_error_explains_why(
    index_server: IndexServer, dists: Path, client: HttpClient
) -> None:
    index_server.add(make_wheel(dists, "demo", "1.0"))
    index_server.add(make_wheel(dists, "demo", "2.0"), requires_python=">=3.12")
    index_server.add(make_wheel(dists, "demo", "2.1"), requires_python=">=3.12")
    finder = _finder(client, index_server.simple_url)
    spec = SpecifierSet(">=2")
    chosen, rejections = finder.select("demo", spec)
    assert chosen == []
    err = no_match_error(finder.find("demo"), spec, rejections)
    assert err.message == "no matching distribution for demo>=2 (versions found: 1.0)"
    assert err.note is not None
    assert "skipped 2 files because they need Python >=3.12" in err.note.splitlines()
    assert err.hint is not None
    assert "target Python" in err.hint
    missing = no_match_error(finder.find("nothing-here"), SpecifierSet())
    assert missing.message == "no matching distribution for nothing-here (versions found: none)"
    assert missing.hint is not None
    assert "project name" in missing.hint


def test_find_links_legacy_sdist_names(tmp_path: Path, client: HttpClient) -> None:
    local = tmp_path / "legacy"
    local.mkdir()
    for filename in ("demo-1.0-1.tar.gz", "demo-tools-2.0.tar.gz", "demo-0.5.tar.bz2"):
        (local / filename).write_bytes(b"")
    config = IndexConfig(index_url=None, find_links=(str(local),))
    finder = Finder(client, config, TARGET)
    assert _versions(finder, "demo") == ["1.0.post1", "0.5"]
    assert finder.find("demo").rejections == ()
    assert _versions(finder, "demo-tools") == ["2.0"]
