"""What a pinset run imported: the modules ``python -X importtime`` names on stderr."""

from __future__ import annotations

IMPORTTIME = ("-X", "importtime")
"""The interpreter flags that make a run list its imports (``run_pinset(python_flags=...)``)."""

HTTP_STACK = frozenset({"urllib3", "http.client", "ssl", "pinset.http.transport"})
"""What a request needs and a run answered by the cache and local files must not import."""

BUILDING = frozenset(
    {"pinset.build.builder", "pinset.build.backend", "pinset.build.develop", "pyproject_hooks"}
)
"""What running a build backend needs: a run that builds nothing must not import it."""

CHECKOUTS = frozenset(
    {"pinset.distribution.checkout", "pinset.distribution.builder", "pinset.vcs.backends"}
)
"""The VCS layer and the source builder: a run whose distributions are all wheels makes none."""

UNPACKING_SOURCES = frozenset({"pinset.build.unpack", "tarfile", "tomllib"})
"""What unpacking an sdist and reading its ``pyproject.toml`` need: not a wheel-only run's."""

UNUSED_WHEN_WARM = frozenset(
    {
        "tarfile",
        "filelock",
        "difflib",
        "pinset.distribution.metadata",
        "pinset.build.untar",
        "html.parser",
        "email.utils",
        "sqlite3",
        "configparser",
    }
)
"""What a run that installs built wheels from the cache needs none of: tar archives, the
``filelock`` package (``flock`` does it on POSIX), option spelling suggestions, reading
metadata from an index's files, parsing HTML pages or HTTP dates, a Subversion working copy's
database, INI files (there are none: the tests' pip configuration is ``os.devnull`` and the
wheels have no entry points). ``pinset.build.unpack`` may be imported (a cached built wheel's
METADATA is read with its zip rules), never its tar half."""


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
