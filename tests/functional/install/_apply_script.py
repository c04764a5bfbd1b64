"""Run one transaction in a separate process (for kill and concurrency tests).

usage: python _apply_script.py PYTHON PAUSE_FILE WHEEL...
Installs the wheels into the environment of PYTHON. When PAUSE_FILE is not "-", the process
writes it when it reaches the 5th ``install`` step (``stash:PAUSE_FILE``: the first ``stash``
step, before anything changed), then waits (to be killed, or until a file PAUSE_FILE.go
appears).
Prints the names installed and how many earlier runs were recovered.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

from packaging.utils import parse_wheel_filename

from pinset.dists import LocalWheel
from pinset.environment.installed import scan
from pinset.environment.interpreter import query
from pinset.environment.schemes import environment_scheme
from pinset.install.plan import make_plan
from pinset.install.transaction import apply


def main(argv: list[str]) -> int:
    python, pause, *paths = argv
    interp = query(Path(python), cache_dir=None)
    wheels = []
    for text in paths:
        path = Path(text)
        name, version, _b, _t = parse_wheel_filename(path.name)
        wheels.append(
            LocalWheel(name, version, path, hashlib.sha256(path.read_bytes()).hexdigest())
        )
    installs: list[str] = []
    at, _sep, where = pause.rpartition(":")
    at = at or "install"

    def hook(step: str, detail: str) -> None:
        if step == "install":
            installs.append(detail)
        due = len(installs) == 5 if at == "install" else not installs
        if where != "-" and step == at and due and not Path(where).exists():
            Path(where).write_text("paused")
            go = Path(where + ".go")
            deadline = time.monotonic() + 120
            while not go.exists() and time.monotonic() < deadline:
                time.sleep(0.05)

    result = apply(
        make_plan({w.name: w for w in wheels}, scan(environment_scheme(interp))),
        interp,
        compile=True,
        hook=hook,
    )
    print("installed", " ".join(sorted(d.name for d in result.installed)))
    print("recovered", len(result.recovered))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
