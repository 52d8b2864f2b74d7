"""`eng28 sync` end to end: two machines (two ENG28_HOMEs) and a bare repository on disk."""

import json
import os
import shutil
import subprocess
import tomllib

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def machines(tmp_path, run, mini_plan):
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    homes = {"laptop": tmp_path / "laptop", "work": tmp_path / "work"}

    def on(machine, *args, now="2026-12-03T10:00"):
        result = run(*args, now=now, env={"ENG28_HOME": str(homes[machine])})
        return result

    for machine in homes:
        assert on(machine, "config", "plan", str(mini_plan)).exit_code == 0
    return on, bare, homes


def snapshot(home):
    state = tomllib.loads((home / "state.toml").read_text())
    return state, (home / "state.toml").read_text()


def test_two_machines_converge_and_a_third_sync_is_a_no_op(machines, tmp_path):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "done", "1", "-m", "written on the laptop", now="2026-12-01T20:00")
    first = on("laptop", "sync", "init", str(bare), now="2026-12-01T21:00")
    assert first.exit_code == 0, first.output
    joined = on("work", "sync", "init", str(bare), now="2026-12-02T08:00")
    assert joined.exit_code == 0, joined.output
    assert "Day 02 of 3" in on("work", "today", now="2026-12-02T09:00").stdout  # start came too

    # Offline on both machines.
    on("work", "done", "2", "-m", "written at work", now="2026-12-02T18:00")
    on("work", "review", "1", "--rating", "good", "-m", "at work", now="2026-12-02T18:05")
    on("laptop", "done", "1", "--amend", "-m", "laptop, second thoughts", now="2026-12-02T21:00")
    on("laptop", "done", "3", "-m", "laptop, day three", now="2026-12-03T20:00")
    on("laptop", "config", "grace_days", "2", now="2026-12-03T20:01")

    for machine in ("work", "laptop", "work"):
        result = on(machine, "sync", now="2026-12-03T21:00")
        assert result.exit_code == 0, result.output
    laptop, laptop_text = snapshot(homes["laptop"])
    work, work_text = snapshot(homes["work"])
    assert laptop_text == work_text
    days = laptop["days"]
    assert {n for n, d in days.items() if d["done"]} == {"1", "2", "3"}
    assert days["1"]["reflection"] == "laptop, second thoughts"
    assert [e["text"] for e in days["1"]["earlier"]] == ["written on the laptop"]
    assert [r["note"] for r in laptop["reviews"]] == ["at work"]
    shown = on("work", "show", "1", now="2026-12-03T21:30").stdout
    assert "laptop, second thoughts" in shown and "1 earlier version of your reflection" in shown
    journal = on("work", "journal", now="2026-12-03T21:30").stdout
    assert "> written on the laptop" in journal
    assert laptop["cards"]["1"] == work["cards"]["1"]
    assert "grace_days = 2" in (homes["work"] / "config.toml").read_text()
    prompts = {m: on(m, "prompt", "--refresh", now="2026-12-04T10:00").stdout for m in homes}
    assert prompts["laptop"] == prompts["work"] != ""

    head = subprocess.run(
        ["git", "-C", str(bare), "rev-parse", "main"], capture_output=True, text=True, check=True
    ).stdout
    third = on("laptop", "sync", now="2026-12-03T22:00")
    assert "already in step" in third.stdout
    assert (
        subprocess.run(
            ["git", "-C", str(bare), "rev-parse", "main"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        == head
    )
    assert snapshot(homes["laptop"])[1] == laptop_text


def test_status_says_behind_and_local_changes(machines):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "sync", "init", str(bare), now="2026-12-01T09:00")
    on("work", "sync", "init", str(bare), now="2026-12-01T10:00")
    out = on("work", "sync", "--status").stdout
    assert "in step with the remote" in out and "local changes since the last sync: none" in out
    on("laptop", "done", "1", "-m", "x", now="2026-12-01T20:00")
    on("laptop", "sync", now="2026-12-01T21:00")
    on("work", "done", "2", "-m", "y", now="2026-12-02T20:00")
    out = on("work", "sync", "--status", now="2026-12-02T21:00").stdout
    assert "behind: 1 commit(s)" in out and "local changes since the last sync: yes" in out


def test_unreachable_remote_and_missing_git_leave_state_untouched(machines, tmp_path):
    on, bare, homes = machines
    state_file = homes["laptop"] / "state.toml"
    on("laptop", "start", "2026-12-01")
    on("laptop", "done", "1", "-m", "keep me")
    before = state_file.read_text()
    missing = on("laptop", "sync", "init", str(tmp_path / "nowhere.git"))
    assert missing.exit_code == 1
    assert (
        "cannot reach the sync remote" in missing.stderr
        and "local state untouched" in missing.stderr
    )
    assert not (homes["laptop"] / "sync").exists()
    assert state_file.read_text() == before
    assert "sync is not set up here" in on("laptop", "sync").stderr
    assert on("laptop", "sync", "init", str(bare)).exit_code == 0
    on("laptop", "done", "2", "-m", "not synced yet")
    before = state_file.read_text()
    shutil.move(str(bare), str(tmp_path / "moved.git"))
    gone = on("laptop", "sync")
    assert gone.exit_code == 1 and "cannot reach the sync remote" in gone.stderr
    assert state_file.read_text() == before
    os_path = os.environ["PATH"]
    try:
        os.environ["PATH"] = str(tmp_path / "empty-bin")
        no_git = on("laptop", "sync")
    finally:
        os.environ["PATH"] = os_path
    assert no_git.exit_code == 1 and "git is not installed" in no_git.stderr
    assert state_file.read_text() == before
    days = json.loads(on("laptop", "export").stdout)["state"]["days"]
    assert {n: d["reflection"] for n, d in days.items()} == {"1": "keep me", "2": "not synced yet"}


def test_a_new_machine_does_not_move_the_start_and_unset_keys_travel(machines):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "config", "timezone", "Europe/London", now="2026-12-01T08:01")
    on("laptop", "config", "desired_retention", "0.8", now="2026-12-01T08:02")
    on("laptop", "done", "1", "-m", "x", now="2026-12-01T20:00")
    on("laptop", "review", "1", "--rating", "good", now="2026-12-02T20:00")
    on("laptop", "sync", "init", str(bare), now="2026-12-02T21:00")
    assert "Started the plan today" in on("work", "today", now="2026-12-05T09:00").stderr
    on("work", "sync", "init", str(bare), now="2026-12-05T09:05")
    on("laptop", "sync", now="2026-12-05T10:00")
    for machine in homes:
        assert on(machine, "config", "start").stdout == "2026-12-01\n"  # the explicit start
    assert snapshot(homes["laptop"])[1] == snapshot(homes["work"])[1]  # same cards, too
    on("laptop", "config", "timezone", "--unset", now="2026-12-05T11:00")
    on("laptop", "sync", now="2026-12-05T11:01")
    on("work", "sync", now="2026-12-05T11:02")
    for machine in homes:
        assert on(machine, "config", "timezone").stdout == "(not set)\n"
        assert on(machine, "config", "desired_retention").stdout == "0.8\n"
