"""Safety copies (before an import, a restore, a sync, a schema upgrade) and daily backups: each
is unique, written whole or not at all, private to the learner, and neither kind pushes the other
out. A restore completes or leaves the state as it was."""

import errno
import os
import shutil
import stat
import subprocess
from datetime import date

import pytest

from eng28 import files, store
from tests.conftest import setup
from tests.helpers import only_plan, state_file


def listed(run, now="2026-12-10T12:00"):
    """`eng28 backup list` as (number, file name, rest of the line)."""
    result = run("backup", "list", now=now)
    assert result.exit_code == 0, result.output
    rows = []
    for line in result.stdout.splitlines():
        number, name, rest = line.split(maxsplit=2)
        rows.append((int(number), name, rest))
    return rows


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


# --- 5: unique safety copies, kept apart from the daily rotation ----------------------------


def test_two_imports_in_the_same_second_keep_both_copies(run, home, use_mini, tmp_path):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "before any import")
    export = tmp_path / "export.json"
    export.write_text(run("export").stdout)
    setup(run, "done", "2", "--ahead", "-m", "written before the first import")
    first = home.joinpath("state.toml").read_bytes()
    setup(run, "import", "--yes", str(export))
    setup(run, "done", "2", "--ahead", "-m", "written between the two imports")
    second = home.joinpath("state.toml").read_bytes()
    result = setup(run, "import", "--yes", str(export))  # the same ENG28_NOW: the same second
    copies = list(home.glob("state.before-import-*.toml"))
    assert sorted(p.read_bytes() for p in copies) == sorted([first, second])
    newest = next(p for p in copies if p.read_bytes() == second)
    assert str(newest) in result.stdout  # the message names the copy it made
    assert {mode(p) for p in copies} == {0o600}


def test_the_copy_kept_before_an_import_keeps_the_ratings_and_their_notes(
    run, home, use_mini, tmp_path
):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "before the export", now="2026-12-01T10:00")
    export = tmp_path / "export.json"
    export.write_text(run("export", now="2026-12-01T11:00").stdout)
    setup(run, "review", "1", "--rating", "hard", "-m", "a note typed after the export",
          now="2026-12-02T10:00")  # fmt: skip
    log = home.joinpath("reviews.jsonl").read_bytes()
    setup(run, "import", "--yes", str(export), now="2026-12-02T11:00")
    assert b"a note typed after the export" not in home.joinpath("reviews.jsonl").read_bytes()
    (copy,) = home.glob("state.before-import-*.toml")
    kept = store.log_of(copy)
    assert kept.read_bytes() == log and mode(kept) == 0o600
    (rating,) = only_plan(state_file(copy))["reviews"]
    assert rating["note"] == "a note typed after the export"


def test_restores_never_push_the_daily_backups_out(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    for day in (1, 2, 3):
        setup(run, "done", str(day), "-m", f"reflection of day {day}", now=f"2026-12-0{day}T10:00")
    setup(run, "done", "1", "--amend", "-m", "amended on day 4", now="2026-12-04T10:00")
    daily = [name for _, name, _ in listed(run)]
    assert daily == [f"state-2026-12-0{d}.toml" for d in (4, 3, 2, 1)]
    amended = home.joinpath("state.toml").read_bytes()
    for n in range(25):  # restore, then undo it, again and again
        setup(run, "backup", "restore", "1", now=f"2026-12-04T11:{n:02d}")
        toggled = home.joinpath("state.toml").read_bytes()
        assert (toggled == amended) == (n % 2 == 1)  # `restore 1` undoes the last restore
    rows = listed(run)
    names = [name for _, name, _ in rows]
    assert set(daily) <= set(names)  # every daily backup survived 25 restores
    copies = [name for name in names if "before-restore" in name]
    assert len(copies) == 2  # the two states restored back and forth, each kept once
    assert names[0].startswith("state-2026-12-04-before-restore")  # newest first
    # Either kind can be restored by its number.
    number = next(n for n, name, _ in rows if name == "state-2026-12-02.toml")
    restored = setup(run, "backup", "restore", str(number), now="2026-12-04T12:00")
    assert "Restored state-2026-12-02.toml." in restored.stdout
    state = only_plan(state_file(home / "state.toml"))
    assert sorted(state["days"]) == ["1"]
    setup(run, "backup", "restore", "1", now="2026-12-04T12:01")  # the before-restore copy
    state = only_plan(state_file(home / "state.toml"))
    assert sorted(state["days"]) == ["1", "2", "3"]


def test_each_kind_of_safety_copy_has_its_own_retention(home):
    path = home / "state.toml"
    files.atomic_write(path, b"schema_version = 2\n")
    for day in range(1, 15):
        store.backup_now(path, date(2026, 11, day))
    for n in range(30):  # 30 different states of each kind
        files.atomic_write(path, f"schema_version = 2\n# sync {n}\n".encode())
        store.backup_now(path, date(2026, 12, 1), "before-sync")
        files.atomic_write(path, f"schema_version = 2\n# upgrade {n}\n".encode())
        store.backup_now(path, date(2026, 12, 1), "schema1")
    assert store.KEEP_SAFETY_COPIES == 20
    names = [p.name for p in store._newest_first(home / "backups")]
    assert len([n for n in names if n[len("state-2026-11-01") :] == ".toml"]) == 14
    assert len([n for n in names if "before-sync" in n]) == 20
    assert len([n for n in names if "schema1" in n]) == 20
    assert len(set(names)) == len(names) == 54


# --- 6: a restore completes or changes nothing ------------------------------------------


def full_disk(monkeypatch, fails):
    """Every atomic write whose target `fails(path)` raises ENOSPC, as on a full disk."""
    real = files.atomic_write

    def atomic_write(path, data, *args, **kwargs):
        if fails(os.fspath(path)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path))
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(files, "atomic_write", atomic_write)


@pytest.mark.parametrize("broken", [False, True], ids=["good state", "broken state"])
@pytest.mark.parametrize("where", ["every write", "the state file only"])
def test_restore_on_a_full_disk_leaves_the_state_as_it_was(
    run, home, use_mini, monkeypatch, broken, where
):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "day one", now="2026-12-01T10:00")
    setup(run, "done", "2", "-m", "the only copy of day two", now="2026-12-02T10:00")
    if broken:
        home.joinpath("state.toml").write_text('schema_version = 2\n[days.1]\ndone = "maybe"\n')
    before = home.joinpath("state.toml").read_bytes()
    aside = set(home.iterdir()) | set((home / "backups").iterdir())
    if where == "every write":
        full_disk(monkeypatch, lambda path: True)
    else:
        full_disk(monkeypatch, lambda path: os.path.basename(path) == "state.toml")
    result = run("backup", "restore", "2", now="2026-12-02T11:00")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot restore backup 2: ")
    assert "No space left on device" in result.stderr
    assert "the state file was left as it was" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert home.joinpath("state.toml").read_bytes() == before
    # Nothing was moved away: what was there is still there (a copy may have been added).
    assert aside <= set(home.iterdir()) | set((home / "backups").iterdir())


# --- 7: backups are whole, and private --------------------------------------------------


def test_a_damaged_backup_of_today_is_kept_aside_and_made_again(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "day one", now="2026-12-01T10:00")
    setup(run, "done", "2", "-m", "day two", now="2026-12-02T10:00")
    today = home / "backups" / "state-2026-12-02.toml"
    whole = today.read_bytes()
    cut = whole[: whole.index(b"day one") + 3]  # cut short inside a string, by a full disk
    today.write_bytes(cut)
    setup(run, "done", "3", "--ahead", "--no-reflection", now="2026-12-02T11:00")
    rows = listed(run, now="2026-12-02T12:00")
    by_name = {name: rest for _, name, rest in rows}
    assert "unreadable" not in by_name["state-2026-12-02.toml"]
    assert "2 done" in by_name["state-2026-12-02.toml"]  # the state before this save
    assert "unreadable" in by_name["state-2026-12-02-unreadable.toml"]  # kept, not deleted
    assert (home / "backups" / "state-2026-12-02-unreadable.toml").read_bytes() == cut


def test_a_backup_killed_half_way_is_never_listed_and_is_cleaned_up(run, home, spawn, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "day one", now="2026-12-19T10:00")
    killed = spawn("done", "2", "-m", "day two", env={files.FAULT_ENV: "after-write"})
    killed.communicate()
    assert killed.returncode != 0
    folder = home / "backups"
    assert [p.name for p in folder.glob(".state-2026-12-20.*.tmp")]  # the half-made copy
    names = [name for _, name, _ in listed(run, now="2026-12-20T10:00")]
    assert names[0] == "state-2026-12-19.toml" and not any("12-20" in n for n in names)
    setup(run, "done", "2", "-m", "day two", now="2026-12-20T10:00")
    assert listed(run, now="2026-12-20T10:00")[0][1] == "state-2026-12-20.toml"
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_every_copy_of_the_learners_text_is_private(run, home, use_mini, tmp_path, monkeypatch):
    old = os.umask(0o022)  # a usual umask: what eng28 does not set itself is world-readable
    try:
        remote = tmp_path / "remote.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        setup(run, "start", "2026-12-01")
        setup(run, "done", "1", "-m", "private thoughts", now="2026-12-01T10:00")
        setup(run, "done", "2", "-m", "more of them", now="2026-12-02T10:00")
        setup(run, "sync", "init", str(remote), now="2026-12-02T11:00")
        export = tmp_path / "export.json"
        export.write_text(run("export").stdout)
        setup(run, "import", "--yes", str(export), now="2026-12-02T12:00")
        setup(run, "backup", "restore", "1", now="2026-12-02T13:00")
        home.joinpath("state.toml").write_text("[[[ broken")
        setup(run, "backup", "restore", "1", now="2026-12-02T14:00")
    finally:
        os.umask(old)
    copies = [
        home / "state.toml",
        home / "config.toml",
        home / "sync" / "state.toml",
        home / "sync" / "config.toml",
        home / "reviews.jsonl",
        *home.glob("state.before-import-*.toml"),
        *home.glob("state.broken-*.toml"),
        *(home / "backups").iterdir(),
    ]
    assert len(copies) >= 8
    assert {str(p.relative_to(home)): mode(p) for p in copies} == {
        str(p.relative_to(home)): 0o600 for p in copies
    }
    # git's own copies (objects: the review log's months live only there) sit inside
    assert mode(home / "sync") == 0o700
    (home / "sync").chmod(0o755)  # as an older eng28 made it
    setup(run, "sync", now="2026-12-02T15:00")
    assert mode(home / "sync") == 0o700
    assert "private thoughts" in (home / "sync" / "state.toml").read_text()
