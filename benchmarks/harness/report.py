"""The Markdown report: settings, machine, tool versions, the results table, peak memory and
raw per-round times. Pure: data in, text out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .plan import Scenario
from .stats import Outcome, Summary, paired_ratio, summarize


@dataclass(frozen=True)
class Row:
    """One scenario on one set, with every tool's outcome."""

    set_name: str
    scenario: Scenario
    outcomes: Mapping[str, Outcome]


@dataclass(frozen=True)
class RunInfo:
    """What the report's header states."""

    date: str
    sets: tuple[str, ...]
    rounds: int
    tools: tuple[str, ...]
    machine: Mapping[str, str]
    versions: Mapping[str, str]
    notes: tuple[str, ...] = ()
    bytecode_defaults: bool = False


BYTECODE_OFF = (
    "Bytecode compilation is **off** for all tools: pip `--no-compile`, uv's default, "
    "pinset `--no-compile`."
)
BYTECODE_DEFAULTS = (
    "Bytecode: **each tool's default** (`--bytecode defaults`): pip and pinset compile the "
    "installed modules, uv does not."
)
SETTINGS = (
    "Each tool has its own cache dir; *cold* = that dir (and the scratch HOME's `.cache`) is "
    "deleted before every timed run, *warm* = primed by one untimed run of the same command.",
    BYTECODE_OFF,
    "Configuration disabled: `PIP_CONFIG_FILE=/dev/null`, no `PIP_*`/`UV_*`/`PINSET_*`/"
    "`PYTHON*` variables, a scratch HOME and XDG dirs, `uv --no-config`: all three read PyPI "
    "alone, live.",
    "Target venvs are made with `python -m venv --without-pip`, outside the timed region; "
    "uv and pinset target them with `--python VENV/bin/python`.",
    "Resolve only: pinset/pip `install --dry-run --ignore-installed --report -`, "
    "`uv pip compile`, against an empty venv. No-op: `install -r SET.in` into a venv that the "
    "same tool filled with the same command just before.",
    "Lock (`compile-*`): `pinset lock SET.in -o OUT`, `uv pip compile SET.in -o OUT`, and in "
    "the pip column pip-tools' `pip-compile --output-file OUT SET.in` (pip has no lock "
    "command); *cold*: no OUT and an empty cache; *warm*: the cache and OUT left by one "
    "untimed run, so OUT already pins everything and its pins are kept.",
    "Tools run in alternating order round by round (A B C, C B A, …). Cells: median seconds "
    "(min–max) over the rounds that succeeded. Ratios: median over rounds of the per-round "
    "ratio. Peak memory: max over rounds of the process tree's peak RSS (the larger of the "
    "kernel's ru_maxrss for the largest process and the sampled sum over live processes).",
)


def _settings(bytecode_defaults: bool) -> tuple[str, ...]:
    if not bytecode_defaults:
        return SETTINGS
    return tuple(BYTECODE_DEFAULTS if line == BYTECODE_OFF else line for line in SETTINGS)


def render(info: RunInfo, rows: Sequence[Row]) -> str:
    """The whole report."""
    parts = [
        f"# Benchmark: pinset vs uv vs pip, {info.date}",
        "",
        f"Sets: {', '.join(info.sets)}; rounds: {info.rounds}; tools: {', '.join(info.tools)}.",
        "",
        "## Machine and tools",
        "",
        *[f"- {key}: {value}" for key, value in info.machine.items()],
        *[f"- {tool}: {version}" for tool, version in info.versions.items()],
        "",
        "## How measured",
        "",
        *[f"- {line}" for line in _settings(info.bytecode_defaults)],
        *[f"- {note}" for note in info.notes],
        "",
        "## Wall time (seconds)",
        "",
        *time_table(info.tools, rows),
        "",
        "## CPU time (user + system seconds, median)",
        "",
        "Less sensitive than wall time to a busy machine (waiting for a core is not counted); "
        "counts every core a tool keeps busy.",
        "",
        *cpu_table(info.tools, rows),
        "",
        "## Peak memory (MiB)",
        "",
        *memory_table(info.tools, rows),
        "",
        "## Cache size after a cold install (MiB, `du` of the tool's cache directory)",
        "",
        *cache_table(info.tools, rows),
        "",
        "## Raw times by round (seconds)",
        "",
        *raw_lines(info.tools, rows),
        "",
        "## Same work?",
        "",
        *same_work_lines(info.tools, rows),
        "",
    ]
    return "\n".join(parts)


def _ratio_columns(tools: Sequence[str]) -> list[tuple[str, str]]:
    if "pinset" not in tools:
        return []
    return [("pinset", other) for other in ("baseline", "uv", "pip") if other in tools]


def time_table(tools: Sequence[str], rows: Sequence[Row]) -> list[str]:
    ratios = _ratio_columns(tools)
    head = ["set", "scenario", *tools, *[f"{a}/{b}" for a, b in ratios]]
    lines = [_row(head), _row(["---"] * len(head))]
    for row in rows:
        cells = [row.set_name, row.scenario.title]
        cells += [time_cell(row.outcomes.get(tool)) for tool in tools]
        cells += [ratio_cell(row.outcomes, a, b) for a, b in ratios]
        lines.append(_row(cells))
    return lines


def cpu_table(tools: Sequence[str], rows: Sequence[Row]) -> list[str]:
    def cpu(summary: Summary) -> str | None:
        return _seconds(summary.cpu_median) if summary.cpu_median is not None else None

    return _per_tool_table(tools, rows, cpu)


def memory_table(tools: Sequence[str], rows: Sequence[Row]) -> list[str]:
    def rss(summary: Summary) -> str | None:
        kib = summary.peak_rss_kib
        return f"{kib / 1024:.0f}" if kib is not None else None

    return _per_tool_table(tools, rows, rss)


def cache_table(tools: Sequence[str], rows: Sequence[Row]) -> list[str]:
    """The disk each tool's cache used after its first cold install, with pinset's ratios."""
    ratios = _ratio_columns(tools)
    head = ["set", "scenario", *tools, *[f"{a}/{b}" for a, b in ratios]]
    lines = [_row(head), _row(["---"] * len(head))]
    for row in rows:
        sizes = {t: o.cache_bytes for t, o in row.outcomes.items() if o.cache_bytes is not None}
        if not sizes:
            continue
        cells = [row.set_name, row.scenario.title]
        cells += [f"{sizes[t] / 2**20:.1f}" if t in sizes else "n/a" for t in tools]
        for a, b in ratios:
            both = a in sizes and b in sizes and sizes[b] > 0
            cells.append(f"{sizes[a] / sizes[b]:.2f}x" if both else "n/a")
        lines.append(_row(cells))
    return lines if len(lines) > 2 else ["No cold install was measured."]


def _per_tool_table(
    tools: Sequence[str], rows: Sequence[Row], cell: Callable[[Summary], str | None]
) -> list[str]:
    """One column per tool, each cell ``cell(summary)`` or ``n/a`` when there is none."""
    head = ["set", "scenario", *tools]
    lines = [_row(head), _row(["---"] * len(head))]
    for row in rows:
        cells = [row.set_name, row.scenario.title]
        for tool in tools:
            summary = _summary(row.outcomes.get(tool))
            text = cell(summary) if summary is not None else None
            cells.append(text if text is not None else "n/a")
        lines.append(_row(cells))
    return lines


def raw_lines(tools: Sequence[str], rows: Sequence[Row]) -> list[str]:
    lines = []
    for row in rows:
        per_tool = []
        for tool in tools:
            outcome = row.outcomes.get(tool)
            if outcome is None:
                continue
            times = " ".join("-" if t is None else f"{t:.3f}" for t in outcome.seconds)
            done = "locked" if row.scenario.kind == "compile" else "installed"
            extra = f", {len(outcome.installed)} dists {done}" if outcome.installed else ""
            per_tool.append(f"{tool} [{times}]{extra}")
        lines.append(f"- {row.set_name}, {row.scenario.name}: " + "; ".join(per_tool))
    return lines


def same_work_lines(tools: Sequence[str], rows: Sequence[Row]) -> list[str]:
    """Where the tools' venvs ended up holding different distributions (pip's own copy
    aside), so a fast but wrong install is not taken for a fast one."""
    lines = []
    for row in rows:
        installed = {
            tool: set(outcome.installed)
            for tool in tools
            if (outcome := row.outcomes.get(tool)) is not None and outcome.installed
        }
        if len(installed) < 2:
            continue
        union = set().union(*installed.values())
        odd = [
            f"{tool} lacks {', '.join(sorted(union - dists))}"
            for tool, dists in installed.items()
            if union - dists
        ]
        if odd:
            lines.append(f"- {row.set_name}, {row.scenario.name}: " + "; ".join(odd))
    return lines or ["- Every tool's venv held the same distributions and versions."]


def _summary(outcome: Outcome | None) -> Summary | None:
    return summarize(outcome) if outcome is not None else None


def time_cell(outcome: Outcome | None) -> str:
    """``1.23 (1.10–1.40)``; ``n/a (command failed: …)`` when the tool failed every round."""
    if outcome is None:
        return "—"
    summary = summarize(outcome)
    if summary is None:
        return f"n/a (command failed: {_clip(outcome.failure or 'no round ran')})"
    cell = f"{_seconds(summary.median)} ({_seconds(summary.low)}–{_seconds(summary.high)})"
    if outcome.failure:
        cell += f" (some rounds failed: {_clip(outcome.failure)})"
    return cell


def _clip(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def ratio_cell(outcomes: Mapping[str, Outcome], numerator: str, denominator: str) -> str:
    a, b = outcomes.get(numerator), outcomes.get(denominator)
    if a is None or b is None:
        return "n/a"
    ratio = paired_ratio(a.seconds, b.seconds)
    return f"{ratio:.2f}×" if ratio is not None else "n/a"


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_escape(cell) for cell in cells) + " |"


def _escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("\n", " ")
