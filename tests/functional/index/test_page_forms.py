"""Pages kept parsed, against a real index and the real HTTP cache: a warm run reads the
kept form instead of the page, and never a form made from another body or a damaged one."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from pinset.http.cache import HttpCache, cache_key
from pinset.http.client import HttpClient, HttpConfig
from pinset.index.finder import Finder, IndexConfig
from pinset.index.page_form import PageForms
from pinset.index.sources import ACCEPT
from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.index_server import IndexServer
from tests.helpers.interpreters import interpreter

TARGET = interpreter((3, 11, 0))


class Run:
    """One pinset run's finder: a new client over the same caches, its traces and warnings."""

    def __init__(
        self, cache: Path, index: IndexServer, *, freshness: float = 600.0, url: str = ""
    ) -> None:
        self.traces: list[str] = []
        self.warnings: list[str] = []
        config = HttpConfig(
            timeout=5, retries=1, cache_dir=cache / "http", page_freshness=freshness
        )
        self.client = HttpClient(
            config, on_trace=self.traces.append, on_warning=self.warnings.append
        )
        forms = PageForms(cache / "pages")
        indexes = IndexConfig(index_url=url or index.simple_url)
        self.finder = Finder(self.client, indexes, TARGET, forms=forms)

    def files(self, name: str = "demo") -> list[tuple[str, str | None]]:
        with self.client:
            found = self.finder.find(name)
            return [(c.link.filename, c.link.yanked) for c in found.candidates]

    @property
    def kept(self) -> bool:
        return any(
            line.endswith(": fresh in the cache (no request), kept parsed") for line in self.traces
        )


@pytest.fixture
def index(index_server: IndexServer, tmp_path: Path) -> IndexServer:
    dists = tmp_path / "dists"
    dists.mkdir()
    index_server.add(make_wheel(dists, "demo", "1.0"))
    index_server.add(make_sdist(dists, "demo", "1.0"))
    index_server.add(make_wheel(dists, "demo", "1.1"), yanked="broken metadata")
    index_server.add(make_sdist(dists, "demo", "0.9"), requires_python=">=4")
    return index_server


def _forms(cache: Path) -> list[Path]:
    return [p for p in (cache / "pages").rglob("*") if p.is_file()]


def _page_entry(cache: Path, index: IndexServer) -> Path:
    return HttpCache(cache / "http").path_for(cache_key(index.simple_url + "/demo/", ACCEPT))


EXPECTED = [  # best first: a yanked file after every other
    ("demo-1.0-py3-none-any.whl", None),
    ("demo-1.0.tar.gz", None),
    ("demo-1.1-py3-none-any.whl", "broken metadata"),
]


def test_a_warm_run_reads_the_kept_form_not_the_page(index: IndexServer, tmp_path: Path) -> None:
    cold = Run(tmp_path, index)
    assert cold.files() == EXPECTED
    assert not cold.kept
    assert len(_forms(tmp_path)) == 1
    # the cached page's body is damaged: read, it would be dropped and fetched again
    entry = _page_entry(tmp_path, index)
    entry.write_bytes(entry.read_bytes().replace(b"demo-1.0.tar.gz", b"demo-1.0.tar.gX"))
    index.clear_requests()
    warm = Run(tmp_path, index)
    assert warm.files() == EXPECTED
    assert warm.kept
    assert (index.requests, warm.warnings) == ([], [])


def test_yanked_files_stay_yanked_through_the_kept_form(index: IndexServer, tmp_path: Path) -> None:
    Run(tmp_path, index).files()
    warm = Run(tmp_path, index)
    with warm.client:
        best = warm.finder.best("demo", SpecifierSet(">=1.0"))
        pinned = warm.finder.best("demo", SpecifierSet("==1.1"))
        _, rejected = warm.finder.select("demo", SpecifierSet(">=0"))
    assert warm.kept
    assert best is not None
    assert best.link.filename == "demo-1.0-py3-none-any.whl"
    assert pinned is not None
    assert pinned.link.yanked == "broken metadata"
    assert {(r.link.filename, r.kind) for r in rejected} == {
        ("demo-1.1-py3-none-any.whl", "yanked"),
        ("demo-0.9.tar.gz", "requires-python"),
    }


def test_a_form_of_an_older_page_is_not_used_for_a_page_that_changed(
    index: IndexServer, tmp_path: Path
) -> None:
    Run(tmp_path, index).files()
    (form,) = _forms(tmp_path)
    older = form.read_bytes()
    index.add(make_wheel(tmp_path / "dists", "demo", "2.0"))
    fetched = Run(tmp_path, index, freshness=0.0)  # the page is fetched again
    assert fetched.files()[0] == ("demo-2.0-py3-none-any.whl", None)
    assert form.read_bytes() != older
    form.write_bytes(older)  # a form of the older page, beside the newer page
    index.clear_requests()
    warm = Run(tmp_path, index)
    assert warm.files()[0] == ("demo-2.0-py3-none-any.whl", None)
    assert not warm.kept
    assert index.requests == []  # the page from the HTTP cache, parsed again
    again = Run(tmp_path, index)  # its form was written anew
    assert again.files() == [("demo-2.0-py3-none-any.whl", None), *EXPECTED]
    assert again.kept


def test_a_damaged_form_is_ignored_and_written_again(index: IndexServer, tmp_path: Path) -> None:
    Run(tmp_path, index).files()
    (form,) = _forms(tmp_path)
    data = bytearray(form.read_bytes())
    data[len(data) // 2] ^= 0xFF
    form.write_bytes(bytes(data))
    warm = Run(tmp_path, index)
    assert warm.files() == EXPECTED
    assert not warm.kept
    again = Run(tmp_path, index)
    assert again.files() == EXPECTED
    assert again.kept


def test_a_page_of_an_index_with_credentials_is_kept_without_them(
    index_server_factory: IndexServerFactory, tmp_path: Path
) -> None:
    index = index_server_factory(auth=("alice", "s3cret-pw"))
    index.add(make_wheel(tmp_path, "demo", "1.0"))
    url = index.authed_url()
    assert Run(tmp_path, index, url=url).files() == [("demo-1.0-py3-none-any.whl", None)]
    index.clear_requests()
    warm = Run(tmp_path, index, url=url)
    assert warm.files() == [("demo-1.0-py3-none-any.whl", None)]
    assert warm.kept
    assert index.requests == []
    for path in _forms(tmp_path):
        assert b"s3cret-pw" not in path.read_bytes()
