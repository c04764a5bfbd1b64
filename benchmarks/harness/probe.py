"""One look at the index as this machine reaches it, reported beside the figures.

What a proxy between here and PyPI does changes what the tools can do: without cache headers
pip's HTTP cache stores nothing (its "warm" runs download again), without PEP 658 metadata a
resolver must fetch whole wheels or byte ranges, without keep-alive every request pays a new
TLS handshake. The report says which of these hold so its figures can be read.
"""

from __future__ import annotations

import http.client
import json
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

INDEX_HOST = "pypi.org"
_ACCEPT = "application/vnd.pypi.simple.v1+json"


@dataclass(frozen=True)
class IndexFacts:
    """What one project page of the index showed."""

    cache_control: str | None
    validator: bool
    core_metadata: bool
    keep_alive: bool


def facts_from(
    headers: Mapping[str, str], files: Sequence[Mapping[str, Any]], closes: bool
) -> IndexFacts:
    """Read the facts off a PEP 691 response's headers and file list."""
    lowered = {key.lower(): value for key, value in headers.items()}
    return IndexFacts(
        cache_control=lowered.get("cache-control"),
        validator="etag" in lowered or "last-modified" in lowered,
        core_metadata=any(
            entry.get("core-metadata") or entry.get("dist-info-metadata") for entry in files
        ),
        keep_alive=not closes,
    )


def describe(facts: IndexFacts, project: str) -> str:
    """One sentence for the report."""
    cache = f"`Cache-Control: {facts.cache_control}`" if facts.cache_control else "no Cache-Control"
    parts = [
        cache,
        "a validator (ETag/Last-Modified)" if facts.validator else "no ETag/Last-Modified",
        "PEP 658 metadata advertised" if facts.core_metadata else "no PEP 658 metadata advertised",
        "keep-alive" if facts.keep_alive else "connection closed after each response",
    ]
    text = f"PyPI as reached from here (`/simple/{project}/`, JSON): " + ", ".join(parts) + "."
    if not facts.cache_control and not facts.validator:
        text += " pip's HTTP cache cannot store such responses: its warm runs download again."
    return text


def probe_index(project: str, timeout: float = 20.0) -> str:
    """Describe the index page of ``project``; a failure is described, never raised."""
    connection = http.client.HTTPSConnection(
        INDEX_HOST, timeout=timeout, context=ssl.create_default_context()
    )
    try:
        connection.request("GET", f"/simple/{project}/", headers={"Accept": _ACCEPT})
        response = connection.getresponse()
        body = response.read()
        closes = response.will_close
        if response.status != 200:
            return f"Index probe: `/simple/{project}/` answered {response.status}."
        files = json.loads(body).get("files", [])
        return describe(facts_from(dict(response.getheaders()), files, closes), project)
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return f"Index probe failed: {exc}"
    finally:
        connection.close()
