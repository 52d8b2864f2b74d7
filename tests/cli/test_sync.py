"""`eng28 sync` end to end: two machines (two ENG28_HOMEs) and a bare repository on disk."""

import json
import os
import shutil
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import setup
from tests.helpers import only_plan, state_file

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def machines(tmp_path, run, mini_plan):
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    homes = {"laptop": tmp_path / "laptop", "work": tmp_path / "work"}

    def on(machine, *args, now="2026-12-03T10:00"):
        result = run(*args, now=now, env={"ENG28_HOME": str(homes[machine])})
        return result

    for machine in homes:  # set up before any clock the tests use
        assert on(machine, "config", "plan", str(mini_plan), now="2026-11-30T08:00").exit_code == 0
    return on, bare, homes


def snapshot(home):
    """The one plan's progress in a home, and all of its state as text: the state file with
    the review log's ratings and cards joined in (how much of the log the file's cards had
    followed when it was saved, `log_folded`, is each machine's own)."""
    whole = state_file(home / "state.toml")
    whole.pop("log_folded", None)
    for plan in whole["plans"].values():
        plan.get("reviews", []).sort(key=lambda e: e["id"])
    return only_plan(whole), json.dumps(whole, sort_keys=True, default=str)


def test_two_machines_converge_and_a_third_sync_is_a_no_op(machines, tmp_path):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "done", "1", "--ahead", "-m", "written on the laptop", now="2026-12-01T20:00")
    first = on("laptop", "sync", "init", str(bare), now="2026-12-01T21:00")
    assert first.exit_code == 0, first.output
    joined = on("work", "sync", "init", str(bare), now="2026-12-02T08:00")
    assert joined.exit_code == 0, joined.output
    assert "Day 02 of 3" in on("work", "today", now="2026-12-02T09:00").stdout  # start came too

    # Offline on both machines.
    on("work", "done", "2", "--ahead", "-m", "written at work", now="2026-12-02T18:00")
    on("work", "review", "1", "--rating", "good", "-m", "at work", now="2026-12-02T18:05")
    on("laptop", "done", "1", "--amend", "-m", "laptop, second thoughts", now="2026-12-02T21:00")
    on("laptop", "done", "3", "--ahead", "-m", "laptop, day three", now="2026-12-03T20:00")
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
    on("laptop", "done", "1", "--ahead", "-m", "x", now="2026-12-01T20:00")
    on("laptop", "sync", now="2026-12-01T21:00")
    on("work", "done", "2", "--ahead", "-m", "y", now="2026-12-02T20:00")
    out = on("work", "sync", "--status", now="2026-12-02T21:00").stdout
    assert "behind: 1 commit" in out and "local changes since the last sync: yes" in out


def test_unreachable_remote_and_missing_git_leave_state_untouched(machines, tmp_path):
    on, bare, homes = machines
    state_file = homes["laptop"] / "state.toml"
    on("laptop", "start", "2026-12-01")
    on("laptop", "done", "1", "--ahead", "-m", "keep me")
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
    on("laptop", "done", "2", "--ahead", "-m", "not synced yet")
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
    days = only_plan(json.loads(on("laptop", "export").stdout)["state"])["days"]
    assert {n: d["reflection"] for n, d in days.items()} == {"1": "keep me", "2": "not synced yet"}


def test_a_new_machine_does_not_move_the_start_and_an_unset_never_erases_a_value(machines):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "config", "timezone", "Europe/London", now="2026-12-01T08:01")
    on("laptop", "config", "desired_retention", "0.8", now="2026-12-01T08:02")
    on("laptop", "done", "1", "--ahead", "-m", "x", now="2026-12-01T20:00")
    on("laptop", "review", "1", "--rating", "good", now="2026-12-02T20:00")
    on("laptop", "sync", "init", str(bare), now="2026-12-02T21:00")
    assert "Started the plan today" in on("work", "today", now="2026-12-05T09:00").stderr
    on("work", "sync", "init", str(bare), now="2026-12-05T09:05")
    on("laptop", "sync", now="2026-12-05T10:00")
    for machine in homes:
        assert on(machine, "config", "start").stdout == "2026-12-01\n"  # the explicit start
    assert snapshot(homes["laptop"])[1] == snapshot(homes["work"])[1]  # same cards, too
    # An unset value never beats a set one, even a later unset: what the learner set on one
    # machine is never erased by another (to change it everywhere, set another value).
    on("laptop", "config", "timezone", "--unset", now="2026-12-05T11:00")
    on("laptop", "sync", now="2026-12-05T11:01")
    on("work", "sync", now="2026-12-05T11:02")
    for machine in homes:
        assert on(machine, "config", "timezone").stdout == "Europe/London\n"
        assert on(machine, "config", "desired_retention").stdout == "0.8\n"
    on("work", "config", "timezone", "UTC", now="2026-12-05T12:00")
    on("work", "sync", now="2026-12-05T12:01")
    on("laptop", "sync", now="2026-12-05T12:02")
    for machine in homes:
        assert on(machine, "config", "timezone").stdout == "UTC\n"


def test_a_fresh_machine_never_erases_an_auto_started_plan(machines):
    on, bare, homes = machines
    assert "Started the plan today" in on("laptop", "today", now="2026-12-01T09:00").stderr
    on("laptop", "done", "1", "--ahead", "-m", "x", now="2026-12-01T20:00")
    # The work machine, never started, syncs first: the remote's config has no start.
    assert on("work", "sync", "init", str(bare), now="2026-12-02T08:00").exit_code == 0
    assert on("laptop", "sync", "init", str(bare), now="2026-12-02T09:00").exit_code == 0
    assert on("work", "sync", now="2026-12-02T10:00").exit_code == 0
    for machine in homes:
        assert on(machine, "config", "start").stdout == "2026-12-01\n", machine
    assert "Day 02 of 3" in on("work", "today", now="2026-12-02T10:30").stdout


def git(repo, *args):
    """A plain git command in `repo`, as the learner would type it; its output."""
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def journal(on, machine, now="2026-12-03T10:00"):
    """Each day of the journal: whether it is done, its reflection and its earlier versions."""
    result = on(machine, "journal", "--format", "json", now=now)
    assert result.exit_code == 0, result.output
    return {
        entry["day"]: (entry["done"], entry["reflection"], [e["text"] for e in entry["earlier"]])
        for entry in json.loads(result.stdout)
    }


def remote_reflections(bare, commit="main"):
    """The reflections in the state.toml of a commit on the remote."""
    days = only_plan(tomllib.loads(git(bare, "show", f"{commit}:state.toml"))).get("days", {})
    return {n: d["reflection"] for n, d in days.items()}


def other_machine(home, *args, now):
    """eng28 run by another machine, in a process of its own (a race with this one)."""
    env = {**os.environ, "ENG28_HOME": str(home), "ENG28_NOW": now}
    return subprocess.run(
        [sys.executable, "-m", "eng28", *args], env=env, capture_output=True, text=True
    )


@pytest.fixture
def both_set_up(machines):
    """Both machines started and synced once; then each did a day the other has not seen."""
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    assert on("laptop", "sync", "init", str(bare), now="2026-12-01T09:00").exit_code == 0
    assert on("work", "sync", "init", str(bare), now="2026-12-01T10:00").exit_code == 0
    on("laptop", "done", "1", "--ahead", "-m", "laptop: queues", now="2026-12-01T20:00")
    on("work", "done", "2", "--ahead", "-m", "work: interfaces", now="2026-12-02T18:00")
    return machines


BOTH_DAYS = {1: (True, "laptop: queues", []), 2: (True, "work: interfaces", [])}


def test_diverged_histories_are_merged_with_both_parents(both_set_up, tmp_path):
    on, bare, homes = both_set_up
    work_sync = homes["work"] / "sync"
    work_state = (homes["work"] / "state.toml").read_text()
    # Work's sync commits its day 2, then its push does not get through (the network went
    # away after the fetch): a commit here that the remote does not have.
    git(work_sync, "remote", "set-url", "--push", "origin", str(tmp_path / "offline.git"))
    failed = on("work", "sync", now="2026-12-02T19:00")
    assert failed.exit_code == 1
    assert "cannot push to the sync remote" in failed.stderr
    assert (homes["work"] / "state.toml").read_text() == work_state
    ahead = on("work", "sync", "--status", now="2026-12-02T19:05").stdout
    assert "ahead: 1 commit not pushed yet" in ahead
    # Meanwhile the laptop pushes its day 1: the remote has a commit work does not have.
    pushed = on("laptop", "sync", now="2026-12-02T20:00")
    assert pushed.exit_code == 0, pushed.output
    laptop_tip = git(bare, "rev-parse", "main")
    status = on("work", "sync", "--status", now="2026-12-02T21:00").stdout
    assert "diverged: 1 commit here and 1 there" in status

    git(work_sync, "config", "--unset", "remote.origin.pushurl")  # back online
    merged = on("work", "sync", now="2026-12-02T21:05")
    assert merged.exit_code == 0, merged.output
    assert "merged changes from the remote, pushed your changes" in merged.stdout
    caught_up = on("laptop", "sync", now="2026-12-02T21:10")
    assert caught_up.exit_code == 0, caught_up.output
    assert "merged changes from the remote" in caught_up.stdout

    for machine in homes:
        assert journal(on, machine) == BOTH_DAYS, machine
        status = on(machine, "sync", "--status", now="2026-12-02T21:15").stdout
        assert "in step with the remote" in status
        assert "local changes since the last sync: none" in status
    assert remote_reflections(bare) == {"1": "laptop: queues", "2": "work: interfaces"}
    # The merge on the remote joins the two histories: the laptop's commit and work's own.
    parents = git(bare, "log", "-1", "--format=%P", "main").split()
    assert len(parents) == 2 and laptop_tip in parents
    (work_commit,) = set(parents) - {laptop_tip}
    assert remote_reflections(bare, work_commit) == {"2": "work: interfaces"}


def test_a_push_that_loses_a_race_is_merged_again_and_retried(both_set_up, monkeypatch):
    on, bare, homes = both_set_up
    from eng28.usecases import sync

    fetch = sync._fetch
    race = []

    def fetch_then_work_pushes(repo):
        """The laptop has fetched; before it pushes, work syncs its day 2 (once)."""
        theirs = fetch(repo)
        if not race:
            race.append(other_machine(homes["work"], "sync", now="2026-12-02T19:00"))
            race.append(git(bare, "rev-parse", "main"))
        return theirs

    monkeypatch.setattr(sync, "_fetch", fetch_then_work_pushes)
    result = on("laptop", "sync", now="2026-12-02T19:00")
    work_sync, work_tip = race
    assert work_sync.returncode == 0 and "pushed your changes" in work_sync.stdout  # the race
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(": merged changes from the remote, pushed your changes.\n")
    assert result.stderr == ""
    # Nothing lost: work's push is still in the remote's history, and both days are in its
    # state and on the laptop.
    git(bare, "merge-base", "--is-ancestor", work_tip, "main")
    assert remote_reflections(bare) == {"1": "laptop: queues", "2": "work: interfaces"}
    assert journal(on, "laptop") == BOTH_DAYS
    monkeypatch.setattr(sync, "_fetch", fetch)
    assert on("work", "sync", now="2026-12-02T20:00").exit_code == 0
    assert journal(on, "work") == BOTH_DAYS


def test_a_remote_that_changes_at_every_attempt_gives_up_and_leaves_state_alone(
    both_set_up, monkeypatch
):
    on, bare, homes = both_set_up
    from eng28.usecases import sync

    laptop = homes["laptop"]
    before = {name: (laptop / name).read_text() for name in ("state.toml", "config.toml")}
    before_journal = journal(on, "laptop")
    fetch = sync._fetch
    pushed_by_work = []

    def fetch_then_work_pushes(repo):
        """After each of the laptop's fetches, work amends its day 2 and syncs it."""
        theirs = fetch(repo)
        n = len(pushed_by_work) + 1
        when = f"2026-12-02T19:0{n}"
        done = other_machine(
            homes["work"], "done", "2", "--amend", "-m", f"work, version {n}", now=when
        )
        assert done.returncode == 0, done.stderr
        synced = other_machine(homes["work"], "sync", now=when)
        assert synced.returncode == 0, synced.stderr
        pushed_by_work.append(git(bare, "rev-parse", "main"))
        return theirs

    monkeypatch.setattr(sync, "_fetch", fetch_then_work_pushes)
    result = on("laptop", "sync", now="2026-12-02T19:00")
    assert len(set(pushed_by_work)) == 3  # the remote changed after each of 3 fetches
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: the remote kept changing during 3 attempts; try again\n"
    # Nothing changed here, and nothing of the laptop's reached the remote.
    assert {name: (laptop / name).read_text() for name in before} == before
    assert journal(on, "laptop") == before_journal == {1: (True, "laptop: queues", [])}
    assert remote_reflections(bare) == {"2": "work, version 3"}

    # Trying again once the remote is quiet loses nothing.
    monkeypatch.setattr(sync, "_fetch", fetch)
    again = on("laptop", "sync", now="2026-12-02T20:00")
    assert again.exit_code == 0, again.output
    expected = {
        1: (True, "laptop: queues", []),
        2: (True, "work, version 3", ["work: interfaces", "work, version 1", "work, version 2"]),
    }
    assert journal(on, "laptop") == expected
    assert remote_reflections(bare) == {"1": "laptop: queues", "2": "work, version 3"}


def test_a_push_the_remote_refuses_is_not_taken_for_a_race(machines):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    assert on("laptop", "sync", "init", str(bare), now="2026-12-01T09:00").exit_code == 0
    on("laptop", "done", "1", "--ahead", "-m", "laptop: queues", now="2026-12-01T20:00")
    before = (homes["laptop"] / "state.toml").read_text()
    git(bare, "config", "receive.maxInputSize", "10")  # the remote now refuses every push
    result = on("laptop", "sync", now="2026-12-01T21:00")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: cannot push to the sync remote: ")
    assert "local state untouched" in result.stderr
    assert (homes["laptop"] / "state.toml").read_text() == before


@pytest.mark.parametrize("where", ["remote", "work tree"])
def test_sync_runs_no_hook_from_the_remote_or_the_sync_folder(run, home, tmp_path, where):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "mine")
    remote = tmp_path / "shared.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    planted = tmp_path / "planted"
    hook = f"#!/bin/sh\ntouch {planted}\n"
    for name in ("pre-receive", "post-receive", "update", "post-update"):
        (remote / "hooks" / name).write_text(hook)
        (remote / "hooks" / name).chmod(0o755)
    setup(run, "sync", "init", str(remote))
    if where == "work tree":
        hooks = home / "sync" / ".git" / "hooks"
        for name in ("pre-commit", "pre-push", "post-commit", "reference-transaction"):
            (hooks / name).write_text(hook)
            (hooks / name).chmod(0o755)
        setup(run, "done", "2", "--ahead", "-m", "more")
        setup(run, "sync")
    assert not planted.exists()
    shown = subprocess.run(
        ["git", "-C", str(remote), "show", "main:state.toml"], capture_output=True, text=True
    ).stdout
    assert "mine" in shown


# --- an undone rating, synced ---------------------------------------------------------------


def test_an_undone_rating_stays_undone_on_both_machines_after_syncs(machines):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "done", "1", "--ahead", "-m", "queues", now="2026-12-01T20:00")
    assert on("laptop", "sync", "init", str(bare), now="2026-12-01T21:00").exit_code == 0
    assert on("work", "sync", "init", str(bare), now="2026-12-02T08:00").exit_code == 0
    # Rated by mistake at work and synced; the laptop takes it, undoes it and syncs; work, still
    # holding the rating, syncs again.
    on("work", "review", "1", "--rating", "easy", "-m", "too easy", now="2026-12-02T09:00")
    on("work", "sync", now="2026-12-02T09:05")
    on("laptop", "sync", now="2026-12-02T09:10")
    undone = on("laptop", "review", "1", "--undo", now="2026-12-02T09:15")
    assert undone.exit_code == 0, undone.output
    assert "Undid the Easy of day 01 (2026-12-02); it is due again now." in undone.stdout
    for machine in ("laptop", "work", "laptop"):
        assert on(machine, "sync", now="2026-12-02T09:20").exit_code == 0
    laptop, laptop_text = snapshot(homes["laptop"])
    work, work_text = snapshot(homes["work"])
    assert laptop_text == work_text
    (entry,) = work["reviews"]
    assert "undone_at" in entry and entry["note"] == "too easy"  # kept, but undone
    assert work["cards"]["1"]["due"] == "2026-12-02T04:00:00+00:00"  # as never reviewed
    for machine in homes:
        listed = json.loads(on(machine, "review", "--json", now="2026-12-02T10:00").stdout)
        assert listed["due"][0] == {
            "id": "1",
            "kind": "reflection",
            "day": 1,
            "title": "Queues and Back-Pressure",
            "due": "2026-12-02",
        }
        stats = json.loads(on(machine, "stats", "--json", now="2026-12-02T10:00").stdout)
        assert stats["reviews"] == 0
        gone = on(machine, "review", "1", "--undo", now="2026-12-02T10:00")
        assert gone.exit_code == 1 and "has no rating to undo" in gone.stderr


def test_undoing_one_of_two_machines_ratings_leaves_the_other_and_both_agree(machines):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "done", "1", "--ahead", "-m", "queues", now="2026-12-01T20:00")
    on("laptop", "sync", "init", str(bare), now="2026-12-01T21:00")
    on("work", "sync", "init", str(bare), now="2026-12-02T08:00")
    # Offline on both: work rates first, the laptop later (without work's rating).
    on("work", "review", "1", "--rating", "good", now="2026-12-02T09:00")
    on("laptop", "review", "1", "--rating", "again", now="2026-12-02T20:00")
    for machine in ("laptop", "work", "laptop"):
        assert on(machine, "sync", now="2026-12-02T21:00").exit_code == 0
    # The laptop's card was not made from the one it held before its rating: undo replays it.
    undone = on("laptop", "review", "1", "--undo", now="2026-12-02T21:05")
    assert "Undid the Again of day 01 (2026-12-02); next review Friday 4 Dec 2026 again." in (
        undone.stdout
    )
    for machine in ("laptop", "work"):
        assert on(machine, "sync", now="2026-12-02T21:10").exit_code == 0
    laptop, work = snapshot(homes["laptop"])[0], snapshot(homes["work"])[0]
    assert laptop == work
    assert [("undone_at" in r, r["rating"]) for r in work["reviews"]] == [(False, 3), (True, 1)]
    assert work["cards"]["1"]["due"] == "2026-12-04T09:00:00+00:00"  # Good on the 2nd: 2 days


# --- moving to another remote ---------------------------------------------------------------


def test_sync_remote_moves_to_a_reachable_remote_and_runs_none_of_its_hooks(
    run, home, tmp_path, monkeypatch
):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "mine")
    old = tmp_path / "old.git"
    subprocess.run(["git", "init", "-q", "--bare", str(old)], check=True)
    setup(run, "sync", "init", str(old))
    new = tmp_path / "new.git"
    subprocess.run(["git", "init", "-q", "--bare", str(new)], check=True)
    planted = tmp_path / "planted"
    for name in ("pre-receive", "post-receive", "update", "post-update"):
        (new / "hooks" / name).write_text(f"#!/bin/sh\ntouch {planted}\n")
        (new / "hooks" / name).chmod(0o755)
    monkeypatch.chdir(tmp_path)
    moved = run("sync", "remote", "new.git")  # a relative path is kept as an absolute one
    assert moved.exit_code == 0, moved.output
    assert moved.stdout == f"Sync remote is now {new} (was {old}).\n"
    assert f"remote: {new}" in run("sync", "--status").stdout
    setup(run, "done", "2", "--ahead", "-m", "after the move")
    synced = run("sync")
    assert synced.exit_code == 0, synced.output
    assert f"Synced with {new}" in synced.stdout
    assert "after the move" in git(new, "show", "main:state.toml")
    assert "after the move" not in git(old, "show", "main:state.toml")
    assert not planted.exists()


def test_sync_remote_refuses_a_remote_it_cannot_reach_and_keeps_the_old_one(run, tmp_path):
    assert run("sync", "remote", str(tmp_path / "x.git")).stderr == (
        "error: sync is not set up here: run `eng28 sync init REMOTE` first\n"
    )
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "mine")
    old = tmp_path / "old.git"
    subprocess.run(["git", "init", "-q", "--bare", str(old)], check=True)
    setup(run, "sync", "init", str(old))
    missing = tmp_path / "nowhere.git"
    refused = run("sync", "remote", str(missing))
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith(
        f"error: cannot reach {missing}: "
    )
    assert refused.stderr.endswith(f"; the sync remote is still {old}\n")
    assert f"remote: {old}" in run("sync", "--status").stdout
    assert run("sync", "remote").exit_code == 2
    assert "already in step" in run("sync").stdout


def test_sync_remote_to_a_remote_with_history_merges_it_at_the_next_sync(machines, tmp_path):
    on, bare, homes = machines
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "done", "1", "--ahead", "-m", "laptop", now="2026-12-01T20:00")
    assert on("laptop", "sync", "init", str(bare), now="2026-12-01T21:00").exit_code == 0
    other = tmp_path / "other.git"
    subprocess.run(["git", "init", "-q", "--bare", str(other)], check=True)
    on("work", "start", "2026-12-01", now="2026-12-01T08:00")
    on("work", "done", "2", "--ahead", "-m", "work", now="2026-12-02T20:00")
    assert on("work", "sync", "init", str(other), now="2026-12-02T21:00").exit_code == 0
    moved = on("laptop", "sync", "remote", str(other), now="2026-12-02T21:30")
    assert moved.exit_code == 0, moved.output
    assert "diverged: 1 commit here and 1 there" in on("laptop", "sync", "--status").stdout
    assert on("laptop", "sync", now="2026-12-02T21:40").exit_code == 0
    days = snapshot(homes["laptop"])[0]["days"]
    assert {n: d["reflection"] for n, d in days.items()} == {"1": "laptop", "2": "work"}


def test_a_remote_that_is_not_there_is_named_with_gits_whole_reason(run, home, tmp_path):
    setup(run, "start", "2026-12-01")
    result = run("sync", "init", str(tmp_path / "nowhere.git"))
    assert result.exit_code == 1
    message = result.stderr
    assert message.count("\n") == 1 and message.startswith("error: cannot reach the sync remote")
    assert "does not appear to be a git repository" in message
    assert "and the repository exists" in message  # the wrapped line joined, not alone
    assert not message.split(": ", 3)[-1].startswith("and the repository")


def test_git_reason_joins_wrapped_lines_and_drops_hints():
    from eng28.usecases.sync import git_reason

    said = (
        "fatal: '/x.git' does not appear to be a git repository\n"
        "fatal: Could not read from remote repository.\n\n"
        "Please make sure you have the correct access rights\n"
        "and the repository exists.\n"
        "hint: see git help\n"
    )
    assert git_reason(said) == (
        "'/x.git' does not appear to be a git repository; Could not read from remote "
        "repository. Please make sure you have the correct access rights and the repository "
        "exists"
    )


def test_sync_holds_no_lock_while_git_talks_to_the_remote(run, home, tmp_path, monkeypatch):
    """A `done` while the sync pushes neither waits nor is lost: the sync sees the change and
    merges it in before it writes anything here."""
    from eng28.usecases import sync

    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "before the sync", now="2026-12-01T20:00")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    setup(run, "sync", "init", str(remote), now="2026-12-01T20:01")
    setup(run, "done", "2", "--ahead", "-m", "also before", now="2026-12-01T20:02")
    real, during = sync._commit_and_push, []

    def push_while_the_learner_writes(*args):
        if not during:
            env = {**os.environ, "ENG28_NOW": "2026-12-01T20:03", "ENG28_LOCK_TIMEOUT": "2"}
            done = subprocess.run(
                [sys.executable, "-m", "eng28", "done", "3", "--ahead", "-m", "during the push"],
                env=env,
                capture_output=True,
                text=True,
            )
            during.append(done)
        return real(*args)

    monkeypatch.setattr(sync, "_commit_and_push", push_while_the_learner_writes)
    result = run("sync", now="2026-12-01T20:04")
    assert result.exit_code == 0, result.output
    assert during[0].returncode == 0, during[0].stderr  # it never waited for the sync's lock
    assert "waiting" not in during[0].stderr
    mine = json.loads(run("journal", "--format", "json").stdout)
    assert [e["reflection"] for e in mine] == ["before the sync", "also before", "during the push"]
    shown = subprocess.run(
        ["git", "-C", str(remote), "show", "main:state.toml"], capture_output=True, text=True
    ).stdout
    assert "during the push" in shown  # merged again and pushed on the retry


# --- the short cuts give what the slow path gives ---------------------------------------------


def _story(on, bare):
    """Two machines rating the same card offline, a new day, an undo, a note, a change of
    the scheduler's rules on one machine, and syncs in between."""
    on("laptop", "start", "2026-12-01", now="2026-12-01T08:00")
    on("laptop", "done", "1", "--ahead", "-m", "queues", now="2026-12-01T20:00")
    assert on("laptop", "sync", "init", str(bare), now="2026-12-01T21:00").exit_code == 0
    assert on("work", "sync", "init", str(bare), now="2026-12-02T08:00").exit_code == 0
    on("work", "review", "1", "--rating", "good", "-m", "first go", now="2026-12-02T09:00")
    on("laptop", "review", "1", "--rating", "again", now="2026-12-02T20:00")
    on("laptop", "done", "2", "--ahead", "-m", "caches", now="2026-12-02T20:30")
    for machine in ("laptop", "work", "laptop"):
        assert on(machine, "sync", now="2026-12-02T21:00").exit_code == 0
    on("laptop", "review", "1", "--undo", now="2026-12-02T21:05")
    on("work", "config", "desired_retention", "0.8", now="2026-12-02T21:06")
    for machine in ("work", "laptop", "work"):
        assert on(machine, "sync", now="2026-12-02T21:10").exit_code == 0
    on("work", "review", "2", "--rating", "hard", "-m", "tricky", now="2026-12-04T09:00")
    on("laptop", "review", "1", "--rating", "easy", now="2026-12-04T10:00")
    for machine in ("work", "laptop", "work", "laptop"):
        assert on(machine, "sync", now="2026-12-04T11:00").exit_code == 0


def test_the_short_cuts_of_a_sync_leave_what_the_slow_path_leaves(
    tmp_path, run, mini_plan, monkeypatch
):
    """Each machine's state, log and config after the same story are byte for byte those of
    a sync that replays every card, validates every line of both logs and compares the logs
    by writing them."""
    import contextlib

    from eng28 import merge, reviewlog
    from eng28.usecases import sync, synclog

    def story_in(folder):
        bare = folder / "remote.git"
        subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
        homes = {name: folder / name for name in ("laptop", "work")}

        def on(machine, *args, now):
            return run(*args, now=now, env={"ENG28_HOME": str(homes[machine])})

        for machine in homes:
            on(machine, "config", "plan", str(mini_plan), now="2026-11-30T08:00")
        _story(on, bare)
        names = ("state.toml", "reviews.jsonl", "config.toml")
        return {(m, n): (home / n).read_bytes() for m, home in homes.items() for n in names}

    kept, by_lines = [], []
    with monkeypatch.context() as spied:
        agreed, prepare = merge._agreed_cards, synclog.prepare
        spied.setattr(merge, "_agreed_cards", lambda *a: kept.append(agreed(*a)) or kept[-1])
        spied.setattr(synclog, "prepare", lambda *a: by_lines.append(prepare(*a)) or by_lines[-1])
        fast = story_in(tmp_path / "fast")
    assert any(kept)  # cards were kept without a replay
    assert any(by_lines)  # syncs merged by lines
    with monkeypatch.context() as slow:
        slow.setattr(synclog, "prepare", lambda *args: None)
        slow.setattr(merge, "_agreed_cards", lambda *args: {})
        slow.setattr(reviewlog, "reuse_lines", contextlib.nullcontext)
        slow.setattr(sync, "_same_ratings", lambda a, b: sync._text(a)[1] == sync._text(b)[1])
        replayed = story_in(tmp_path / "slow")
    assert fast == replayed
    assert b'"rating":2' in fast["laptop", "reviews.jsonl"]  # work's Hard reached the laptop
