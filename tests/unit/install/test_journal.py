"""The journal undoes exactly what a transaction did, even after the process died."""

from __future__ import annotations

import os
from pathlib import Path

from pinset.install.journal import Journal, recover
from tests.helpers.envs import snapshot


def _env(tmp_path: Path) -> Path:
    env = tmp_path / "env"
    (env / "lib" / "pkg").mkdir(parents=True)
    (env / "lib" / "pkg" / "old.py").write_text("old\n")
    (env / "lib" / "keep.txt").write_text("keep\n")
    os.symlink("keep.txt", env / "lib" / "link")
    return env


def _change(journal: Journal, env: Path) -> None:
    journal.stash(env / "lib" / "pkg" / "old.py")
    journal.stash(env / "lib" / "link")
    journal.create(env / "lib" / "pkg" / "old.py")
    (env / "lib" / "pkg" / "old.py").write_text("new\n")
    journal.create(env / "lib" / "new" / "deep" / "mod.py")
    (env / "lib" / "new" / "deep" / "mod.py").write_text("x\n")
    journal.create(env / "lib" / "keep.txt")  # overwriting an existing file stashes it first
    (env / "lib" / "keep.txt").write_text("changed\n")


def test_rollback_restores_everything(tmp_path: Path) -> None:
    env = _env(tmp_path)
    before = snapshot(env)
    journal = Journal(env / ".pinset")
    _change(journal, env)
    assert snapshot(env) != before
    journal.rollback()
    assert snapshot(env) == before
    assert sorted(os.listdir(env / ".pinset")) == []


def test_commit_drops_stash_and_prunes_emptied_dirs(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = Journal(env / ".pinset")
    journal.stash(env / "lib" / "pkg" / "old.py")
    journal.prune_later([env / "lib" / "pkg"])
    journal.commit(stop_at=[env / "lib"])
    assert not (env / "lib" / "pkg").exists()
    assert (env / "lib" / "keep.txt").exists()
    assert os.listdir(env / ".pinset") == []


def test_recover_undoes_a_journal_left_by_a_dead_run(tmp_path: Path) -> None:
    env = _env(tmp_path)
    before = snapshot(env)
    journal = Journal(env / ".pinset")
    _change(journal, env)
    os.close(journal._fd)  # the process "dies": nothing more is written
    with open(journal.path, "a") as fh:
        fh.write('{"op": "create", "pa')  # a torn last line
    assert recover(env / ".pinset", stop_at=[env]) == 1
    assert snapshot(env) == before


def test_recover_finishes_a_committed_journal(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = Journal(env / ".pinset")
    journal.stash(env / "lib" / "pkg" / "old.py")
    journal.prune_later([env / "lib" / "pkg"])
    journal._log({"op": "commit"})
    os.close(journal._fd)
    assert recover(env / ".pinset", stop_at=[env / "lib"]) == 1
    assert not (env / "lib" / "pkg").exists()
    assert os.listdir(env / ".pinset") == []


def test_recover_with_nothing_to_do(tmp_path: Path) -> None:
    assert recover(tmp_path / "absent", stop_at=[tmp_path]) == 0


def _batch(journal: Journal, env: Path) -> list[Path]:
    paths = [
        env / "lib" / "fresh" / "a" / "one.py",
        env / "lib" / "fresh" / "b" / "two.py",
        env / "lib" / "pkg" / "new.py",
        env / "lib" / "keep.txt",  # exists: stashed first
    ]
    journal.create_many(paths)
    for path in paths:
        path.write_text("new\n")
    return paths


def test_create_many_announces_new_trees_once_and_rolls_back(tmp_path: Path) -> None:
    env = _env(tmp_path)
    before = snapshot(env)
    journal = Journal(env / ".pinset")
    _batch(journal, env)
    ops = [line for line in journal.path.read_text().splitlines() if '"tree"' in line]
    assert len(ops) == 1  # lib/fresh only, not its subdirectories or files
    assert (env / "lib" / "keep.txt").read_text() == "new\n"
    journal.rollback()
    assert snapshot(env) == before


def test_create_many_is_undone_after_a_dead_run(tmp_path: Path) -> None:
    env = _env(tmp_path)
    before = snapshot(env)
    journal = Journal(env / ".pinset")
    _batch(journal, env)
    os.close(journal._fd)  # killed: no commit
    assert recover(env / ".pinset", stop_at=[env]) == 1
    assert snapshot(env) == before


def test_create_many_refuses_a_directory_in_the_way(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = Journal(env / ".pinset")
    try:
        journal.create_many([env / "lib" / "pkg"])
    except IsADirectoryError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a directory was accepted as a file destination")
    finally:
        journal.rollback()
    assert (env / "lib" / "pkg" / "old.py").read_text() == "old\n"
