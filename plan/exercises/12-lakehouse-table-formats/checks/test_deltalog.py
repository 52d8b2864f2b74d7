import json

import pytest
from deltalog import CommitConflictError, DeltaLog


def append(log, *paths, operation="WRITE"):
    txn = log.begin()
    for p in paths:
        txn.add(p)
    return txn.commit(operation)


def test_an_empty_log(tmp_path):
    log = DeltaLog(tmp_path / "events")
    assert (tmp_path / "events" / "_delta_log").is_dir(), "expected _delta_log/ to be created"
    assert log.latest_version() == -1, f"expected -1 for an empty log, got {log.latest_version()}"
    assert log.snapshot() == frozenset()
    with pytest.raises(ValueError):
        log.snapshot(0)
    with pytest.raises(ValueError):
        log.checkpoint()


def test_commits_are_numbered_json_lines(tmp_path):
    log = DeltaLog(tmp_path)
    assert append(log, "a.parquet", "b.parquet") == 0
    assert append(log, "c.parquet", operation="APPEND") == 1
    names = sorted(p.name for p in (tmp_path / "_delta_log").iterdir())
    assert names == ["00000000000000000000.json", "00000000000000000001.json"], f"got {names}"
    lines = (tmp_path / "_delta_log" / "00000000000000000001.json").read_text().splitlines()
    actions = [json.loads(line) for line in lines]
    assert actions[0] == {"add": {"path": "c.parquet"}}, f"expected the add first, got {actions}"
    assert actions[-1]["commitInfo"]["operation"] == "APPEND"
    assert actions[-1]["commitInfo"]["readVersion"] == 0


def test_snapshots_replay_adds_and_removes_and_time_travel(tmp_path):
    log = DeltaLog(tmp_path)
    append(log, "a", "b")
    txn = log.begin()
    txn.remove("a")
    txn.add("c")
    assert txn.commit("DELETE") == 1
    txn = log.begin()
    txn.remove("c")
    txn.add("a")
    txn.commit()
    expected = {0: {"a", "b"}, 1: {"b", "c"}, 2: {"a", "b"}}
    for version, files in expected.items():
        got = log.snapshot(version)
        assert got == files, f"version {version}: expected {sorted(files)}, got {sorted(got)}"
    assert log.snapshot() == {"a", "b"}
    for bad in (-1, 3):
        with pytest.raises(ValueError):
            log.snapshot(bad)


def test_stray_files_in_the_log_are_ignored(tmp_path):
    log = DeltaLog(tmp_path)
    append(log, "a")
    (tmp_path / "_delta_log" / "00000000000000000007.json.tmp").write_text("half written")
    (tmp_path / "_delta_log" / "notes.txt").write_text("x")
    (tmp_path / "_delta_log" / "7.json").write_text("x")
    assert log.latest_version() == 0, (
        f"only 20-digit commit names count: expected 0, got {log.latest_version()}"
    )
    assert append(log, "b") == 1


def test_blind_appends_never_conflict_and_retry_at_the_next_version(tmp_path):
    log = DeltaLog(tmp_path)
    append(log, "a")
    first, second, third = log.begin(), log.begin(), log.begin()
    first.add("x")
    second.add("y")
    third.add("z")
    assert first.commit() == 1
    assert second.commit() == 2, "the second writer loses version 1 and takes version 2"
    assert third.commit() == 3
    got = log.snapshot()
    assert got == {"a", "x", "y", "z"}, f"expected every append kept, got {sorted(got)}"
    winner = json.loads(
        (tmp_path / "_delta_log" / "00000000000000000001.json").read_text().splitlines()[0]
    )
    assert winner == {"add": {"path": "x"}}, (
        f"a commit file is never overwritten; version 1 holds {winner}"
    )


def test_two_deletes_of_the_same_file_conflict(tmp_path):
    log = DeltaLog(tmp_path)
    append(log, "a", "b")
    one, two = log.begin(), log.begin()
    one.remove("a")
    two.remove("a")
    assert one.commit("DELETE") == 1
    with pytest.raises(CommitConflictError):
        two.commit("DELETE")
    assert log.latest_version() == 1, "the losing delete must not publish anything"


def test_a_removal_of_what_was_read_conflicts_even_several_commits_later(tmp_path):
    log = DeltaLog(tmp_path)
    append(log, "a", "b")
    reader = log.begin()
    reader.read("b")
    reader.add("summary-of-b")
    append(log, "c")
    deleter = log.begin()
    deleter.remove("b")
    deleter.commit("DELETE")
    with pytest.raises(CommitConflictError):
        reader.commit("MERGE")
    assert log.snapshot() == {"a", "c"}


def test_disjoint_removals_do_not_conflict(tmp_path):
    log = DeltaLog(tmp_path)
    append(log, "a", "b")
    one, two = log.begin(), log.begin()
    one.remove("a")
    two.remove("b")
    one.commit("DELETE")
    got = two.commit("DELETE")
    assert got == 2, f"removing different files: expected version 2, got {got}"
    assert log.snapshot() == frozenset()


def test_transaction_rules(tmp_path):
    log = DeltaLog(tmp_path)
    append(log, "a")
    txn = log.begin()
    assert txn.read_version == 0 and txn.files == {"a"}
    with pytest.raises(ValueError):
        txn.remove("ghost")
    with pytest.raises(ValueError):
        txn.read("ghost")
    txn.add("b")
    txn.commit()
    with pytest.raises(ValueError):
        txn.commit()
    assert log.latest_version() == 1


def test_checkpoints_let_old_commits_go(tmp_path):
    log = DeltaLog(tmp_path)
    for i in range(5):
        append(log, f"f{i}")
    txn = log.begin()
    txn.remove("f0")
    txn.commit()
    assert log.checkpoint() == 5
    cp = json.loads((tmp_path / "_delta_log" / "00000000000000000005.checkpoint.json").read_text())
    assert cp == {"version": 5, "files": ["f1", "f2", "f3", "f4"]}, f"got {cp}"
    last = json.loads((tmp_path / "_delta_log" / "_last_checkpoint").read_text())
    assert last == {"version": 5}, f"got {last}"
    early = log.snapshot(2)
    assert early == {"f0", "f1", "f2"}, (
        f"version 2 is older than the checkpoint: expected f0-f2, got {sorted(early)}"
    )
    for v in range(6):
        (tmp_path / "_delta_log" / f"{v:020d}.json").unlink()
    assert log.latest_version() == 5, (
        f"the checkpoint still marks version 5, got {log.latest_version()}"
    )
    assert log.snapshot() == {"f1", "f2", "f3", "f4"}
    got = append(log, "f5")
    assert got == 6, f"the next commit follows the checkpoint: expected version 6, got {got}"
    got = log.snapshot()
    assert got == {"f1", "f2", "f3", "f4", "f5"}, (
        f"expected the checkpoint plus version 6, got {sorted(got)}"
    )
    assert log.snapshot(5) == {"f1", "f2", "f3", "f4"}


def test_a_transaction_older_than_a_cleaned_up_checkpoint_cannot_commit(tmp_path):
    log = DeltaLog(tmp_path)
    for i in range(4):
        append(log, f"f{i}")
    stale = log.begin()  # reads version 3
    stale.add("late")
    append(log, "f4")
    assert log.checkpoint() == 4
    for v in range(5):
        (tmp_path / "_delta_log" / f"{v:020d}.json").unlink()
    with pytest.raises(CommitConflictError):
        stale.commit()
    names = sorted(p.name for p in (tmp_path / "_delta_log").glob("*.json"))
    assert names == ["00000000000000000004.checkpoint.json"], (
        f"version 4 is taken (its checkpoint says so) even with its commit deleted: creating it "
        f"again would publish a commit that no snapshot replays; the log holds {names}"
    )
    assert log.snapshot() == {"f0", "f1", "f2", "f3", "f4"}
