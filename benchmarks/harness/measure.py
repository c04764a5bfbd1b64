"""Run one command and measure it: wall time and peak memory of its whole process tree.

Peak memory is the larger of two readings, both in KiB:
- the kernel's ``ru_maxrss`` from ``wait4`` on the child: the peak RSS of the largest single
  process in the tree (the child or any descendant it waited for), exact;
- the peak of the summed RSS of the child and all its live descendants, sampled from /proc
  every ``sample_ms`` milliseconds: catches concurrent workers whose RSS adds up, which
  ``ru_maxrss`` (a per-process maximum) cannot show. Short spikes between samples are missed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Measured:
    """One command's result."""

    seconds: float
    cpu_seconds: float
    """User + system CPU time of the child and every descendant it reaped (from ``wait4``)."""
    peak_rss_kib: int
    returncode: int
    timed_out: bool


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    stdout: Path,
    stderr: Path,
    timeout: float,
    sample_ms: int = 50,
) -> Measured:
    """Run ``argv`` with output to files (no pipes to drain), timing from just before the
    spawn to the reaping of the child."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        sampler = _TreeSampler(proc.pid, sample_ms / 1000) if sample_ms > 0 else None
        killer = threading.Timer(timeout, _kill_group, args=(proc.pid,))
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            elapsed = time.perf_counter() - start
            killer.cancel()
            if sampler is not None:
                sampler.stop()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4 above; keep Popen from waiting again
    sampled = sampler.peak_kib if sampler is not None else 0
    return Measured(
        seconds=elapsed,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_kib=max(int(usage.ru_maxrss), sampled),
        returncode=code,
        timed_out=code == -signal.SIGKILL and elapsed >= timeout,
    )


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


class _TreeSampler:
    """A daemon thread summing the RSS of ``root`` and its descendants until stopped."""

    def __init__(self, root: int, interval: float) -> None:
        self._root = root
        self._interval = interval
        self._done = threading.Event()
        self.peak_kib = 0
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _loop(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self._root))
            if self._done.wait(self._interval):
                return


def tree_rss_kib(root: int) -> int:
    """Summed RSS (KiB) of ``root`` and its live descendants, read from /proc/*/stat."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(entry.path)
        if fields is not None:
            pid = int(entry.name)
            parents[pid], rss[pid] = fields
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    total = 0
    pending = [root] if root in rss else []
    while pending:
        pid = pending.pop()
        total += rss[pid] * _PAGE_KIB
        pending.extend(children.get(pid, ()))
    return total


def _stat_fields(proc_dir: str) -> tuple[int, int] | None:
    """(ppid, rss pages) from /proc/PID/stat, or ``None`` if the process has gone."""
    try:
        with open(f"{proc_dir}/stat", "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    rest = raw[raw.rfind(b")") + 2 :].split()
    return int(rest[1]), int(rest[21])


def disk_usage(root: Path) -> int:
    """Bytes of disk ``root`` holds, as ``du`` counts them: allocated blocks, every file with
    several hard links inside counted once, symbolic links not followed (0 when missing)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in (*dirnames, *filenames):
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total
