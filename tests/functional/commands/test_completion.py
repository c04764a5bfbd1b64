"""``pinset completion bash|zsh|fish``: scripts generated from the parser; the bash one is run
in a real bash."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.install_world import run_pinset


def complete_in_bash(script: str, *words: str) -> list[str]:
    line = " ".join(f'"{w}"' for w in words)
    program = (
        f"{script}\nCOMP_WORDS=(pinset {line}); COMP_CWORD={len(words)}; "
        '_pinset_complete; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, check=True
    )
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completes_commands_options_and_actions() -> None:
    result = run_pinset("completion", "bash")
    assert result.returncode == 0, result.stderr
    script = result.stdout
    assert complete_in_bash(script, "li") == ["list"]
    assert complete_in_bash(script, "s") == ["sync", "show"]
    assert set(complete_in_bash(script, "list", "--out")) == {"--outdated"}
    assert "--requirement" in complete_in_bash(script, "install", "--re")
    assert complete_in_bash(script, "cache", "p") == ["prune"]
    assert complete_in_bash(script, "completion", "") == ["bash", "zsh", "fish"]


def test_zsh_and_fish_scripts_name_every_command_and_option() -> None:
    zsh = run_pinset("completion", "zsh").stdout
    fish = run_pinset("completion", "fish").stdout
    assert zsh.startswith("#compdef pinset\n")
    assert "compdef _pinset pinset" in zsh
    assert "list) opts=(" in zsh
    assert "local -a opts choices\n" in zsh  # never shadows zsh's own $words
    assert "cache) opts=(" in zsh
    assert "choices=(dir info clean prune)" in zsh
    assert "--not-required" in zsh
    assert "-a list -d 'list installed packages'" in fish
    assert (
        "complete -c pinset -n '__fish_seen_subcommand_from install' -s r -l requirement -r "
        "-d 'the requirements named in this file'" in fish
    )


def test_an_unknown_shell_is_a_usage_error() -> None:
    result = run_pinset("completion", "tcsh")
    assert result.returncode == 2
    assert "invalid choice: 'tcsh'" in result.stderr


ZSH_STUBS = 'compdef() { :; }; compadd() { shift; print -l -- "$@"; }; _files() { :; }'
"""zsh's completion builtins replaced by stubs that print what would be offered."""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="no zsh")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("pinset li", {"list"}),
        ("pinset list --out", {"--outdated"}),
        ("pinset cache p", {"prune"}),
        ("pinset completion ", {"bash", "zsh", "fish"}),
    ],
)
def test_zsh_completes_in_a_real_zsh(tmp_path: Path, words: str, expected: set[str]) -> None:
    script = tmp_path / "pinset.zsh"
    script.write_text(run_pinset("completion", "zsh").stdout)
    line = words.split(" ")
    program = (
        f"{ZSH_STUBS}; source {script}; words=({' '.join(repr(w) for w in line)}); "
        f"CURRENT={len(line)}; PREFIX={line[-1]!r}; _pinset"
    )
    done = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, check=True)
    offered = {w for w in done.stdout.split() if w.startswith(line[-1])}
    assert offered == expected


@pytest.mark.skipif(shutil.which("fish") is None, reason="no fish")
def test_fish_completes_in_a_real_fish(tmp_path: Path) -> None:
    script = tmp_path / "pinset.fish"
    script.write_text(run_pinset("completion", "fish").stdout)

    def complete(line: str) -> list[str]:
        program = f"source {script}; complete --do-complete {line!r}"
        done = subprocess.run(["fish", "-c", program], capture_output=True, text=True, check=True)
        return done.stdout.splitlines()

    assert complete("pinset li") == ["list\tlist installed packages"]
    assert complete("pinset list --out") == ["--outdated\tlist packages with a newer version"]
    assert complete("pinset cache p") == ["prune"]
