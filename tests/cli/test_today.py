import json

import pytest

from tests.conftest import setup
from tests.helpers import plan_state


def test_fresh_install_starts_today_and_shows_day_one(run, home):
    result = run("today")
    assert result.exit_code == 0, result.output
    assert "Started the plan today (2026-12-01)." in result.stderr
    assert "Day 01 of 28 · AI & LLMs · Tuesday 1 Dec 2026" in result.stdout
    assert "Transformer Internals" in result.stdout
    assert str(plan_state(home)["start"]) == "2026-12-01"  # the plan's start, in the state


def test_card_shows_every_part_of_a_complete_day(run, use_mini):
    result = run("today")
    out = result.stdout
    assert "Day 01 of 3 · System Design · Tuesday 1 Dec 2026" in out
    assert "Queues and Back-Pressure" in out
    assert "Why it matters" in out and "Queues decouple producers" in out
    assert "Video  Queues Talk — A. Speaker (42 min)" in out
    assert "https://example.org/queues-talk" in out
    assert "1. Queue Paper — B. Author [paper]" in out
    assert "3. Queue Blog — C. Blogger [blog]" in out
    assert "Exercise  Build a bounded queue (~60 min)" in out
    assert "2. Write a consumer" in out
    assert "Deliverable: A plot of lag" in out and "Stretch: Add a second consumer." in out
    assert "LeetCode  622. Design Circular Queue (Medium)" in out
    assert "https://leetcode.com/problems/design-circular-queue/" in out
    assert "Where would a bounded queue have saved you an outage?" in out
    assert "eng28 notes 1" in out and "01-queues.md" in out


def test_day_numbers_follow_the_calendar_across_a_year_end(run, use_mini):
    assert run("start", "2026-12-31").exit_code == 0
    assert (
        "Day 01 of 3 · System Design · Thursday 31 Dec 2026"
        in run("today", now="2026-12-31").stdout
    )
    assert (
        "Day 02 of 3 · OOP & Programming · Friday 1 Jan 2027"
        in run("today", now="2027-01-01").stdout
    )


def test_rollover_hour_keeps_late_night_on_yesterday(run, use_mini):
    setup(run, "start", "2026-12-01")
    assert "Day 01 of 3" in run("today", now="2026-12-02T01:30").stdout
    assert "Day 02 of 3" in run("today", now="2026-12-02T04:00").stdout
    setup(run, "config", "rollover_hour", "0")
    assert "Day 02 of 3" in run("today", now="2026-12-02T01:30").stdout


def test_dst_change_with_a_configured_zone(run, use_mini):
    setup(run, "config", "timezone", "Europe/London")
    setup(run, "start", "2026-03-28")
    # 03:30 UTC on 29 March is 04:30 BST: past the rollover, so day 2.
    assert "Day 02 of 3" in run("today", now="2026-03-29T03:30+00:00").stdout
    # 02:30 UTC is 03:30 BST: still day 1.
    assert "Day 01 of 3" in run("today", now="2026-03-29T02:30+00:00").stdout


def test_not_started_screen(run, use_mini):
    setup(run, "start", "2026-12-05")
    result = run("today")
    assert "The plan starts in 4 days, on Saturday 5 Dec 2026." in result.stdout
    assert "First up: Day 01 — Queues and Back-Pressure" in result.stdout
    data = json.loads(run("today", "--json").stdout)
    assert data["status"] == "not-started" and data["day"] is None


def test_rest_day_screen_names_the_next_day(run, use_mini):
    setup(run, "config", "rest_days", "sat", "sun")
    setup(run, "start", "2026-12-04")  # a Friday
    result = run("today", now="2026-12-05")
    assert "Rest day · Saturday 5 Dec 2026" in result.stdout
    assert "Next: Day 02 — Interfaces on Monday 7 Dec 2026" in result.stdout
    assert (
        "Day 02 of 3 · OOP & Programming · Monday 7 Dec 2026"
        in run("today", now="2026-12-07").stdout
    )
    assert json.loads(run("today", "--json", now="2026-12-06").stdout)["status"] == "rest"


def test_behind_schedule_lists_open_days(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "one")
    result = run("today", now="2026-12-03")
    assert "Day 03 of 3" in result.stdout
    assert "Behind schedule: 1 earlier day still open (2)" in result.stdout
    assert json.loads(run("today", "--json", now="2026-12-03").stdout)["behind"] == [2]


def test_finished_screen_summarises(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "one")
    result = run("today", now="2026-12-10")
    assert "Plan finished · 1 of 3 days done" in result.stdout
    assert "Still open: day 2, day 3" in result.stdout
    assert json.loads(run("today", "--json", now="2026-12-10").stdout)["status"] == "finished"


def test_self_pace_follows_the_first_open_day(run, use_mini):
    setup(run, "config", "pace", "self")
    setup(run, "start", "2026-11-01")
    assert "Day 01 of 3" in run("today").stdout
    setup(run, "done", "-m", "first")
    assert "Day 02 of 3" in run("today").stdout
    assert "Behind" not in run("today").stdout
    setup(run, "done", "-m", "second")
    setup(run, "done", "-m", "third")
    assert "Every day is done" in run("today").stdout


def test_today_json_has_the_documented_shape(run, use_mini):
    data = json.loads(run("today", "--json").stdout)
    assert set(data) == {"date", "status", "day", "behind", "reviews_due"}
    assert data["date"] == "2026-12-01" and data["status"] == "study"
    day = data["day"]
    for key in (
        "number",
        "slug",
        "title",
        "track",
        "summary",
        "video",
        "readings",
        "exercise",
        "leetcode",
        "reflection_prompt",
        "questions",
        "notes",
        "status",
    ):
        assert key in day
    assert day["number"] == 1 and day["track"] == "sd" and day["status"] == "today"
    assert day["video"] == {
        "title": "Queues Talk",
        "url": "https://example.org/queues-talk",
        "by": "A. Speaker",
        "minutes": 42,
    }
    assert [r["kind"] for r in day["readings"]] == ["paper", "docs", "blog"]
    assert day["leetcode"]["number"] == 622
    assert day["notes"].startswith("# Day 01 — Queues")
    assert day["questions"][1] == {
        "id": "why-bound",
        "prompt": "Why bound a queue?",
        "answer": "An unbounded queue turns overload into memory growth and latency.",
    }
    assert len(day["questions"]) == 3
    shown = json.loads(run("show", "2", "--json").stdout)
    assert [q["id"] for q in shown["questions"]] == ["protocol", "abc", "fake"]
    assert json.loads(run("show", "3", "--json").stdout)["questions"] == []


def test_incomplete_days_say_so_instead_of_inventing_content(run, use_mini):
    result = run("show", "3")
    assert "Wrap-Up" in result.stdout
    assert "This day's material is not in the plan file yet" in result.stdout
    assert "Video" not in result.stdout


def test_plan_table_and_json(run, use_mini):
    setup(run, "config", "rest_days", "sun")
    setup(run, "start", "2026-12-05")  # Saturday; Sunday is rest
    setup(run, "done", "1", "--ahead", "-m", "ok")
    result = run("plan", now="2026-12-08")
    lines = result.stdout.splitlines()
    row = next(line for line in lines if line.lstrip().startswith("01"))
    assert "Sat 05 Dec" in row and "SD" in row and "done" in row
    assert any("Sun 06 Dec" in line and "rest" in line for line in lines)
    row2 = next(line for line in lines if line.lstrip().startswith("02"))
    assert "Mon 07 Dec" in row2 and "missed" in row2
    row3 = next(line for line in lines if line.lstrip().startswith("03"))
    assert "Tue 08 Dec" in row3 and "today" in row3
    assert "1/3 days done" in result.stdout
    rows = json.loads(run("plan", "--json", now="2026-12-08").stdout)
    assert [(r["number"], r["date"], r["status"]) for r in rows] == [
        (1, "2026-12-05", "done"),
        (2, "2026-12-07", "missed"),
        (3, "2026-12-08", "today"),
    ]


def test_show_and_notes(run, use_mini):
    assert "Interfaces" in run("show", "2").stdout
    notes = run("notes", "1")
    assert notes.exit_code == 0
    assert (
        "Check yourself" in notes.stdout and "producer --> [ queue ] --> consumer" in notes.stdout
    )
    missing = run("notes", "3")
    assert missing.exit_code == 1
    assert "error: day 3 has no notes in this plan yet" in missing.stderr


def test_plan_option_overrides_config(run, mini_plan):
    result = run("--plan", str(mini_plan), "show", "2")
    assert "Day 02 of 3" in result.stdout


@pytest.mark.parametrize("width", [44, 12])
def test_narrow_terminal_wraps_list_items_under_their_text_and_loses_nothing(run, width):
    """Readings and exercise steps wrap with a hanging indent; a word longer than the line is
    folded, never cut off; URLs stay whole on their own line."""
    from eng28.plan import bundled_plan_path, load_plan

    day = load_plan(bundled_plan_path()).days[0]  # a step names a 48-character function
    result = run("show", "1", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    if width > 20:
        first = next(i for i, line in enumerate(lines) if line.startswith("  1. "))
        assert lines[first + 1].startswith("     ") and lines[first + 1][5] != " "
    squeezed = "".join(line.strip() for line in lines).replace(" ", "")
    for step in day.exercise.steps:
        assert step.replace(" ", "") in squeezed
    for reading in day.readings:
        assert any(line.strip() == reading.url for line in lines)
    assert "…" not in result.stdout
    assert all(len(line.rstrip()) <= width for line in lines if not line.strip().startswith("http"))
