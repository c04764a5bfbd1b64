"""pinset reads generated requirements files exactly as pip 26.3's own parser does.

Each case writes a small project (requirements files, local projects, archives) into a temp
directory, reads the entry file with pip's parser (``tests.helpers.pip_oracle``, live) and
with pinset, and compares every requirement, constraint, file option and error line (see
``tests.differential.parity``). Lines pip refuses on purpose-differing forms are listed in
``tests.differential.deliberate``; any other difference fails. One file, one test id.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from benchmarks.parse_requirements import generate

from tests.differential.deliberate import DELIBERATE
from tests.differential.parity import parity_problems
from tests.helpers.pip_oracle import read_with_pip
from tests.helpers.requirements_parity import OPTION_FIELDS, PinsetReading, read_with_pinset

SHA = "a" * 64
SHA2 = "b" * 64
COMMIT = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
PROJECTS = ("proj", "sub/inner", "req/nested/pkg", "other")
"""Installable local projects every case has (each holds a ``setup.py``)."""


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes]
    entry: str = "requirements.txt"
    cwd: str = "."
    environ: dict[str, str] = field(default_factory=dict)
    constraint: bool = False


def _one_line_cases(group: str, lines: list[str]) -> Iterator[Case]:
    for index, line in enumerate(lines):
        yield Case(f"{group}-{index:02d}", {"requirements.txt": line + "\n"})


NAMED = [
    "requests",
    "requests==2.31.0",
    "Requests == 2.31.0",
    "zope.interface>=5,<7",
    "my_pkg~=1.4.2",
    "my-pkg!=1.0,>=0.9",
    "pkg===1.0-local",
    "pkg==1.*",
    "pkg>=1.0.dev0",
    "pkg (>=1.0)",
    "pkg[security]",
    "pkg[security,socks]==1.0",
    "pkg[ security , socks ]>=1",
    "pkg[PDF]",
    "pkg[PDF]==3.0",
    'pkg; python_version < "3.8"',
    'pkg==1.0 ; sys_platform == "win32" and python_version >= "3.6"',
    "pkg;os_name=='posix'",
    'pkg[extra]>=1; platform_machine == "x86_64" or implementation_name == "pypy"',
    'pkg ; extra == "test"',
    "Django>=3.2,<4.0,!=3.2.1",
    "a.b-c_d",
    "x" * 60,
    "pkg>=1.0 # trailing comment",
    "pkg#notacomment",
    "pkg==",
    "pkg=1.0",
    "pkg>>1.0",
    "pkg=>1.0",
    "pkg 1.0",
    "pkg==1.0 extra words",
    "-pkg",
    "pkg[",
    "pkg; python_version >>> '3'",
    "pkg; ",
    "pkg==1.0 [PDF]",
    "pkg >= 2.0.0 [tests]",
    "pkg==2.0,>=1 [a,b] ; python_version > '3'",
    "<<<<<<< HEAD",
    "pkg==1.0; python_version>'3' --hash=sha256:" + SHA,
]

DIRECT = [
    "pkg @ https://example.com/pkg-1.0.tar.gz",
    "pkg@https://example.com/pkg-1.0.tar.gz",
    f"pkg @ https://example.com/pkg-1.0-py3-none-any.whl#sha256={SHA}",
    'pkg[extra] @ https://example.com/pkg-1.0.zip ; python_version >= "3.8"',
    "pkg @ https://example.com/pkg-1.0.tar.gz;python_version>='3'",
    "pkg @ git+https://github.com/org/pkg.git@v1.0",
    "pkg @ git+https://github.com/org/pkg.git@main#subdirectory=src/pkg",
    "pkg @ file:///srv/pkg-1.0.tar.gz",
    "pkg @ https://user:secret@example.com/pkg-1.0.tar.gz",
    "pkg @ https://example.com/pkg-1.0.tar.gz?token=abc#egg=pkg",
    "https://example.com/pkg-1.0.tar.gz",
    "https://example.com/pkg-1.0-py3-none-any.whl",
    "https://example.com/Some_Pkg-2.1-cp311-cp311-manylinux_2_17_x86_64.whl",
    "https://example.com/pkg-1.0.tar.gz#egg=pkg",
    "https://example.com/pkg-1.0.tar.gz#egg=pkg&subdirectory=sub",
    f"https://example.com/pkg-1.0.tar.gz#sha256={SHA}",
    "https://example.com/archive/main.zip#egg=pkg",
    'https://example.com/pkg-1.0.tar.gz ; python_version >= "3"',
    "https://example.com/pkg-1.0.tar.gz; python_version >= '3'",
    "https://example.com/pkg-1.0.tar.gz;python_version>='3'",
    "https://example.com/notawheel.whl",
    "https://example.com/pkg-1.0.tar.gz#egg=pkg==1.0",
    "https://example.com/pkg-1.0.tar.gz#egg=pkg[extra]",
    "http://user@example.com/pkg-1.0.tar.gz",
    "file:///srv/pkg-1.0.tar.gz",
    "file:///srv/proj#egg=proj",
    "pkg @ ./proj",
    "novcs+http://example.com#egg=a",
]

VCS_TRANSPORTS = {
    "git": ("http", "https", "ssh", "git", "file"),
    "hg": ("http", "https", "ssh", "static-http", "file"),
    "svn": ("http", "https", "ssh", "svn", "file"),
    "bzr": ("http", "https", "ssh", "sftp", "ftp", "file"),
}
VCS_REVS = {
    "git": ("", "@main", "@v1.0", f"@{COMMIT}", "@refs/pull/1/head"),
    "hg": ("", "@default", "@v1.0", "@da39a3ee5e6b", "@2019"),
    "svn": ("", "@2019", "@{20080101}"),
    "bzr": ("", "@2019", "@tag:v1.0"),
}


def _vcs_url(vcs: str, transport: str, rev: str) -> str:
    where = "/srv/repo/MyProject" if transport == "file" else "//git@host.example.com/MyProject"
    if transport == "file":
        return f"{vcs}+file://{where}{rev}"
    return f"{vcs}+{transport}:{where}{rev}"


def _vcs_cases() -> Iterator[Case]:
    for vcs, transports in VCS_TRANSPORTS.items():
        lines = []
        for transport in transports:
            for rev in VCS_REVS[vcs]:
                url = _vcs_url(vcs, transport, rev)
                lines.append(f"-e {url}#egg=MyProject")
                lines.append(f"{url}#egg=MyProject")
                lines.append(f"MyProject @ {url}")
        lines += [
            f"-e {vcs}+https://host.example.com/MyProject#egg=MyProject&subdirectory=py",
            f"-e {vcs}+https://host.example.com/MyProject#egg=My_Project[extra]",
            f"-e {vcs}+https://host.example.com/MyProject",
            f"{vcs}+https://host.example.com/MyProject",
            f"-e {vcs}+https://user:pass@host.example.com/MyProject#egg=MyProject",
            f"-e MyProject @ {vcs}+https://host.example.com/MyProject",
            f"-e MyProject[extra] @ {vcs}+https://host.example.com/MyProject ; os_name != 'x'",
        ]
        for index in range(0, len(lines), 12):
            chunk = lines[index : index + 12]
            yield Case(f"vcs-{vcs}-{index // 12:02d}", {"requirements.txt": "\n".join(chunk)})
    bare = [
        "-e git://host.example.com/MyProject.git#egg=MyProject",
        "-e git://host.example.com/MyProject.git@v1.0#egg=MyProject",
        "git://host.example.com/MyProject.git@v1.0#egg=MyProject",
        "git://host.example.com/MyProject.git",
        "-e hg+http://hg.example.com/MyProject@da39a3ee5e6b#egg=MyProject",
        "-e bzr+lp:MyProject#egg=MyProject",
        "-e svn+http://svn.example.com/svn/MyProject/trunk@{20080101}#egg=MyProject",
        "svn+http://svn.example.com/svn/MyProject/trunk@{20080101}#egg=MyProject",
    ]
    yield from _one_line_cases("vcs-legacy", bare)


LOCAL = [
    ".",
    "./proj",
    "proj",
    "proj/",
    "./proj[extra]",
    "./proj[extra,other]",
    './proj ; python_version >= "3"',
    "./proj; python_version >= '3'",
    "./sub/inner",
    "sub/inner",
    "./missing",
    "./missing-1.0.tar.gz",
    "./dist/pkg-1.0.tar.gz",
    "./dist/pkg-1.0-py3-none-any.whl",
    "dist/pkg-1.0-py3-none-any.whl[extra]",
    "./dist/../proj",
    "./notaproject",
    "./proj#egg=MyProject",
    "-e .",
    "-e ./proj",
    "-e proj",
    "-e ./proj[extra]",
    "-e .[dev]",
    "-e ./missing",
    "-e ./notaproject",
    "-e file:./proj",
    "-e ./proj#egg=proj",
    "-e ./proj --config-settings=editable_mode=compat",
    "--editable=./proj",
    "--editable ./proj",
    "./proj --hash=sha256:" + SHA,
]


def _local_cases() -> Iterator[Case]:
    for case in _one_line_cases("local", LOCAL):
        yield Case(
            case.id,
            {
                **case.files,
                "notaproject/README": "not a project\n",
                "dist/pkg-1.0.tar.gz": b"x",
                "dist/pkg-1.0-py3-none-any.whl": b"x",
            },
        )
    # The same lines read from a file in a subdirectory (relative to cwd, not to the file)
    nested = ["./proj", "../proj", "./inner", "inner", "-e ./inner", "-e ../proj", "./sub/inner"]
    for index, line in enumerate(nested):
        yield Case(
            f"local-nested-{index:02d}",
            {"sub/requirements.txt": line + "\n"},
            entry="sub/requirements.txt",
        )
    # Read from a subdirectory as cwd
    for index, line in enumerate(["../proj", "-e ..", "./inner", "-e ../other"]):
        yield Case(
            f"local-cwd-{index:02d}",
            {"sub/requirements.txt": line + "\n"},
            entry="requirements.txt",
            cwd="sub",
        )


OPTIONS = [
    "-i https://index.example.com/simple",
    "--index-url https://index.example.com/simple",
    "--index-url=https://index.example.com/simple",
    "-ihttps://index.example.com/simple",
    "--extra-index-url https://extra.example.com/simple",
    "--extra-index-url=https://a.example.com/simple --extra-index-url https://b.example.com/simple",
    "--extra-index-url https://a.example.com/simple\n--index-url https://i.example.com/simple",
    "--index-url https://i.example.com/simple\n--extra-index-url https://a.example.com/simple",
    "--no-index",
    "--no-index\n--index-url https://i.example.com/simple\n--extra-index-url https://e.example.com",
    "--index-url https://i.example.com/simple\n--no-index",
    "-f https://links.example.com/",
    "--find-links=https://links.example.com/ --find-links=/abs/links",
    "--find-links ./wheels",
    "--find-links wheels",
    "--find-links ./missing-dir",
    "-f file:///srv/wheels",
    "--pre",
    "--prefer-binary",
    "--only-binary :all:",
    "--only-binary=pkg,Other_Pkg",
    "--no-binary :all:",
    "--no-binary :none:",
    "--no-binary pkg\n--only-binary pkg",
    "--only-binary :all:\n--no-binary pkg",
    "--no-binary :all: --only-binary :none:",
    "--require-hashes",
    "--trusted-host host.example.com",
    "--trusted-host host.example.com:8080 --trusted-host other.example.com",
    "--use-feature truststore",
    "--index-url https://u:p@private.example.com/simple",
    "--no-index --find-links ./wheels --pre --prefer-binary --only-binary :all:",
    "--unknown-option",
    "--index-url",
    "-Z",
    "--hash=sha256:" + SHA,
    "-i https://i.example.com/simple pkg",
    "pkg -i https://i.example.com/simple",
    "pkg --pre",
    "--only-binary -pkg",
    "--no-deps",
    "--all-releases pkg",
    "--all-releases :all:",
    "--pre\n--only-final :all:",
    "--only-final pkg,Other\n--all-releases other",
    "--pre\n--only-final pkg",
    "--no-require-hashes",
    "--require-hashes --no-require-hashes",
    "--use-feature fast-deps\n--use-feature fast-deps",
    "--global-option=--foo",
]


EDGES = [
    "--editable=",
    '-e ""',
    "-e ''",
    "-e",
    '-r ""',
    "--trusted-host=",
    "--trusted-host :80",
    '--trusted-host "host:port:x"',
    "--trusted-host [::1]:8080",
    "--trusted-host http://h.example.com",
    "--index-url=",
    '-f ""',
    "--no-binary=",
    '--extra-index-url ""',
    "pkg -C=",
    'pkg -C ""',
    "pkg @ ",
    "@ https://x.example.com/y.tar.gz",
    "pkg @ https://x.example.com/y.tar.gz extra",
    "https://x.example.com/y.tar.gz#egg=",
    "https://x.example.com/y.tar.gz#egg=a&egg=b",
    "https://x.example.com/pkg-1.0-py3-none-any.whl#egg=other",
    "HTTPS://x.example.com/pkg-1.0.tar.gz",
    "Git+HTTPS://x.example.com/r#egg=a",
    "file:proj",
    "file://localhost/srv/proj",
    "\\\npkg==1.0",
    "   \\\npkg==1.0",
    "pkg\\\n\\\n==1.0",
    "--pre\n--all-releases :none:",
    "--only-binary=:all: --only-binary=:none:",
    "pkg ;python_version>'3'",
    "https://x.example.com/p.tar.gz ;python_version>'3'",
    "https://x.example.com/p.tar.gz; python_version>'3' ; os_name=='x'",
    "./proj;python_version>'3'",
    "proj ; python_version>'3'",
    "-e git+https://h.example.com/r#egg=a ; python_version>'3'",
    "a @ ./proj",
    "-e a @ file:///srv/x",
    "-e ./proj[a,b]",
    '-e "./proj"',
    f"pkg --hash=SHA256:{SHA}",
    f"pkg --hash=sha256:{SHA.upper()}",
    "pkg --hash=sha256:abc",
    "-r requirements.txt pkg",
    "git://h.example.com/r/pkg-1.0.tar.gz",
    f"https://x.example.com/p.tar.gz;  --hash=sha256:{SHA}",
    "https://x.example.com/p.tar.gz;  --pre",
    "https://x.example.com/p.tar.gz; --pre",
    "https://x.example.com/p.tar.gz ;  python_version>'3'  --pre",
    "pkg==1.0   ;   python_version>'3'  --pre",
]


def _option_cases() -> Iterator[Case]:
    yield from _one_line_cases("edge", EDGES)
    for index, text in enumerate(OPTIONS):
        yield Case(
            f"options-{index:02d}",
            {"requirements.txt": text + "\nrequests\n", "wheels/README": "links\n"},
        )


PER_REQUIREMENT = [
    f"pkg==1.0 --hash=sha256:{SHA}",
    f"pkg==1.0 --hash sha256:{SHA} --hash=sha256:{SHA2}",
    f"pkg==1.0 \\\n    --hash=sha256:{SHA} \\\n    --hash=sha256:{SHA2}",
    f"pkg==1.0 --hash=sha384:{'c' * 96} --hash=sha512:{'d' * 128}",
    f"pkg==1.0 --hash=md5:{'e' * 32}",
    "pkg==1.0 --hash=sha256",
    "pkg==1.0 --hash=nonsense:abc",
    f"https://example.com/pkg-1.0.tar.gz --hash=sha256:{SHA}",
    f"-e ./proj --hash=sha256:{SHA}",
    "pkg -C key=value",
    "pkg --config-settings key=value --config-settings key=other -C k2=v",
    "pkg --config-settings=key",
    "-e ./proj -C editable_mode=strict",
    "pkg --global-option=--x",
    "pkg --install-option=--x",
    "pkg --no-binary :all:",
    "pkg --index-url https://i.example.com/simple",
    "pkg==1.0 --hash=sha256:" + SHA + " # with a comment",
]


def _structure_cases() -> Iterator[Case]:
    yield from (
        Case(f"per-req-{i:02d}", {"requirements.txt": t + "\n"})
        for i, t in enumerate(PER_REQUIREMENT)
    )
    continuation = {
        "basic": "pkg\\\n==1.0\n",
        "three": "pkg \\\n  >=1.0, \\\n  <2\n",
        "to-eof": "pkg==1.0 \\",
        "comment-ends": "pkg \\\n# comment\nother\n",
        "comment-with-backslash": "# comment \\\npkg\n",
        "option": "--index-url \\\n https://i.example.com/simple\npkg\n",
        "double": "pkg\\\\\n==1.0\n",
        "blank-after": "pkg \\\n\nother\n",
        "indented": "   pkg==1.0   \n\t other >= 2\n",
    }
    for key, text in continuation.items():
        yield Case(f"continuation-{key}", {"requirements.txt": text})
    comments = {
        "lines": "# one\n   # two\npkg # three\n#pkg2\n",
        "url-fragment": "https://example.com/pkg-1.0.tar.gz#egg=pkg # real comment\n",
        "hash-no-space": "pkg==1.0#comment\n",
        "tab": "pkg\t# comment\n",
        "only-comments": "# nothing\n\n   \n",
        "empty": "",
    }
    for key, text in comments.items():
        yield Case(f"comments-{key}", {"requirements.txt": text})
    variables = {
        "set": ("pkg==${VERSION}\n", {"VERSION": "1.2"}),
        "unset": ("pkg==${MISSING}\n", {}),
        "empty": ("pkg${EMPTY}\n", {"EMPTY": ""}),
        "lowercase": ("pkg${lower}\n", {"lower": "==1.0"}),
        "url": (
            "pkg @ https://${USER_NAME}:${TOKEN}@example.com/pkg.tar.gz\n",
            {"USER_NAME": "me", "TOKEN": "s3cret"},
        ),
        "index": ("--index-url https://${HOST}/simple\npkg\n", {"HOST": "i.example.com"}),
        "dollar": ("pkg @ https://example.com/$HOME/pkg.tar.gz\n", {"HOME": "/x"}),
        "option": ("${OPT}\npkg\n", {"OPT": "--pre"}),
        "include": ("-r ${NAME}.txt\n", {"NAME": "other"}),
        "spaces": ("pkg${SPEC}\n", {"SPEC": " >= 1.0"}),
    }
    for key, (text, env) in variables.items():
        yield Case(f"vars-{key}", {"requirements.txt": text, "other.txt": "incl\n"}, environ=env)


CONSTRAINT_FORMS = [
    "https://x.example.com/pkg-1.0.tar.gz",
    "pkg @ https://x.example.com/pkg-1.0.tar.gz",
    "pkg[extra]==1.0",
    "pkg==1.0 ; python_version > '3'",
    "./proj",
    "-e git+https://h.example.com/r#egg=pkg",
    "git+https://h.example.com/r#egg=pkg",
    f"pkg==1.0 --hash=sha256:{SHA}",
    "pkg>=1,<2\nPkg<1.5",
    "--only-binary :all:\npkg",
]
"""Constraint lines: pip's parser takes them all; ``pip install`` refuses unnamed, editable
and extras constraints before resolving (the oracle's ``constraint_problem``)."""


def _include_cases() -> Iterator[Case]:
    for index, line in enumerate(CONSTRAINT_FORMS):
        files: dict[str, str | bytes] = {
            "requirements.txt": "-c c.txt\npkg\n",
            "c.txt": line + "\n",
        }
        yield Case(f"constraint-form-{index:02d}", files)
    yield Case("include-basic", {"requirements.txt": "a\n-r other.txt\nb\n", "other.txt": "c\n"})
    yield Case(
        "include-nested-dirs",
        {
            "requirements.txt": "-r req/base.txt\ntop\n",
            "req/base.txt": "base\n-r nested/more.txt\n-c ../constraints.txt\n",
            "req/nested/more.txt": "more\n-e ./pkg\n./pkg\n",
            "constraints.txt": "base<2\nmore==1.0\n",
        },
    )
    yield Case(
        "include-forms",
        {
            "requirements.txt": "--requirement other.txt\n--requirement=third.txt\n-rfourth.txt\n",
            "other.txt": "a\n",
            "third.txt": "b\n",
            "fourth.txt": "c\n",
        },
    )
    yield Case(
        "include-constraint-forms",
        {
            "requirements.txt": "pkg\n--constraint c1.txt\n--constraint=c2.txt\n-cc3.txt\n",
            "c1.txt": "pkg<2\n",
            "c2.txt": "pkg[x]>=1\n",
            "c3.txt": "other @ https://example.com/other-1.0.tar.gz\n",
        },
    )
    yield Case("include-missing", {"requirements.txt": "a\n-r missing.txt\nb\n"})
    yield Case("include-missing-constraint", {"requirements.txt": "a\n-c missing.txt\n"})
    yield Case("include-self", {"requirements.txt": "a\n-r requirements.txt\n"})
    yield Case(
        "include-loop",
        {"requirements.txt": "-r a.txt\n", "a.txt": "-r b.txt\n", "b.txt": "-r a.txt\n"},
    )
    yield Case("include-twice", {"requirements.txt": "-r a.txt\n-r a.txt\n", "a.txt": "x\n"})
    yield Case(
        "include-diamond",
        {
            "requirements.txt": "-r a.txt\n-r b.txt\n",
            "a.txt": "-r c.txt\n",
            "b.txt": "-r c.txt\n",
            "c.txt": "z\n",
        },
    )
    yield Case("constraint-editable", {"requirements.txt": "-c c.txt\n", "c.txt": "-e ./proj\n"})
    yield Case(
        "constraint-top",
        {"constraints.txt": "pkg<2\n-r more.txt\n", "more.txt": "x\n"},
        entry="constraints.txt",
        constraint=True,
    )
    yield Case(
        "constraint-options",
        {
            "requirements.txt": "-c c.txt\n",
            "c.txt": f"--index-url https://c.example.com/simple\npkg==1 --hash=sha256:{SHA}\n",
        },
    )
    yield Case(
        "include-with-requirement", {"requirements.txt": "pkg -r other.txt\n", "other.txt": "x\n"}
    )
    yield Case(
        "include-then-requirement", {"requirements.txt": "-r other.txt pkg\n", "other.txt": "x\n"}
    )
    yield Case(
        "include-options-merge",
        {
            "requirements.txt": "--extra-index-url https://a.example.com\n-r o.txt\n--pre\n",
            "o.txt": "--index-url https://i.example.com\n--find-links ./wheels\n--no-binary x\n",
            "wheels/README": "links\n",
        },
    )
    yield Case(
        "include-find-links-relative-to-file",
        {
            "requirements.txt": "-r sub/o.txt\n",
            "sub/o.txt": "--find-links wheels\n--find-links ./missing\n",
            "sub/wheels/README": "x\n",
        },
    )
    yield Case(
        "include-path-relative-to-cwd",
        {
            "requirements.txt": "-r sub/o.txt\n",
            "sub/o.txt": "./proj\n-e ./other\n",
        },
    )


def _encoding_cases() -> Iterator[Case]:
    text = "# coding test\npkg==1.0\n-e ./proj\nother>=2 ; python_version > '3'\n"
    boms = {
        "utf8-bom": codecs.BOM_UTF8 + text.encode("utf-8"),
        "utf16-le": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        "utf16-be": codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        "utf32-le": codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
        "utf32-be": codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
        "crlf": text.replace("\n", "\r\n").encode(),
        "cr": text.replace("\n", "\r").encode(),
        "mixed": b"a\r\nb\rc\nd",
        "crlf-continuation": b"pkg \\\r\n  ==1.0\r\n",
        "latin1-declared": "# -*- coding: latin-1 -*-\npkg  # caf\xe9\n".encode("latin-1"),
        "utf8-text": "pkg  # café ☕\n".encode(),
        "form-feed": b"pkg\x0cother\n",
        "nul": b"pkg\x00\n",
        "unicode-line-sep": "pkg\u2028other\n".encode(),
    }
    for key, data in boms.items():
        yield Case(f"encoding-{key}", {"requirements.txt": data})


def _all_cases() -> list[Case]:
    cases: list[Case] = []
    cases += _one_line_cases("named", NAMED)
    cases += _one_line_cases("direct", DIRECT)
    cases += _vcs_cases()
    cases += _local_cases()
    cases += _option_cases()
    cases += _structure_cases()
    cases += _include_cases()
    cases += _encoding_cases()
    cases += (
        Case(f"benchmark-file-{seed}", {"requirements.txt": generate(600, seed)}) for seed in (1, 2)
    )
    cases += (
        Case(
            f"deliberate-{row.key}",
            {"sub/requirements.txt": row.example + "\n"},
            entry="sub/requirements.txt",
        )
        for row in DELIBERATE
    )
    return cases


def _materialize(case: Case, root: Path) -> Path:
    for project in PROJECTS:
        (root / project).mkdir(parents=True, exist_ok=True)
        (root / project / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    for name in ("sub/pkg", "sub/proj"):  # for deliberate rows: present next to sub/*.txt only
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "setup.py").write_text("")
    for name, content in case.files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root / case.cwd


CASES = _all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_reads_like_pip(case: Case, tmp_path: Path) -> None:
    cwd = _materialize(case, tmp_path / "project")
    pip = read_with_pip(
        case.entry, cwd=cwd, constraint=case.constraint, environ=case.environ, redact=False
    )

    def read(at: Path) -> PinsetReading:
        return read_with_pinset(
            case.entry, cwd=at, constraint=case.constraint, environ=case.environ
        )

    problems = parity_problems(
        pip,
        cwd,
        read,
        writable_root=lambda: cwd,
        redact_urls=False,
        option_fields=(*OPTION_FIELDS, "use_features"),
        reread_pip=lambda at: read_with_pip(
            case.entry, cwd=at, constraint=case.constraint, environ=case.environ, redact=False
        ),
    )
    assert not problems, "pinset reads differently from pip:\n" + "\n".join(problems)


def test_cases_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) > 200
