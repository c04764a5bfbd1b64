"""RECORD files (PEP 376/627): ``path,sha256=<urlsafe b64>,size`` rows, CSV-quoted."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
from collections.abc import Iterable

from pinset._dataclass import dataclass

RECORD_SIDE_FILES = ("RECORD", "RECORD.jws", "RECORD.p7s")
_NEEDS_QUOTING = frozenset(',"\r\n')


@dataclass(frozen=True, slots=True)
class RecordRow:
    path: str
    hash: str  # "sha256=..." or "" when the row has no hash (RECORD itself)
    size: int | None


def encode_hash(digest: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm}=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def hash_bytes(data: bytes) -> str:
    return encode_hash(hashlib.sha256(data).digest())


def parse_record(text: str) -> list[RecordRow]:
    """Rows of a RECORD file; ``ValueError`` when a row is malformed."""
    rows: list[RecordRow] = []
    for fields in csv.reader(io.StringIO(text)):
        if not fields:
            continue
        if len(fields) != 3:
            raise ValueError(f"RECORD row with {len(fields)} fields: {','.join(fields)!r}")
        path, digest, size = fields
        if not path:
            raise ValueError("RECORD row with an empty path")
        rows.append(RecordRow(path, digest, int(size) if size else None))
    return rows


def render_record(rows: Iterable[RecordRow]) -> str:
    rows = list(rows)
    text = "".join(f"{r.path},{r.hash},{'' if r.size is None else r.size}\n" for r in rows)
    if (
        text.count(",") == 2 * len(rows)
        and text.count("\n") == len(rows)
        and '"' not in text
        and "\r" not in text
    ):
        return text  # no field needs quoting: what csv writes, checked in one pass
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        size = "" if row.size is None else str(row.size)
        if _NEEDS_QUOTING.isdisjoint(row.path) and _NEEDS_QUOTING.isdisjoint(row.hash):
            out.write(f"{row.path},{row.hash},{size}\n")  # what csv writes for plain fields
        else:
            writer.writerow((row.path, row.hash, size))
    return out.getvalue()


def hash_algorithm(value: str) -> tuple[str, str]:
    """``"sha256=abc"`` → ``("sha256", "abc")``; ValueError for unknown or weak algorithms."""
    algorithm, sep, digest = value.partition("=")
    if not sep or algorithm not in {"sha256", "sha384", "sha512", "sha3_256", "blake2b"}:
        raise ValueError(f"unsupported RECORD hash {value!r}")
    return algorithm, digest
