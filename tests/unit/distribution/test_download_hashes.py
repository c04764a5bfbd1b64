"""Which hashes a download is checked against."""

from __future__ import annotations

from pinset.distribution.download import index_hashes, user_hashes
from pinset.links import Link

SHA = "c" * 64
MD5 = "d" * 32


def test_only_the_strongest_index_algorithm_is_used() -> None:
    link = Link("https://i/x.whl", "x.whl", hashes=(("md5", MD5), ("sha256", SHA.upper())))
    assert index_hashes(link) == {"sha256": {SHA}}
    md5_only = Link("https://i/x.whl", "x.whl", hashes=(("md5", MD5),))
    assert index_hashes(md5_only) == {"md5": {MD5}}
    assert index_hashes(Link("https://i/x.whl", "x.whl")) == {}


def test_user_hashes_are_normalised() -> None:
    assert user_hashes({"SHA256": ["E" * 64, "f" * 64], "sha512": []}) == {
        "sha256": {"e" * 64, "f" * 64}
    }
    assert user_hashes(None) == {}
