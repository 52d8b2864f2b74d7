import json

import pytest

from tests.conftest import setup
from tests.helpers import plan_state, state_file


def state(home):
    return plan_state(home)


@pytest.fixture
def two_done(run, use_mini):
    run("start", "2026-12-01")
    run("done", "1", "-m", "queues are buffers", now="2026-12-01T21:00")
    run("done", "2", "-m", "protocols over classes", now="2026-12-02T09:00")


def test_done_creates_a_card_due_the_next_study_day(run, home, use_mini):
    run("start", "2026-12-01")
    result = run("done", "-m", "x", now="2026-12-01T21:00")
    assert "First review of this reflection: Wednesday 2 Dec 2026." in result.stdout
    card = state(home)["cards"]["1"]
    # Due from the start (the rollover hour) of the next study day.
    assert card["due"] == "2026-12-02T04:00:00+00:00" and card["state"] == 1


def test_a_card_is_due_from_the_start_of_its_study_day(run, two_done):
    # Day 1's card is due at 21:00 on the 2nd, but the whole study day of the 2nd counts.
    data = json.loads(run("review", "--json", now="2026-12-02T05:00").stdout)
    # Each day done brings its reflection card and one card per "Check yourself" question.
    queues = {"day": 1, "title": "Queues and Back-Pressure", "due": "2026-12-02"}
    assert data["due"] == [
        {"id": "1", "kind": "reflection", **queues},
        {"id": "1:back-pressure", "kind": "question", **queues},
        {"id": "1:full-queue", "kind": "question", **queues},
        {"id": "1:why-bound", "kind": "question", **queues},
    ]
    assert [(c["id"], c["kind"], c["due"]) for c in data["upcoming"]] == [
        ("2", "reflection", "2026-12-03"),
        ("2:abc", "question", "2026-12-03"),
        ("2:fake", "question", "2026-12-03"),
        ("2:protocol", "question", "2026-12-03"),
    ]
    # 02:00 on the 2nd is still the study day of the 1st: nothing due.
    early = json.loads(run("review", "--json", now="2026-12-02T02:00").stdout)
    assert early["due"] == []


def test_today_and_plan_show_reviews_due(run, two_done):
    # Two reflections and three questions of each day.
    assert json.loads(run("today", "--json", now="2026-12-03").stdout)["reviews_due"] == 8
    assert "8 reviews due: eng28 review" in run("today", now="2026-12-03").stdout
    assert "8 reviews due: eng28 review" in run("plan", now="2026-12-03").stdout


def test_rating_without_prompts_saves_card_and_log(run, home, two_done):
    result = run("review", "1", "--rating", "good", "-m", "still true", now="2026-12-02T20:00")
    assert result.exit_code == 0, result.output
    assert "Day 01 rated good. Next review Friday 4 Dec 2026 (in 2 days)." in result.stdout
    data = state(home)
    (entry,) = data["reviews"]
    assert entry["card_id"] == 1 and entry["rating"] == 3 and entry["note"] == "still true"
    assert entry["review_datetime"] == "2026-12-02T20:00:00+00:00"
    assert data["cards"]["1"]["due"] == "2026-12-04T20:00:00+00:00"


def test_golden_intervals_through_the_cli(run, home, use_mini):
    run("start", "2026-12-01")
    run("done", "1", "-m", "x", now="2026-12-01T21:00")
    gaps, when = [], "2026-12-02T21:00"
    for _ in range(3):
        run("review", "1", "--rating", "good", now=when)
        due = state(home)["cards"]["1"]["due"]
        gaps.append((int(due[8:10]) - int(when[8:10])) if due[:7] == when[:7] else due[:10])
        when = due[:16]
    assert gaps[:2] == [2, 11]
    assert gaps[2] == "2027-01-30"  # 46 days after 15 Dec


def test_rating_early_needs_the_flag(run, two_done):
    result = run("review", "2", "--rating", "easy", now="2026-12-02T10:00")
    assert result.exit_code == 1
    assert "day 2 is not due until 2026-12-03; pass --early to review it now" in result.stderr
    assert run("review", "2", "-r", "e", "--early", now="2026-12-02T10:00").exit_code == 0


def test_rating_errors(run, two_done):
    assert "has no review card" in run("review", "3", "--rating", "good").stderr
    bad = run("review", "1", "--rating", "great")
    assert bad.exit_code == 2 and "'great' is not one of again, hard, good, easy" in bad.stderr
    assert run("review", "1").exit_code == 2
    assert "needs a terminal" in run("review").stderr


def test_undo_removes_the_card_but_keeps_the_log(run, home, two_done):
    run("review", "1", "--rating", "hard", now="2026-12-02T20:00")
    run("undo", "1", now="2026-12-02T20:05")
    data = state(home)
    assert "1" not in data["cards"] and len(data["reviews"]) == 1
    run("done", "1", "-m", "again", now="2026-12-02T20:10")
    assert "1" in state(home)["cards"]


def test_amend_keeps_the_schedule(run, home, two_done):
    run("review", "1", "--rating", "good", now="2026-12-02T20:00")
    before = state(home)["cards"]["1"]
    run("done", "1", "--amend", "-m", "sharper", now="2026-12-02T20:30")
    assert state(home)["cards"]["1"] == before


def test_review_list(run, two_done):
    out = run("review", "--list", now="2026-12-02T10:00").stdout
    assert "today" in out and "Queues and Back-Pressure" in out
    assert "Thu 03 Dec" in out and "Interfaces" in out
    assert "01:why-bound" in out and "02:protocol" in out
    assert "4 due now, 4 in the next 14 days." in out


def test_stats(run, two_done):
    run("review", "1", "--rating", "again", now="2026-12-02T20:00")
    run("review", "2", "--rating", "good", now="2026-12-03T20:00")
    data = json.loads(run("stats", "--json", now="2026-12-03T21:00").stdout)
    assert data["done"] == 2 and data["total"] == 3
    assert data["behind"] == [] and data["on_schedule"] is True
    assert data["current_streak"] == 2 and data["longest_streak"] == 2
    assert data["reviews"] == 2 and data["retention"] == 0.5
    assert data["activity"] == {"2026-12-01": 1, "2026-12-02": 2, "2026-12-03": 1}
    assert len(data["due_next_14_days"]) == 14
    text = run("stats", now="2026-12-03T21:00").stdout
    assert "2 of 3 days done · on schedule" in text
    assert "current 2 study days · longest 2 study days" in text and "retention 50%" in text
    assert "Reviews due, next 14 days" in text


def test_streaks_ignore_rest_days(run, use_mini, tmp_path):
    from datetime import date

    from eng28.pace import rest_weekdays
    from eng28.usecases.reports import streaks

    weekend = rest_weekdays(["sat", "sun"])
    fri, mon, tue = date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8)
    assert streaks({fri, mon, tue}, tue, weekend) == (3, 3)
    assert streaks({fri, mon}, tue, weekend) == (2, 2)  # today not over yet
    assert streaks({fri}, tue, weekend) == (0, 1)
    assert streaks({fri, mon, tue}, tue, frozenset()) == (2, 2)


# --- undoing a rating ----------------------------------------------------------------------


def test_undo_a_rating_restores_the_schedule_and_says_so(run, home, two_done):
    before = state(home)["cards"]["2"]
    rated = run("review", "2", "--rating", "good", "--early", "-m", "oops", now="2026-12-02T10:00")
    assert rated.exit_code == 0, rated.output
    result = run("review", "2", "--undo", now="2026-12-02T10:05")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Undid the Good of day 02 (2026-12-02); next review Thursday 3 Dec 2026 again.\n"
    )
    data = state(home)
    assert data["cards"]["2"] == before
    # The review stays in the log as a tombstone (so a sync cannot bring it back), note kept.
    (entry,) = data["reviews"]
    assert entry["undone_at"] == "2026-12-02T10:05:00Z"
    assert entry["note"] == "oops"
    # Nothing that reads the log counts it any more.
    listed = json.loads(run("review", "--json", now="2026-12-02T10:06").stdout)
    reflection = {"id": "2", "kind": "reflection", "day": 2, "title": "Interfaces"}
    assert {**reflection, "due": "2026-12-03"} in listed["upcoming"]
    stats = json.loads(run("stats", "--json", now="2026-12-02T10:06").stdout)
    assert stats["reviews"] == 0 and stats["retention"] is None
    journal = json.loads(run("journal", "--format", "json", now="2026-12-02T10:06").stdout)
    assert all(e["follow_ups"] == [] for e in journal)
    again = run("review", "2", "--undo", now="2026-12-02T10:07")
    assert again.exit_code == 1
    assert again.stderr == "error: day 2 has no rating to undo\n"


def test_undo_restores_a_fuzzed_due_date_exactly(run, home, two_done):
    setup(run, "config", "review_fuzzing", "true")
    run("review", "1", "--rating", "good", now="2026-12-02T20:00")
    second = run("review", "1", "--rating", "good", now="2026-12-04T20:00")
    assert second.exit_code == 0, second.output
    fuzzed = state(home)["cards"]["1"]  # about 11 days, moved by fuzz
    run("review", "1", "--rating", "easy", "--early", now="2026-12-05T09:00")
    assert state(home)["cards"]["1"] != fuzzed
    result = run("review", "1", "--undo", now="2026-12-05T09:01")
    assert result.exit_code == 0, result.output
    assert state(home)["cards"]["1"] == fuzzed
    assert "Undid the Easy of day 01 (2026-12-05)" in result.stdout
    assert [r.get("undone_at") is not None for r in state(home)["reviews"]] == [False, False, True]
    # Undo again: the one before goes too, back to the card of the first Good.
    run("review", "1", "--undo", now="2026-12-05T09:02")
    card = state(home)["cards"]["1"]
    assert card["due"] == "2026-12-04T20:00:00+00:00"


def test_undo_errors_are_one_line(run, two_done, use_mini):
    nothing = run("review", "1", "--undo")
    assert nothing.exit_code == 1 and nothing.stderr == "error: day 1 has no rating to undo\n"
    not_done = run("review", "3", "--undo")
    assert not_done.exit_code == 1 and not_done.stderr == "error: day 3 has no rating to undo\n"
    assert run("review", "9", "--undo").exit_code == 1
    no_day = run("review", "--undo")
    assert no_day.exit_code == 2 and "--undo needs an ID" in no_day.stderr
    mixed = run("review", "1", "--undo", "--rating", "good")
    assert mixed.exit_code == 2 and "--undo takes only an ID" in mixed.stderr


def test_a_rating_from_before_undo_existed_is_undone_by_replaying_the_log(run, home, two_done):
    import tomli_w

    run("review", "1", "--rating", "good", now="2026-12-02T20:00")
    before = state(home)["cards"]["1"]
    run("review", "1", "--rating", "hard", now="2026-12-04T20:00")
    data = state_file(home / "state.toml")
    for entry in data["plans"]["mini-plan"]["reviews"]:
        del entry["card_before"]  # as an older eng28 wrote them
    data["schema_version"] = 4  # which kept them in the state file
    (home / "state.toml").write_text(tomli_w.dumps(data))
    result = run("review", "1", "--undo", now="2026-12-04T20:05")
    assert result.exit_code == 0, result.output
    assert "Undid the Hard of day 01 (2026-12-04)" in result.stdout
    assert state(home)["cards"]["1"] == before


def test_rating_again_after_an_undo_in_the_same_second(run, home, two_done):
    run("review", "1", "--rating", "again", now="2026-12-02T20:00")
    run("review", "1", "--undo", now="2026-12-02T20:00")
    again = run("review", "1", "--rating", "good", now="2026-12-02T20:00")
    assert again.exit_code == 0, again.output
    reviews = state(home)["reviews"]
    assert [(r["rating"], "undone_at" in r) for r in reviews] == [(1, True), (3, False)]
    assert len({r["id"] for r in reviews}) == 2
    assert "Next review Friday 4 Dec 2026" in again.stdout


def test_the_session_s_follow_up_notes_are_each_card_s_kept_notes_in_log_order(run, two_done):
    """`reviews.follow_up_notes` finds every card's notes in one pass; each must be what the
    review of that card showed when it looked through the log itself: the card's own notes,
    in the log's order, without blank ones or those of undone ratings."""
    from eng28.usecases import context, reviews

    setup(run, "review", "1", "--rating", "hard", "--early", "-m", "first", now="2026-12-02T10:00")
    setup(run, "review", "2", "--rating", "good", "--early", "-m", "  ", now="2026-12-02T10:01")
    setup(run, "review", "2", "--undo", now="2026-12-02T10:02")
    setup(run, "review", "2", "--rating", "again", "--early", "-m", "kept", now="2026-12-02T10:03")
    setup(run, "review", "1", "--rating", "good", "--early", "-m", "second", now="2026-12-04T23:30")
    setup(run, "review", "1", "--rating", "easy", "--early", "-m", "undone", now="2026-12-09T10:00")
    setup(run, "review", "1", "--undo", now="2026-12-09T10:01")
    c = context.open_context()
    state = c.load_state()
    found = reviews.follow_up_notes(c, state)
    for card_id in state.cards:
        scanned = [
            (reviews.study_date_of(c, e.review_datetime).isoformat(), e.note)
            for e in state.kept_reviews()
            if e.key == card_id and e.note.strip()
        ]
        assert found.get(card_id, []) == scanned
    assert found == {
        "1": [("2026-12-02", "first"), ("2026-12-04", "second")],
        "2": [("2026-12-02", "kept")],
    }
