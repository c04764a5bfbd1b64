"""Files judged a version at a time (only the versions the resolver reaches): the choice must be
what judging every file gives, against a real index on 127.0.0.1."""

# ruff: noqa: F811  (pytest fixtures imported from tests.helpers.fixtures_install)

from __future__ import annotations

import json
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from pinset.binary import BinaryPolicy
from pinset.dists import Candidate, Offered
from pinset.http.client import HttpClient
from pinset.index.evaluate import evaluate_link, sort_key
from pinset.index.finder import Finder, IndexConfig
from tests.helpers.dists import make_sdist, make_wheel
from tests.helpers.fixtures_index import IndexServerFactory
from tests.helpers.fixtures_install import venv  # noqa: F401
from tests.helpers.index_server import IndexServer
from tests.helpers.install_world import run_pinset
from tests.helpers.interpreters import interpreter

FOREIGN = "cp27-cp27mu-manylinux1_x86_64"
TARGET = interpreter((3, 11, 0))


@pytest.fixture
def server(index_server_factory: IndexServerFactory, tmp_path: Path) -> IndexServer:
    """lib: 3.0 only for another platform, 2.5 yanked, 2.4 for Python >= 3.99, 2.3 usable
    (wheel and sdist), 2.2 usable; pre: 1.0 only for another platform, 2.0b1 usable."""
    out = tmp_path / "dists"
    out.mkdir()
    srv = index_server_factory()
    srv.add(make_wheel(out, "lib", "3.0", tag=FOREIGN))
    srv.add(make_wheel(out, "lib", "2.5"), yanked="broken")
    srv.add(make_wheel(out, "lib", "2.4"), requires_python=">=3.99")
    srv.add(make_wheel(out, "lib", "2.3"))
    srv.add(make_sdist(out, "lib", "2.3"))
    srv.add(make_wheel(out, "lib", "2.2"))
    srv.add(make_wheel(out, "app", "1.0", requires=["lib"]))
    srv.add(make_wheel(out, "pre", "1.0", tag=FOREIGN))
    srv.add(make_wheel(out, "pre", "2.0b1"))
    return srv


def _run(server: IndexServer, venv: Path, tmp_path: Path, *reqs: str) -> CompletedProcess[str]:
    return run_pinset(
        "install",
        "--python",
        str(venv),
        "-i",
        server.simple_url,
        "--cache-dir",
        str(tmp_path / "cache"),
        "--dry-run",
        "--report",
        "-",
        *reqs,
        cwd=tmp_path,
    )


def _resolved(server: IndexServer, venv: Path, tmp_path: Path, *reqs: str) -> dict[str, str]:
    result = _run(server, venv, tmp_path, *reqs)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return {i["metadata"]["name"]: i["metadata"]["version"] for i in report["install"]}


def test_the_newest_usable_file_is_chosen_past_foreign_yanked_and_too_new_ones(
    server: IndexServer, venv: Path, tmp_path: Path
) -> None:
    assert _resolved(server, venv, tmp_path, "app") == {"app": "1.0", "lib": "2.3"}


def test_a_yanked_version_is_chosen_only_by_an_exact_pin(
    server: IndexServer, venv: Path, tmp_path: Path
) -> None:
    assert _resolved(server, venv, tmp_path, "lib==2.5") == {"lib": "2.5"}
    refused = _run(server, venv, tmp_path, "lib>=2.5")
    assert refused.returncode == 1, refused.stderr
    assert "no version of lib satisfies lib>=2.5" in refused.stderr


def test_a_pre_release_is_chosen_when_no_final_version_has_a_usable_file(
    server: IndexServer, venv: Path, tmp_path: Path
) -> None:
    assert _resolved(server, venv, tmp_path, "pre") == {"pre": "2.0b1"}


def test_only_the_versions_looked_at_are_judged_and_the_whole_list_is_unchanged(
    server: IndexServer, client: HttpClient
) -> None:
    finder = Finder(client, IndexConfig(index_url=server.simple_url), TARGET)
    offered = finder.find("lib").candidates
    assert isinstance(offered, Offered)
    assert [str(v) for v in offered.versions()] == ["3.0", "2.5", "2.4", "2.3", "2.2"]
    best = offered.best(Version("2.3"))
    assert best is not None
    assert best.is_wheel
    assert offered.judged == (Version("2.3"),)
    # the sequence (every version judged) is what judging every file at once gives
    links = [c.link for c in offered] + [r.link for r in finder.find("lib").rejections]
    eager = [evaluate_link(link, finder.find("lib").name, TARGET, BinaryPolicy()) for link in links]
    usable = [c for c in eager if isinstance(c, Candidate)]
    usable.sort(key=lambda c: sort_key(c, TARGET, BinaryPolicy()), reverse=True)
    assert list(offered) == usable
    assert [str(c.version) for c in offered] == ["2.3", "2.3", "2.2", "2.5"]
    assert sorted(r.kind for r in finder.find("lib").rejections) == ["requires-python", "tags"]
    assert finder.best("lib", SpecifierSet(">=2.4")) is None
