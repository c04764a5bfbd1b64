"""What a pinset run imported: the modules ``python -X importtime`` names on stderr."""

from __future__ import annotations

IMPORTTIME = ("-X", "importtime")
"""The interpreter flags that make a run list its imports (``run_pinset(python_flags=...)``)."""

HTTP_STACK = frozenset({"urllib3", "http.client", "ssl", "pinset.http.transport"})
"""What a request needs and a run answered by the cache and local files must not import."""

BUILD_LAYER = frozenset({"pinset.build.builder", "pinset.build.unpack", "tarfile", "tomllib"})
"""What building from source needs and a run that builds nothing must not import."""


def imported(stderr: str) -> set[str]:
    """Every module a ``-X importtime`` run imported (stdlib, third-party and pinset's)."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    } - {"imported package"}


def output(stderr: str) -> str:
    """The run's own stderr, without the ``-X importtime`` lines."""
    return "\n".join(line for line in stderr.splitlines() if not line.startswith("import time:"))
