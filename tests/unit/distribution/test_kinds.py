"""Distribution kinds: what a requirement's URL or path names, and the one place that refuses
(today) every kind that needs a build, with the words users saw before the kinds existed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pinset.build.backend import ConfigSettings
from pinset.core_metadata import CoreMetadata
from pinset.distribution.build import NoBuilds, what_to_build
from pinset.distribution.direct import direct_candidate, direct_kind
from pinset.dists import Candidate, LocalWheel
from pinset.errors import BuildError, PinsetError
from pinset.kinds import (
    Buildable,
    DirectArchive,
    DirectWheel,
    Kind,
    LocalDirectory,
    RegistrySdist,
    RegistryWheel,
    VcsCheckout,
    is_direct,
)
from pinset.links import Link
from pinset.requirements import parse_text
from pinset.requirements.model import Requirement
from tests.helpers.interpreters import interpreter

TARGET = interpreter((3, 11, 0))
WHEEL = "https://files.example/demo-1.0-py3-none-any.whl"


def requirement(line: str) -> Requirement:
    return parse_text(line + "\n", "requirements.txt").requirements[0]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"demo @ {WHEEL}", DirectWheel()),
        ("demo @ https://files.example/demo-1.0.tar.gz", DirectArchive()),
        ("demo @ file:///src/demo", LocalDirectory()),
        ("-e file:///src/demo", LocalDirectory(editable=True)),
        ("-e git+https://git.example/demo.git#egg=demo", VcsCheckout("git", editable=True)),
        ("demo @ git+https://git.example/demo.git@v1", VcsCheckout("git")),
    ],
)
def test_a_url_or_path_is_one_kind(line: str, kind: Kind) -> None:
    req = requirement(line)
    assert req.url is not None
    assert direct_kind(req, Link(req.url, req.url.rstrip("/").rsplit("/", 1)[-1])) == kind
    assert is_direct(kind)


def test_registry_kinds_are_not_direct() -> None:
    assert not is_direct(RegistryWheel())
    assert not is_direct(RegistrySdist())


@pytest.mark.parametrize(
    ("line", "needs"),
    [
        (
            "demo @ https://files.example/demo-1.0.tar.gz",
            "demo needs demo-1.0.tar.gz built (https://files.example/demo-1.0.tar.gz)",
        ),
        ("demo @ file:///src/demo", "demo needs a source tree built (file:///src/demo)"),
        ("-e file:///src/demo", "needs an editable build (file:///src/demo)"),
        (
            "demo @ git+https://u:secret@git.example/demo.git",
            "demo needs a git checkout built (git+https://u:****@git.example/demo.git)",
        ),
    ],
)
def test_what_needs_a_build_is_refused_with_a_hint(line: str, needs: str) -> None:
    with pytest.raises(BuildError) as caught:
        direct_candidate(requirement(line), TARGET, NoBuilds())
    assert str(caught.value.message).startswith("building from source is off: ")
    assert caught.value.message.endswith(needs)
    assert "--only-binary :all:" in (caught.value.hint or "")


def test_a_registry_sdist_is_refused_by_name() -> None:
    link = Link("https://files.example/demo-1.0.tar.gz", "demo-1.0.tar.gz")
    assert what_to_build(RegistrySdist(), link) == "its source distribution demo-1.0.tar.gz built"


class FakeBuilds:
    """A source builder that knows one project's metadata (the seam a builder plugs into)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.asked: list[Buildable] = []

    def metadata(
        self, label: str, kind: Buildable, link: Link, config: ConfigSettings | None = None
    ) -> CoreMetadata:
        self.asked.append(kind)
        return CoreMetadata.from_bytes(
            f"Metadata-Version: 2.1\nName: {self.name}\nVersion: 2.0\n".encode()
        )

    def vcs_checkout(self, label: str, kind: VcsCheckout, link: Link) -> VcsCheckout:
        return replace(kind, commit_id="c0ffee" * 6 + "c0ff")

    def wheel(self, candidate: Candidate) -> LocalWheel:
        raise AssertionError("not built in these tests")

    def source_sha256(self, candidate: Candidate) -> str | None:
        return None

    def editable_inputs(self, candidate: Candidate) -> str | None:
        return None


def test_a_source_builder_names_a_source_tree() -> None:
    builds = FakeBuilds("Demo")
    candidate = direct_candidate(requirement("demo @ file:///src/demo"), TARGET, builds)
    assert (candidate.name, str(candidate.version), candidate.kind) == (
        "demo",
        "2.0",
        LocalDirectory(),
    )
    assert builds.asked == [LocalDirectory()]


def test_a_vcs_candidate_carries_the_commit_its_revision_names() -> None:
    builds = FakeBuilds("demo")
    url = "demo @ git+https://me:s3cret@git.example/demo.git@main#subdirectory=py"
    candidate = direct_candidate(requirement(url), TARGET, builds)
    assert candidate.kind == VcsCheckout("git", commit_id="c0ffee" * 6 + "c0ff")
    assert builds.asked == [candidate.kind]


def test_a_built_project_must_be_the_one_named() -> None:
    with pytest.raises(PinsetError, match="is a distribution of other"):
        direct_candidate(requirement("demo @ file:///src/demo"), TARGET, FakeBuilds("other"))


def test_a_wheel_url_is_a_direct_wheel_candidate() -> None:
    candidate = direct_candidate(requirement(f"demo @ {WHEEL}"), TARGET, NoBuilds())
    assert candidate.kind == DirectWheel()
    assert str(candidate) == "demo==1.0"
