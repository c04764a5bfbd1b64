"""The benchmark harness's own parts: round order, figures, table, command lines, measurement.

No network: nothing here runs pip or uv; a stand-in "pinset" command shows how a failing tool
is reported.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.harness.measure import disk_usage, run_measured, tree_rss_kib
from benchmarks.harness.plan import (
    SCENARIO_BY_NAME,
    Job,
    ToolPaths,
    command,
    round_order,
    tool_environ,
)
from benchmarks.harness.probe import describe, facts_from
from benchmarks.harness.report import Row, RunInfo, render, time_cell
from benchmarks.harness.runner import (
    LOCAL_SETS,
    Bench,
    forget_plans,
    hashed_lock,
    run_scenario,
    set_file,
)
from benchmarks.harness.stats import Outcome, first_useful_line, paired_ratio, summarize
from benchmarks.harness.toolenv import SetupError, fresh_venv, installed_dists, seed_pip

PATHS = ToolPaths(tools_python=Path("/t/bin/python"), uv=Path("/t/bin/uv"), pinset=("pinset-cmd",))


def test_round_order_alternates_forward_and_backward() -> None:
    tools = ("pinset", "uv", "pip")
    orders = [round_order(tools, index) for index in range(4)]
    assert orders == [tools, tools[::-1], tools, tools[::-1]]
    assert round_order(("uv", "pip"), 1) == ("pip", "uv")


def test_paired_ratio_is_the_median_of_per_round_ratios() -> None:
    pinset = [1.0, 4.0, 2.0, None]
    uv = [2.0, 2.0, 1.0, 1.0]
    # per-round ratios 0.5, 2.0, 2.0 (round 4 has no pinset figure): median 2.0, whereas the
    # ratio of medians would be 2.0 / 1.5.
    assert paired_ratio(pinset, uv) == pytest.approx(2.0)
    assert paired_ratio([None, None], [1.0, 1.0]) is None


def test_summary_median_spread_and_peak_memory() -> None:
    outcome = Outcome("uv", (3.0, 1.0, None, 2.0), (100, 300, None, 200))
    summary = summarize(outcome)
    assert summary is not None
    assert (summary.median, summary.low, summary.high) == (2.0, 1.0, 3.0)
    assert summary.rounds == 3
    assert summary.peak_rss_kib == 300
    assert summarize(Outcome("pinset", (None,), (None,), "boom")) is None


def test_failure_reason_skips_argparse_usage() -> None:
    stderr = (
        "usage: pinset [-h] [--version]\n"
        "              [--verbose] COMMAND ...\n"
        "error: argument COMMAND: invalid choice: 'install' (choose from 'check')\n"
        "  hint: see 'pinset --help'\n"
    )
    assert first_useful_line(stderr).startswith("error: argument COMMAND: invalid choice")
    assert first_useful_line("\n\nERROR: No matching distribution\n") == (
        "ERROR: No matching distribution"
    )
    assert first_useful_line("") == "no output"


def _info(tools: tuple[str, ...]) -> RunInfo:
    return RunInfo(
        date="2026-11-22 04:00 UTC",
        sets=("small",),
        rounds=2,
        tools=tools,
        machine={"CPU": "Test CPU, 2 cores"},
        versions={"uv": "uv 0.13.9", "pip": "pip 26.3"},
    )


FLASK = ("blinker==1.9.0", "click==8.5.1", "flask==3.1.3")


def test_table_shows_medians_spread_ratios_memory_and_failures() -> None:
    row = Row(
        "small",
        SCENARIO_BY_NAME["install-cold"],
        {
            "pinset": Outcome("pinset", (None, None), (None, None), "error: no | install"),
            "uv": Outcome(
                "uv", (0.5, 0.7), (40 * 1024, 50 * 1024), installed=FLASK, cpu_seconds=(0.4, 0.6)
            ),
            "pip": Outcome("pip", (3.0, 5.0), (100 * 1024, 120 * 1024), installed=FLASK),
        },
    )
    text = render(_info(("pinset", "uv", "pip")), [row])
    lines = text.splitlines()
    assert "| set | scenario | pinset | uv | pip | pinset/uv | pinset/pip |" in lines
    assert (
        "| small | install into a fresh venv, cold cache "
        "| n/a (command failed: error: no \\| install) "
        "| 0.600 (0.500–0.700) | 4.00 (3.00–5.00) | n/a | n/a |"
    ) in lines
    assert "| small | install into a fresh venv, cold cache | n/a | 50 | 120 |" in lines
    assert "| small | install into a fresh venv, cold cache | n/a | 0.500 | n/a |" in lines
    assert "Bytecode compilation is **off** for all tools" in text
    assert "- small, install-cold: pinset [- -]; uv [0.500 0.700], 3 dists installed;" in text
    assert "- Every tool's venv held the same distributions and versions." in text


def test_cache_sizes_after_a_cold_install_with_pinsets_ratio() -> None:
    mib = 2**20
    row = Row(
        "medium",
        SCENARIO_BY_NAME["install-cold"],
        {
            "pinset": Outcome("pinset", (1.0,), (1024,), cache_bytes=105 * mib),
            "uv": Outcome("uv", (1.0,), (1024,), cache_bytes=100 * mib),
        },
    )
    warm = Row("medium", SCENARIO_BY_NAME["install-warm"], {"uv": Outcome("uv", (1.0,), (1,))})
    text = render(_info(("pinset", "uv")), [row, warm])
    section = text.split("## Cache size after a cold install")[1].split("## Raw times")[0]
    assert "| medium | install into a fresh venv, cold cache | 105.0 | 100.0 | 1.05x |" in section
    assert "warm cache" not in section


def test_forgetting_plans_keeps_the_rest_of_the_cache(tmp_path: Path) -> None:
    """``--forget-plans``: pinset's full install path is timed, its warm cache kept."""
    (tmp_path / "plans-v1").mkdir()
    (tmp_path / "plans-v1" / "k.plan").write_bytes(b"p")
    (tmp_path / "http-v3").mkdir()
    (tmp_path / "http-v3" / "page").write_bytes(b"h")
    forget_plans(tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["http-v3", "page"]


def test_disk_usage_counts_hard_links_once(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" * 100_000)
    os.link(tmp_path / "a", tmp_path / "b")
    (tmp_path / "sub").mkdir()
    one = disk_usage(tmp_path)
    assert one >= 100_000
    (tmp_path / "sub" / "c").write_bytes(b"y" * 100_000)
    assert disk_usage(tmp_path) - one >= 100_000
    assert disk_usage(tmp_path / "missing") == 0


def test_different_installs_are_pointed_out() -> None:
    row = Row(
        "small",
        SCENARIO_BY_NAME["lock-warm"],
        {
            "pinset": Outcome("pinset", (0.1,), (1,), installed=("click==8.5.0", "flask==3.1.3")),
            "uv": Outcome("uv", (0.1,), (1,), installed=("click==8.5.1", "flask==3.1.3")),
        },
    )
    text = render(_info(("pinset", "uv")), [row])
    assert "- small, lock-warm: pinset lacks click==8.5.1; uv lacks click==8.5.0" in text


def test_ratio_columns_appear_only_with_pinset() -> None:
    row = Row(
        "small",
        SCENARIO_BY_NAME["noop"],
        {
            "pinset": Outcome("pinset", (0.2, 0.3), (1, 1)),
            "uv": Outcome("uv", (0.1, 0.1), (1, 1)),
        },
    )
    with_pinset = render(_info(("pinset", "uv")), [row])
    assert "| small | no-op install (all already installed) | 0.250 (0.200–0.300) " in with_pinset
    assert "| 0.100 (0.100–0.100) | 2.50× |" in with_pinset
    without = render(_info(("uv",)), [Row("small", row.scenario, {"uv": row.outcomes["uv"]})])
    assert "pinset/uv" not in without
    assert time_cell(Outcome("uv", (1.0, None), (1, None), "timed out")).endswith(
        "(some rounds failed: timed out)"
    )


def _job(tool: str, scenario: str) -> Job:
    return Job(
        tool,
        SCENARIO_BY_NAME[scenario],
        Path("/b/small.in"),
        Path("/v/bin/python"),
        Path(f"/c/{tool}"),
    )


def test_commands_target_the_same_venv_with_own_cache_and_no_compile() -> None:
    pip = command(_job("pip", "install-cold"), PATHS)
    assert pip[:3] == ["/v/bin/python", "-m", "pip"]  # pip from inside the venv, by default
    via = command(_job("pip", "install-cold"), dataclasses.replace(PATHS, pip_in_venv=False))
    assert via[:5] == ["/t/bin/python", "-m", "pip", "--python", "/v/bin/python"]
    assert {"--no-compile", "--disable-pip-version-check"} <= set(pip)
    assert pip[pip.index("--cache-dir") + 1] == "/c/pip"
    assert pip[-2:] == ["-r", "/b/small.in"]

    uv = command(_job("uv", "install-warm"), PATHS)
    assert uv[:3] == ["/t/bin/uv", "pip", "install"]
    assert {"--no-config", "--python", "/v/bin/python"} <= set(uv)
    assert "--compile-bytecode" not in uv

    pinset = command(_job("pinset", "install-cold"), PATHS)
    assert pinset[:2] == ["pinset-cmd", "install"]
    assert "--no-compile" in pinset
    assert "--dry-run" not in pinset


def test_bytecode_defaults_let_pip_and_pinset_compile_as_their_users_get() -> None:
    paths = dataclasses.replace(PATHS, bytecode_defaults=True, baseline=("base-cmd",))
    for tool in ("pip", "pinset", "baseline"):
        argv = command(_job(tool, "install-warm"), paths)
        assert "--no-compile" not in argv
        assert argv[-2:] == ["-r", "/b/small.in"]
    assert "--compile-bytecode" not in command(_job("uv", "install-warm"), paths)
    info = dataclasses.replace(_info(("pinset", "uv")), bytecode_defaults=True)
    text = render(info, [])
    assert "Bytecode: **each tool's default** (`--bytecode defaults`)" in text
    assert "Bytecode compilation is **off**" not in text


def test_resolve_commands() -> None:
    assert command(_job("uv", "resolve-cold"), PATHS)[:3] == ["/t/bin/uv", "pip", "compile"]
    assert command(_job("uv", "resolve-cold"), PATHS)[-1] == "/b/small.in"
    for tool in ("pip", "pinset"):
        argv = command(_job(tool, "resolve-warm"), PATHS)
        report = argv.index("--report")
        assert argv[report + 1] == "-"
        assert {"--dry-run", "--ignore-installed"} <= set(argv)


def test_lock_commands_write_the_same_output_file_with_pip_compile_for_pip() -> None:
    out = Path("/w/locks/small-warm-x.txt")
    jobs = {t: dataclasses.replace(_job(t, "compile-warm"), output=out) for t in ("pip", "uv")}
    pinset = dataclasses.replace(_job("pinset", "compile-cold"), output=out)
    assert command(pinset, PATHS) == [
        *("pinset-cmd", "lock", "--python", "/v/bin/python", "--cache-dir", "/c/pinset"),
        *("/b/small.in", "-o", str(out)),
    ]
    uv = command(jobs["uv"], PATHS)
    assert uv[:3] == ["/t/bin/uv", "pip", "compile"]
    assert uv[-3:] == ["/b/small.in", "-o", str(out)]
    pip = command(jobs["pip"], PATHS)
    assert pip[0] == "/t/bin/pip-compile"
    assert pip[-3:] == ["--output-file", str(out), "/b/small.in"]
    assert pip[pip.index("--cache-dir") + 1] == "/c/pip"


def test_locked_pins_are_what_the_lock_files_pin(tmp_path: Path) -> None:
    from benchmarks.harness.runner import locked_pins

    lock = tmp_path / "out.txt"
    lock.write_text("#\n--index-url x\n\nDjango==5.2 \\\n    --hash=sha256:ab\n    # via x\n"
                    "zope.interface[x]==7.0\n")  # fmt: skip
    assert locked_pins(lock) == ("django==5.2", "zope-interface==7.0")


def test_tool_environment_disables_pip_config_and_keeps_tls(tmp_path: Path) -> None:
    base = {
        "PATH": "/usr/bin",
        "PIP_INDEX_URL": "http://elsewhere/simple",
        "PIP_FIND_LINKS": "/opt/wheels",
        "UV_INDEX_URL": "http://elsewhere/simple",
        "PINSET_INDEX_URL": "http://elsewhere/simple",
        "PYTHONDONTWRITEBYTECODE": "1",
        "VIRTUAL_ENV": "/somewhere",
        "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt",
    }
    env = tool_environ(base, tmp_path)
    assert env["PIP_CONFIG_FILE"] == os.devnull
    assert [k for k in env if k.startswith(("PIP_", "UV_", "PINSET_", "PYTHON"))] == [
        "PIP_CONFIG_FILE"
    ]
    assert "VIRTUAL_ENV" not in env
    assert env["SSL_CERT_FILE"] == base["SSL_CERT_FILE"]
    assert env["HOME"] == str(tmp_path)
    assert env["XDG_CONFIG_DIRS"].startswith(str(tmp_path))


def test_peak_memory_covers_grandchildren(tmp_path: Path) -> None:
    # The child allocates little; its own child holds 80 MiB: the tree's peak must show it.
    grandchild = (
        "b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
        "import time; end = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    )
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    measured = run_measured(
        [sys.executable, "-c", child],
        env=os.environ,
        cwd=tmp_path,
        stdout=tmp_path / "out",
        stderr=tmp_path / "err",
        timeout=60,
    )
    assert measured.returncode == 0
    assert measured.peak_rss_kib >= 80 * 1024
    assert measured.seconds >= measured.cpu_seconds >= 0.3  # the grandchild's CPU counts too
    assert tree_rss_kib(os.getpid()) > 0


def test_timeout_kills_the_tree(tmp_path: Path) -> None:
    measured = run_measured(
        [sys.executable, "-c", "import time; time.sleep(30)"],
        env=os.environ,
        cwd=tmp_path,
        stdout=tmp_path / "out",
        stderr=tmp_path / "err",
        timeout=0.5,
        sample_ms=0,
    )
    assert measured.timed_out
    assert measured.seconds < 10


def test_a_failing_tool_is_reported_not_fatal(tmp_path: Path) -> None:
    bench_dir = tmp_path / "bench"
    bench_dir.mkdir()
    (bench_dir / "small.in").write_text("flask\n")
    fake = (
        "import sys; sys.stderr.write("
        "\"usage: pinset [-h] COMMAND ...\\nerror: invalid choice: 'install'\\n\"); sys.exit(2)"
    )
    bench = Bench(
        work=tmp_path / "work",
        bench_dir=bench_dir,
        python=Path(sys.executable),
        env=dict(os.environ),
        paths=ToolPaths(tmp_path / "none", tmp_path / "none", (sys.executable, "-c", fake)),
        tools=("pinset",),
        rounds=2,
        timeout=60,
        sample_ms=0,
    )
    row = run_scenario(bench, "small", SCENARIO_BY_NAME["install-cold"])
    outcome = row.outcomes["pinset"]
    assert outcome.seconds == (None, None)
    assert outcome.failure == "error: invalid choice: 'install'"
    assert time_cell(outcome) == "n/a (command failed: error: invalid choice: 'install')"
    warm = run_scenario(bench, "small", SCENARIO_BY_NAME["noop"])  # fails while priming
    assert warm.outcomes["pinset"].failure == "error: invalid choice: 'install'"


def test_the_sdist_set_comes_from_the_repository_unless_the_bench_dir_has_one(
    tmp_path: Path,
) -> None:
    assert set_file(tmp_path, "sdist", "in") == LOCAL_SETS / "sdist.in"
    assert "docopt==0.6.2" in set_file(tmp_path, "sdist", "in").read_text().splitlines()
    assert set_file(tmp_path, "small", "lock") == tmp_path / "small.lock.txt"
    (tmp_path / "sdist.in").write_text("docopt\n")
    assert set_file(tmp_path, "sdist", "in") == tmp_path / "sdist.in"


FAKE_UV = """#!{python}
import sys
from pathlib import Path

args = sys.argv[1:]
calls = Path(sys.argv[0]).with_name("calls")
before = calls.read_text() if calls.exists() else ""
calls.write_text(before + " ".join(args) + "\\n")
if "broken" in Path(args[-3]).read_text():
    sys.stderr.write("error: No solution found when resolving dependencies\\n")
    sys.exit(1)
pins = [line for line in Path(args[-3]).read_text().splitlines() if "==" in line]
hashed = (p + " \\\\\\n    --hash=sha256:" + "0" * 64 + "\\n" for p in pins)
Path(args[-1]).write_text("".join(hashed))
"""


def test_the_hashed_lock_is_made_once_per_lock_content(tmp_path: Path) -> None:
    bench_dir = tmp_path / "bench"
    bench_dir.mkdir()
    lock = bench_dir / "small.lock.txt"
    lock.write_text("six==1.16.0\n")
    uv = tmp_path / "tools" / "uv"
    uv.parent.mkdir()
    uv.write_text(FAKE_UV.format(python=sys.executable))
    uv.chmod(0o755)
    bench = Bench(
        work=tmp_path / "work",
        bench_dir=bench_dir,
        python=Path(sys.executable),
        env=dict(os.environ),
        paths=ToolPaths(tmp_path / "none", uv, ("pinset",)),
        tools=("pinset",),
        rounds=1,
        timeout=60,
        sample_ms=0,
    )
    made = hashed_lock(bench, "small")
    assert made.read_text() == "six==1.16.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    assert hashed_lock(bench, "small") == made  # reused: uv ran once
    assert len((uv.parent / "calls").read_text().splitlines()) == 1
    assert "--generate-hashes" in (uv.parent / "calls").read_text()
    lock.write_text("six==1.17.0\n")  # a new lock gets its own hashed copy
    assert "six==1.17.0" in hashed_lock(bench, "small").read_text()
    lock.write_text("broken==1\n")
    with pytest.raises(SetupError, match="No solution found"):
        hashed_lock(bench, "small")


def test_pip_seeded_into_a_fresh_venv_runs_from_there(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    venv_python = fresh_venv(Path(sys.executable), venv, os.environ)
    assert installed_dists(venv) == ()
    seed_pip(Path(sys.executable), venv)  # the test venv's own pip stands in for the harness's
    assert installed_dists(venv) == ("pip==26.3",)
    proc = subprocess.run(
        [str(venv_python), "-m", "pip", "--version"], capture_output=True, text=True, check=True
    )
    assert str(venv) in proc.stdout


def test_index_facts_explain_a_cache_less_proxy() -> None:
    bare = facts_from({"Content-Type": "application/json"}, [{"filename": "a.whl"}], True)
    text = describe(bare, "flask")
    assert "no Cache-Control" in text
    assert "no PEP 658 metadata advertised" in text
    assert "connection closed after each response" in text
    assert "pip's HTTP cache cannot store such responses" in text

    pypi = facts_from(
        {"Cache-Control": "max-age=600, public", "ETag": '"abc"'},
        [{"filename": "a.whl", "core-metadata": {"sha256": "00"}}],
        False,
    )
    text = describe(pypi, "flask")
    assert "`Cache-Control: max-age=600, public`" in text
    assert "PEP 658 metadata advertised" in text
    assert "cannot store" not in text


def test_pinset_runs_as_its_users_start_it(tmp_path: Path) -> None:
    """The console script beside the benchmark Python when there is one (what users type, as
    uv's users type ``uv``), else ``python -m pinset``."""
    from benchmarks.harness.cli import default_pinset

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    assert default_pinset(python) == f"{python} -m pinset"
    script = bin_dir / "pinset"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    assert default_pinset(python) == str(script)
