"""The configuration reader's view of the option table (:mod:`pinset.options`).

Names are pip's long option names without ``--`` (``index-url``), which is how pip spells keys
in its INI files and, upper-cased with ``_`` for ``-`` behind ``PIP_``, in its environment
variables. Every long spelling of a row is a key (``timeout`` and ``default-timeout`` both
set ``timeout``), exactly as pip resolves them.

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

from types import MappingProxyType

from pinset.options import Option, rows

_ROWS = tuple(rows("config"))

OPTIONS: MappingProxyType[str, Option] = MappingProxyType(
    {key: row for row in _ROWS for key in row.keys}
)
"""Every configuration key pinset understands, by pip's long option name."""

PRIMARY: MappingProxyType[str, Option] = MappingProxyType(
    {
        **{r.dest: r for r in reversed(_ROWS) if r.kind == "negflag"},
        **{r.dest: r for r in reversed(_ROWS) if r.kind != "negflag"},
    }
)
"""The main spelling of each ``dest``: its first positive name, else its ``--no-`` name."""

CLI_ALIASES: MappingProxyType[str, str] = MappingProxyType(
    {
        alias: row.dest
        for row in _ROWS
        if row.kind != "negflag"
        for alias in (*(key.replace("-", "_") for key in row.keys), row.pip_dest)
        if alias and alias != row.dest
    }
)
"""Other spellings of a ``dest`` accepted in ``cli_values``: each long flag with ``_`` for
``-`` (``extra_index_url``) and pip's own name for the value (``ignore_dependencies``)."""

IGNORED_ENV_NAMES = frozenset({"version", "help", "config-file", "isolated-mode", "online"})
"""``PIP_*``/``PINSET_*`` names that are not options (pip ignores version and help too)."""


def normalize_key(name: str) -> str:
    """A key as pip compares it: lower case, ``_`` as ``-``, without a leading ``--``."""
    key = name.lower().replace("_", "-")
    return key.removeprefix("--")
