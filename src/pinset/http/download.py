"""Streaming a download into place: a temp file beside ``dest``, hashed while written.

The bytes go to a hidden temporary file in ``dest``'s directory while every wanted digest is
computed (sha256 always). When the stream ends the digests are checked against the expected
ones: for each algorithm given, the file passes when its digest is any of the allowed values
(as pip's ``--hash``). On success the file is renamed onto ``dest`` atomically; on a mismatch,
an error or a truncated stream the temporary file is removed and ``dest`` is left untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from pinset._dataclass import dataclass
from pinset.errors import HashMismatchError, IntegrityError

Progress = Callable[[int, int | None], None]
CHUNK = 256 * 1024


@dataclass(frozen=True)
class DownloadResult:
    """Where the file landed, its sha256 (hex) and its size in bytes."""

    path: Path
    sha256: str
    size: int


def wanted_algorithms(expected: Mapping[str, Collection[str]] | None) -> dict[str, set[str]]:
    """``expected`` normalized: lower-case names, lower-case digests, empty sets dropped."""
    wanted: dict[str, set[str]] = {}
    for name, digests in (expected or {}).items():
        algorithm = name.lower()
        if algorithm not in hashlib.algorithms_guaranteed:
            raise IntegrityError(
                f"unsupported hash algorithm {name!r}",
                hint="use sha256, sha384 or sha512",
            )
        values = {d.lower() for d in digests if d}
        if values:
            wanted.setdefault(algorithm, set()).update(values)
    return wanted


def check_digests(shown_url: str, got: Mapping[str, str], wanted: Mapping[str, set[str]]) -> None:
    """Raise IntegrityError unless, for some wanted algorithm, the digest is an allowed value."""
    if not wanted or any(got[name] in allowed for name, allowed in wanted.items()):
        return
    lines: list[str] = []
    for name, allowed in sorted(wanted.items()):
        lines.extend(f"expected {name}: {value}" for value in sorted(allowed))
        lines.append(f"     got {name}: {got[name]}")
    raise HashMismatchError(
        f"hash mismatch for {shown_url}",
        note="\n".join(lines),
        hint="the file changed or was tampered with; if the new file is expected, update the "
        "hashes in your requirements",
    )


def stream_into(
    dest: Path,
    chunks: Iterable[bytes],
    *,
    shown_url: str,
    expected: Mapping[str, Collection[str]] | None = None,
    total: int | None = None,
    progress: Progress | None = None,
) -> DownloadResult:
    """Write ``chunks`` to ``dest`` through a sibling temp file, verifying ``expected``."""
    wanted = wanted_algorithms(expected)
    hashers: dict[str, Any] = {name: hashlib.new(name) for name in {"sha256", *wanted}}
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    done = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            if progress is not None:
                progress(0, total)
            for chunk in chunks:
                if not chunk:
                    continue
                fh.write(chunk)
                for hasher in hashers.values():
                    hasher.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        got = {name: hasher.hexdigest() for name, hasher in hashers.items()}
        check_digests(shown_url, got, wanted)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return DownloadResult(path=dest, sha256=got["sha256"], size=done)


def file_chunks(path: Path) -> Iterable[bytes]:
    """The bytes of a local file in chunks."""
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk
