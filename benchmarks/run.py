"""Time pinset, uv and pip on the same work: ``.venv/bin/python benchmarks/run.py --help``.

See benchmarks/README.md for what is measured and how.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _main() -> int:
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.harness.cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(_main())
