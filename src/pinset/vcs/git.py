"""Git: a bare mirror per repository URL in the cache, refreshed by ``fetch``; checkouts are
local clones of it at one commit, with their submodules.

Nothing a user wrote reaches git as an option: revisions come after ``--end-of-options`` or
``--``, and :func:`pinset.vcs.url.parse_vcs_url` refuses a leading ``-``. Only the ``file``,
``git``, ``http``, ``https`` and ``ssh`` transports run (``GIT_ALLOW_PROTOCOL``: no ``ext::``
command transport, also for submodules). Credentials travel in the environment, answered by a
credential helper only to the URL's own host and protocol; they never appear in the argv, the
checkout's ``.git/config``, or a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from pinset.vcs._run import DEFAULT_TIMEOUT, Invocation, probe, run
from pinset.vcs.base import Checkout, VcsError
from pinset.vcs.mirrors import create, held
from pinset.vcs.url import VcsUrl

ALLOWED_PROTOCOLS = "file:git:http:https:ssh"

_CREDENTIAL_HELPER = (
    '!f() { test "$1" = get || exit 0; h=; p=; '
    "while IFS='=' read -r k v; do case $k in host) h=$v;; protocol) p=$v;; esac; done; "
    'test "$h" = "$PINSET_VCS_HOST" && test "$p" = "$PINSET_VCS_PROTOCOL" || exit 0; '
    'printf \'username=%s\\npassword=%s\\n\' "$PINSET_VCS_USERNAME" "$PINSET_VCS_PASSWORD"; }; f'
)
"""A credential helper holding no secret: it answers ``get`` from the environment, and only
for the repository's own host and protocol (a submodule elsewhere gets nothing)."""

_FULL_ID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
_FETCHABLE = re.compile(r"refs/[A-Za-z0-9._/+-]+|[0-9a-f]{40}([0-9a-f]{24})?")


class Git:
    """The git backend (see the module's docstring)."""

    name = "git"
    tool = "git"
    control_dir = ".git"

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout

    def invocation(self, source: VcsUrl, *args: str, cwd: Path | None = None) -> Invocation:
        """``git ARGS`` for ``source``: prompts off, transports limited, credentials in the
        environment, any credential helper of the user's replaced by ours."""
        env: dict[str, str] = {"GIT_TERMINAL_PROMPT": "0", "GIT_ALLOW_PROTOCOL": ALLOWED_PROTOCOLS}
        env.update(_credentials(source))
        helper = ("-c", "credential.helper=", "-c", f"credential.helper={_CREDENTIAL_HELPER}")
        return Invocation(("git", *helper, *args), env, cwd, fixed=len(helper))

    def _git(self, source: VcsUrl, *args: str, cwd: Path | None = None) -> str:
        return run(self.invocation(source, *args, cwd=cwd), timeout=self.timeout)

    def _probe(self, source: VcsUrl, *args: str, cwd: Path | None = None) -> str | None:
        return probe(self.invocation(source, *args, cwd=cwd), timeout=self.timeout)

    def resolve(self, source: VcsUrl, mirrors: Path) -> str:
        return self._refreshed(source, mirrors)[1]

    def obtain(self, source: VcsUrl, mirrors: Path, dest: Path) -> Checkout:
        mirror, commit = self._refreshed(source, mirrors)
        self._git(source, "clone", "--quiet", "--no-checkout", "--", str(mirror), str(dest))
        self._git(source, "remote", "set-url", "--", "origin", source.url, cwd=dest)
        return self._checkout(source, dest, commit)

    def switch(self, tree: Path, source: VcsUrl) -> Checkout:
        self._git(source, "remote", "set-url", "--", "origin", source.url, cwd=tree)
        self._git(source, "fetch", "--quiet", "--force", "--prune", "--tags", "origin", cwd=tree)
        candidates = (
            ("refs/remotes/origin/HEAD",)
            if source.revision is None
            else (f"refs/remotes/origin/{source.revision}", source.revision)
        )
        return self._checkout(source, tree, self._commit_of(source, tree, candidates))

    def freeze_revision(self, tree: Path) -> str:
        return self.current_id(tree)

    def current_id(self, tree: Path) -> str:
        local = VcsUrl("git", "", None)
        return self._git(local, "rev-parse", "--verify", "HEAD^{commit}", cwd=tree).strip()

    def remote_url(self, tree: Path) -> str | None:
        local = VcsUrl("git", "", None)
        out = self._probe(local, "remote", "get-url", "--", "origin", cwd=tree)
        return out.strip() if out else None

    def is_commit_id(self, revision: str) -> bool:
        return _FULL_ID.fullmatch(revision) is not None

    def fixed_id(self, revision: str) -> str | None:
        return revision if self.is_commit_id(revision) else None

    def revision_for(self, commit_id: str) -> str:
        return commit_id

    def _checkout(self, source: VcsUrl, tree: Path, commit: str) -> Checkout:
        self._git(source, "checkout", "--quiet", "--detach", commit, "--", cwd=tree)
        if (tree / ".gitmodules").is_file():
            self._git(source, "submodule", "update", "--quiet", "--init", "--recursive", cwd=tree)
        return Checkout(tree, commit, source.revision)

    def _refreshed(self, source: VcsUrl, mirrors: Path) -> tuple[Path, str]:
        """The cache's mirror of ``source`` (cloned or fetched as needed) and the commit its
        revision names, under the mirror's lock."""
        with held(mirrors, source.url) as mirror:
            if not (mirror / "HEAD").is_file():
                create(mirror, lambda target: self._clone_mirror(source, target))
            elif not self._holds_commit(source, mirror):
                self._git(source, "fetch", "--quiet", "--force", "--prune", "origin", cwd=mirror)
            candidates = ("HEAD",) if source.revision is None else (source.revision,)
            return mirror, self._commit_of(source, mirror, candidates)

    def _clone_mirror(self, source: VcsUrl, target: Path) -> None:
        self._git(source, "clone", "--quiet", "--mirror", "--", source.url, str(target))

    def _holds_commit(self, source: VcsUrl, mirror: Path) -> bool:
        """Whether the revision is a full commit id the mirror has (nothing to fetch)."""
        revision = source.revision
        if revision is None or not _FULL_ID.fullmatch(revision):
            return False
        found = self._probe(source, "cat-file", "-e", f"{revision}^{{commit}}", cwd=mirror)
        return found is not None

    def _commit_of(self, source: VcsUrl, repo: Path, candidates: tuple[str, ...]) -> str:
        """The commit the first of ``candidates`` names in ``repo``; a ref or commit id not
        there yet is fetched by name (``refs/pull/1/head``, a commit on no branch)."""
        for name in candidates:
            commit = self._rev_parse(source, repo, name)
            if commit is not None:
                return commit
        revision = source.revision
        if revision is not None and _FETCHABLE.fullmatch(revision):
            self._git(source, "fetch", "--quiet", "origin", revision, cwd=repo)
            commit = self._rev_parse(source, repo, "FETCH_HEAD")
            if commit is not None:
                return commit
        raise VcsError(
            f"{source.display} has no revision {revision!r}",
            hint="name a branch, a tag, a commit (full or abbreviated) or a ref (refs/pull/1/head)",
        )

    def _rev_parse(self, source: VcsUrl, repo: Path, name: str) -> str | None:
        out = self._probe(
            source,
            "rev-parse",
            "--quiet",
            "--verify",
            "--end-of-options",
            f"{name}^{{commit}}",
            cwd=repo,
        )
        return out.strip() if out else None


def _credentials(source: VcsUrl) -> Mapping[str, str]:
    if source.username is None:
        return {}
    scheme, _, _ = source.url.partition("://")
    return {
        "PINSET_VCS_USERNAME": source.username,
        "PINSET_VCS_PASSWORD": source.password or "",
        "PINSET_VCS_HOST": source.host,
        "PINSET_VCS_PROTOCOL": scheme,
    }
