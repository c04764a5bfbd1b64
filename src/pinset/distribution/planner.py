"""The planner: one decision per resolved distribution, made once, before anything is fetched.

For each pin of a resolution and what is installed under its name:

- :class:`Keep` the installed distribution (the resolver kept it, or it is already the pinned
  version of a file an index offered);
- :class:`Fetch` the candidate's wheel and install it, removing the installed version it
  replaces, if any: ``cached`` when the cache keeps that wheel unpacked under the sha256 that
  alone decides whether it is acceptable (:func:`~pinset.distribution.fetch.known_sha256`: the
  index's, and one the user's ``--hash`` values allow), so it is linked from there and nothing
  is downloaded or read; else downloaded (or built); a file or tree the user named is kept
  only when it is the same source (:func:`same_source`: ``direct_url.json`` names the same URL
  and hash; a local directory has not changed since it was installed; a VCS checkout is at the
  commit its revision names now);
- :class:`Reinstall` the installed version again (``--force-reinstall``): the same version's
  file is fetched and replaces it;
- :class:`Remove` an installed distribution no pin names (``sync``: an exact plan), except the
  installer tooling a sync keeps (:func:`kept_tools`).

The transaction plans again under the environment's lock against what is installed then
(:func:`pinset.install.plan.make_plan`), so that a change by another run is noticed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from packaging.utils import NormalizedName

from pinset._dataclass import dataclass, replace
from pinset.direct_url import ArchiveInfo, public_url
from pinset.distribution.fetch import Hashes, known_sha256
from pinset.dists import Candidate, InstalledDist
from pinset.kinds import LocalDirectory, VcsCheckout, is_direct, is_editable
from pinset.source_tree import editable_unchanged, tree_unchanged


@dataclass(frozen=True, slots=True)
class Keep:
    installed: InstalledDist


@dataclass(frozen=True, slots=True)
class Fetch:
    candidate: Candidate
    replaces: InstalledDist | None = None
    cached: bool = False
    """Its wheel is unpacked in the cache: linked from there, nothing downloaded."""


@dataclass(frozen=True, slots=True)
class Reinstall:
    candidate: Candidate
    installed: InstalledDist
    cached: bool = False


@dataclass(frozen=True, slots=True)
class Remove:
    installed: InstalledDist


Decision = Keep | Fetch | Reinstall | Remove
SEED_TOOLS: frozenset[NormalizedName] = frozenset(
    NormalizedName(n) for n in ("pip", "setuptools", "wheel", "uv")
)
"""The installer tooling a virtual environment is seeded with, which ``sync`` keeps unless the
files pin it, the environment was made by uv, as ``uv pip sync`` decides."""
SameVersion = Callable[[InstalledDist], Candidate]
"""A file of exactly the installed version (to reinstall it)."""
Unpacked = Callable[[str], bool]
"""Whether the cache keeps the wheel whose archive had this sha256 unpacked, intact."""
Required = Mapping[NormalizedName, Hashes]
"""The user's ``--hash`` values by project, in hash-checking mode."""


@dataclass(frozen=True)
class RunPlan:
    """The decisions for one resolution, in its order (dependencies first)."""

    decisions: Mapping[NormalizedName, Decision]

    @property
    def to_fetch(self) -> list[Candidate]:
        """The candidates whose wheels must be fetched and installed."""
        return [d.candidate for d in self.decisions.values() if isinstance(d, Fetch | Reinstall)]

    @property
    def from_cache(self) -> frozenset[NormalizedName]:
        """The projects whose wheel is linked from the cache, with nothing downloaded."""
        return frozenset(
            name
            for name, d in self.decisions.items()
            if isinstance(d, Fetch | Reinstall) and d.cached
        )

    @property
    def removed(self) -> list[InstalledDist]:
        """The installed distributions no pin names (an exact plan removes them)."""
        return [d.installed for d in self.decisions.values() if isinstance(d, Remove)]

    @property
    def replaced(self) -> list[InstalledDist]:
        """The installed distributions an install removes (to put another copy in place)."""
        found: list[InstalledDist] = []
        for decision in self.decisions.values():
            match decision:
                case Fetch(replaces=InstalledDist() as old) | Reinstall(installed=old):
                    found.append(old)
                case _:
                    pass
        return found


def plan_run(
    pins: Mapping[NormalizedName, Candidate | InstalledDist],
    installed: Mapping[NormalizedName, InstalledDist],
    *,
    force: bool,
    same_version: SameVersion,
    exact: bool = False,
    keep: Collection[NormalizedName] = (),
    renew_editables: bool = False,
    unpacked: Unpacked | None = None,
    required: Required | None = None,
) -> RunPlan:
    """One decision per pin (``force``: reinstall even what is already there;
    ``renew_editables``, for ``-U``: reinstall the editables); ``exact`` (``sync``): then a
    :class:`Remove` for every installed distribution no pin names, except those in ``keep``.
    A wheel to fetch is ``cached`` when ``unpacked`` says the cache holds it under the sha256
    that decides (``required``: the user's hashes)."""
    decisions: dict[NormalizedName, Decision] = {
        name: _in_cache(
            decide(
                pin,
                installed.get(name),
                force=force or (renew_editables and _editable(pin)),
                same_version=same_version,
            ),
            unpacked,
            (required or {}).get(name),
        )
        for name, pin in pins.items()
    }
    if exact:
        decisions.update(
            (name, Remove(dist)) for name, dist in extraneous(pins, installed, keep).items()
        )
    return RunPlan(decisions)


def _in_cache(decision: Decision, unpacked: Unpacked | None, required: Hashes | None) -> Decision:
    """``decision``, marked ``cached`` when its wheel is unpacked in the cache."""
    if unpacked is None or not isinstance(decision, Fetch | Reinstall):
        return decision
    sha256 = known_sha256(decision.candidate, required)
    if sha256 is None or not unpacked(sha256):
        return decision
    return replace(decision, cached=True)


def _editable(pin: Candidate | InstalledDist) -> bool:
    return isinstance(pin, Candidate) and is_editable(pin.kind)


def extraneous(
    pins: Collection[NormalizedName],
    installed: Mapping[NormalizedName, InstalledDist],
    keep: Collection[NormalizedName] = (),
) -> dict[NormalizedName, InstalledDist]:
    """The installed distributions an exact plan removes: neither pinned nor kept."""
    return {n: d for n, d in installed.items() if n not in pins and n not in keep}


def kept_tools(
    installed: Collection[NormalizedName], *, made_by_uv: bool
) -> frozenset[NormalizedName]:
    """The installed :data:`SEED_TOOLS` a sync keeps when the files do not pin them: all of
    them, unless uv made the environment (uv does the same: an environment it made has its
    tooling only when asked for, so nothing else relies on it)."""
    return frozenset() if made_by_uv else SEED_TOOLS.intersection(installed)


def decide(
    pin: Candidate | InstalledDist,
    current: InstalledDist | None,
    *,
    force: bool,
    same_version: SameVersion,
) -> Decision:
    if isinstance(pin, InstalledDist):
        return Reinstall(same_version(pin), pin) if force else Keep(pin)
    if current is None or current.version != pin.version:
        return Fetch(pin, current)
    if force:
        return Reinstall(pin, current)
    if is_direct(pin.kind) and not same_source(current, pin):
        return Fetch(pin, current)
    return Keep(current)


def same_source(installed: InstalledDist, pin: Candidate) -> bool:
    """Whether ``installed`` came from the file or tree ``pin`` names and is still what it
    holds: the same URL in ``direct_url.json``, editable alike, the same sha256 when both say
    one; a local directory with nothing modified since the copy was installed; an editable
    whose tree's metadata inputs are those it was installed with (an editable VCS checkout:
    its directory in ``--src``); a VCS checkout built from the same repository and
    subdirectory at the commit the pin's revision names now."""
    recorded, link = installed.direct_url, pin.link
    kind = pin.kind
    if isinstance(kind, VcsCheckout):  # the VCS layer, imported only for a checkout
        from pinset.distribution.checkout import same_checkout, vcs_direct_url

        if not kind.editable:
            return same_checkout(recorded, link.url, kind.commit_id)
        wanted_url = vcs_direct_url(link.url, kind.commit_id, kind.tree).url
    else:
        wanted_url = public_url(link.url_without_fragment)
    if recorded is None or recorded.url != wanted_url:
        return False
    if recorded.editable != is_editable(pin.kind):
        return False
    if recorded.editable:
        return editable_unchanged(installed.path, recorded)
    if isinstance(pin.kind, LocalDirectory):
        return tree_unchanged(installed.path, recorded)
    wanted = dict(link.hashes).get("sha256")
    info = recorded.info
    have = dict(info.hashes).get("sha256") if isinstance(info, ArchiveInfo) else None
    return wanted is None or have is None or wanted == have
