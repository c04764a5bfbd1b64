"""A process that hammers one cache, for the concurrency tests (run with ``python -m``).

``python -m tests.helpers.cache_worker MODE ROOT LOG ROUNDS``; every failure it sees is
written to stderr and turns into exit code 1; what it produced and every cache warning it got
(corrupt entries repaired) are appended to LOG, one line each.

Modes:
``dir``   build the same directory entries as other workers (each build writes many files
          slowly), check every returned entry is complete; log each build it performed.
``file``  fetch the same verified archive entries; check every returned file is whole.
``bytes`` overwrite and read the same small entries; a read must be one whole payload.
``json``  produce the same JSON entries; a read must parse and be complete.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from pinset.cache import Cache, make_key

FILES_PER_DIR = 25


def _log(log: Path, line: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def _payload(seed: str, size: int) -> bytes:
    body = (hashlib.sha256(seed.encode()).hexdigest() * (size // 64 + 1)).encode()[:size]
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _whole(data: bytes) -> bool:
    head, _, body = data.partition(b"\n")
    return hashlib.sha256(body).hexdigest().encode() == head


def _dirs(cache: Cache, log: Path, rounds: int) -> list[str]:
    problems = []
    for i in range(rounds):
        key = make_key("dir", str(i))

        def build(tmp: Path, i: int = i) -> None:
            _log(log, f"build {i}")
            for n in range(FILES_PER_DIR):
                (tmp / f"f{n}.txt").write_text(f"{i}:{n}\n" * 50)
                time.sleep(0.001)

        path = cache.ensure_dir("wheels-unpacked", key, build)
        names = sorted(p.name for p in path.iterdir())
        if len(names) != FILES_PER_DIR:
            problems.append(f"entry {i} has {len(names)} files")
        elif (path / f"f{FILES_PER_DIR - 1}.txt").read_text() != f"{i}:{FILES_PER_DIR - 1}\n" * 50:
            problems.append(f"entry {i} has a partial file")
    return problems


def _files(cache: Cache, log: Path, rounds: int) -> list[str]:
    problems = []
    for i in range(rounds):
        key = make_key("file", str(i))
        payload = _payload(f"file{i}", 256 * 1024)

        def fetch(dest: Path, i: int = i, payload: bytes = payload) -> None:
            _log(log, f"fetch {i}")
            with open(dest, "wb") as fh:
                for start in range(0, len(payload), 8192):
                    fh.write(payload[start : start + 8192])
                    fh.flush()

        path = cache.ensure_file("archives", key, f"pkg{i}.whl", fetch)
        if path.read_bytes() != payload:
            problems.append(f"archive {i} is not whole")
    return problems


def _bytes(cache: Cache, rounds: int, worker: str) -> list[str]:
    problems = []
    for i in range(rounds):
        key = make_key("bytes", str(i % 3))
        cache.write_bytes("http", key, _payload(f"{worker}{i}", 1000 + 997 * (i % 50)))
        for other in range(3):
            data = cache.read_bytes("http", make_key("bytes", str(other)))
            if data is not None and not _whole(data):
                problems.append(f"partial read of bytes entry {other}")
    return problems


def _json(cache: Cache, log: Path, rounds: int) -> list[str]:
    problems = []
    for i in range(rounds):
        key = make_key("json", str(i))

        def produce(i: int = i) -> dict[str, object]:
            _log(log, f"produce {i}")
            return {"i": i, "names": [f"n{k}" for k in range(500)]}

        value = cache.ensure_json("metadata", key, produce)
        if value.get("i") != i or len(value["names"]) != 500:
            problems.append(f"json entry {i} wrong: {str(value)[:60]}")
    return problems


def main(argv: list[str]) -> int:
    mode, root, log, rounds = argv[0], Path(argv[1]), Path(argv[2]), int(argv[3])
    cache = Cache(root)
    if mode == "dir":
        problems = _dirs(cache, log, rounds)
    elif mode == "file":
        problems = _files(cache, log, rounds)
    elif mode == "bytes":
        problems = _bytes(cache, rounds, str(os.getpid()))
    else:
        problems = _json(cache, log, rounds)
    for warning in cache.warnings:
        _log(log, f"warning {warning}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
