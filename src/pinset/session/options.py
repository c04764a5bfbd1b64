"""One run's index and hash options: ``Settings`` merged with the requirements files' options.

pip applies the option lines of requirements files on top of the command line and
configuration, in reading order:

- a file's ``--index-url`` replaces the whole index list (configured extra indexes included);
  its ``--extra-index-url`` values are appended; ``--no-index`` turns every index off;
- ``--find-links`` and ``--trusted-host`` values are added;
- ``--pre``, ``--prefer-binary`` and ``--require-hashes`` in any file turn the option on;
- ``--no-binary``/``--only-binary`` in a file act on the running pair of sets after the
  command line's, value by value in reading order, as in pip.
"""

from __future__ import annotations

from collections.abc import Sequence

from pinset._dataclass import dataclass
from pinset.binary import ALL, BinaryPolicy
from pinset.index.finder import IndexConfig
from pinset.requirements.model import FileOptions
from pinset.settings import Settings


@dataclass(frozen=True)
class RunOptions:
    """What the finder, the HTTP client and hash checking use for one run."""

    index: IndexConfig
    trusted_hosts: tuple[str, ...]
    require_hashes: bool


def _policy(settings: Settings) -> BinaryPolicy:
    return BinaryPolicy(
        no_binary=frozenset(settings.no_binary.value),
        only_binary=frozenset(settings.only_binary.value),
        prefer_binary=settings.prefer_binary.value,
    )


def _apply_binary(policy: BinaryPolicy, options: FileOptions) -> BinaryPolicy:
    """The file's binary values replayed on the running sets, as pip applies them (options
    built without them, by hand, bring their final sets)."""
    if options.binary_values:
        for dest, value in options.binary_values:
            policy = policy.with_option(dest, value)
    else:
        policy = policy.with_sets(options.no_binary, options.only_binary)
    return policy.preferring_binary() if options.prefer_binary else policy


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def run_options(settings: Settings, files: Sequence[FileOptions] = ()) -> RunOptions:
    """Merge ``settings`` with every file's options, in the order the files were read."""
    index_url = settings.index_url.value
    extras = list(settings.extra_index_urls.value)
    no_index = settings.no_index.value
    find_links = list(settings.find_links.value)
    trusted = list(settings.trusted_hosts.value)
    pre = settings.pre.value
    hashes = settings.require_hashes.value
    policy = _policy(settings)
    for options in files:
        if options.no_index:
            no_index = True
        if options.index_url:
            index_url, extras = options.index_url, []
        extras.extend(options.extra_index_urls)
        find_links.extend(options.find_links)
        trusted.extend(options.trusted_hosts)
        pre = pre or options.pre or ALL in options.all_releases
        hashes = hashes or options.require_hashes
        policy = _apply_binary(policy, options)
    strategy = settings.index_strategy.value
    index = IndexConfig(
        index_url=index_url,
        extra_index_urls=_unique(extras),
        no_index=no_index,
        find_links=_unique(find_links),
        pre=pre,
        strategy="unsafe-best-match" if strategy == "unsafe-best-match" else "first-index",
        policy=policy,
    )
    return RunOptions(index=index, trusted_hosts=_unique(trusted), require_hashes=hashes)
