"""Where pinset keeps its own state in an environment: ``<purelib>/.pinset/`` (the lock, the
journals and stashes of transactions, scratch unpacks). Wheels may not write there
(:mod:`pinset.install.wheel`), and nothing found there is trusted without proof
(:mod:`pinset.install.journal`).

Imports only ``os``: the no-op fast path asks :func:`pending_journals` before anything heavy.
"""

from __future__ import annotations

import os

STATE_DIR = ".pinset"
JOURNAL_SUFFIX = ".journal"


def pending_journals(state_dir: str | os.PathLike[str]) -> list[str]:
    """The journal files in ``state_dir`` (sorted names; one ``listdir``), left by runs that
    were interrupted, are running now, or were planted there."""
    try:
        names = os.listdir(state_dir)
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(JOURNAL_SUFFIX))
