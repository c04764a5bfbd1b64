"""The journal undoes exactly what a transaction did, even after the process died."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pinset.install import journal as journal_module
from pinset.install.journal import Journal, sign
from pinset.install.recovery import Recovered, recover
from tests.helpers.envs import snapshot

KEY = b"k" * 32


def _journal(env: Path) -> Journal:
    return Journal(env / ".pinset", key=KEY, roots=[env])


def _recover(env: Path, *, key: bytes = KEY, roots: list[Path] | None = None) -> list[str]:
    found = recover(env / ".pinset", key=key, roots=roots or [env])
    return [r.outcome for r in found]


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
    journal = _journal(env)
    _change(journal, env)
    assert snapshot(env) != before
    journal.rollback()
    assert snapshot(env) == before
    assert sorted(os.listdir(env / ".pinset")) == []


def test_commit_drops_stash_and_prunes_emptied_dirs(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = _journal(env)
    journal.stash(env / "lib" / "pkg" / "old.py")
    journal.prune_later([env / "lib" / "pkg"])
    journal.commit()
    assert not (env / "lib" / "pkg").exists()
    assert (env / "lib" / "keep.txt").exists()
    assert os.listdir(env / ".pinset") == []


def test_recover_undoes_a_journal_left_by_a_dead_run(tmp_path: Path) -> None:
    env = _env(tmp_path)
    before = snapshot(env)
    journal = _journal(env)
    _change(journal, env)
    os.close(journal._fd)  # the process "dies": nothing more is written
    with open(journal.path, "a") as fh:
        fh.write(sign(KEY, journal.path.name, 99, {"op": "create", "path": "x"})[:30])  # torn
    assert _recover(env) == ["undone"]
    assert snapshot(env) == before


def test_recover_finishes_a_committed_journal(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = _journal(env)
    journal.stash(env / "lib" / "pkg" / "old.py")
    journal.prune_later([env / "lib" / "pkg"])
    journal._log({"op": "commit"})
    os.close(journal._fd)
    assert _recover(env, roots=[env / "lib"]) == ["finished"]
    assert not (env / "lib" / "pkg").exists()
    assert os.listdir(env / ".pinset") == []


def test_recover_with_nothing_to_do(tmp_path: Path) -> None:
    assert recover(tmp_path / "absent", key=KEY, roots=[tmp_path]) == ()


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
    journal = _journal(env)
    _batch(journal, env)
    ops = [line for line in journal.path.read_text().splitlines() if '"tree"' in line]
    assert len(ops) == 1  # lib/fresh only, not its subdirectories or files
    assert (env / "lib" / "keep.txt").read_text() == "new\n"
    journal.rollback()
    assert snapshot(env) == before


def test_create_many_is_undone_after_a_dead_run(tmp_path: Path) -> None:
    env = _env(tmp_path)
    before = snapshot(env)
    journal = _journal(env)
    _batch(journal, env)
    os.close(journal._fd)  # killed: no commit
    assert _recover(env) == ["undone"]
    assert snapshot(env) == before


def test_create_many_refuses_a_directory_in_the_way(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = _journal(env)
    try:
        journal.create_many([env / "lib" / "pkg"])
    except IsADirectoryError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a directory was accepted as a file destination")
    finally:
        journal.rollback()
    assert (env / "lib" / "pkg" / "old.py").read_text() == "old\n"


def test_recovery_reports_what_the_dead_run_was_doing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = _journal(env)
    journal.intent(install=["new==2"], remove=["old==1"])
    os.close(journal._fd)
    found = recover(env / ".pinset", key=KEY, roots=[env])
    assert found == (Recovered(journal.path, "undone", ("new==2",), ("old==1",)),)


def test_a_journal_under_another_key_is_left_alone(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = _journal(env)
    _change(journal, env)
    os.close(journal._fd)
    during = snapshot(env)
    assert _recover(env, key=b"x" * 32) == ["ignored"]
    assert snapshot(env) == during
    assert journal.path.exists()
    assert journal.stash_dir.is_dir()  # its stash is kept: the journal may be someone's
    assert _recover(env) == ["undone"]  # the right key still recovers it


def test_a_tampered_line_ends_what_is_acted_on(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = _journal(env)
    os.close(journal._fd)
    lines = journal.path.read_text().splitlines(keepends=True)
    mac, _sep, _text = lines[0].partition(" ")
    forged = f'{mac} {{"op":"tree","path":"{env / "lib"}"}}\n'
    journal.path.write_text(lines[0] + forged)
    assert _recover(env) == ["undone"]
    assert (env / "lib" / "keep.txt").exists()


def test_authentic_entries_outside_the_environment_are_not_acted_on(tmp_path: Path) -> None:
    env = _env(tmp_path)
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "file").write_text("precious")
    state = env / ".pinset"
    name = "0" * 32 + ".journal"
    stash = state / ("0" * 32 + ".stash")
    stash.mkdir(parents=True)
    (stash / "1").write_text("attacker")
    entries = [
        {"op": "begin"},
        {"op": "tree", "path": str(outside / "sub")},
        {"op": "stash", "path": str(env / "lib" / "gone"), "to": str(outside / "file")},
        {
            "op": "stash",
            "path": str(outside / "file"),
            "to": str(state / ("0" * 32 + ".stash") / "1"),
        },
        {"op": "create", "path": str(outside / "file")},
        {"op": "tree", "path": str(env)},
        {"op": "tree", "path": str(state)},
    ]
    (state / name).write_text("".join(sign(KEY, name, i, e) for i, e in enumerate(entries)))
    assert _recover(env) == ["stale"]
    assert (outside / "sub").is_dir()
    assert (outside / "file").read_text() == "precious"
    assert not (env / "lib" / "gone").exists()
    assert (env / "lib" / "keep.txt").exists()
    assert (state / name).exists()  # left as it is, with its stash
    assert (stash / "1").read_text() == "attacker"
    authentic = journal_module.read_journal(state / name, KEY)
    assert authentic is not None
    journal_module.undo(state / name, authentic, [env], key=KEY)
    assert (outside / "sub").is_dir()  # even undone directly, nothing outside is touched
    assert (outside / "file").read_text() == "precious"
    assert state.is_dir()


def test_a_journal_of_a_moved_environment_is_left_for_the_user(tmp_path: Path) -> None:
    env = _env(tmp_path)
    journal = _journal(env)
    _change(journal, env)
    os.close(journal._fd)
    moved = tmp_path / "moved"
    env.rename(moved)
    found = recover(moved / ".pinset", key=KEY, roots=[moved])
    assert [r.outcome for r in found] == ["stale"]
    assert str(env / "lib" / "pkg" / "old.py") in found[0].outside
    assert (moved / ".pinset" / journal.path.name).exists()
    assert (moved / ".pinset" / journal.stash_dir.name / "1").exists()


def test_a_recovery_killed_half_way_is_completed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _env(tmp_path)
    before = snapshot(env)
    journal = _journal(env)
    _change(journal, env)
    os.close(journal._fd)

    def killed(path: Path) -> None:
        raise KeyboardInterrupt  # every change undone, the journal not yet deleted

    with monkeypatch.context() as patch:
        patch.setattr(journal_module, "discard", killed)
        with pytest.raises(KeyboardInterrupt):
            recover(env / ".pinset", key=KEY, roots=[env])
    assert snapshot(env) == before
    assert _recover(env) == ["undone"]  # undoing again must not undo the undo
    assert snapshot(env) == before


def test_announce_many_looks_up_only_directories_whose_parent_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh deep tree is announced as one ``tree`` entry and its directories returned
    parents first, with no lookup of a directory inside one this transaction makes (files
    arrive deepest directory first, as a wheel's RECORD often lists them)."""
    env = _env(tmp_path)
    journal = _journal(env)
    looked: list[str] = []
    isdir = os.path.isdir

    def counting(path: str) -> bool:  # the real lookup, counted
        looked.append(os.fspath(path))
        return isdir(path)

    monkeypatch.setattr(os.path, "isdir", counting)
    fresh = env / "lib" / "fresh"
    files = [fresh / "a" / "b" / "c" / "x.py", fresh / "a" / "y.py", env / "lib" / "pkg" / "z.py"]
    made = journal.announce_many(files)
    monkeypatch.undo()
    assert made == [
        str(fresh),
        str(fresh / "a"),
        str(fresh / "a" / "b"),
        str(fresh / "a" / "b" / "c"),
    ]
    assert not [p for p in looked if p.startswith(str(fresh) + os.sep)]
    trees = [line for line in journal.path.read_text().splitlines() if '"tree"' in line]
    assert len(trees) == 1
    assert str(fresh) in trees[0]
    for directory in made:
        os.mkdir(directory)
    for path in files:
        path.write_text("new\n")
    journal.rollback()
    assert not fresh.exists()
    assert not (env / "lib" / "pkg" / "z.py").exists()
