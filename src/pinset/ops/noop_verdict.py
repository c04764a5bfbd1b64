"""A remembered "already satisfied" verdict for ``pinset install``, checked before any heavy import.

After a run finds everything satisfied, a small verdict is written to the cache bucket
``noop`` (``marshal`` of plain lists and strings: json would import ``re``; the key holds the
Python version that wrote it). Its file name is a digest of what decides the run's inputs:
pinset's version and the stat of the code deciding the answer (the no-op check and the target
rules), the exact arguments, whether pinset runs as ``python -m pinset``, the working
directory, the environment variables pinset or pip read, the running Python. Its body lists
what the answer was read from (every requirements file with its includes, the pip
configuration files that could be read, the target interpreter and ``pyvenv.cfg``, the scanned
site directories) and a digest of their state: file contents, stat of configuration files and
interpreter, every entry name of each site directory with the stat of each
``.dist-info``/``.egg-info`` and its ``METADATA``. A later run with the
same name and the same state reuses the answer, unless a site directory's ``.pinset/`` holds a
journal (an interrupted run to recover first: one ``listdir`` each); any doubt (an option
outside a short list, a URL, a ``--python`` given by version, no verdict, a different state)
means the full path runs.

Imports only the standard library's cheapest modules: this runs before argparse. Even
``hashlib`` is avoided (it loads OpenSSL's libcrypto, about 7 ms of CPU, a quarter of a reused
verdict): the digests come from the interpreter's own small sha256 module (:func:`sha256_hex`),
the same digest, with ``hashlib`` as the fallback.
"""

from __future__ import annotations

import marshal
import os
import sys
from stat import S_IFMT, S_ISDIR, S_ISLNK, S_ISREG

# The option spellings it understands: the option table's plain-data part (pinset.options)
from pinset._option_names import ATTACHED as _ATTACHED
from pinset._option_names import COUNT_LETTERS as _COUNTS
from pinset._option_names import FLAGS as _FLAGS
from pinset._option_names import VALUE_OPTIONS as _VALUE_OPTIONS
from pinset.buckets import bucket_dir_name

TYPE_CHECKING = False  # collections.abc imports collections (~1 ms): not on the fast path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

BUCKET = bucket_dir_name("noop")
_ENV_PREFIXES = ("PIP_", "PINSET_", "XDG_", "PYTHON")
_ENV_NAMES = frozenset(
    {"VIRTUAL_ENV", "HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "PROGRAMDATA"}
    | {"ALLUSERSPROFILE", "PATH", "CONDA_PREFIX"}
)
_DISCOVERY = os.path.join(os.pardir, "environment", "discovery.py")
"""Which target a run has (relative to ``ops``): part of what decides a verdict's answer."""
_DIST_SUFFIXES = (".dist-info", ".egg-info", ".egg-link", ".pth")
_LISTS = ("files", "stats", "site_dirs")
_INTS = ("verbosity", "audited")
_TEXTS = ("location", "python_version")


def sha256_hex(data: bytes) -> str:
    """The hex sha256 of ``data``, without importing ``hashlib`` where the interpreter has its
    built-in sha256 module (``_sha256`` up to 3.11, ``_sha2`` since 3.12). Only the module this
    Python has is asked for: a failed import is not remembered, so trying the other one first
    searched the whole path again at each of a run's dozen digests."""
    try:
        if sys.version_info >= (3, 12):
            from _sha2 import sha256  # type: ignore[import-not-found,unused-ignore]
        else:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:  # a build without them (FIPS-only): OpenSSL's
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]
    return str(sha256(data).hexdigest())


class Verdict:
    """What a satisfied run printed, and what its answer was read from: the typed form of a
    verdict file's body, passed between ``cli`` and this module.

    ``files``: requirements files with their includes (their contents are digested);
    ``stats``: configuration files, the interpreter, ``pyvenv.cfg`` (their stat);
    ``site_dirs``: the scanned site directories (their entries); ``verbosity``, ``audited``,
    ``location``, ``python_version``: what the run printed. A plain class with slots: this
    module runs before argparse, and ``dataclasses`` or ``typing`` would cost more than the
    whole answer.
    """

    __slots__ = (*_LISTS, *_INTS, *_TEXTS)

    def __init__(
        self,
        *,
        files: Sequence[str],
        stats: Sequence[str],
        site_dirs: Sequence[str],
        verbosity: int,
        audited: int,
        location: str,
        python_version: str,
    ) -> None:
        self.files = tuple(files)
        self.stats = tuple(stats)
        self.site_dirs = tuple(site_dirs)
        self.verbosity = verbosity
        self.audited = audited
        self.location = location
        self.python_version = python_version

    def body(self) -> dict[str, object]:
        """The marshalled form (plain tuples, ints and strings)."""
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_body(cls, body: object) -> Verdict | None:
        """The verdict a file held, or None when it is not one (a damaged or foreign file)."""
        if not isinstance(body, dict):
            return None
        lists = [body.get(name) for name in _LISTS]
        if not all(
            isinstance(v, (list, tuple)) and all(isinstance(s, str) for s in v) for v in lists
        ):
            return None
        if not all(type(body.get(name)) is int for name in _INTS):
            return None
        if not all(isinstance(body.get(name), str) for name in _TEXTS):
            return None
        return cls(**{name: body[name] for name in cls.__slots__})


def _is_flag(token: str) -> bool:
    return token in _FLAGS or (len(token) > 1 and token[0] == "-" and set(token[1:]) <= _COUNTS)


def parse_options(argv: Sequence[str]) -> list[tuple[str, str | None]] | None:
    """``(option, value)`` pairs (value None for flags, option "" for positionals); None when
    an argument is not one the fast path understands."""
    pairs: list[tuple[str, str | None]] = []
    i = 1
    while i < len(argv):
        token = argv[i]
        i += 1
        name, eq, value = token.partition("=")
        if token.startswith("--") and eq and name in _VALUE_OPTIONS:
            pairs.append((name, value))
        elif token in _VALUE_OPTIONS:
            if i >= len(argv):
                return None
            pairs.append((token, argv[i]))
            i += 1
        elif _is_flag(token):
            pairs.append((token, None))
        elif token[:2] in _ATTACHED and len(token) > 2:
            pairs.append((token[:2], token[2:]))
        elif token.startswith("-") or not token:
            return None
        else:
            pairs.append(("", token))
    return pairs


def eligible(pairs: list[tuple[str, str | None]], environ: Mapping[str, str]) -> bool:
    if environ.get("PINSET_SYSTEM"):
        return False  # the first Python on PATH outside a virtual environment: may change
    pythons = [v for o, v in pairs if o == "--python"]
    if not pythons and not environ.get("VIRTUAL_ENV"):
        return False  # a .venv found upward, conda, the running Python: not cheaply pinned down
    if any(os.sep not in (v or "") and "/" not in (v or "") for v in pythons):
        return False  # a version: found on PATH/pyenv, which may change
    files = [v or "" for o, v in pairs if o in ("-r", "--requirement", "-c", "--constraint")]
    return all("://" not in f and not f.startswith("file:") for f in files)


def verdict_dir(pairs: list[tuple[str, str | None]], environ: Mapping[str, str], cwd: str) -> str:
    """Where verdicts are looked for (see :func:`cache_root_of`)."""
    return os.path.join(cache_root_of(pairs, environ, cwd), BUCKET)


def cache_root_of(pairs: list[tuple[str, str | None]], environ: Mapping[str, str], cwd: str) -> str:
    """The cache a run uses, as far as its arguments and variables tell: ``--cache-dir``,
    ``$PINSET_CACHE_DIR``, ``$PIP_CACHE_DIR``, else the default cache (a wrong guess only means
    no verdict)."""
    given = [v for o, v in pairs if o == "--cache-dir"]
    root = (given[-1] if given else None) or environ.get("PINSET_CACHE_DIR")
    root = root or environ.get("PIP_CACHE_DIR")
    if not root:
        if sys.platform.startswith("linux"):
            base = environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
            root = os.path.join(base, "pinset")
        else:
            import platformdirs

            root = platformdirs.user_cache_dir("pinset", appauthor=False)
    return os.path.join(cwd, os.path.expanduser(root))


RULES = ("satisfied.py", "install.py", "inputs.py", "target.py", _DISCOVERY)
"""The code deciding a verdict's answer (relative to ``ops``): part of its key."""


def key(
    argv: Sequence[str],
    environ: Mapping[str, str],
    cwd: str,
    as_module: bool = False,
    *,
    rules: Sequence[str] = RULES,
) -> str:
    """The digest naming a verdict: everything that decides which inputs a run reads, and
    whether pinset was started as ``python -m pinset`` (which may target its own environment);
    ``rules``: the files (relative to ``ops``) whose code decides the answer."""
    from pinset import __version__

    here = os.path.dirname(os.path.abspath(__file__))
    code = [stat_facts(os.path.join(here, n)) for n in rules]
    env = sorted(
        (k, v) for k, v in environ.items() if k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES
    )
    material = [__version__, code, list(argv), cwd, env, sys.prefix, sys.platform, sys.version]
    if as_module:
        material.append("python -m pinset")
    return sha256_hex(repr(material).encode())


def stat_facts(path: str) -> list[int] | None:
    try:
        return _facts(os.stat(path))
    except OSError:
        return None


def _lstat(path: str) -> list[int] | None:
    try:
        return _facts(os.lstat(path))
    except OSError:
        return None


def _facts(st: os.stat_result) -> list[int]:
    """What a file's stat says of its content. A device or a FIFO (``PIP_CONFIG_FILE=/dev/null``,
    pip's way of reading no configuration file) is only its kind: its times change whenever
    any process uses it, and held in a verdict they made every verdict fail."""
    if not (S_ISREG(st.st_mode) or S_ISDIR(st.st_mode) or S_ISLNK(st.st_mode)):
        return [S_IFMT(st.st_mode)]
    return [st.st_mtime_ns, st.st_size, st.st_ino, st.st_mode]


def content_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return sha256_hex(fh.read())
    except OSError:
        return None


def _site(directory: str) -> list[object]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return [None]
    facts: list[object] = [stat_facts(directory)]
    for name in names:
        facts.append(name)
        if name.endswith(_DIST_SUFFIXES):
            path = os.path.join(directory, name)
            facts.append(stat_facts(path))
            if name.endswith(".dist-info"):
                facts.append(stat_facts(os.path.join(path, "METADATA")))
    return facts


def expands(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return b"${" in fh.read()
    except OSError:
        return True


def _parts(verdict: Verdict) -> list[tuple[str, str]]:
    """Each thing the answer was read from, with a digest of its state now."""
    parts = [(f, repr(content_digest(f))) for f in verdict.files]
    parts += [(p, repr((stat_facts(p), _lstat(p)))) for p in verdict.stats]
    parts += [(d, repr(_site(d))) for d in verdict.site_dirs]
    return [(path, sha256_hex(text.encode())) for path, text in parts]


def state(verdict: Verdict) -> str:
    """The digest of what a verdict's answer was read from, as it is now."""
    return sha256_hex(repr(_parts(verdict)).encode())


def find(
    argv: Sequence[str], environ: Mapping[str, str], cwd: str, *, as_module: bool = False
) -> Verdict | str:
    """The verdict for this run when one exists and still holds, else why not (for ``-v``)."""
    if not argv or argv[0] != "install":
        return "not an install"
    pairs = parse_options(argv)
    if pairs is None:
        return "an option that always runs the full check"
    if not eligible(pairs, environ):
        return "the target or a requirements file is not pinned down by path"
    name = key(argv, environ, cwd, as_module) + ".verdict"
    found, body = load_body(os.path.join(verdict_dir(pairs, environ, cwd), name))
    if not found:
        return "none recorded for this command line, directory and environment"
    verdict = Verdict.from_body(body)
    if verdict is None or not isinstance(body, dict):
        return "the recorded verdict is damaged"
    if journals_pending(verdict.site_dirs):  # the full path recovers them first
        return "an interrupted pinset run left a journal to recover"
    return _still_holds(verdict, body)


def load_body(path: str) -> tuple[bool, object]:
    """What a verdict's or a plan's file holds: ``(False, None)`` when there is no such file,
    ``(True, None)`` when it cannot be read back (damaged), else ``(True, value)``."""
    try:
        with open(path, "rb") as fh:
            return True, marshal.loads(fh.read())
    except OSError:
        return False, None
    except (ValueError, EOFError, TypeError):
        return True, None


def _still_holds(verdict: Verdict, body: Mapping[str, object]) -> Verdict | str:
    """``verdict`` when nothing it was read from changed, else the first thing that did."""
    now = _parts(verdict)
    if body.get("state") == sha256_hex(repr(now).encode()):
        return verdict
    before = body.get("parts")
    if isinstance(before, (list, tuple)):
        recorded = {tuple(x) for x in before if isinstance(x, (list, tuple))}
        changed = [p for p, digest in now if (p, digest) not in recorded]
        if changed:
            return f"{changed[0]} changed since the last check"
    return "what the last check read has changed"


def lookup(
    argv: Sequence[str], environ: Mapping[str, str], cwd: str, *, as_module: bool = False
) -> Verdict | None:
    """The verdict for this run when one exists and still holds, else None."""
    found = find(argv, environ, cwd, as_module=as_module)
    return None if isinstance(found, str) else found


def journals_pending(site_dirs: Sequence[str]) -> bool:
    """Whether an interrupted run left a journal in one of ``site_dirs`` (one ``listdir``
    each): the full path recovers it first."""
    from pinset.install.state import STATE_DIR, pending_journals

    return any(pending_journals(os.path.join(site, STATE_DIR)) for site in site_dirs)


def record(
    argv: Sequence[str],
    environ: Mapping[str, str],
    cwd: str,
    cache_root: str,
    verdict: Verdict,
    *,
    as_module: bool = False,
) -> bool:
    """Write the verdict of a satisfied run; False when this run is not one to remember."""
    if not rememberable(argv, environ, verdict.files):
        return False
    body = verdict.body()
    parts = _parts(verdict)
    body["state"] = sha256_hex(repr(parts).encode())
    body["parts"] = parts
    name = key(argv, environ, cwd, as_module) + ".verdict"
    store_body(os.path.join(cache_root, BUCKET, name), body)
    return True


def rememberable(argv: Sequence[str], environ: Mapping[str, str], files: Sequence[str]) -> bool:
    """Whether a run of ``argv`` that read the requirements ``files`` may be remembered (a
    verdict or a plan): its options and target are all in the key, and so is every file."""
    pairs = parse_options(argv)
    if pairs is None or not eligible(pairs, environ) or any("://" in f for f in files):
        return False
    return not any(expands(f) for f in files)  # ${VAR} may read any variable, not all keyed


def store_body(path: str, body: dict[str, object]) -> None:
    """Write a verdict's or a plan's file (read back by :func:`load_body`)."""
    from pathlib import Path

    from pinset._fs import atomic_write_bytes

    # no fsync (it cost a cold install about 60 ms here): after a crash the file is whole, or
    # empty or cut short, which reads as nothing recorded or damaged, or the previous one,
    # which holds only for the state it recorded
    atomic_write_bytes(Path(path), marshal.dumps(body), durable=False)
