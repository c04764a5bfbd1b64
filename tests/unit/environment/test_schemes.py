"""Scheme redirection for --target/--prefix/--user/--root, from in-process probe facts."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from pinset.environment.interpreter import from_facts
from pinset.environment.schemes import (
    SchemeKind,
    environment_scheme,
    prefix_scheme,
    root_scheme,
    target_scheme,
    user_base,
    user_scheme,
)
from pinset.interpreter import Interpreter
from tests.helpers.interpreters import current_facts


def _base() -> Interpreter:
    facts = current_facts() | {"prefix": "/usr", "base_prefix": "/usr"}
    return from_facts(Path(sys.executable), facts)


def test_target(tmp_path: Path) -> None:
    scheme = target_scheme(_base(), tmp_path / "t")
    assert scheme.paths["purelib"] == scheme.paths["platlib"] == str(tmp_path / "t")
    assert scheme.paths["scripts"] == str(tmp_path / "t" / "bin")
    assert scheme.prefix == tmp_path / "t"
    assert scheme.kind is SchemeKind.TARGET
    assert scheme.site_dirs() == (tmp_path / "t",)
    assert not scheme.externally_managed


def test_prefix_and_user_fill_the_templates(tmp_path: Path) -> None:
    prefix = prefix_scheme(_base(), tmp_path / "p")
    assert all(prefix.paths[k].startswith(str(tmp_path / "p")) for k in ("purelib", "scripts"))
    user = user_scheme(_base(), {"PYTHONUSERBASE": str(tmp_path / "u")})
    assert user.paths["purelib"].startswith(str(tmp_path / "u"))
    assert "@@" not in "".join(user.paths.values())


def test_user_base_defaults() -> None:
    assert user_base(_base(), {"HOME": "/home/me"}) == Path("/home/me/.local")
    assert user_base(_base(), {"PYTHONUSERBASE": "/ub", "HOME": "/h"}) == Path("/ub")


def test_root_prefixes_every_path(tmp_path: Path) -> None:
    base = _base()
    staged = root_scheme(environment_scheme(base), tmp_path / "r")
    assert staged.paths["purelib"] == str(tmp_path / "r") + base.paths["purelib"]
    assert staged.prefix == tmp_path / "r" / "usr"


def test_each_kind_and_who_counts_as_externally_managed(tmp_path: Path) -> None:
    """PEP 668 guards the interpreter's own and user schemes; a target, prefix or root is free."""
    managed = dataclasses.replace(_base(), externally_managed=True)
    own = environment_scheme(managed)
    assert (own.kind, own.externally_managed, own.prefix) == (
        SchemeKind.ENVIRONMENT,
        True,
        Path("/usr"),
    )
    assert own.paths["purelib"] == managed.paths["purelib"]
    user = user_scheme(managed, {"PYTHONUSERBASE": str(tmp_path / "u")})
    assert (user.kind, user.externally_managed) == (SchemeKind.USER, True)
    for scheme, kind in (
        (target_scheme(managed, tmp_path / "t"), SchemeKind.TARGET),
        (prefix_scheme(managed, tmp_path / "p"), SchemeKind.PREFIX),
        (root_scheme(own, tmp_path / "r"), SchemeKind.ENVIRONMENT),
    ):
        assert (scheme.kind, scheme.externally_managed) == (kind, False)
    assert root_scheme(own, tmp_path / "r").rooted
