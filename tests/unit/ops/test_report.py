"""Installation report pieces: PEP 566 JSON metadata, credential-free URLs, direct_url.json."""

from __future__ import annotations

import json

from packaging.utils import canonicalize_name
from packaging.version import Version

from pinset.core_metadata import CoreMetadata
from pinset.direct_url import public_url
from pinset.dists import Candidate
from pinset.kinds import DirectWheel, RegistryWheel
from pinset.links import Link
from pinset.ops.report import direct_url, install_report

METADATA = (
    b"Metadata-Version: 2.1\nName: Demo\nVersion: 1.0\nKeywords: a, b c\n"
    b"Classifier: One\nClassifier: Two\nRequires-Dist: lib>=1\n"
    b"Requires-Dist: speedy; extra == 'fast'\nProvides-Extra: fast\n"
    b"Summary: folded\n  summary\n\nLong description.\n"
)


def test_metadata_json_follows_pep_566() -> None:
    data = CoreMetadata.from_bytes(METADATA).to_json()
    assert data["name"] == "Demo"
    assert data["classifier"] == ["One", "Two"]
    assert data["requires_dist"] == ["lib>=1", "speedy; extra == 'fast'"]
    assert data["provides_extra"] == ["fast"]
    assert data["keywords"] == ["a", "b", "c"]
    assert data["summary"] == "folded summary"
    assert data["description"] == "Long description.\n"


def test_metadata_round_trips_through_the_cache_form() -> None:
    meta = CoreMetadata.from_bytes(METADATA)
    assert CoreMetadata.from_json(json.loads(json.dumps(meta.to_cache()))) == meta
    assert [str(r) for r in meta.requires_dist()] == ["lib>=1", 'speedy; extra == "fast"']


def test_urls_never_carry_credentials() -> None:
    assert public_url("https://user:secret@host/x.whl") == "https://host/x.whl"
    assert public_url("https://token@host:8443/x.whl") == "https://host:8443/x.whl"
    assert public_url("https://host/x.whl") == "https://host/x.whl"


def _candidate(url: str, *, direct: bool = False) -> Candidate:
    link = Link(url, "demo-1.0-py3-none-any.whl", hashes=(("sha256", "ab" * 32),))
    kind = DirectWheel() if direct else RegistryWheel()
    return Candidate(canonicalize_name("demo"), Version("1.0"), link, kind=kind)


def test_direct_url_json() -> None:
    text = direct_url(_candidate("https://u:p@h/demo-1.0-py3-none-any.whl#x"), None).to_json()
    assert json.loads(text) == {
        "url": "https://h/demo-1.0-py3-none-any.whl",
        "archive_info": {"hashes": {"sha256": "ab" * 32}, "hash": "sha256=" + "ab" * 32},
    }


def test_report_items() -> None:
    report = install_report(
        [_candidate("https://h/demo-1.0-py3-none-any.whl", direct=True)],
        requested=frozenset({canonicalize_name("demo")}),
        requested_extras={canonicalize_name("demo"): ["fast"]},
        metadata=lambda c: {"name": "demo", "version": "1.0"},
        markers={"python_version": "3.12"},
    )
    assert report["version"] == "1"
    assert report["environment"] == {"python_version": "3.12"}
    items = report["install"]
    assert isinstance(items, list)
    item = items[0]
    assert item["is_direct"] is True
    assert item["requested"] is True
    assert item["requested_extras"] == ["fast"]
    assert item["download_info"]["url"] == "https://h/demo-1.0-py3-none-any.whl"
