"""What a long operation tells its caller while it runs (data only; the CLI draws it).

- :class:`Phase`: a step begins (``Resolving dependencies``, ``Downloading 3 files``,
  ``Installing 3 packages``, ``Compiling bytecode``); ``total`` counts its items and ``unit``
  names them.
- :class:`Transfer`: bytes of one download so far (from the HTTP pool's threads).
- :class:`Step`: one item of the current phase is done: a file fetched (downloaded, or found
  already downloaded or in the cache), a package installed.
- :class:`Build`: a build from source starts (``Building docopt 0.6.2 (sdist)``,
  ``Preparing metadata of …``), or ends (``done``); builds run beside the current phase (while
  resolving, while downloading), several at once, so each is shown on its own row and the
  phase keeps its count.
- :class:`Trace`: what is being done, for ``-v`` (an index asked, a cache hit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pinset._dataclass import dataclass

Unit = Literal["", "files", "packages"]


@dataclass(frozen=True, slots=True)
class Phase:
    text: str
    total: int | None = None
    unit: Unit = ""


@dataclass(frozen=True, slots=True)
class Transfer:
    file: str
    done: int
    total: int | None


@dataclass(frozen=True, slots=True)
class Step:
    name: str


@dataclass(frozen=True, slots=True)
class Build:
    text: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class Trace:
    text: str


Event = Phase | Transfer | Step | Build | Trace
Listener = Callable[[Event], None]
