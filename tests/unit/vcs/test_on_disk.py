"""A checkout of an editable install, read from its files (no tool runs)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from pinset.vcs.on_disk import checkout_at, find_checkout, project_subdirectory

SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER = "89abcdef0123456789abcdef0123456789abcdef"


def repo(root: Path, *, head: str = "ref: refs/heads/main\n", config: str = "") -> Path:
    git = root / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text(head)
    (git / "config").write_text(config)
    return git


def test_loose_ref_and_origin_preferred_to_the_first_remote(tmp_path: Path) -> None:
    git = repo(
        tmp_path,
        config='[core]\n\tbare = false\n[remote "up"]\n\turl = https://e.com/up.git\n'
        '[remote "origin"]\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n'
        "\turl = https://e.com/o.git\n",
    )
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    found = find_checkout(tmp_path / "src" / "pkg")
    assert found is not None
    assert (found.root, found.commit, found.remote) == (tmp_path, SHA, "https://e.com/o.git")


def test_packed_ref_detached_head_and_scp_remote(tmp_path: Path) -> None:
    git = repo(tmp_path, config='[remote "mine"]\nurl = git@e.com:org/x.git\n')
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{SHA} refs/heads/main\n")
    found = find_checkout(tmp_path)
    assert found is not None
    assert (found.commit, found.remote) == (SHA, "ssh://git@e.com/org/x.git")
    (git / "HEAD").write_text(OTHER + "\n")
    assert find_checkout(tmp_path) == found.__class__(tmp_path, OTHER, found.remote)


def test_linked_worktree_reads_head_there_and_refs_and_config_in_the_common_dir(
    tmp_path: Path,
) -> None:
    main = repo(tmp_path / "main", config='[remote "origin"]\nurl = https://e.com/o.git\n')
    (main / "refs" / "heads" / "feature").write_text(OTHER + "\n")
    linked = main / "worktrees" / "wt"
    linked.mkdir(parents=True)
    (linked / "HEAD").write_text("ref: refs/heads/feature\n")
    (linked / "commondir").write_text("../..\n")
    tree = tmp_path / "wt"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {linked}\n")
    found = find_checkout(tree)
    assert found is not None
    assert (found.root, found.commit, found.remote) == (tree, OTHER, "https://e.com/o.git")


def test_no_remote_an_unusable_remote_and_an_unreadable_head(tmp_path: Path) -> None:
    repo(tmp_path / "a")
    a = find_checkout(tmp_path / "a")
    assert a is not None
    assert a.remote is None
    assert a.remote_error is None
    assert a.commit is None
    repo(tmp_path / "b", head=SHA, config='[remote "origin"]\nurl = relative/path\n')
    b = find_checkout(tmp_path / "b")
    assert b is not None
    assert (b.remote, b.remote_error, b.commit) == (None, "relative/path", SHA)
    escaping = repo(tmp_path / "c", head="ref: refs/../../../etc/passwd\n")
    assert escaping.is_dir()
    c = find_checkout(tmp_path / "c")
    assert c is not None
    assert c.commit is None
    repo(tmp_path / "d", head="ref: /etc/hostname\n")
    d = find_checkout(tmp_path / "d")
    assert d is not None
    assert d.commit is None


def test_outside_any_checkout(tmp_path: Path) -> None:
    assert find_checkout(tmp_path) is None


def test_project_subdirectory(tmp_path: Path) -> None:
    inner = tmp_path / "pkgs" / "inner"
    (inner / "src").mkdir(parents=True)
    (inner / "pyproject.toml").write_text("")
    assert project_subdirectory(inner / "src", tmp_path) == "pkgs/inner"
    (tmp_path / "setup.py").write_text("")
    assert project_subdirectory(tmp_path, tmp_path) is None


def hg_checkout(root: Path, dirstate: bytes, hgrc: str) -> None:
    hg = root / ".hg"
    (hg / "store").mkdir(parents=True)
    (hg / "requires").write_text("store\n")
    (hg / "dirstate").write_bytes(dirstate)
    (hg / "hgrc").write_text(hgrc)


def test_mercurial_parent_and_default_path_dirstate_v1_and_v2(tmp_path: Path) -> None:
    parents = bytes.fromhex(SHA) + bytes(20)
    hg_checkout(tmp_path, parents + b"entries", "[ui]\nx = 1\n[paths]\ndefault = https://e.com/r\n")
    found = find_checkout(tmp_path / "pkg")
    assert found is not None
    assert (found.vcs, found.root, found.commit, found.remote) == (
        "hg",
        tmp_path,
        SHA,
        "https://e.com/r",
    )
    (tmp_path / ".hg" / "dirstate").write_bytes(b"dirstate-v2\n" + bytes.fromhex(OTHER) + bytes(44))
    (tmp_path / ".hg" / "hgrc").write_text(f"[paths]\ndefault = {tmp_path}\n")
    found = find_checkout(tmp_path)
    assert found is not None
    assert (found.commit, found.remote) == (OTHER, tmp_path.as_uri())


def test_mercurial_without_a_parent_or_a_default_path(tmp_path: Path) -> None:
    hg_checkout(tmp_path, bytes(40), "[paths]\nother = https://e.com/r\n")
    found = find_checkout(tmp_path)
    assert found is not None
    assert (found.commit, found.remote) == (None, None)


def test_the_innermost_checkout_wins(tmp_path: Path) -> None:
    hg_checkout(tmp_path / "inner", bytes.fromhex(SHA) + bytes(20), "")
    repo(tmp_path, head=OTHER + "\n")
    found = find_checkout(tmp_path / "inner" / "pkg")
    assert found is not None
    assert (found.vcs, found.root) == ("hg", tmp_path / "inner")


def wc_db(root: Path, rows: list[tuple[str, int, str, int | None]]) -> Path:
    """A working copy's ``.svn/wc.db`` with the columns the reader uses: nodes as
    ``(local_relpath, op_depth, repos_path, revision)``, presence ``normal``."""
    (root / ".svn").mkdir(parents=True)
    database = root / ".svn" / "wc.db"
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("CREATE TABLE repository (id INTEGER PRIMARY KEY, root TEXT, uuid TEXT)")
        db.execute(
            "CREATE TABLE nodes (local_relpath TEXT, op_depth INTEGER, repos_id INTEGER, "
            "repos_path TEXT, revision INTEGER, presence TEXT)"
        )
        db.execute("INSERT INTO repository VALUES (1, 'https://e.com/svn/', 'u')")
        for relpath, depth, path, revision in rows:
            db.execute(
                "INSERT INTO nodes VALUES (?, ?, 1, ?, ?, 'normal')",
                (relpath, depth, path, revision),
            )
        db.commit()
    return database


def test_svn_working_copy_at_one_revision(tmp_path: Path) -> None:
    wc_db(tmp_path, [("", 0, "trunk/my app", 7), ("a.py", 0, "trunk/my app/a.py", 7)])
    found = checkout_at(tmp_path, "svn")
    assert found is not None
    assert (found.commit, found.remote, found.vcs) == (
        "7",
        "https://e.com/svn/trunk/my%20app",
        "svn",
    )


def test_svn_mixed_revisions_or_an_unreadable_database_are_not_known(tmp_path: Path) -> None:
    wc_db(tmp_path / "mixed", [("", 0, "trunk", 7), ("a.py", 0, "trunk/a.py", 8)])
    assert checkout_at(tmp_path / "mixed", "svn") is None
    (tmp_path / "broken" / ".svn").mkdir(parents=True)
    (tmp_path / "broken" / ".svn" / "wc.db").write_bytes(b"not a database")
    assert checkout_at(tmp_path / "broken", "svn") is None
    assert checkout_at(tmp_path / "none", "svn") is None


def bzr_tree(root: Path, parents: list[str], conf: str = "parent_location = file:///b\n") -> None:
    (root / ".bzr" / "branch").mkdir(parents=True)
    (root / ".bzr" / "checkout").mkdir()
    (root / ".bzr" / "branch" / "branch.conf").write_text(conf)
    line = "\0".join([str(len(parents)), *parents, ""])
    header = "#bazaar dirstate flat format 3\ncrc32: 1\nnum_entries: 1\n"
    (root / ".bzr" / "checkout" / "dirstate").write_bytes((header + line + "\n\0").encode())


def test_bzr_tree_revision_and_parent_location(tmp_path: Path) -> None:
    bzr_tree(tmp_path, ["me@e.org-20260101-abc"])
    found = checkout_at(tmp_path, "bzr")
    assert found is not None
    assert (found.commit, found.remote) == ("me@e.org-20260101-abc", "file:///b")


def test_bzr_pending_merge_lightweight_checkout_or_other_format_are_not_known(
    tmp_path: Path,
) -> None:
    bzr_tree(tmp_path / "merge", ["a-1", "b-2"])
    assert checkout_at(tmp_path / "merge", "bzr") is None
    bzr_tree(tmp_path / "light", ["a-1"])
    (tmp_path / "light" / ".bzr" / "branch" / "location").write_text("file:///elsewhere")
    assert checkout_at(tmp_path / "light", "bzr") is None
    bzr_tree(tmp_path / "old", ["a-1"])
    (tmp_path / "old" / ".bzr" / "checkout" / "dirstate").write_bytes(b"#bazaar dirstate 2\n")
    assert checkout_at(tmp_path / "old", "bzr") is None
