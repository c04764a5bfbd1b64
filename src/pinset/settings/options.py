"""The table of options pinset reads from configuration: names, kinds, and what they set.

Names are pip's long option names without ``--`` (``index-url``), which is how pip spells keys
in its INI files and, upper-cased with ``_`` for ``-`` behind ``PIP_``, in its environment
variables. One key maps to one :class:`OptionSpec`; aliases (``default-timeout``) are separate
keys for the same ``dest``, exactly as pip resolves them.

Kinds, and how a text value from a file or variable is applied (pip's rules):

``str`` / ``path`` / ``float`` / ``int`` / ``choice``
    the value replaces the previous one (``path`` expands a leading ``~``).
``flag``
    a boolean word (``yes/true/on/1/y/t``, ``no/false/off/0/n/f``) sets ``dest``.
``negflag``
    the ``--no-X`` spelling of a flag whose ``dest`` is ``X``. pip stores the parsed boolean
    as is, so ``PIP_NO_COMPILE=yes`` *keeps* compiling and ``no-compile = no`` turns it off.
    pinset reproduces this for pip's files and ``PIP_*``; ``PINSET_NO_X=1`` means what it says.
``count``
    a non-negative integer or a boolean word (``yes`` = 1); flags on the command line add.
``list``
    split on whitespace; replaces the previous list; the command line appends to it.
``binary``
    ``--no-binary``/``--only-binary``: comma-separated names, ``:all:``, ``:none:``; each use
    adds to the running pair of sets and removes the names from the other set.
``nocache``
    ``--no-cache-dir``: any valid boolean word disables the cache (pip's compatibility rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Kind = Literal[
    "str",
    "path",
    "float",
    "int",
    "choice",
    "flag",
    "negflag",
    "count",
    "list",
    "binary",
    "nocache",
]


@dataclass(frozen=True, slots=True)
class OptionSpec:
    key: str
    dest: str
    kind: Kind
    choices: tuple[str, ...] = ()
    pip: bool = True  # False: pinset's own option, read from PINSET_* and flags only

    @property
    def flag(self) -> str:
        return f"--{self.key}"


_SPECS = (
    OptionSpec("index-url", "index_url", "str"),
    OptionSpec("pypi-url", "index_url", "str"),
    OptionSpec("extra-index-url", "extra_index_urls", "list"),
    OptionSpec("no-index", "no_index", "flag"),
    OptionSpec("find-links", "find_links", "list"),
    OptionSpec("pre", "pre", "flag"),
    OptionSpec("trusted-host", "trusted_hosts", "list"),
    OptionSpec("cert", "cert", "path"),
    OptionSpec("client-cert", "client_cert", "path"),
    OptionSpec("proxy", "proxy", "str"),
    OptionSpec("timeout", "timeout", "float"),
    OptionSpec("default-timeout", "timeout", "float"),
    OptionSpec("retries", "retries", "int"),
    OptionSpec("download-timeout", "download_timeout", "float", pip=False),
    OptionSpec("cache-dir", "cache_dir", "path"),
    OptionSpec("no-cache-dir", "no_cache_dir", "nocache"),
    OptionSpec("constraint", "constraints", "list"),
    OptionSpec("no-binary", "no_binary", "binary"),
    OptionSpec("only-binary", "only_binary", "binary"),
    OptionSpec("prefer-binary", "prefer_binary", "flag"),
    OptionSpec("require-hashes", "require_hashes", "flag"),
    OptionSpec("no-deps", "no_deps", "flag"),
    OptionSpec("no-dependencies", "no_deps", "flag"),
    OptionSpec("target", "target", "str"),
    OptionSpec("prefix", "prefix", "str"),
    OptionSpec("upgrade", "upgrade", "flag"),
    OptionSpec("upgrade-strategy", "upgrade_strategy", "choice", ("only-if-needed", "eager")),
    OptionSpec(
        "index-strategy",
        "index_strategy",
        "choice",
        ("first-index", "unsafe-best-match"),
        pip=False,
    ),
    OptionSpec("compile", "compile", "flag"),
    OptionSpec("no-compile", "compile", "negflag"),
    OptionSpec("no-build-isolation", "build_isolation", "negflag"),
    OptionSpec("break-system-packages", "break_system_packages", "flag"),
    OptionSpec(
        "keyring-provider",
        "keyring_provider",
        "choice",
        ("auto", "disabled", "import", "subprocess"),
    ),
    OptionSpec("offline", "offline", "flag", pip=False),
    OptionSpec("link-mode", "link_mode", "choice", ("copy", "hardlink", "symlink"), pip=False),
    OptionSpec("python", "python", "str"),
    OptionSpec("verbose", "verbose", "count"),
    OptionSpec("quiet", "quiet", "count"),
)

OPTIONS: MappingProxyType[str, OptionSpec] = MappingProxyType({s.key: s for s in _SPECS})
"""Every configuration key pinset understands, by pip's long option name."""

PRIMARY: MappingProxyType[str, OptionSpec] = MappingProxyType(
    {
        **{s.dest: s for s in reversed(_SPECS) if s.kind == "negflag"},
        **{s.dest: s for s in reversed(_SPECS) if s.kind != "negflag"},
    }
)
"""The main spelling of each ``dest``: its first positive name, else its ``--no-`` name."""

CLI_ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {
        "extra_index_url": "extra_index_urls",
        "trusted_host": "trusted_hosts",
        "constraint": "constraints",
        "ignore_dependencies": "no_deps",
        "default_timeout": "timeout",
        "target_dir": "target",
    }
)
"""argparse ``dest`` spellings accepted in ``cli_values`` besides the Settings field names."""

IGNORED_ENV_NAMES = frozenset({"version", "help", "config-file", "isolated-mode", "online"})
"""``PIP_*``/``PINSET_*`` names that are not options (pip ignores version and help too)."""


def normalize_key(name: str) -> str:
    """A key as pip compares it: lower case, ``_`` as ``-``, without a leading ``--``."""
    key = name.lower().replace("_", "-")
    return key.removeprefix("--")
