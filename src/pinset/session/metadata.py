"""Core metadata as one run keeps it: header pairs and body, JSON-ready, cacheable.

:class:`CoreMetadata` is built from a parsed METADATA message (index, wheel, installed
``.dist-info``) and turned into the JSON form of PEP 566 for installation reports.
"""

from __future__ import annotations

import email.message
import email.parser
import email.policy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Pep508
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from pinset.dists import InstalledDist

MULTI_USE = frozenset(
    {
        "dynamic",
        "platform",
        "supported-platform",
        "classifier",
        "requires-dist",
        "requires-external",
        "project-url",
        "provides-extra",
        "provides-dist",
        "obsoletes-dist",
        "license-file",
        "requires",
        "provides",
        "obsoletes",
    }
)
"""Fields that may appear several times: lists in the JSON form (PEP 566)."""

_FOLD = re.compile(r"\r?\n[ \t]+")


@dataclass(frozen=True)
class CoreMetadata:
    """The headers (in order, folding undone) and body of one distribution's METADATA."""

    headers: tuple[tuple[str, str], ...]
    body: str = ""

    @classmethod
    def from_message(cls, message: email.message.Message) -> CoreMetadata:
        pairs: list[tuple[str, str]] = []
        for key, value in message.items():
            text = str(value)
            if key.lower() != "description":
                text = _FOLD.sub(" ", text).strip()
            pairs.append((key, text))
        payload = message.get_payload()
        body = payload if isinstance(payload, str) else ""
        return cls(tuple(pairs), body)

    @classmethod
    def from_bytes(cls, data: bytes) -> CoreMetadata:
        parser = email.parser.BytesParser(policy=email.policy.compat32)
        return cls.from_message(parser.parsebytes(data))

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CoreMetadata | None:
        headers, body = data.get("headers"), data.get("body")
        if not isinstance(headers, list) or not isinstance(body, str):
            return None
        pairs = tuple(
            (str(p[0]), str(p[1])) for p in headers if isinstance(p, list) and len(p) == 2
        )
        return cls(pairs, body)

    def to_cache(self) -> dict[str, object]:
        return {"headers": [list(p) for p in self.headers], "body": self.body}

    def get(self, key: str) -> str | None:
        wanted = key.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def get_all(self, key: str) -> list[str]:
        wanted = key.lower()
        return [v for k, v in self.headers if k.lower() == wanted]

    def requires_dist(self, warn: Callable[[str], None] | None = None) -> list[Pep508]:
        """Every valid Requires-Dist entry (an invalid one is skipped with a warning)."""
        found: list[Pep508] = []
        for text in self.get_all("Requires-Dist"):
            try:
                found.append(Pep508(text))
            except InvalidRequirement as exc:
                if warn is not None:
                    warn(
                        f"{self.get('Name')} {self.get('Version')}: ignoring Requires-Dist "
                        f"{text!r} ({exc})"
                    )
        return found

    def requires_python(self) -> SpecifierSet | None:
        text = self.get("Requires-Python")
        if not text:
            return None
        try:
            return SpecifierSet(text)
        except InvalidSpecifier:
            return None  # pip ignores an invalid Requires-Python too

    def to_json(self) -> dict[str, object]:
        """The JSON form of PEP 566: lower-case keys with ``_``; multiple-use fields as lists;
        ``keywords`` as a list; the body as ``description``."""
        out: dict[str, object] = {}
        for key, value in self.headers:
            lower = key.lower()
            name = lower.replace("-", "_")
            if lower in MULTI_USE:
                existing = out.setdefault(name, [])
                if isinstance(existing, list):
                    existing.append(value)
            elif lower == "keywords":
                out[name] = [k for k in re.split(r"[,\s]+", value) if k]
            else:
                out.setdefault(name, value)
        if self.body.strip() and "description" not in out:
            out["description"] = self.body
        return out


def installed_metadata(dist: InstalledDist) -> CoreMetadata:
    """The METADATA (or legacy PKG-INFO) of an installed distribution; empty when unreadable."""
    path = dist.path
    candidates = (path / "METADATA", path / "PKG-INFO") if path.is_dir() else (path,)
    for file in candidates:
        data = _read(file)
        if data is not None:
            return CoreMetadata.from_bytes(data)
    return CoreMetadata(())


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
