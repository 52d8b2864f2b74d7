"""Daily backups, restore, corrupt and foreign files, schema versions, doctor."""

import os
import shutil
from pathlib import Path

from eng28.models import SCHEMA_VERSION
from tests.conftest import setup
from tests.helpers import only_plan, state_file


def state(home):
    return only_plan(state_file(home / "state.toml"))


def test_one_backup_before_the_first_save_of_each_study_day(run, home, use_mini):
    setup(run, "start", "2026-12-01", now="2026-11-30T10:00")

    def december():
        return sorted(p.name for p in (home / "backups").glob("state-2026-12-*.toml"))

    setup(run, "done", "1", "--ahead", "-m", "first", now="2026-12-01T10:00")
    setup(run, "done", "2", "--ahead", "-m", "second", now="2026-12-01T11:00")
    assert december() == ["state-2026-12-01.toml"]
    backup = only_plan(state_file(home / "backups" / "state-2026-12-01.toml"))
    assert backup.get("days", {}) == {}  # the state before the day's first save
    setup(run, "undo", "2", now="2026-12-01T12:00")
    assert december() == ["state-2026-12-01.toml"]
    setup(run, "undo", "1", now="2026-12-02T12:00")
    assert december() == ["state-2026-12-01.toml", "state-2026-12-02.toml"]
    day2 = only_plan(state_file(home / "backups" / "state-2026-12-02.toml"))
    assert sorted(day2["days"]) == ["1", "2"] and day2["days"]["1"]["done"] is True


def test_only_the_last_14_backups_are_kept(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    for day in range(1, 21):
        when = f"2026-12-{day:02d}T10:00"
        text = f"version {day}"
        setup(run, "done", "1", *(["--amend"] if day > 1 else []), "-m", text, now=when)
    names = sorted(p.name for p in (home / "backups").glob("state-*.toml"))
    assert len(names) == 14
    logs = sorted(p.name for p in (home / "backups").glob("state-*.reviews.jsonl"))
    assert logs == [name.replace(".toml", ".reviews.jsonl") for name in names]  # pruned in pairs
    assert names[0] == "state-2026-12-07.toml" and names[-1] == "state-2026-12-20.toml"


def test_backup_list_and_restore(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "day one", now="2026-12-01T10:00")
    setup(run, "done", "2", "--ahead", "-m", "day two", now="2026-12-02T10:00")
    setup(run, "done", "3", "--ahead", "--no-reflection", now="2026-12-03T10:00")
    listing = run("backup", "list", now="2026-12-03T11:00").stdout.splitlines()
    assert listing[0].split()[:2] == ["1", "state-2026-12-03.toml"]
    assert "2 done" in listing[0] and "2 reflections" in listing[0]
    assert listing[1].split()[:2] == ["2", "state-2026-12-02.toml"] and "1 done" in listing[1]
    result = run("backup", "restore", "2", now="2026-12-03T11:00")
    assert result.exit_code == 0, result.output
    assert "Restored state-2026-12-02.toml." in result.stdout
    assert sorted(state(home)["days"]) == ["1"]
    kept = result.stdout.split("kept in ")[1].strip().rstrip(".")
    first = run("backup", "list", now="2026-12-03T11:05").stdout.splitlines()[0]
    assert "before-restore" in first and "3 done" in first  # restore 1 undoes the restore
    assert sorted(only_plan(state_file(Path(kept)))["days"]) == ["1", "2", "3"]
    assert "there is no backup 99" in run("backup", "restore", "99").stderr


def test_corrupt_state_names_the_newest_good_backup_and_is_left_alone(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "keep", now="2026-12-01T10:00")
    setup(run, "done", "2", "--ahead", "-m", "also keep", now="2026-12-02T10:00")
    (home / "backups" / "state-2026-12-03.toml").write_text("not = [valid")  # a bad backup
    broken = 'schema_version = 2\n[days.1]\ndone = "maybe"\nchanged_at = 2026-12-01T10:00:00Z\n'
    (home / "state.toml").write_text(broken)
    result = run("done", "3", "--ahead", "-m", "new", now="2026-12-03T10:00")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert "state.toml: plans.mini-plan.days.1.done must be on or off" in result.stderr
    assert "the file was left untouched" in result.stderr
    assert "newest good backup is" in result.stderr and "state-2026-12-02.toml" in result.stderr
    assert "eng28 backup restore 2" in result.stderr
    assert (home / "state.toml").read_text() == broken
    restored = run("backup", "restore", "2", now="2026-12-03T10:00")
    assert restored.exit_code == 0, restored.output
    aside = list(home.glob("state.broken-*.toml"))
    assert len(aside) == 1 and aside[0].read_text() == broken  # never deleted
    assert state(home)["days"]["1"]["reflection"] == "keep"


def test_unparseable_state_gives_the_line(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    shutil.rmtree(home / "backups", ignore_errors=True)
    home.joinpath("state.toml").write_text("schema_version = 2\n\n[days.1\n")
    result = run("today")
    assert result.exit_code == 1
    assert "invalid TOML" in result.stderr and "line 3" in result.stderr
    assert "no backup to restore" in result.stderr


def test_corrupt_config_is_named_and_left_alone(run, home):
    home.mkdir()
    (home / "config.toml").write_text("start = 2026-13-45\n")
    result = run("today")
    assert result.exit_code == 1
    assert "config.toml: invalid TOML" in result.stderr and "line 1" in result.stderr
    assert (home / "config.toml").read_text() == "start = 2026-13-45\n"


def test_older_schema_is_migrated_after_a_backup(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    old = (
        'schema_version = 1\n\n[days.1]\ndone = true\nreflection = "new text"\n'
        'earlier = ["old text"]\nchanged_at = 2026-11-30T09:00:00Z\n'
    )
    (home / "state.toml").write_text(old)
    with (home / "config.toml").open("a") as config:
        config.write('start = "2026-12-01"\n')  # where the start was kept before schema 3
    assert run("show", "1").exit_code == 0  # reading does not rewrite
    assert (home / "state.toml").read_text() == old
    assert run("done", "2", "--ahead", "-m", "x").exit_code == 0
    data = state(home)
    assert state_file(home / "state.toml")["schema_version"] == SCHEMA_VERSION
    assert data["days"]["1"]["earlier"] == [
        {"text": "old text", "written_at": data["days"]["1"]["changed_at"]}
    ]
    (backup,) = (home / "backups").glob("state-*-schema1.toml")
    assert backup.read_text() == old


def test_newer_schema_is_refused_and_untouched(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    newer = f"schema_version = {SCHEMA_VERSION + 1}\n"
    (home / "state.toml").write_text(newer)
    result = run("done", "-m", "x")
    assert result.exit_code == 1
    assert f"written by a newer eng28 (schema {SCHEMA_VERSION + 1}" in result.stderr
    assert (home / "state.toml").read_text() == newer


def test_state_file_that_is_a_directory(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    (home / "state.toml").unlink()
    (home / "state.toml").mkdir()
    result = run("done", "-m", "x")
    assert result.exit_code == 1
    assert "state.toml: is a directory" in result.stderr


def test_home_that_cannot_hold_files(run, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run("start", env={"ENG28_HOME": str(blocker / "home")})
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    # The message names the home that cannot be used and the system's reason.
    assert str(blocker / "home") in result.stderr
    assert ": Not a directory" in result.stderr


def test_doctor_healthy_and_broken(run, home, use_mini, tmp_path, monkeypatch):
    # The shell check depends on the shell running the tests: fix it. eng28 is on PATH, no rc
    # file of the (temporary) HOME has the hook, and this is not a shell with the hook.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "eng28").write_text("#!/bin/sh\n")
    (bin_dir / "eng28").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("ENG28_PROMPT", raising=False)
    setup(run, "start", "2026-12-01")
    setup(run, "done", "-m", "x")
    ok = run("doctor")
    assert ok.exit_code == 0, ok.output
    assert "ok    config" in ok.stdout and "ok    state" in ok.stdout
    assert "\nnote  shell: no prompt hook found\n" in ok.stdout  # a note, not a failure
    assert not [line for line in ok.stdout.splitlines() if line.startswith("FAIL")]
    assert ok.stdout.strip().endswith("Everything looks fine.")
    (home / "state.toml").write_text("[[[")
    bad = run("doctor")
    assert bad.exit_code == 1
    assert "FAIL  state:" in bad.stdout and "fix: eng28 backup list" in bad.stdout
    assert [line.split(":")[0] for line in bad.stdout.splitlines() if line.startswith("FAIL")] == [
        "FAIL  state"
    ]
    assert bad.stdout.splitlines()[-1] == "1 problem found."  # the notes are not counted


def test_the_days_backup_is_read_whole_once_then_vouched_for_as_it_stands(tmp_path, monkeypatch):
    """The day's first save makes its backup and vouches for it; the day's later saves find it
    as it was and do not read it again (a year's log is 15 MB), until it changes."""
    from datetime import date

    from eng28 import store
    from eng28.models import PlanState, State

    path = tmp_path / "state.toml"
    store.save_state(path, State(plans={"p": PlanState(title="zero")}))
    parsed = []
    read_whole = store._parse_copy
    monkeypatch.setattr(store, "_parse_copy", lambda copy: parsed.append(copy) or read_whole(copy))
    for title in ("one", "two", "three"):
        with store.transaction(path, date(2026, 12, 2), "p") as state:
            state.plans["p"].title = title
    backup = tmp_path / "backups" / "state-2026-12-02.toml"
    assert parsed == []
    assert 'title = "zero"' in backup.read_text()  # the state before the day's first save
    os.utime(backup, ns=(1, 1))  # changed since it was vouched for: read again, still good
    with store.transaction(path, date(2026, 12, 2), "p") as state:
        state.plans["p"].title = "four"
    assert parsed == [backup] and 'title = "zero"' in backup.read_text()
