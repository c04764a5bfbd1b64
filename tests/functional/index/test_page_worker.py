"""Large pages read by the page worker: what it keeps offers exactly what the page read here
offers, and whatever goes wrong with it (a page it cannot read, its death, no interpreter to
start it) leaves the page to this process, which reads it as before."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from pinset.binary import BinaryPolicy
from pinset.dists import Candidate
from pinset.http.client import HttpClient, HttpConfig, Response
from pinset.index import page_worker
from pinset.index.evaluate import LinkEvaluator, Rejection, sort_key
from pinset.index.finder import Finder, IndexConfig
from pinset.index.page_form import PageForms
from pinset.index.page_worker import MIN_SIZE, PageWorker
from pinset.index.simple_json import JSON_CONTENT_TYPE, parse_json_files
from pinset.index.versions import PageVersions, group_page
from pinset.links import Link
from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.index_server import IndexServer
from tests.helpers.interpreters import interpreter
from tests.helpers.page_offers import everything

BASE = "https://example.org/simple/demo/"
TARGET = interpreter((3, 11, 0))
NAME = canonicalize_name("demo")


def _page(versions: int) -> bytes:
    """A page of ``versions`` versions, each with a wheel for two platforms and an sdist,
    and the odd files real pages hold (build tags, other projects, hostile URLs)."""
    files: list[object] = []
    for n in range(versions):
        for name in (
            f"demo-{n}.0-py3-none-any.whl",
            f"demo-{n}.0-cp27-cp27m-win32.whl",
            f"demo-{n}.0.tar.gz",
        ):
            files.append({"filename": name, "url": name, "hashes": {"sha256": "a" * 64}})
    files += [
        {"filename": "demo-1.0-1-py3-none-any.whl", "url": "x.whl", "hashes": {}},
        {"filename": "other-9.0-py3-none-any.whl", "url": "y.whl", "hashes": {}},
        {"filename": "demo-junk!.tar.gz", "url": "z.tar.gz", "hashes": {}},
        {"filename": "demo-7.5.tar.gz", "url": "javascript:alert(1)", "hashes": {}},
        {"filename": "demo-7.6.tar.gz", "url": "7.6.tar.gz", "yanked": "broken"},
    ]
    return json.dumps({"meta": {"api-version": "1.1"}, "files": files}).encode()


def _response(body: bytes) -> Response:
    digest = hashlib.sha256(body).hexdigest()
    headers = {"content-type": JSON_CONTENT_TYPE}
    return Response(BASE, 200, headers, body, from_cache=False, digest=digest)


def _reader() -> LinkEvaluator:
    return LinkEvaluator(TARGET, BinaryPolicy())


def _order(candidate: Candidate) -> object:
    return sort_key(candidate, TARGET, BinaryPolicy())


def _everything(page: PageVersions) -> tuple[list[str], list[list[Link]], list[Rejection]]:
    return everything(page, NAME, TARGET)


def _read_here(body: bytes) -> PageVersions:
    return group_page(parse_json_files(body, BASE, source="idx"), NAME, _reader())


@pytest.fixture
def worker() -> Iterator[PageWorker]:
    made = PageWorker(min_size=0, start_after=0, wait_size=0)
    yield made
    made.close()


def _exited(pid: int) -> bool:
    """Whether process ``pid`` is gone (reaped: no zombie left)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.02)
    return False


def test_the_worker_keeps_exactly_what_the_page_offers(worker: PageWorker, tmp_path: Path) -> None:
    body = _page(400)
    assert len(body) > MIN_SIZE  # a page as large as those the worker takes by default
    forms = PageForms(tmp_path, worker)
    kept = forms.read_elsewhere(_response(body), NAME, _reader(), "idx")
    assert kept is not None
    assert worker.pid is not None
    assert worker.pid != os.getpid()
    assert forms.path_for(BASE, NAME).is_file()
    assert _everything(kept) == _everything(_read_here(body))
    versions, files, rejections = _everything(kept)
    assert versions[:2] == ["399.0", "398.0"]
    assert [ln.filename for ln in files[0]] == [
        "demo-399.0-py3-none-any.whl",
        "demo-399.0.tar.gz",
    ]
    assert {r.kind for r in rejections} >= {"tags", "name", "filename"}
    # a second page goes to the same process
    pid = worker.pid
    other = _page(5)
    assert forms.read_elsewhere(_response(other), NAME, _reader(), "idx") is not None
    assert worker.pid == pid


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"files": 3}', b'{"meta": {"api-version": "2.0"}, "files": []}'],
    ids=["not-json", "not-a-page", "api-version-2"],
)
def test_a_page_the_worker_cannot_read_is_left_to_this_process(
    worker: PageWorker, tmp_path: Path, body: bytes
) -> None:
    forms = PageForms(tmp_path, worker)
    assert forms.read_elsewhere(_response(body), NAME, _reader(), "idx") is None
    assert not forms.path_for(BASE, NAME).exists()
    # the worker goes on: the next page is its
    assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is not None


def test_a_worker_that_dies_leaves_every_page_to_this_process(
    worker: PageWorker, tmp_path: Path
) -> None:
    forms = PageForms(tmp_path, worker)
    assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is not None
    pid = worker.pid
    assert pid is not None
    os.kill(pid, 9)
    assert forms.read_elsewhere(_response(_page(4)), NAME, _reader(), "idx") is None
    assert worker.pid is None
    assert not worker.wants(1000)  # never started again in this run
    assert _exited(pid)


def test_small_pages_are_read_here_and_start_no_process(tmp_path: Path) -> None:
    worker = PageWorker()
    forms = PageForms(tmp_path, worker)
    assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is None
    assert worker.pid is None
    worker.close()


def test_the_worker_starts_once_the_run_has_met_enough_large_pages(tmp_path: Path) -> None:
    body = _page(3)
    worker = PageWorker(min_size=0, start_after=3 * len(body), wait_size=0)
    forms = PageForms(tmp_path, worker)
    try:
        for _ in range(2):  # a small resolution's few pages: read here, no process started
            assert forms.read_elsewhere(_response(body), NAME, _reader(), "idx") is None
            assert worker.pid is None
        assert forms.read_elsewhere(_response(body), NAME, _reader(), "idx") is not None
        assert worker.pid is not None
    finally:
        worker.close()


def test_while_the_worker_starts_a_page_below_the_wait_size_is_read_here(
    tmp_path: Path,
) -> None:
    body = _page(3)
    worker = PageWorker(min_size=0, start_after=0, wait_size=len(body) + 1)
    forms = PageForms(tmp_path, worker)
    try:
        assert forms.read_elsewhere(_response(body), NAME, _reader(), "idx") is None
        deadline = time.monotonic() + 30
        while worker.pid is None and time.monotonic() < deadline:  # it started meanwhile
            time.sleep(0.01)
        assert forms.read_elsewhere(_response(body), NAME, _reader(), "idx") is not None
    finally:
        worker.close()


def test_without_an_interpreter_to_start_pages_are_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    worker = PageWorker(min_size=0, start_after=0, wait_size=0)
    forms = PageForms(tmp_path, worker)
    started = time.monotonic()
    assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is None
    assert time.monotonic() - started < 1.5  # told at once, not after the wait for a start
    assert worker.pid is None
    assert not worker.wants(1000)


def test_close_stops_the_worker(worker: PageWorker, tmp_path: Path) -> None:
    forms = PageForms(tmp_path, worker)
    assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is not None
    pid = worker.pid
    assert pid is not None
    worker.close()
    assert worker.pid is None
    assert _exited(pid)
    assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is None


def _finder(cache: Path, index: IndexServer, worker: PageWorker | None) -> Finder:
    config = HttpConfig(timeout=5, retries=1, cache_dir=cache / "http")
    forms = PageForms(cache / "pages", worker) if worker is not None else None
    return Finder(HttpClient(config), IndexConfig(index_url=index.simple_url), TARGET, forms=forms)


def test_a_cold_run_through_the_worker_finds_what_a_run_without_it_finds(
    index_server: IndexServer, tmp_path: Path, worker: PageWorker
) -> None:
    dists = tmp_path / "dists"
    dists.mkdir()
    for version in ("1.0", "1.1", "2.0"):
        index_server.add(make_wheel(dists, "demo", version))
        index_server.add(make_sdist(dists, "demo", version))
    index_server.add(make_wheel(dists, "demo", "2.1"), yanked="broken")

    def found(finder: Finder) -> list[tuple[str, str | None]]:
        with finder.client:  # type: ignore[attr-defined]
            return [(c.link.filename, c.link.yanked) for c in finder.find("demo").candidates]

    through_worker = found(_finder(tmp_path / "a", index_server, worker))
    assert worker.pid is not None  # the worker read the page
    assert [p.name for p in (tmp_path / "a" / "pages").iterdir()]  # and kept its form
    assert through_worker == found(_finder(tmp_path / "b", index_server, None))
    assert through_worker[0] == ("demo-2.0-py3-none-any.whl", None)
    # a warm run reads the form the worker wrote
    index_server.clear_requests()
    assert found(_finder(tmp_path / "a", index_server, None)) == through_worker
    assert index_server.requests == []


def test_closing_while_a_page_is_handed_over_leaves_it_to_this_process(tmp_path: Path) -> None:
    """The session closes the worker when the run ends; a thread still handing a page over
    then gets a page read here or nothing, never an error or a wait."""
    worker = PageWorker(min_size=0, start_after=0, wait_size=0)
    forms = PageForms(tmp_path, worker)
    assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is not None
    pid = worker.pid
    assert pid is not None
    body = _page(5_000)  # about a megabyte: long enough to be cut off while it is written
    outcome: list[object] = []

    def hand_over() -> None:
        try:
            outcome.append(forms.read_elsewhere(_response(body), NAME, _reader(), "idx"))
        except BaseException as exc:  # what the test checks never happens
            outcome.append(exc)

    thread = threading.Thread(target=hand_over)
    thread.start()
    time.sleep(0.01)
    worker.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(outcome) == 1
    assert not isinstance(outcome[0], BaseException)
    assert worker.pid is None
    assert _exited(pid)


def test_a_worker_that_never_gets_ready_is_given_up_after_one_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child that hangs before it says it is ready costs the run one wait: later pages are
    read here at once, and the child is stopped, not left behind."""
    marker = tmp_path / "pid"
    hang = f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)\n"
    monkeypatch.setattr(page_worker, "_BOOT", hang)
    monkeypatch.setattr(page_worker, "_BOOT_WAIT", 1.0)
    worker = PageWorker(min_size=0, start_after=0, wait_size=0)
    forms = PageForms(tmp_path / "pages", worker)
    try:
        assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is None
        started = time.monotonic()
        assert forms.read_elsewhere(_response(_page(3)), NAME, _reader(), "idx") is None
        assert time.monotonic() - started < 0.5  # not a second wait (of 1 s)
        assert worker.pid is None
        assert _exited(int(marker.read_text()))
    finally:
        worker.close()
