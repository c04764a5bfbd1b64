"""``freeze -r TEMPLATE``: the template's lines kept in order, each requirement pinned.

Where pip's freeze reads a template well (comments, blank lines, option lines, specifiers,
several templates, ``-r`` lines kept), the output is pip's, line for line. Where pip's breaks
(continuations, ``--hash`` options, ``-c`` lines, markers, extras, nested ``-r`` followed), the
expected text is written out here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.functional.freeze.world import (
    checkout,
    editable,
    pinset_freeze,
    pip_freeze,
    put_dist,
    site_packages,
)
from tests.helpers.envs import available_versions
from tests.helpers.http_server import HttpServer, Reply
from tests.helpers.install_world import new_venv

VERSIONS = available_versions()
pytestmark = pytest.mark.skipif(not VERSIONS, reason="no Python from pyenv")

C64, D64 = "c" * 64, "d" * 64


def env(tmp_path: Path) -> Path:
    venv = new_venv(tmp_path / "venv", VERSIONS[-1])
    site = site_packages(venv)
    for name, version in [
        ("Foo_Bar", "1.0"),
        ("requests", "2.31.0"),
        ("six", "1.16.0"),
        ("zope.interface", "6.0"),
        ("Alpha", "3.0"),
        ("zeta", "1.0"),
    ]:
        put_dist(site, name, version)
    put_dist(
        site,
        "arch",
        "1.0",
        direct_url={
            "url": "https://files.example.com/arch-1.0.tar.gz",
            "archive_info": {"hashes": {"sha256": "a" * 64}},
        },
    )
    return venv


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_what_pip_reads_well_comes_out_as_pip_writes_it(tmp_path: Path) -> None:
    venv = env(tmp_path)
    write(
        tmp_path / "a.txt",
        "# pinned by hand\n"
        "--index-url https://example.com/simple\n"
        "-f https://example.com/links\n"
        "--extra-index-url https://example.com/extra\n"
        "--trusted-host example.com\n"
        "--pre\n"
        "   \n"
        "foo-bar>=0.5\n"
        "Requests\n"
        "  # indented comment\n"
        "-r b.txt\n"
        "zope.interface<7\n",
    )
    write(
        tmp_path / "b.txt",
        "--index-url https://example.com/simple\nsix\n# from b\nREQUESTS\nzeta\n",
    )
    for args in (["-r", "a.txt"], ["-r", "a.txt", "-r", "b.txt"]):
        ours = pinset_freeze(venv, *args, "--keep-includes", cwd=tmp_path)
        theirs = pip_freeze(venv, *args, cwd=tmp_path)
        assert ours.returncode == 0, ours.stderr
        assert ours.stdout.splitlines() == theirs.stdout.splitlines()
    assert "requirement REQUESTS included multiple times" in ours.stderr


TEMPLATE = f"""\
# header comment
--index-url https://example.com/simple

foo-bar>=0.5  # why we need it
requests[socks] >= 2 ; python_version >= "3"
zope.interface \\
    >=5
six==1.16 \\
    --hash=sha256:{C64}
Alpha==2.0 --hash=sha256:{D64}
-c constraints.txt
-r sub/more.txt
not-installed>=1   # kept as written
Foo_Bar==0.1       # a second time

arch @ https://files.example.com/arch-1.0.tar.gz
--index-url https://example.com/simple
"""

EXPECTED_HEAD = f"""\
# header comment
--index-url https://example.com/simple

Foo_Bar==1.0  # why we need it
requests[socks]==2.31.0 ; python_version >= "3"
zope.interface==6.0
six==1.16.0 \\
    --hash=sha256:{C64}
Alpha==3.0
-c constraints.txt
"""

EXPECTED_TAIL = """\
not-installed>=1   # kept as written

arch @ https://files.example.com/arch-1.0.tar.gz#sha256=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
## The following requirements were added by pip freeze:
"""


def corpus(tmp_path: Path) -> None:
    write(tmp_path / "req.txt", TEMPLATE)
    write(tmp_path / "constraints.txt", "six<2\n")
    write(
        tmp_path / "sub" / "more.txt", "# from more\nzeta\n--index-url https://example.com/simple\n"
    )


def test_every_construct_kept_in_place_and_pinned(tmp_path: Path) -> None:
    venv = env(tmp_path)
    corpus(tmp_path)
    done = pinset_freeze(venv, "-r", "req.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    included = "# from more\nzeta==1.0\n"
    assert done.stdout == EXPECTED_HEAD + included + EXPECTED_TAIL
    assert "not-installed>=1 is kept as written: not-installed is not installed" in done.stderr
    assert "requirement Foo_Bar included multiple times" in done.stderr
    assert "the --hash values of Alpha==2.0 were dropped" in done.stderr


def test_keep_includes_keeps_the_r_line(tmp_path: Path) -> None:
    venv = env(tmp_path)
    corpus(tmp_path)
    done = pinset_freeze(venv, "-r", "req.txt", "--keep-includes", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == EXPECTED_HEAD + "-r sub/more.txt\n" + EXPECTED_TAIL + "zeta==1.0\n"


def test_output_may_replace_the_template_atomically(tmp_path: Path) -> None:
    venv = env(tmp_path)
    corpus(tmp_path)
    printed = pinset_freeze(venv, "-r", "req.txt", cwd=tmp_path).stdout
    (tmp_path / "req.txt").chmod(0o600)
    done = pinset_freeze(venv, "-r", "req.txt", "-o", "req.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "req.txt").stat().st_mode & 0o777 == 0o600
    assert done.stdout == ""
    assert (tmp_path / "req.txt").read_text() == printed
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".req.txt")) == []
    again = pinset_freeze(venv, "-r", "req.txt", cwd=tmp_path)
    assert again.stdout == printed  # a frozen file is its own fixed point


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    """``requirements.txt -> requirements/prod.txt``: freezing into the link writes the file it
    names (keeping its permissions) and leaves the link a link, as a shell redirection does."""
    venv = env(tmp_path)
    corpus(tmp_path)
    printed = pinset_freeze(venv, "-r", "req.txt", cwd=tmp_path).stdout
    real = tmp_path / "pins" / "prod.txt"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o640)
    (tmp_path / "link.txt").symlink_to(Path("pins") / "prod.txt")
    done = pinset_freeze(venv, "-r", "req.txt", "-o", "link.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "link.txt").is_symlink()
    assert real.read_text() == printed
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["prod.txt"]  # no temporary left


def test_a_bad_template_is_reported_and_nothing_written(tmp_path: Path) -> None:
    venv = env(tmp_path)
    write(tmp_path / "req.txt", "six\nfoo ==== 1\n")
    done = pinset_freeze(venv, "-r", "req.txt", "-o", "req.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert "req.txt:2" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "req.txt").read_text() == "six\nfoo ==== 1\n"


def test_editable_vcs_lines_markers_and_url_templates(tmp_path: Path) -> None:
    venv = env(tmp_path)
    tree = tmp_path / "trees" / "ed"
    commit = checkout(tree, remotes={"origin": "https://example.com/ed.git"})
    editable(site_packages(venv), "ed-thing", tree)
    remote = (
        "-e git+https://example.com/ed.git#egg=ed-thing\n"
        "windows-only ; sys_platform == 'win32'\n"
        "-r more.txt\n"
    )
    with HttpServer() as server:
        server.route("/req.txt", Reply(200, remote.encode()))
        server.route("/more.txt", Reply(200, b"six>1\n"))
        done = pinset_freeze(venv, "-r", server.url + "/req.txt", "--exclude", "zeta", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:4] == [
        f"-e git+https://example.com/ed.git@{commit}#egg=ed_thing",
        "windows-only ; sys_platform == 'win32'",
        "six==1.16.0",
        "## The following requirements were added by pip freeze:",
    ]
    assert "windows-only" not in done.stderr  # its marker is false here: nothing to warn about
    assert "zeta" not in done.stdout


def test_a_path_line_names_the_project_installed_from_that_path(tmp_path: Path) -> None:
    venv = env(tmp_path)
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "pyproject.toml").write_text("[project]\nname = 'proj-x'\n")
    for other in ("lib", "other"):
        (tmp_path / other).mkdir()
        (tmp_path / other / "pyproject.toml").write_text(f"[project]\nname = '{other}'\n")
    editable(site_packages(venv), "proj-x", tmp_path / "proj")
    put_dist(
        site_packages(venv),
        "lib-y",
        "2.0",
        direct_url={"url": (tmp_path / "lib").as_uri(), "dir_info": {}},
    )
    write(tmp_path / "proj" / "req.txt", "-e .  # this project\n../lib\n-e ../other\nsix\n")
    done = pinset_freeze(venv, "-r", "req.txt", cwd=tmp_path / "proj")
    assert done.returncode == 0, done.stderr
    head = done.stdout.split("## The following")[0]
    assert head == "-e .  # this project\n../lib\n-e ../other\nsix==1.16.0\n"
    assert "proj" not in done.stdout.split("## The following")[1]  # written once, in place
    assert "lib-y" not in done.stdout.split("## The following")[1]
    assert "-e ../other is kept as written: nothing is installed from" in done.stderr
