"""The one table of pip's options that pinset understands, as pip's ``cmdoptions`` is for pip.

Each :class:`Option` row says how an option is spelled (every flag and alias), what kind of
value it takes, its default, its help, and where it may appear:

``argv``
    the command line of the commands in ``commands`` (read by :mod:`pinset.cli.options`);
``config``
    pip's configuration files and ``PIP_*`` variables (keys are the long flags without
    ``--``), and ``PINSET_*`` (read by :mod:`pinset.settings`); an option with ``pip=False``
    is pinset's own and is read from ``PINSET_*`` and the command line only;
``file``
    a requirements-file line (read by :mod:`pinset.requirements.options`).

``noop`` marks the options a remembered no-op verdict may answer for
(:mod:`pinset.ops.noop_verdict`); that module reads only the plain-data
``pinset._option_names``, generated from this table by ``dev/gen-option-names`` (a unit test
keeps the two equal).

Kinds (how a value is read; :mod:`pinset.settings.values` has pip's rules for text):
``str``, ``path`` (a leading ``~`` expanded), ``float``, ``int``, ``choice``; ``flag`` (no value
on the command line, a boolean word in configuration); ``negflag`` (the ``--no-X`` spelling
of ``X``'s flag); ``count`` (``-v``, added up); ``list`` (repeatable); ``binary``
(``--no-binary``/``--only-binary``, see :mod:`pinset.binary`); ``nocache`` (``--no-cache-dir``).

Adding an option: one row here (with a ``Settings`` field of the same ``dest`` when
configuration may set it; a unit test checks that); the command line, ``pinset config list``
and the requirements-file parser then know it. Run ``dev/gen-option-names`` when ``noop``
or the flags of a ``noop`` row change.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pinset._dataclass import dataclass

Kind = Literal[
    "str", "path", "float", "int", "choice", "flag", "negflag", "count", "list", "binary", "nocache"
]
Scope = Literal["argv", "config", "file"]

DEFAULT_INDEX_URL = "https://pypi.org/simple"
"""The index used when none is configured (pip's default, PyPI)."""

FEATURES = (
    "fast-deps",
    "inprocess-build-deps",
    "venv-isolation",
    "truststore",
    "no-binary-enable-wheel-cache",
    "build-constraint",
)
"""Values pip 26.3 accepts for ``--use-feature``."""

_VALUELESS: frozenset[Kind] = frozenset({"flag", "negflag", "count", "nocache"})

ARGV: frozenset[Scope] = frozenset({"argv"})
CONFIG: frozenset[Scope] = frozenset({"argv", "config"})
EVERYWHERE: frozenset[Scope] = frozenset({"argv", "config", "file"})
FILE: frozenset[Scope] = frozenset({"file"})
ARGV_AND_FILE: frozenset[Scope] = frozenset({"argv", "file"})
INSTALL = frozenset({"install"})
CHANGING = frozenset({"install", "sync"})
"""Commands that change an environment from requirements: how files are placed there."""
INSTALL_UNINSTALL = frozenset({"install", "uninstall"})
INDEX_COMMANDS = frozenset(
    {"install", "sync", "check", "list", "download", "wheel", "freeze", "lock"}
)
"""Commands that read indexes (or URLs): index URLs and the network options."""
FREEZE = frozenset({"freeze"})
LOCK = frozenset({"lock"})
FINDING = frozenset({"install", "sync", "check", "list", "download", "wheel", "lock"})
"""Commands that choose files from indexes: the index and binary-policy options (``check``
for ``--resolve``)."""
FETCHING = frozenset({"install", "download", "wheel"})
"""Commands that resolve requirements and fetch their files."""
OUTPUT = frozenset(
    {
        "install",
        "sync",
        "uninstall",
        "list",
        "show",
        "freeze",
        "download",
        "wheel",
        "lock",
        "check",
        "venv",
        "completion",
    }
)
"""Commands with ``-v``/``-q`` on their own parser (``cache`` and ``config`` have them on each
action instead, see :func:`pinset.cli.options.add_output`)."""


@dataclass(frozen=True, slots=True)
class Option:
    """One of pip's options (or one of pinset's own) and where it may be given."""

    dest: str
    """The name of the value: a ``Settings`` field, an argparse ``dest``, a file option."""
    flags: tuple[str, ...]
    """Every spelling, short (``-i``) and long (``--index-url``); the first long one is main."""
    kind: Kind
    default: object = None
    help: str | None = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    scopes: frozenset[Scope] = CONFIG
    commands: frozenset[str] = INSTALL
    """The commands whose command line has it (when ``argv`` is in ``scopes``)."""
    group: str = "changing the environment"
    """The heading it is listed under in ``--help``."""
    pip: bool = True
    """False: pinset's own option (never read from pip's files or ``PIP_*``)."""
    pip_dest: str | None = None
    """pip's name for the value where it differs from ``dest`` (``ignore_dependencies``)."""
    per_requirement: bool = False
    """In a requirements file: belongs to the requirement on its line (``--hash``)."""
    noop: bool = False
    """A run using it may be answered by a remembered no-op verdict."""

    @property
    def long(self) -> str:
        """The main spelling (``--index-url``)."""
        return next(flag for flag in self.flags if flag.startswith("--"))

    @property
    def key(self) -> str:
        """The main configuration key (``index-url``)."""
        return self.long[2:]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every configuration key: the long flags without ``--``."""
        return tuple(flag[2:] for flag in self.flags if flag.startswith("--"))

    @property
    def takes_value(self) -> bool:
        return self.kind not in _VALUELESS


OPTIONS: tuple[Option, ...] = (
    # what to install
    Option(
        "requirement_files",
        ("-r", "--requirement"),
        "list",
        (),
        "the requirements named in this file",
        metavar="FILE",
        scopes=ARGV_AND_FILE,
        commands=frozenset({"install", "uninstall", "download", "wheel", "sync"}),
        group="requirements",
        pip_dest="requirements",
        noop=True,
    ),
    Option(
        "constraints",
        ("-c", "--constraint"),
        "list",
        default=(),
        help="constrain versions with this file",
        metavar="FILE",
        scopes=EVERYWHERE,
        group="requirements",
        noop=True,
        commands=FETCHING | {"sync"} | LOCK,
    ),
    Option(
        "editables",
        ("-e", "--editable"),
        "list",
        (),
        "install a local project in editable mode (-e ./dir, -e ./dir[extra], -e .)",
        metavar="PATH/URL",
        scopes=ARGV_AND_FILE,
        group="requirements",
    ),
    # how to install
    Option(
        "upgrade",
        ("-U", "--upgrade"),
        "flag",
        False,
        "upgrade the named packages (lock: every pin, ignoring the output file's)",
        commands=INSTALL | LOCK,
    ),
    Option(
        "upgrade_strategy",
        ("--upgrade-strategy",),
        "choice",
        "only-if-needed",
        choices=("only-if-needed", "eager"),
        help="with -U, upgrade dependencies too (eager) or only when needed (the default)",
    ),
    Option(
        "ignore_installed",
        ("-I", "--ignore-installed"),
        "flag",
        False,
        "resolve as if nothing were installed, and reinstall what is resolved",
        scopes=ARGV,
    ),
    Option(
        "force_reinstall",
        ("--force-reinstall",),
        "flag",
        False,
        "reinstall packages even if they are up to date",
        scopes=ARGV,
    ),
    Option(
        "no_deps",
        ("--no-deps", "--no-dependencies"),
        "flag",
        False,
        "don't install dependencies",
        pip_dest="ignore_dependencies",
        noop=True,
        commands=FETCHING,
    ),
    Option(
        "require_hashes",
        ("--require-hashes",),
        "flag",
        False,
        "require a --hash for every package (hash-checking mode)",
        scopes=EVERYWHERE,
        noop=True,
        commands=FETCHING | {"sync", "check"},
    ),
    Option("no_require_hashes", ("--no-require-hashes",), "flag", False, scopes=FILE),
    Option(
        "compile",
        ("--compile",),
        "flag",
        True,
        "compile .py files to bytecode (the default)",
        noop=True,
        commands=CHANGING,
    ),
    Option(
        "compile",
        ("--no-compile",),
        "negflag",
        True,
        "don't compile .py files to bytecode",
        noop=True,
        commands=CHANGING,
    ),
    Option(
        "build_constraints",
        ("--build-constraint",),
        "list",
        (),
        "constrain the versions of build requirements with this file (repeatable)",
        metavar="FILE",
        commands=FETCHING,
        group="building",
    ),
    Option(
        "build_isolation",
        ("--no-build-isolation",),
        "negflag",
        True,
        "build in the target environment with what it has, instead of a fresh build environment",
        commands=FETCHING,
        group="building",
    ),
    Option(
        "target",
        ("-t", "--target"),
        "str",
        help="install into DIR instead of the environment",
        metavar="DIR",
        pip_dest="target_dir",
        commands=CHANGING,
    ),
    Option(
        "prefix",
        ("--prefix",),
        "str",
        help="install under this prefix (the environment's layout)",
        metavar="DIR",
        commands=CHANGING,
    ),
    Option(
        "break_system_packages",
        ("--break-system-packages",),
        "flag",
        False,
        "allow changing an externally managed Python (PEP 668)",
        commands=INSTALL_UNINSTALL | {"sync"},
        noop=True,
    ),
    Option(
        "user",
        ("--user",),
        "flag",
        False,
        "install into the user site (~/.local)",
        scopes=ARGV,
    ),
    Option(
        "root",
        ("--root",),
        "str",
        help="install everything under DIR (staging)",
        metavar="DIR",
        scopes=ARGV,
    ),
    Option(
        "dry_run",
        ("--dry-run",),
        "flag",
        False,
        "show what would change; change nothing",
        scopes=ARGV,
        commands=CHANGING | LOCK,
    ),
    Option(
        "link_mode",
        ("--link-mode",),
        "choice",
        "hardlink",
        "how files come from the cache: hardlink (default: fast, but an edit in place "
        "shows in every environment linked), copy (independent files), symlink",
        choices=("hardlink", "copy", "symlink"),
        pip=False,
        noop=True,
        commands=CHANGING,
    ),
    Option(
        "src_dir",
        ("--src", "--source", "--source-dir", "--source-directory"),
        "path",
        help="directory for editable version-control checkouts (default: <env>/src in a virtual "
        "environment, else ./src)",
        metavar="DIR",
    ),
    Option(
        "exists_action",
        ("--exists-action",),
        "list",
        (),
        "when an editable checkout's directory holds something else: (s)witch, (i)gnore, "
        "(w)ipe, (b)ackup, (a)bort (the default); repeatable, the first that applies is used",
        metavar="ACTION",
    ),
    Option(
        "report",
        ("--report",),
        "str",
        help="write pip's installation report (JSON) to FILE ('-': stdout)",
        metavar="FILE",
        scopes=ARGV,
        commands=CHANGING,
    ),
    Option(
        "allow_empty",
        ("--allow-empty",),
        "flag",
        False,
        "sync even when the files name nothing (removes every package)",
        scopes=ARGV,
        commands=frozenset({"sync"}),
        pip=False,
    ),
    Option(
        "strict",
        ("--strict",),
        "flag",
        False,
        "fail (exit 1) on warnings too",
        scopes=ARGV,
        commands=frozenset({"check"}),
        group="checking",
        pip=False,
    ),
    Option(
        "resolve",
        ("--resolve",),
        "flag",
        False,
        "resolve the files for the target and name every dependency they do not pin",
        scopes=ARGV,
        commands=frozenset({"check"}),
        group="checking",
        pip=False,
    ),
    Option(
        "yes",
        ("-y", "--yes"),
        "flag",
        False,
        "don't ask for confirmation (never asked when stdin is not a terminal)",
        scopes=ARGV,
        commands=frozenset({"uninstall"}),
    ),
    # general
    Option(
        "verbose",
        ("-v", "--verbose"),
        "count",
        0,
        "say what pinset is doing: phases, requests, cache hits (repeatable)",
        commands=OUTPUT,
        group="general",
        noop=True,
    ),
    Option(
        "quiet",
        ("-q", "--quiet"),
        "count",
        0,
        "print less: no progress, summaries or warnings (errors and the data asked for "
        "are still printed)",
        commands=OUTPUT,
        group="general",
        noop=True,
    ),
    Option(
        "isolated",
        ("--isolated",),
        "flag",
        None,
        "ignore environment variables and user configuration",
        scopes=ARGV,
        commands=frozenset(
            {
                "install",
                "sync",
                "uninstall",
                "check",
                "cache",
                "config",
                "list",
                "show",
                "freeze",
                "download",
                "wheel",
                "lock",
            }
        ),
        group="general",
        pip_dest="isolated_mode",
        noop=True,
    ),
    Option(
        "python",
        ("--python",),
        "str",
        help="the environment's interpreter: a version or a path (default: $VIRTUAL_ENV, "
        "$CONDA_PREFIX, .venv here or in a parent directory)",
        metavar="VERSION|PATH",
        commands=frozenset(
            {
                *("install", "sync", "uninstall", "check", "list", "show", "freeze"),
                *("download", "wheel", "lock"),
            }
        ),
        group="general",
        noop=True,
    ),
    Option(
        "system",
        ("--system",),
        "flag",
        False,
        "use a Python outside a virtual environment (the first python3 on PATH, or the one "
        "--python names); PEP 668 still applies",
        commands=frozenset(
            {"install", "sync", "uninstall", "check", "list", "show", "download", "wheel", "lock"}
        ),
        group="general",
        pip=False,
    ),
    # package index
    Option(
        "index_url",
        ("-i", "--index-url", "--pypi-url"),
        "str",
        DEFAULT_INDEX_URL,
        metavar="URL",
        scopes=EVERYWHERE,
        commands=INDEX_COMMANDS,
        group="package index",
        noop=True,
        help="the package index (PEP 503/691; default https://pypi.org/simple)",
    ),
    Option(
        "extra_index_urls",
        ("--extra-index-url",),
        "list",
        (),
        metavar="URL",
        scopes=EVERYWHERE,
        commands=INDEX_COMMANDS,
        group="package index",
        noop=True,
        help="another index to ask after --index-url (repeatable)",
    ),
    Option(
        "no_index",
        ("--no-index",),
        "flag",
        False,
        "ignore package indexes",
        scopes=EVERYWHERE,
        group="package index",
        noop=True,
        commands=FINDING | FREEZE,
    ),
    Option(
        "find_links",
        ("-f", "--find-links"),
        "list",
        (),
        metavar="URL|PATH",
        scopes=EVERYWHERE,
        group="package index",
        noop=True,
        commands=FINDING | FREEZE,
        help="also look for files in this directory or on this HTML page (repeatable)",
    ),
    Option(
        "index_strategy",
        ("--index-strategy",),
        "choice",
        "first-index",
        "how names found on several indexes are chosen",
        choices=("first-index", "unsafe-best-match"),
        group="package index",
        pip=False,
        commands=FINDING,
    ),
    Option(
        "pre",
        ("--pre",),
        "flag",
        False,
        "include pre-release and development versions",
        scopes=EVERYWHERE,
        group="package index",
        commands=FINDING,
    ),
    Option(
        "only_binary",
        ("--only-binary",),
        "binary",
        frozenset(),
        metavar="NAMES",
        scopes=EVERYWHERE,
        group="package index",
        commands=FINDING,
        help="use only wheels for these projects (comma-separated, :all: or :none:)",
    ),
    Option(
        "no_binary",
        ("--no-binary",),
        "binary",
        frozenset(),
        metavar="NAMES",
        scopes=EVERYWHERE,
        group="package index",
        commands=FINDING,
        help="do not use wheels for these projects (comma-separated, :all: or :none:)",
    ),
    Option(
        "prefer_binary",
        ("--prefer-binary",),
        "flag",
        False,
        "prefer wheels to newer sdists",
        scopes=EVERYWHERE,
        group="package index",
        commands=FINDING,
    ),
    Option("all_releases", ("--all-releases",), "list", (), scopes=FILE),
    Option("only_final", ("--only-final",), "list", (), scopes=FILE),
    Option("features", ("--use-feature",), "list", (), choices=FEATURES, scopes=FILE),
    Option("hashes", ("--hash",), "list", (), scopes=FILE, per_requirement=True),
    Option(
        "config_settings",
        ("-C", "--config-settings"),
        "list",
        (),
        metavar="KEY=VALUE",
        scopes=EVERYWHERE,
        commands=FETCHING,
        group="building",
        help="a setting for the build backend (repeatable; a key given twice makes a list)",
        per_requirement=True,
    ),
    # network
    Option(
        "trusted_hosts",
        ("--trusted-host",),
        "list",
        (),
        metavar="HOST[:PORT]",
        scopes=EVERYWHERE,
        commands=INDEX_COMMANDS,
        group="network",
        help="accept this host without valid HTTPS (repeatable)",
    ),
    Option(
        "cert",
        ("--cert",),
        "path",
        metavar="PATH",
        commands=INDEX_COMMANDS,
        group="network",
        help="CA bundle to verify HTTPS with",
    ),
    Option(
        "client_cert",
        ("--client-cert",),
        "path",
        metavar="PATH",
        commands=INDEX_COMMANDS,
        group="network",
        help="client certificate (PEM, key and certificate in one file)",
    ),
    Option(
        "proxy",
        ("--proxy",),
        "str",
        metavar="URL",
        commands=INDEX_COMMANDS,
        group="network",
        help="proxy: [user:passwd@]proxy.server:port",
    ),
    Option(
        "timeout",
        ("--timeout", "--default-timeout"),
        "float",
        15.0,
        metavar="SECONDS",
        commands=INDEX_COMMANDS,
        group="network",
        help="socket timeout in seconds (default 15)",
    ),
    Option(
        "retries",
        ("--retries",),
        "int",
        5,
        metavar="N",
        commands=INDEX_COMMANDS,
        group="network",
        help="retries per connection (default 5)",
    ),
    Option(
        "download_timeout",
        ("--download-timeout",),
        "float",
        3600.0,
        "the most one file or page may take in all (default 3600; 0: no limit)",
        metavar="SECONDS",
        commands=INDEX_COMMANDS,
        group="network",
        pip=False,
    ),
    Option(
        "keyring_provider",
        ("--keyring-provider",),
        "choice",
        "auto",
        choices=("auto", "disabled", "import", "subprocess"),
        commands=INDEX_COMMANDS,
        group="network",
        help="where to look for index credentials in the keyring",
    ),
    Option(
        "offline",
        ("--offline",),
        "flag",
        False,
        "use only what is cached",
        commands=INDEX_COMMANDS,
        group="network",
        pip=False,
    ),
    # cache
    Option(
        "cache_dir",
        ("--cache-dir",),
        "path",
        help="the cache directory",
        metavar="DIR",
        commands=frozenset(
            {"install", "sync", "check", "cache", "list", "download", "wheel", "freeze", "lock"}
        ),
        group="cache",
        noop=True,
    ),
    Option(
        "no_cache_dir",
        ("--no-cache-dir",),
        "nocache",
        False,
        "use a throwaway cache",
        group="cache",
        commands=FINDING | FREEZE,
    ),
    # freeze
    Option(
        "freeze_templates",
        ("-r", "--requirement"),
        "list",
        help="keep this file's lines, order and comments, each requirement pinned (repeatable)",
        metavar="TEMPLATE",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
        pip_dest="requirements",
    ),
    Option(
        "keep_includes",
        ("--keep-includes",),
        "flag",
        False,
        "keep a template's -r lines as written instead of the included files' lines",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
        pip=False,
    ),
    Option(
        "local",
        ("-l", "--local"),
        "flag",
        False,
        "in a virtual environment that sees the system's packages, list only its own",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
    ),
    Option(
        "freeze_user",
        ("--user",),
        "flag",
        False,
        "list only the packages in the user site",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
        pip_dest="user",
    ),
    Option(
        "freeze_paths",
        ("--path",),
        "list",
        help="list only the packages in DIR (repeatable)",
        metavar="DIR",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
        pip_dest="path",
    ),
    Option(
        "freeze_all",
        ("--all",),
        "flag",
        False,
        "also list pip (and setuptools, wheel, distribute on Python < 3.12)",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
    ),
    Option(
        "freeze_excludes",
        ("--exclude",),
        "list",
        help="leave this project out (repeatable)",
        metavar="NAME",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
        pip_dest="excludes",
    ),
    Option(
        "exclude_editable",
        ("--exclude-editable",),
        "flag",
        False,
        "leave editable installs out",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
    ),
    Option(
        "freeze_hashes",
        ("--hashes",),
        "flag",
        False,
        "add the --hash of every file each pinned version has on the index",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
        pip=False,
    ),
    Option(
        "output",
        ("-o", "--output"),
        "str",
        help="write to FILE, atomically (it may be the template)",
        metavar="FILE",
        scopes=ARGV,
        commands=FREEZE,
        group="freeze",
        pip=False,
    ),
    # lock
    Option(
        "output",
        ("-o", "--output-file"),
        "str",
        help="the lock file to write, atomically ('-': stdout); its pins are kept unless "
        "-U or -P; a name pylock.toml or pylock.NAME.toml writes PEP 751",
        metavar="FILE",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "lock_format",
        ("--format",),
        "choice",
        help="requirements.txt (pip-compile's format; the default) or pylock (PEP 751 "
        "pylock.toml; the default for such names)",
        choices=("requirements.txt", "pylock"),
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "extras",
        ("--extra",),
        "list",
        help="lock this extra's dependencies too, from a pyproject.toml or setup.cfg input "
        "(repeatable)",
        metavar="EXTRA",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "all_extras",
        ("--all-extras",),
        "flag",
        False,
        "lock the dependencies of every extra of a pyproject.toml or setup.cfg input",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "upgrade_packages",
        ("-P", "--upgrade-package"),
        "list",
        help="let this project move to its newest allowed version (repeatable)",
        metavar="NAME",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "generate_hashes",
        ("--generate-hashes",),
        "flag",
        False,
        "add the --hash of every file of each pinned version on the index",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "no_annotate",
        ("--no-annotate",),
        "flag",
        False,
        "leave out the '# via' comments",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "no_header",
        ("--no-header",),
        "flag",
        False,
        "leave out the header naming the command",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "strip_extras",
        ("--strip-extras",),
        "flag",
        True,
        "write pins without their extras (the default, as uv)",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
    Option(
        "strip_extras",
        ("--no-strip-extras",),
        "negflag",
        True,
        "write pins with the extras the inputs asked for",
        scopes=ARGV,
        commands=LOCK,
        group="lock",
        pip=False,
    ),
)
"""Every option, in ``--help`` order."""


def rows(scope: Scope, command: str | None = None) -> Iterator[Option]:
    """The rows that may appear in ``scope`` (on ``command``'s command line, for ``argv``)."""
    for row in OPTIONS:
        if scope in row.scopes and (command is None or command in row.commands):
            yield row


def default(dest: str) -> object:
    """The default value of ``dest`` (from its first row)."""
    return next(row.default for row in OPTIONS if row.dest == dest)


def render_noop_names() -> str:
    """The text of ``pinset/_option_names.py``: the spellings the no-op verdict accepts."""
    noop = [row for row in rows("argv", "install") if row.noop]
    values = sorted(flag for row in noop if row.takes_value for flag in row.flags)
    flags = sorted(flag for row in noop if not row.takes_value for flag in row.flags)
    attached = sorted(f for f in values if not f.startswith("--"))
    counts = sorted(f[1] for row in noop if row.kind == "count" for f in row.flags if f[1] != "-")
    return (
        '"""The option spellings a no-op verdict understands: plain data for\n'
        "``pinset.ops.noop_verdict``, which runs before anything heavy is imported.\n\n"
        "Generated from the option table (``pinset.options``) by ``dev/gen-option-names``;\n"
        "do not edit.\n"
        '"""\n\n'
        f"VALUE_OPTIONS = {_frozenset(values)}\n"
        f"FLAGS = {_frozenset(flags)}\n"
        f"ATTACHED = {_frozenset(attached)}\n"
        f"COUNT_LETTERS = {_frozenset(counts)}\n"
    )


def _frozenset(items: list[str]) -> str:
    """``items`` as a frozenset literal, one per line (as ruff formats it)."""
    lines = "".join(f'        "{item}",\n' for item in items)
    return "frozenset(\n    {\n" + lines + "    }\n)"
