"""Shell completion scripts, generated from the command-line parser itself.

Every subcommand, its options (with their help lines, for fish) and its fixed choices
(``cache dir|info|clean|prune``, ``completion bash|zsh|fish``) are read from the argparse
parser, so that a new flag is completed without anyone editing a script. Words that are not
options complete as file names (requirements files, directories).
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from typing import Any

from pinset._dataclass import dataclass

SHELLS = ("bash", "zsh", "fish")


@dataclass(frozen=True)
class Flag:
    names: tuple[str, ...]
    help: str
    takes_value: bool


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    flags: tuple[Flag, ...]
    words: tuple[str, ...]
    """Fixed positional words: sub-actions or choices."""


def _subparsers(parser: argparse.ArgumentParser) -> Iterator[argparse._SubParsersAction[Any]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield action


def commands(parser: argparse.ArgumentParser) -> list[Command]:
    """Each subcommand of ``parser`` with what can follow it."""
    found: list[Command] = []
    for sub in _subparsers(parser):
        helps = {a.dest: a.help or "" for a in sub._choices_actions}
        for name, child in sub.choices.items():
            found.append(Command(name, helps.get(name, ""), _flags(child), _words(child)))
    return found


def _flags(parser: argparse.ArgumentParser) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    for action in parser._actions:
        if action.option_strings:
            takes = action.nargs != 0
            flags.append(Flag(tuple(action.option_strings), action.help or "", takes))
    for sub in _subparsers(parser):
        for child in sub.choices.values():
            flags.extend(f for f in _flags(child) if f not in flags)
    return tuple(flags)


def _words(parser: argparse.ArgumentParser) -> tuple[str, ...]:
    words: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            words.extend(action.choices)
        elif not action.option_strings and action.choices:
            words.extend(str(c) for c in action.choices)
    return tuple(words)


def _options(command: Command) -> str:
    return " ".join(name for flag in command.flags for name in flag.names)


def bash(parser: argparse.ArgumentParser) -> str:
    cases = "\n".join(
        f"        {c.name}) opts={shlex.quote(_options(c))}; "
        f"words={shlex.quote(' '.join(c.words))};;"
        for c in commands(parser)
    )
    names = " ".join(c.name for c in commands(parser))
    return f"""# pinset completion for bash: add to ~/.bashrc
#   eval "$(pinset completion bash)"
_pinset_complete() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} opts="" words=""
    if [ "$COMP_CWORD" -eq 1 ]; then
        opts="--help --version"; words="{names}"
    else
        case "${{COMP_WORDS[1]}}" in
{cases}
        esac
    fi
    case "$cur" in
        -*) COMPREPLY=($(compgen -W "$opts --help" -- "$cur"));;
        *) COMPREPLY=($(compgen -W "$words" -- "$cur"));;
    esac
}}
complete -o default -o bashdefault -F _pinset_complete pinset
"""


def zsh(parser: argparse.ArgumentParser) -> str:
    # ``words`` is zsh's own array of the command line: the choices go in ``choices``
    cases = "\n".join(
        f"    {c.name}) opts=({_options(c)}); choices=({' '.join(c.words)});;"
        for c in commands(parser)
    )
    names = " ".join(c.name for c in commands(parser))
    return f"""#compdef pinset
# pinset completion for zsh: add to ~/.zshrc (after compinit)
#   eval "$(pinset completion zsh)"
_pinset() {{
  local -a opts choices
  if (( CURRENT == 2 )); then
    opts=(--help --version); choices=({names})
  else
    case $words[2] in
{cases}
    esac
  fi
  if [[ $PREFIX == -* ]]; then
    compadd -- $opts --help
  else
    compadd -- $choices
    _files
  fi
}}
compdef _pinset pinset
"""


def _fish_flag(command: str, flag: Flag) -> str:
    parts = [f"complete -c pinset -n '__fish_seen_subcommand_from {command}'"]
    for name in flag.names:
        if name.startswith("--"):
            parts.append(f"-l {name[2:]}")
        elif len(name) == 2:
            parts.append(f"-s {name[1]}")
        else:
            parts.append(f"-o {name[1:]}")
    if flag.takes_value:
        parts.append("-r")
    parts.append(f"-d {shlex.quote(flag.help)}")
    return " ".join(parts)


def fish(parser: argparse.ArgumentParser) -> str:
    lines = [
        "# pinset completion for fish: save as ~/.config/fish/completions/pinset.fish",
        "#   pinset completion fish > ~/.config/fish/completions/pinset.fish",
    ]
    for c in commands(parser):
        lines.append(
            f"complete -c pinset -f -n __fish_use_subcommand -a {c.name} -d {shlex.quote(c.help)}"
        )
    for c in commands(parser):
        seen = f"'__fish_seen_subcommand_from {c.name}'"
        if c.words:
            lines.append(f"complete -c pinset -f -n {seen} -a {shlex.quote(' '.join(c.words))}")
        lines.extend(_fish_flag(c.name, flag) for flag in c.flags)
    return "\n".join(lines) + "\n"


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    return {"bash": bash, "zsh": zsh, "fish": fish}[shell](parser)
