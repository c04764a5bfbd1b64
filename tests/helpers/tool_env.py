"""pinset installed in an environment of its own, as pipx or a tool venv installs it."""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

from tests.helpers.envs import make_venv
from tests.helpers.install_world import site_packages


def make_tool_env(dest: Path) -> Path:
    """A virtual environment of the running Python's version from which pinset runs: its
    site-packages reaches pinset and its dependencies (those of the environment running the
    tests, through a ``.pth`` file) and its ``bin/pinset`` is the console script pip writes.
    Returns the environment's directory."""
    make_venv(dest, f"{sys.version_info[0]}.{sys.version_info[1]}")
    here = sysconfig.get_paths()["purelib"]
    (site_packages(dest) / "_pinset_here.pth").write_text(
        f"import site; site.addsitedir({here!r})\n"
    )
    script = dest / "bin" / "pinset"
    script.write_text(
        f"#!{dest / 'bin' / 'python'}\n"
        "import sys\n"
        "from pinset.cli.main import main\n"
        "if __name__ == '__main__':\n"
        "    sys.exit(main())\n"
    )
    script.chmod(0o755)
    return dest
