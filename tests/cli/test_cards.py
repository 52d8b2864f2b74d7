"""Card kinds and ids: reflections, "Check yourself" questions and LeetCode re-solves."""

import json

from tests.conftest import setup
from tests.helpers import plan_state


def listed(run, now):
    return json.loads(run("review", "--json", now=now).stdout)


def test_a_done_day_brings_its_reflection_and_question_cards(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    cards = plan_state(home)["cards"]
    assert sorted(cards) == ["1", "1:back-pressure", "1:full-queue", "1:why-bound"]
    assert {c["due"] for c in cards.values()} == {"2026-12-02T04:00:00+00:00"}
    due = listed(run, "2026-12-02T10:00")["due"]
    assert [(c["id"], c["kind"]) for c in due] == [
        ("1", "reflection"),
        ("1:back-pressure", "question"),
        ("1:full-queue", "question"),
        ("1:why-bound", "question"),
    ]


def test_a_question_card_is_rated_and_undone_by_its_id(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    rated = run("review", "1:why-bound", "--rating", "good", now="2026-12-02T10:00")
    assert rated.exit_code == 0, rated.output
    assert "Question 1:why-bound rated good. Next review" in rated.stdout
    (entry,) = plan_state(home)["reviews"]
    assert entry["card"] == "1:why-bound" and entry["id"].startswith("1:why-bound@")
    assert "1:why-bound" not in [c["id"] for c in listed(run, "2026-12-02T10:01")["due"]]
    # A leading zero is fine; a question the day does not have is not.
    undone = run("review", "01:why-bound", "--undo", now="2026-12-02T10:02")
    assert "Undid the Good of question 1:why-bound" in undone.stdout
    missing = run("review", "1:nope", "--rating", "good", now="2026-12-02T10:03")
    assert missing.exit_code == 1 and "1:nope is not a card of this plan" in missing.stderr
    bad = run("review", "x:1", "--rating", "good")
    assert bad.exit_code == 2 and "is not a card id" in bad.stderr


def test_a_reworded_question_keeps_its_card_a_removed_one_retires(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    setup(run, "review", "1:why-bound", "--rating", "good", now="2026-12-02T10:00")
    before = plan_state(home)["cards"]["1:why-bound"]
    text = use_mini.read_text()
    text = text.replace('prompt = "Why bound a queue?"', 'prompt = "What does a bound buy?"')
    full = text.index('[[days.questions]]\nid = "full-queue"')
    use_mini.write_text(text[:full] + text[text.index("[[days.questions]]", full + 1) :])
    cards = {c["id"]: c for c in listed(run, "2026-12-03T10:00")["due"]}
    # Reworded: the same card, its schedule and its review kept.
    assert plan_state(home)["cards"]["1:why-bound"] == before
    shown = run("review", "--list", now="2026-12-04T10:00").stdout
    assert "01:why-bound" in shown
    # Removed: no longer shown or counted, but its card stays in the state, as does its log.
    assert "1:full-queue" not in cards and "1:full-queue" in plan_state(home)["cards"]
    assert json.loads(run("today", "--json", now="2026-12-02T10:01").stdout)["reviews_due"] == 2


def test_undo_of_a_day_hides_its_question_cards_and_done_again_keeps_them(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    setup(run, "review", "1:why-bound", "--rating", "good", now="2026-12-02T10:00")
    kept = plan_state(home)["cards"]["1:why-bound"]
    setup(run, "undo", "1", now="2026-12-02T11:00")
    assert listed(run, "2026-12-05T10:00")["due"] == []
    setup(run, "done", "1", now="2026-12-02T12:00")
    assert plan_state(home)["cards"]["1:why-bound"] == kept


def test_a_schema_3_state_gets_string_card_ids_after_a_backup(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    (home / "state.toml").write_text(
        "schema_version = 3\n\n[plans.mini-plan]\n\n[plans.mini-plan.days.1]\ndone = true\n"
        'done_at = 2026-12-01T21:00:00Z\nreflection = "queues"\n'
        "changed_at = 2026-12-01T21:00:00Z\n\n[plans.mini-plan.cards.1]\ncard_id = 1\nstate = 2\n"
        'stability = 2.3\ndifficulty = 5.0\ndue = "2026-12-04T20:00:00+00:00"\n'
        'last_review = "2026-12-02T20:00:00+00:00"\n\n[[plans.mini-plan.reviews]]\n'
        'id = "1@2026-12-02T20:00:00+00:00"\ncard_id = 1\nrating = 3\n'
        'review_datetime = "2026-12-02T20:00:00+00:00"\nnote = "still true"\n'
    )
    due = listed(run, "2026-12-04T10:00")["due"]
    assert due == [
        {
            "id": "1",
            "kind": "reflection",
            "day": 1,
            "title": "Queues and Back-Pressure",
            "due": "2026-12-04",
        }
    ]
    setup(run, "review", "1", "--rating", "good", now="2026-12-04T10:00")
    state = plan_state(home)
    assert [e["card"] for e in state["reviews"]] == ["1", "1"]
    assert state["reviews"][0]["note"] == "still true"
    assert any("schema3" in p.name for p in (home / "backups").iterdir())


def test_pass_fail_grading_takes_forgot_and_recalled_on_the_command_line(run, home, use_mini):
    setup(run, "config", "review_grading", "pass-fail")
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    assert "rated good" in run("review", "1", "-r", "recalled", now="2026-12-02T10:00").stdout
    assert "rated again" in run("review", "1:why-bound", "-r", "1", now="2026-12-02T10:00").stdout
    assert "rated good" in run("review", "1:full-queue", "-r", "2", now="2026-12-02T10:00").stdout
    refused = run("review", "1:back-pressure", "-r", "4", now="2026-12-02T10:00")
    assert refused.exit_code == 2 and "forgot or recalled (or 1-2)" in refused.stderr
    assert run("config", "review_grading", "three").exit_code == 1


def test_stats_show_retention_per_track_and_per_kind(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    setup(run, "done", "2", "-m", "y", now="2026-12-02T09:00")
    for card, rating in [("1", "good"), ("1:why-bound", "again"), ("1:full-queue", "good")]:
        setup(run, "review", card, "--rating", rating, now="2026-12-02T10:00")
    setup(run, "review", "2:abc", "--rating", "hard", now="2026-12-03T10:00")
    data = json.loads(run("stats", "--json", now="2026-12-03T11:00").stdout)
    assert data["retention_by_track"] == {
        "sd": {"reviews": 3, "retention": 2 / 3},
        "oop": {"reviews": 1, "retention": 1.0},
    }
    assert data["retention_by_kind"] == {
        "reflection": {"reviews": 1, "retention": 1.0},
        "question": {"reviews": 3, "retention": 2 / 3},
    }
    assert len(data["due_next_14_days"]) == 14
    out = run("stats", now="2026-12-03T11:00").stdout
    assert "by track: SD 67% of 3 · OOP 100% of 1" in out
    assert "by kind: reflection 100% of 1 · question 67% of 3" in out


def test_a_first_solve_creates_the_re_solve_card_rated_from_the_outcome(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    # Not solved yet: no card.
    setup(run, "leetcode", "1", "--attempted", "--minutes", "30", now="2026-12-01T18:00")
    assert "lc:1" not in plan_state(home)["cards"]
    first = run("leetcode", "1", "--solved", "--minutes", "20", "--pattern", "ring buffer",
                now="2026-12-01T19:00")  # fmt: skip
    assert "Re-solve card lc:1 created, rated good" in first.stdout
    (entry,) = plan_state(home)["reviews"]
    assert entry["card"] == "lc:1" and entry["rating"] == 3
    due = listed(run, "2026-12-10T10:00")["due"]
    assert {"id": "lc:1", "kind": "leetcode"}.items() <= due[0].items()
    assert "lc:01" in run("review", "--list", now="2026-12-10T10:00").stdout
    # Later attempts rate it: slower than twice the first time is hard, a miss is again, and
    # the learner may say otherwise.
    slow = run("leetcode", "1", "--solved", "--minutes", "45", now="2026-12-10T10:00")
    assert "lc:1 rated hard" in slow.stdout
    setup(run, "leetcode", "1", "--attempted", now="2026-12-11T10:00")
    setup(run, "leetcode", "1", "--solved", "--hint", "-r", "easy", now="2026-12-12T10:00")
    ratings = [(e["card"], e["rating"]) for e in plan_state(home)["reviews"]]
    assert ratings == [("lc:1", 3), ("lc:1", 2), ("lc:1", 1), ("lc:1", 4)]
    assert run("review", "lc:1", "--undo", now="2026-12-12T10:01").exit_code == 0


def test_a_first_solve_with_a_hint_is_hard_and_does_not_count_as_a_review(run, home, use_mini):
    setup(run, "config", "review_daily_limit", "1")
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T21:00")
    hinted = run("leetcode", "2", "--solved", "--hint", now="2026-12-02T09:00")
    assert "rated hard" in hinted.stdout
    assert len(listed(run, "2026-12-02T10:00")["due"]) == 1  # the day's own work, not a review
