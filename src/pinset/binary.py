"""The binary policy: ``--no-binary``, ``--only-binary`` and ``--prefer-binary``, with pip's rules.

One value type for every place that reads or applies these options: configuration and the
command line (``pinset.settings``), requirements-file lines (``pinset.requirements.merge``),
the run's merge of both (``pinset.session.options``) and the file evaluator
(``pinset.index.evaluate``).

pip's rule for one value (``--no-binary VALUE`` or ``--only-binary VALUE``), applied to the
option's own set and the other one, in order of appearance:

- the value is split on ``,`` (no other trimming: ``"a, b"`` names ``" b"``, as in pip);
- ``:all:`` empties both sets and leaves ``{":all:"}`` in its own; the names after it are
  dropped unless a ``:none:`` follows, in which case reading goes on after that ``:all:``;
- ``:none:`` empties its own set;
- a name (PEP 503 normalized) goes into its own set and out of the other one;
- a value starting with ``-`` is refused (it is an option that lost its value).

The same rule serves pip's ``--all-releases``/``--only-final`` pair (:func:`exclusive_names`).
A project named explicitly wins over ``:all:``; ``--only-binary`` wins when both name it.
"""

from __future__ import annotations

from collections.abc import Iterable

from packaging.utils import canonicalize_name

from pinset._dataclass import dataclass

ALL = ":all:"
NONE = ":none:"


class BinaryValueError(ValueError):
    """A value that is not a list of names (it starts with ``-``)."""

    def __init__(self, value: str) -> None:
        super().__init__(f"{value!r} is not a list of names")
        self.message = f"{value!r} is not a list of names"
        self.hint = "use :all:, :none: or name,name"


def exclusive_names(
    value: str, own: frozenset[str], other: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """One option value applied to (its own set, the set it excludes) with pip's rule."""
    return _exclude(_names(value), own, other)


def _names(value: str) -> list[str]:
    if value.startswith("-"):
        raise BinaryValueError(value)
    return value.split(",")


def _exclude(
    names: list[str], own: frozenset[str], other: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    mine, theirs = set(own), set(other)
    while ALL in names:
        mine, theirs = {ALL}, set()
        del names[: names.index(ALL) + 1]
        if NONE not in names:
            return frozenset(mine), frozenset(theirs)
    for name in names:
        if name == NONE:
            mine.clear()
            continue
        key = canonicalize_name(name)
        theirs.discard(key)
        mine.add(key)
    return frozenset(mine), frozenset(theirs)


@dataclass(frozen=True, slots=True)
class BinaryPolicy:
    """Which files of a project may be used: names are canonical, or ``:all:``."""

    no_binary: frozenset[str] = frozenset()
    only_binary: frozenset[str] = frozenset()
    prefer_binary: bool = False

    def with_no_binary(self, value: str) -> BinaryPolicy:
        """Apply one ``--no-binary VALUE`` (comma-separated names, ``:all:``, ``:none:``)."""
        return self._with("no_binary", _names(value))

    def with_only_binary(self, value: str) -> BinaryPolicy:
        """Apply one ``--only-binary VALUE`` (comma-separated names, ``:all:``, ``:none:``)."""
        return self._with("only_binary", _names(value))

    def with_option(self, dest: str, value: str) -> BinaryPolicy:
        """Apply one value of the option whose ``dest`` is ``no_binary`` or ``only_binary``."""
        return self._with(dest, _names(value))

    def with_sets(self, no_binary: Iterable[str], only_binary: Iterable[str]) -> BinaryPolicy:
        """Apply the sets another reader ended with (a requirements file's), each set's
        ``:all:`` first, then its names one by one."""
        policy = self
        for dest, names in (("no_binary", no_binary), ("only_binary", only_binary)):
            for name in sorted(names, key=lambda n: n != ALL):
                policy = policy._with(dest, [name])
        return policy

    def _with(self, dest: str, names: list[str]) -> BinaryPolicy:
        if dest == "no_binary":
            no, only = _exclude(names, self.no_binary, self.only_binary)
        else:
            only, no = _exclude(names, self.only_binary, self.no_binary)
        return BinaryPolicy(no, only, self.prefer_binary)

    def preferring_binary(self) -> BinaryPolicy:
        """The same sets with ``--prefer-binary`` on."""
        return BinaryPolicy(self.no_binary, self.only_binary, True)

    def allows(self, name: str, *, wheel: bool) -> bool:
        """May a wheel (``wheel=True``) or an sdist of project ``name`` be used?"""
        key = canonicalize_name(name)
        if key in self.only_binary:
            return wheel
        if key in self.no_binary:
            return not wheel
        if ALL in self.only_binary:
            return wheel
        if ALL in self.no_binary:
            return not wheel
        return True
