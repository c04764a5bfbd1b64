"""``-r``/``-c`` includes: paths, URLs through ``fetch``, constraints, loops, missing files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pinset.errors import NetworkError, RequirementsError
from pinset.requirements import parse_file, parse_text


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _errors(path: Path | str, **kwargs: object) -> RequirementsError:
    with pytest.raises(RequirementsError) as info:
        parse_file(path, environ={}, **kwargs)  # type: ignore[arg-type]
    return info.value


def test_include_is_relative_to_the_including_file(tmp_path: Path) -> None:
    _write(tmp_path / "reqs" / "base.txt", "six==1.16\n")
    top = _write(tmp_path / "reqs" / "dev.txt", "-r base.txt\npytest\n")
    parsed = parse_file(top, environ={}, cwd=tmp_path)
    assert [r.name for r in parsed.requirements] == ["six", "pytest"]
    base = parsed.requirements[0].origin
    assert (base.file, base.line) == (str(tmp_path / "reqs" / "base.txt"), 1)
    assert [f.file for f in parsed.files] == [str(top), str(tmp_path / "reqs" / "base.txt")]
    assert parsed.files[1].included_from is not None
    assert parsed.files[1].included_from.line == 1


def test_relative_top_file_gives_relative_locations(tmp_path: Path) -> None:
    _write(tmp_path / "reqs" / "base.txt", "six\n")
    _write(tmp_path / "reqs" / "dev.txt", "--requirement base.txt\n")
    parsed = parse_file("reqs/dev.txt", environ={}, cwd=tmp_path)
    assert parsed.requirements[0].origin.file == "reqs/base.txt"


def test_constraints_file(tmp_path: Path) -> None:
    _write(tmp_path / "c.txt", "django==4.2\n")
    top = _write(tmp_path / "r.txt", "-c c.txt\ndjango-debug-toolbar<5\n")
    parsed = parse_file(top, environ={})
    assert [r.name for r in parsed.requirements] == ["django-debug-toolbar"]
    assert [(r.name, r.constraint) for r in parsed.constraints] == [("django", True)]
    assert parsed.files[1].constraint


def test_top_file_read_as_constraints(tmp_path: Path) -> None:
    top = _write(tmp_path / "c.txt", "django==4.2\n")
    parsed = parse_file(top, environ={}, constraint=True)
    assert parsed.requirements == ()
    assert parsed.constraints[0].constraint


def test_requirement_include_inside_constraints_reads_requirements_like_pip(tmp_path: Path) -> None:
    _write(tmp_path / "inner.txt", "bar==2\n")
    _write(tmp_path / "c.txt", "-r inner.txt\nfoo==1\n")
    top = _write(tmp_path / "top.txt", "-c c.txt\nbaz\n")
    parsed = parse_file(top, environ={})
    assert [r.name for r in parsed.requirements] == ["bar", "baz"]
    assert [r.name for r in parsed.constraints] == ["foo"]
    [warning] = [d for d in parsed.diagnostics if d.code == "requirements-in-constraints"]
    assert warning.hint == "write `-c inner.txt` to include it as constraints"


def test_constraint_include_inside_constraints(tmp_path: Path) -> None:
    _write(tmp_path / "inner.txt", "bar==2\n")
    _write(tmp_path / "c.txt", "-c inner.txt\n")
    parsed = parse_file(_write(tmp_path / "top.txt", "-c c.txt\n"), environ={})
    assert [r.name for r in parsed.constraints] == ["bar"]


def test_editable_constraint_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "c.txt", "-e git+https://h/r#egg=r\n")
    error = _errors(_write(tmp_path / "top.txt", "-c c.txt\n"))
    assert error.problems[0].message == "editable requirements are not allowed as constraints"


def test_unnamed_constraint_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "c.txt", "https://h/p.tar.gz\n")
    error = _errors(_write(tmp_path / "top.txt", "-c c.txt\n"))
    assert "unnamed" in error.problems[0].message


def test_include_loop_names_the_chain(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "-r b.txt\n")
    _write(tmp_path / "b.txt", "x\n-r a.txt\n")
    error = _errors("a.txt", cwd=tmp_path)
    [problem] = error.problems
    assert problem.message == "include loop: a.txt -> b.txt -> a.txt"
    assert problem.where is not None
    assert (problem.where.file, problem.where.line, problem.where.column) == ("b.txt", 2, 4)
    assert problem.source_line == "-r a.txt"


def test_self_include_is_a_loop(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "-r ./a.txt\n")
    assert "a.txt -> a.txt" in _errors("a.txt", cwd=tmp_path).problems[0].message


def test_same_file_included_twice_is_fine(tmp_path: Path) -> None:
    _write(tmp_path / "common.txt", "six\n")
    _write(tmp_path / "a.txt", "-r common.txt\n")
    top = _write(tmp_path / "top.txt", "-r common.txt\n-r a.txt\n")
    parsed = parse_file(top, environ={})
    assert [r.name for r in parsed.requirements] == ["six", "six"]


def test_missing_include_reports_the_including_line(tmp_path: Path) -> None:
    top = _write(tmp_path / "top.txt", "six\n-r missing.txt\n")
    [problem] = _errors("top.txt", cwd=tmp_path).problems
    assert problem.message.startswith("cannot open requirements file missing.txt")
    assert problem.where is not None
    assert (problem.where.line, problem.where.column) == (2, 4)
    del top


def test_missing_top_file(tmp_path: Path) -> None:
    [problem] = _errors("nope.txt", cwd=tmp_path).problems
    assert "cannot open requirements file nope.txt" in problem.message
    assert problem.where is None


def test_errors_in_every_file_are_collected(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", "ok\nbad=1\n--nope\n")
    _write(tmp_path / "a.txt", "foo>>1\n-r b.txt\n-c missing.txt\n")
    problems = _errors("a.txt", cwd=tmp_path).problems
    assert [(p.where.file, p.where.line) for p in problems if p.where] == [
        ("a.txt", 1),
        ("b.txt", 2),
        ("b.txt", 3),
        ("a.txt", 3),
    ]


def test_url_includes_go_through_fetch_and_join_urls() -> None:
    pages = {
        "https://example.com/reqs/top.txt": "-r base.txt\n-c https://other.example/c.txt\nflask\n",
        "https://example.com/reqs/base.txt": "six\n",
        "https://other.example/c.txt": "six==1.16\n",
    }
    fetched: list[str] = []

    def fetch(url: str) -> str:
        fetched.append(url)
        return pages[url]

    parsed = parse_file("https://example.com/reqs/top.txt", fetch=fetch, environ={})
    assert [r.name for r in parsed.requirements] == ["six", "flask"]
    assert parsed.requirements[0].origin.file == "https://example.com/reqs/base.txt"
    assert [r.name for r in parsed.constraints] == ["six"]
    assert fetched == list(pages)


def test_url_include_without_fetch_is_an_error() -> None:
    error = None
    with pytest.raises(RequirementsError) as info:
        parse_text("-r https://example.com/r.txt\n", environ={})
    error = info.value.problems[0]
    assert "needs a fetch function" in error.message


def test_fetch_failure_is_reported_at_the_include() -> None:
    def fetch(url: str) -> str:
        raise NetworkError(f"404 Not Found for {url}")

    with pytest.raises(RequirementsError) as info:
        parse_text("six\n-r https://example.com/r.txt\n", fetch=fetch, environ={})
    problem = info.value.problems[0]
    assert "404 Not Found" in problem.message
    assert problem.where is not None
    assert problem.where.line == 2


def test_file_url_include_is_read_locally(tmp_path: Path) -> None:
    _write(tmp_path / "base.txt", "six\n")
    parsed = parse_text(f"-r {(tmp_path / 'base.txt').as_uri()}\n", environ={})
    assert [r.name for r in parsed.requirements] == ["six"]


def test_parse_text_includes_are_relative_to_cwd(tmp_path: Path) -> None:
    _write(tmp_path / "base.txt", "six\n")
    parsed = parse_text("-r base.txt\n", environ={}, cwd=tmp_path)
    assert parsed.requirements[0].origin.file == "base.txt"


@pytest.mark.parametrize(
    ("line", "column"), [("-r r", 4), ("--requirement=r", 15), ("--pre -c r", 10)]
)
def test_missing_include_column_points_at_the_path(tmp_path: Path, line: str, column: int) -> None:
    _write(tmp_path / "top.txt", line + "\n")
    [problem] = _errors("top.txt", cwd=tmp_path).problems
    assert problem.where is not None
    assert problem.where.column == column


def test_a_deep_include_chain_is_read_in_order_without_recursion(tmp_path: Path) -> None:
    # pip reads a few hundred levels; pinset reads any depth, far past Python's recursion limit
    depth = 3000
    for i in range(depth):
        _write(tmp_path / f"f{i}.txt", f"before{i}\n-r f{i + 1}.txt\nafter{i}\n")
    _write(tmp_path / f"f{depth}.txt", "last\n")
    parsed = parse_file(tmp_path / "f0.txt", environ={})
    names = [r.name for r in parsed.requirements]
    assert names == [f"before{i}" for i in range(depth)] + ["last"] + [
        f"after{i}" for i in reversed(range(depth))
    ]
    assert len(parsed.files) == depth + 1
    assert parsed.requirements[-1].origin.file == str(tmp_path / "f0.txt")
    assert parsed.requirements[-1].origin.line == 3


def test_a_loop_at_the_end_of_a_deep_chain_names_it(tmp_path: Path) -> None:
    depth = 2000
    for i in range(depth):
        _write(tmp_path / f"f{i}.txt", f"-r f{i + 1}.txt\n")
    _write(tmp_path / f"f{depth}.txt", f"-r f{depth - 1}.txt\n")
    problem = _errors(tmp_path / "f0.txt").problems[0]
    assert problem.message.startswith(f"include loop: {tmp_path / f'f{depth - 1}.txt'} -> ")
    assert problem.message.count(" -> ") == 2
