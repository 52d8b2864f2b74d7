"""Calendar export, links, pause/resume/skip, catch-up grace, your own plans, journal,
completion and help."""

import json
import os
import stat
import subprocess
import sys
import webbrowser
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.conftest import setup
from tests.helpers import only_plan

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "plan" / "examples" / "git-internals" / "plan.toml"


def events(ics: bytes) -> dict:
    cal = Calendar.from_ical(ics)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_ics_export_matches_the_plan_and_reviews(run, use_mini):
    setup(run, "config", "rest_days", "sun")
    setup(run, "start", "2026-12-05")
    setup(run, "done", "1", "-m", "x", now="2026-12-05T20:00")
    result = run("export", "--format", "ics", now="2026-12-05T21:00")
    assert result.exit_code == 0, result.output
    found = events(result.stdout_bytes)
    plan = json.loads(run("plan", "--json", now="2026-12-05T21:00").stdout)
    days = {uid: e for uid, e in found.items() if "-day-" in uid}
    assert len(days) == len(plan) == 3
    for row in plan:
        event = days[f"eng28-mini-plan-day-{row['slug']}@eng28"]
        assert event.decoded("dtstart").isoformat() == row["date"]
        assert f"Day {row['number']:02d}: {row['title']}" in str(event["summary"])
    first = str(days["eng28-mini-plan-day-queues@eng28"]["description"])
    assert "https://example.org/queues-talk" in first
    assert "https://example.org/queue-docs" in first
    assert "https://leetcode.com/problems/design-circular-queue/" in first
    (review,) = [e for uid, e in found.items() if "-review-" in uid]
    due = json.loads(run("review", "--json", now="2026-12-05T21:00").stdout)["upcoming"][0]
    assert review.decoded("dtstart").isoformat() == due["due"] == "2026-12-07"  # Sunday rests
    again = events(run("export", "--format", "ics", now="2026-12-06T09:00").stdout_bytes)
    assert set(again) == set(found)  # stable UIDs: a re-import updates


def test_ics_needs_a_start_and_a_known_format(run, use_mini):
    assert "has not been started" in run("export", "--format", "ics").stderr
    setup(run, "start")
    bad = run("export", "--format", "csv")
    assert bad.exit_code == 2 and "use json or ics" in bad.stderr


@pytest.fixture
def browser(tmp_path, monkeypatch):
    log = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\nexit ${{FAKE_BROWSER_EXIT:-0}}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return log


def test_open_sends_links_to_the_browser(run, use_mini, browser):
    setup(run, "start")
    result = run("open", "1", "readings")
    assert result.exit_code == 0, result.output
    assert browser.read_text().split() == [
        "https://example.org/queue-paper",
        "https://example.org/queue-docs",
        "https://example.org/queue-blog",
    ]
    assert "opened  reading: Queue Paper" in result.stdout
    notes = run("open", "1", "notes")
    assert browser.read_text().splitlines()[-1].startswith("file://")
    assert notes.stdout.rstrip().endswith("day-01.html")  # the day's page of the site
    assert (
        "https://leetcode.com/problems/design-circular-queue/"
        in run("open", "1", "leetcode").stdout
    )


def test_open_prints_links_when_no_browser_works(run, use_mini, browser):
    setup(run, "start")
    result = run("open", env={"FAKE_BROWSER_EXIT": "1"})
    assert result.exit_code == 0
    assert "link  video: Queues Talk\n        https://example.org/queues-talk" in result.stdout
    assert "https://example.org/queue-blog" in result.stdout
    assert "unknown link kind 'slides'" in run("open", "1", "slides").stderr
    assert "day 3 has no video links" in run("open", "3", "video").stderr


def test_pause_and_resume_move_later_days(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "one", now="2026-12-01T20:00")
    setup(run, "done", "2", "-m", "two", now="2026-12-02T20:00")
    before = [r["date"] for r in json.loads(run("plan", "--json", now="2026-12-03").stdout)]
    assert before == ["2026-12-01", "2026-12-02", "2026-12-03"]
    paused = run("pause", now="2026-12-03T08:00")
    assert "Paused from 2026-12-03" in paused.stdout
    today = run("today", now="2026-12-04")
    assert "Paused since Thursday 3 Dec 2026" in today.stdout
    assert json.loads(run("today", "--json", now="2026-12-04").stdout)["status"] == "paused"
    assert run("prompt", "--refresh", now="2026-12-04").stdout == "paused ⟳8\n"
    assert "already paused" in run("pause", now="2026-12-04").stderr
    resumed = run("resume", now="2026-12-05T08:00")
    assert "later days moved by 2 days" in resumed.stdout
    after = [r["date"] for r in json.loads(run("plan", "--json", now="2026-12-05").stdout)]
    assert after == ["2026-12-01", "2026-12-02", "2026-12-05"]
    table = run("plan", now="2026-12-05").stdout
    assert "Thu 03 Dec" in table and "‖ paused" in table
    assert "Day 03 of 3" in run("today", now="2026-12-05").stdout
    setup(run, "done", "3", "-m", "three", now="2026-12-05T20:00")
    stats = json.loads(run("stats", "--json", now="2026-12-05T21:00").stdout)
    assert stats["current_streak"] == 3  # the pause did not break it
    assert "not paused" in run("resume", now="2026-12-06").stderr


def test_pause_needs_calendar_pace(run, use_mini):
    setup(run, "config", "pace", "self")
    setup(run, "start")
    assert "pause is for calendar pace" in run("pause").stderr


def test_skip(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    result = run("skip", "2", now="2026-12-04")
    assert "Skipped day 02 — Interfaces" in result.stdout
    rows = {
        r["number"]: r["status"] for r in json.loads(run("plan", "--json", now="2026-12-04").stdout)
    }
    assert rows[2] == "skipped" and rows[1] == "missed"
    assert json.loads(run("today", "--json", now="2026-12-03").stdout)["behind"] == [1]
    assert "already skipped" in run("skip", "2").stderr
    assert "open again" in run("undo", "2").stdout
    assert json.loads(run("today", "--json", now="2026-12-03").stdout)["behind"] == [1, 2]
    setup(run, "skip", "2")
    setup(run, "done", "2", "-m", "did it after all", now="2026-12-04")
    state = only_plan(json.loads(run("export").stdout)["state"])["days"]["2"]
    assert state["done"] is True and state["skipped"] is False
    assert "is done; `eng28 undo 2` first" in run("skip", "2").stderr


@pytest.mark.parametrize(("grace", "current", "longest"), [(1, 2, 2), (0, 0, 1)])
def test_catch_up_grace_keeps_the_streak(run, use_mini, grace, current, longest):
    setup(run, "config", "grace_days", str(grace))
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "on time", now="2026-12-01T20:00")
    setup(run, "done", "2", "-m", "a day late", now="2026-12-03T09:00")
    data = json.loads(run("stats", "--json", now="2026-12-03T10:00").stdout)
    assert data["current_streak"] == current
    assert data["longest_streak"] == longest


def test_late_beyond_grace_breaks_the_streak(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "on time", now="2026-12-01T20:00")
    setup(run, "done", "2", "-m", "two days late", now="2026-12-04T09:00")
    data = json.loads(run("stats", "--json", now="2026-12-04T10:00").stdout)
    assert data["longest_streak"] == 1 and data["current_streak"] == 0


def test_plan_new_writes_a_valid_starter(run, tmp_path):
    target = tmp_path / "mine" / "rust.toml"
    result = run("plan", "new", str(target), "--days", "4", "--title", "Four Days of Rust")
    assert result.exit_code == 0, result.output
    assert "and 4 notes files" in result.stdout
    assert "valid plan, 4 days (0 complete)" in run("plan", "validate", str(target)).stdout
    strict = run("plan", "validate", "--complete", str(target))
    assert strict.exit_code == 1 and "day 4 (day-4): incomplete, missing summary" in strict.stdout
    assert "Day 02 of 4 · Main" in run("--plan", str(target), "show", "2").stdout
    assert "already exists" in run("plan", "new", str(target)).stderr
    assert "1 to 366 days" in run("plan", "new", str(tmp_path / "x.toml"), "--days", "0").stderr
    for title in ("Two\nlines", "Es\x1bcape", "é" * 2049):  # what the plan's rules refuse
        refused = run("plan", "new", str(tmp_path / "y.toml"), "--title", title)
        assert refused.exit_code == 1 and not (tmp_path / "y.toml").exists()
        assert refused.stderr == (
            "error: a plan's title is one line of at most 4096 bytes without control characters\n"
        )


def test_the_example_plan_is_complete_and_usable(run):
    assert (
        "valid plan, 3 days (3 complete)"
        in run("plan", "validate", "--complete", str(EXAMPLE)).stdout
    )
    setup(run, "config", "plan", str(EXAMPLE))
    setup(run, "start")
    out = run("today").stdout
    assert "Day 01 of 3 · Git Internals" in out and "LeetCode" in out


def test_journal(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "first thoughts", now="2026-12-01T20:00")
    setup(run, "done", "1", "--amend", "-m", "better thoughts", now="2026-12-01T21:00")
    setup(run, "done", "2", "-m", "interfaces are promises", now="2026-12-02T20:00")
    setup(run, "review", "1", "--rating", "good", "-m", "still holds", now="2026-12-02T21:00")
    md = run("journal", now="2026-12-03").stdout
    assert md.index("## Day 01: Queues") < md.index("## Day 02: Interfaces")
    assert "better thoughts" in md and "> first thoughts" in md
    assert "- Follow-up 2026-12-02 (good): still holds" in md
    data = json.loads(run("journal", "--format", "json", now="2026-12-03").stdout)
    assert [e["day"] for e in data] == [1, 2]
    assert data[0]["earlier"][0]["text"] == "first thoughts"
    assert data[0]["follow_ups"] == [{"date": "2026-12-02", "rating": 3, "note": "still holds"}]


def test_shell_completion_of_day_numbers(use_mini, home):
    env = {
        **os.environ,
        "_ENG28_COMPLETE": "complete_bash",
        "COMP_WORDS": "eng28 show 2",
        "COMP_CWORD": "2",
    }
    done = subprocess.run(
        [sys.executable, "-m", "eng28"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["2"]
    env["COMP_WORDS"], env["COMP_CWORD"] = "eng28 rev", "1"
    done = subprocess.run(
        [sys.executable, "-m", "eng28"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["review"]


def test_every_command_has_a_summary_and_an_example(run):
    from typer.main import get_command

    from eng28.cli import app

    root = get_command(app)
    names = []
    for name, command in root.commands.items():
        subs = getattr(command, "commands", None)
        names += [[name, sub] for sub in subs] if subs else [[name]]
    assert len(names) > 20
    for path in names:
        if path in (["prompt"], ["init"]):
            out = run(*path, "--help").stdout
            assert "Usage: eng28" in out and "eng28 " + path[0] in out
            continue
        out = run(*path, "--help").stdout
        assert "Example:" in out, path


def test_no_arguments_shows_today_and_the_commands(run, use_mini):
    fresh = run()
    assert fresh.stdout.startswith("The plan is not started yet")
    setup(run, "start")
    setup(run, "done", "-m", "x")
    out = run().stdout
    assert out.startswith("Today: Day 01 of 3 · System Design · Queues and Back-Pressure ✓")
    assert "review" in out and "today" in out and "journal" in out


def test_eng28_alone_fits_an_80_by_24_terminal(run, use_mini):
    setup(run, "start")
    out = run(env={"COLUMNS": "80"}).stdout
    lines = out.splitlines()
    assert len(lines) <= 24
    assert lines[0].startswith("Today: Day 01 of 3")
    assert all(len(line) <= 80 for line in lines)
    assert "eng28 --help lists every command" in out
    assert 'eng28 done -m "…"' in out and "eng28 review" in out


def test_open_without_a_graphical_browser_prints_the_links(run, use_mini, tmp_path, monkeypatch):
    """Where only lynx is found (no $BROWSER, no display), the links are printed instead of
    starting a text browser once per link."""
    setup(run, "start")
    bin_dir = tmp_path / "textbin"
    bin_dir.mkdir()
    started = tmp_path / "lynx.log"
    (bin_dir / "lynx").write_text(f"#!/bin/sh\necho started >> {started}\n")
    (bin_dir / "lynx").chmod(0o755)
    for var in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    result = run("open", "1", "readings", env={"TERM": "xterm"})
    assert result.exit_code == 0
    assert not started.exists()
    assert "link  reading: Queue Paper\n        https://example.org/queue-paper" in result.stdout
    assert "No browser found here: the links are above." in result.stderr


def test_a_link_with_shell_metacharacters_never_reaches_the_browser(
    run, use_mini, mini_plan, browser
):
    text = mini_plan.read_text().replace(
        "https://example.org/queue-paper", "https://example.org/x;touch${IFS}pwned"
    )
    mini_plan.write_text(text)
    setup(run, "start")
    result = run("open", "1", "readings")
    assert result.exit_code == 0
    assert "https://example.org/x;touch${IFS}pwned" not in browser.read_text()
    assert "link  reading: Queue Paper" in result.stdout  # shown, not opened
    assert "opened  reading: Queue Docs" in result.stdout
