"""The review log (`reviews.jsonl`): a rating is a line added, a note or an undo a line that
amends it; the state file holds no ratings; nothing is lost across an upgrade, a crash, a torn
last line, a restore or a hostile edit."""

import json
import signal
import tomllib
from datetime import date

import tomli_w

from eng28 import files
from eng28.models import SCHEMA_VERSION
from tests.conftest import setup
from tests.helpers import plan_state, state_file


def log_lines(home):
    return [json.loads(line) for line in (home / "reviews.jsonl").read_text().splitlines()]


def studied(run):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "queues are buffers", now="2026-12-01T21:00")
    setup(run, "done", "2", "-m", "protocols over classes", now="2026-12-02T09:00")


def test_a_rating_is_one_line_added_and_a_note_and_an_undo_amend_it(run, home, use_mini):
    studied(run)
    assert not (home / "reviews.jsonl").exists()  # no rating yet, no log
    setup(run, "review", "1", "--rating", "good", "-m", "first", now="2026-12-02T10:00")
    first = (home / "reviews.jsonl").read_bytes()
    card_2 = plan_state(home)["cards"]["2"]
    setup(run, "review", "2", "--rating", "hard", "--early", now="2026-12-02T10:01")
    after = (home / "reviews.jsonl").read_bytes()
    assert after.startswith(first)  # appended, never rewritten
    assert [(line["plan"], line["entry"]["card"]) for line in log_lines(home)] == [
        ("mini-plan", "1"),
        ("mini-plan", "2"),
    ]
    assert "reviews" not in tomllib.loads((home / "state.toml").read_text())["plans"]["mini-plan"]
    setup(run, "review", "2", "--undo", now="2026-12-02T10:02")
    last = log_lines(home)[-1]
    assert last["amend"] == log_lines(home)[1]["entry"]["id"]
    assert last["undone_at"].startswith("2026-12-02T10:02")
    assert (home / "reviews.jsonl").read_bytes().startswith(after)
    reviews = plan_state(home)["reviews"]
    assert [r["note"] for r in reviews] == ["first", ""]
    assert reviews[0].get("undone_at") is None and reviews[1]["undone_at"]
    assert plan_state(home)["cards"]["2"] == card_2  # the schedule as before the rating


def test_a_schema_4_file_moves_its_ratings_to_the_log_after_a_backup(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", "-m", "kept across", now="2026-12-02T10:00")
    whole = state_file(home / "state.toml")
    whole["schema_version"] = 4  # as eng28 wrote it before the log: the ratings inline
    old = tomli_w.dumps(whole)
    (home / "state.toml").write_text(old)
    (home / "reviews.jsonl").unlink()
    journal = run("journal", "--format", "json", now="2026-12-02T11:00").stdout
    assert "kept across" in journal
    setup(run, "tick", "1", "video", now="2026-12-02T11:00")  # the first save in schema 5
    data = tomllib.loads((home / "state.toml").read_text())
    assert data["schema_version"] == SCHEMA_VERSION
    assert "reviews" not in data["plans"]["mini-plan"]
    assert [line["entry"]["note"] for line in log_lines(home)] == ["kept across"]
    (backup,) = (home / "backups").glob("state-*-schema4.toml")
    assert backup.read_text() == old
    assert run("journal", "--format", "json", now="2026-12-02T11:00").stdout == journal


def test_a_last_line_cut_short_is_ignored_and_dropped_by_the_next_rating(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", now="2026-12-02T10:00")
    whole = (home / "reviews.jsonl").read_bytes()
    (home / "reviews.jsonl").write_bytes(whole + b'{"plan": "mini-plan", "entry": {"id": "2@')
    listed = run("review", "--list", now="2026-12-02T10:01")
    assert listed.exit_code == 0 and listed.stderr == ""
    setup(run, "review", "2", "--rating", "easy", "--early", now="2026-12-02T10:02")
    text = (home / "reviews.jsonl").read_bytes()
    assert text.startswith(whole) and b'"id": "2@' not in text
    assert [line["entry"]["rating"] for line in log_lines(home)] == [3, 4]


def test_a_whole_last_line_without_its_newline_is_kept(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", now="2026-12-02T10:00")
    whole = (home / "reviews.jsonl").read_bytes()
    (home / "reviews.jsonl").write_bytes(whole.rstrip(b"\n"))  # saved so by an editor
    setup(run, "review", "2", "--rating", "easy", "--early", now="2026-12-02T10:02")
    assert [line["entry"]["rating"] for line in log_lines(home)] == [3, 4]


def test_a_rating_adds_its_card_to_the_log_and_leaves_the_state_file_as_it_is(run, home, use_mini):
    """A rating alone is one line with its card: state.toml is not rewritten (a year's state
    file costs a rating nothing), and every reader takes the card from the line."""
    studied(run)
    before = (home / "state.toml").read_bytes()
    setup(run, "review", "1", "--rating", "good", "-m", "a line", now="2026-12-02T10:00")
    assert (home / "state.toml").read_bytes() == before
    (line,) = log_lines(home)
    assert line["entry"]["note"] == "a line" and line["card"]["last_review"].startswith(
        "2026-12-02"
    )
    assert plan_state(home)["cards"]["1"] == line["card"]
    listed = json.loads(run("review", "--json", now="2026-12-02T10:05").stdout)
    assert "1" not in [card["id"] for card in listed["due"]]  # rated: no longer due
    assert [card["id"] for card in listed["upcoming"] if card["id"] == "1"]
    # The next whole save takes the card into the state file, and says how much of the log
    # its cards follow.
    setup(run, "tick", "1", "video", now="2026-12-02T10:06")
    data = tomllib.loads((home / "state.toml").read_text())
    assert data["log_folded"] == (home / "reviews.jsonl").stat().st_size
    assert data["plans"]["mini-plan"]["cards"]["1"]["last_review"] == line["card"]["last_review"]


def test_killed_between_the_log_and_the_state_an_undo_is_kept_whole(run, home, spawn, use_mini):
    """A whole transaction writes the log first, each line with its card: killed before the
    state file is saved, the undo (of a rating too old for the recent part) is in the log,
    and its card is back as it was, as if the state file had been saved."""
    studied(run)
    card = plan_state(home)["cards"]["1"]
    setup(run, "review", "1", "--rating", "good", "-m", "long ago", now="2026-12-02T10:00")
    setup(run, "tick", "1", "video", now="2026-12-02T10:01")  # the card into the state file
    child = spawn(
        "review", "1", "--undo",
        now="2026-12-10T10:00", env={files.FAULT_ENV: "after-fsync:state.toml"},
    )  # fmt: skip
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert log_lines(home)[-1]["amend"] == log_lines(home)[0]["entry"]["id"]
    restored = plan_state(home)
    assert restored["cards"]["1"] == card
    assert restored["reviews"][0]["undone_at"] and restored["reviews"][0]["note"] == "long ago"


def test_a_restore_brings_back_the_log_of_that_backup(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", "-m", "day two", now="2026-12-02T10:00")
    setup(
        run, "review", "1", "--rating", "good", "--early", "-m", "day three", now="2026-12-03T10:00"
    )
    backup = home / "backups" / "state-2026-12-03.toml"
    assert [line["entry"]["note"] for line in log_lines(home)] == ["day two", "day three"]
    logged = home / "backups" / "state-2026-12-03.reviews.jsonl"
    assert [json.loads(line)["entry"]["note"] for line in logged.read_text().splitlines()] == [
        "day two"
    ]
    listing = run("backup", "list", now="2026-12-03T11:00").stdout
    number = next(line.split()[0] for line in listing.splitlines() if backup.name in line)
    setup(run, "backup", "restore", number, now="2026-12-03T11:00")
    assert [line["entry"]["note"] for line in log_lines(home)] == ["day two"]
    (kept,) = (home / "backups").glob("state-2026-12-03-before-restore*.reviews.jsonl")
    assert "day three" in kept.read_text()  # the rating undone by the restore is kept


def test_a_backup_whose_log_is_missing_is_not_offered(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", now="2026-12-02T10:00")
    setup(run, "tick", "1", "video", now="2026-12-03T10:00")
    (home / "backups" / "state-2026-12-03.reviews.jsonl").unlink()
    listing = run("backup", "list", now="2026-12-03T11:00").stdout
    line = next(line for line in listing.splitlines() if "state-2026-12-03.toml" in line)
    assert "unreadable" in line or "missing" in line


def test_ratings_inside_a_schema_5_state_file_are_refused(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", now="2026-12-02T10:00")
    data = state_file(home / "state.toml")  # the ratings put back inline, by hand
    (home / "state.toml").write_text(tomli_w.dumps(data))
    result = run("review", "--list", now="2026-12-02T10:01")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "key 'plans.mini-plan.reviews': the ratings live in reviews.jsonl" in result.stderr


def test_a_line_that_is_not_json_is_named(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", now="2026-12-02T10:00")
    with (home / "reviews.jsonl").open("a") as log:
        log.write("not json\n{}\n")
    result = run("stats", now="2026-12-02T10:01")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {home / 'reviews.jsonl'}: line 2: not a JSON object")


def test_an_amend_of_an_unknown_rating_is_named(run, home, use_mini):
    studied(run)
    setup(run, "review", "1", "--rating", "good", now="2026-12-02T10:00")
    with (home / "reviews.jsonl").open("a") as log:
        log.write(json.dumps({"plan": "mini-plan", "amend": "9@x", "note": "?"}) + "\n")
    result = run("journal", now="2026-12-02T10:01")
    assert result.exit_code == 1
    assert "reviews.jsonl: line 2: amends review 9@x, which no line before holds" in result.stderr


def test_an_old_rating_is_undone_with_the_whole_log(run, home, use_mini):
    """An undo reads only the recent part of the log when it can; a rating older than that
    (here eight days) is found in the whole log."""
    studied(run)
    setup(run, "review", "1", "--rating", "good", "-m", "long ago", now="2026-12-02T10:00")
    setup(run, "review", "2", "--rating", "good", now="2026-12-03T10:00")
    result = run("review", "1", "--undo", now="2026-12-10T10:00")
    assert result.exit_code == 0, result.output
    assert "Undid the Good of day 01 (2026-12-02)" in result.stdout
    assert log_lines(home)[-1]["amend"] == log_lines(home)[0]["entry"]["id"]


def test_a_change_to_a_rating_outside_the_recent_part_is_refused_whole(tmp_path):
    """A transaction that read the recent part only cannot rewrite the log: the older
    ratings it did not read would be lost. It is refused and nothing is written."""
    import pytest

    from eng28 import store
    from eng28.errors import StateError
    from eng28.models import PlanState, ReviewEntry, State

    def entry(day):
        moment = f"2026-12-{day:02d}T10:00:00+00:00"
        return ReviewEntry(id=f"1@{moment}", card_id=1, card="1", rating=3, review_datetime=moment)

    path = tmp_path / "state.toml"
    store.save_state(path, State(plans={"p": PlanState(reviews=[entry(1), entry(9)])}))
    before = (path.read_bytes(), (tmp_path / "reviews.jsonl").read_bytes())
    since = "2026-12-07T00:00:00+00:00"
    with store.transaction(path, date(2026, 12, 10), "p", since=since) as state:
        assert [e.id for e in state.plans["p"].reviews] == [entry(9).id]  # the recent part
        state.plans["p"].reviews.append(entry(10))
    assert len((tmp_path / "reviews.jsonl").read_text().splitlines()) == 3  # appended
    before = (path.read_bytes(), (tmp_path / "reviews.jsonl").read_bytes())
    refused = pytest.raises(StateError, match="needs the whole review log")
    with refused, store.transaction(path, date(2026, 12, 10), "p", since=since) as state:
        state.plans["p"].reviews = state.plans["p"].reviews[1:]  # a change of history
    assert (path.read_bytes(), (tmp_path / "reviews.jsonl").read_bytes()) == before
    whole, _ = store.read_state(path, "p")
    assert [e.review_datetime[:10] for e in whole.plans["p"].reviews] == [
        "2026-12-01", "2026-12-09", "2026-12-10"
    ]  # fmt: skip
