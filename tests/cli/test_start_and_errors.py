import json

import pytest

from eng28.models import SCHEMA_VERSION
from tests.conftest import setup
from tests.helpers import nothing_recorded, only_plan, plan_state


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-05", "2027-01-05"),
        ("today", "2026-12-01"),
        ("tomorrow", "2026-12-02"),
        ("Dec 24", "2026-12-24"),
        ("5 January 2027", "2027-01-05"),
    ],
)
def test_start_reads_many_date_forms(run, home, text, expected):
    result = run("start", text)
    assert result.exit_code == 0, result.output
    assert str(plan_state(home)["start"]) == expected


def test_bad_dates_are_usage_errors(run):
    for text in ("someday", "2026-02-30"):
        result = run("start", text)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"error: invalid date '{text}'")
        assert "Traceback" not in result.output


def test_day_out_of_range_and_not_a_number(run, use_mini):
    result = run("show", "9")
    assert result.exit_code == 1
    assert result.stderr == "error: day 9 is out of range: this plan has days 1 to 3\n"
    bad = run("show", "nine")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: ") and "see `eng28 show --help`" in bad.stderr


def test_broken_plan_names_file_day_and_field(run, mini_plan):
    mini_plan.write_text(mini_plan.read_text().replace("minutes = 42", 'minutes = "long"'))
    result = run("--plan", str(mini_plan), "today")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {mini_plan}: day 1 (queues): video.minutes:")
    assert len(result.stderr.splitlines()) == 1


def test_a_plan_title_holding_an_escape_is_refused_before_it_reaches_the_state(
    run, home, mini_plan
):
    """It used to be written into state.toml, whose reader refuses control characters: every
    command after `start` then failed on the state file."""
    clean = mini_plan.read_text()
    mini_plan.write_text(clean.replace('title = "Mini Plan"', 'title = "Mini\\u001b]0;x\\u0007"'))
    for words in (("start", "2026-12-01"), ("export", "--format", "ics")):
        result = run("--plan", str(mini_plan), *words)
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: {mini_plan}: title: contains a control character (ESC) at position 4\n"
        )
        assert not (home / "state.toml").exists()
    mini_plan.write_text(clean)
    assert run("--plan", str(mini_plan), "start", "2026-12-01").exit_code == 0
    assert run("--plan", str(mini_plan), "today").exit_code == 0


def test_plan_syntax_error_gives_the_line(run, mini_plan):
    mini_plan.write_text(mini_plan.read_text() + "\n[[days]\n")
    result = run("--plan", str(mini_plan), "today")
    assert result.exit_code == 1
    assert "invalid TOML" in result.stderr and "line" in result.stderr


def test_plan_validate_reports_all_problems(run, mini_plan):
    mini_plan.write_text(
        mini_plan.read_text()
        .replace('kind = "paper"', 'kind = "tweet"')
        .replace('difficulty = "Easy"', 'difficulty = "Simple"')
    )
    result = run("plan", "validate", str(mini_plan))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert "day 1 (queues): readings[1].kind: Input should be 'paper'" in lines[0]
    assert "day 2 (interfaces): readings[1].kind" in lines[1]
    assert "day 2 (interfaces): leetcode.difficulty" in lines[2]


def test_plan_validate_complete_lists_incomplete_days(run, mini_plan):
    ok = run("plan", "validate", str(mini_plan))
    assert ok.exit_code == 0 and "valid plan, 3 days (2 complete)" in ok.stdout
    strict = run("plan", "validate", "--complete", str(mini_plan))
    assert strict.exit_code == 1
    assert "day 3 (wrap-up): incomplete, missing summary, video, readings" in strict.stdout


def test_corrupt_state_file_is_reported_and_left_alone(run, home, use_mini):
    setup(run, "start")
    (home / "state.toml").write_text("schema_version = 1\n[days.1\n")
    result = run("done", "-m", "new")
    assert result.exit_code == 1
    assert "state.toml: invalid TOML" in result.stderr and "line 2" in result.stderr
    assert (home / "state.toml").read_text() == "schema_version = 1\n[days.1\n"


def test_newer_state_schema_is_refused(run, home, use_mini):
    setup(run, "start")
    (home / "state.toml").write_text("schema_version = 99\n")
    result = run("today")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {home / 'state.toml'}: written by a newer eng28 (schema 99; this one reads up "
        f"to {SCHEMA_VERSION}): upgrade eng28; the file was left untouched\n"
    )  # said once, with no advice to restore a backup that cannot help


def test_bad_eng28_now(run):
    result = run("today", now="yesterday-ish")
    assert result.exit_code == 2
    assert "ENG28_NOW='yesterday-ish' is not an ISO date" in result.stderr


def test_config_errors(run, home):
    assert "unknown config key 'colour'" in run("config", "colour", "red").stderr
    bad = run("config", "timezone", "Mars/Olympus")
    assert bad.exit_code == 1 and "unknown IANA time zone 'Mars/Olympus'" in bad.stderr
    assert (
        "at least one weekday"
        in run("config", "rest_days", *["mon", "tue", "wed", "thu", "fri", "sat", "sun"]).stderr
    )
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text("pace = 'fast'\n")
    broken = run("today")
    assert broken.exit_code == 1
    assert "config.toml: pace must be calendar or self, got" in broken.stderr


def test_config_show_and_set(run):
    assert run("config", "pace", "self").stdout == "pace = self\n"
    assert "pace = self" in run("config").stdout
    assert run("config", "pace", "--unset").stdout == "pace = calendar\n"


def test_export_import_round_trip(run, home, tmp_path, use_mini):
    setup(run, "start")
    setup(run, "done", "1", "-m", 'He said """hi""" — and left ✓')
    exported = run("export")
    data = json.loads(exported.stdout)
    mine = only_plan(data["state"])
    assert mine["days"]["1"]["reflection"] == 'He said """hi""" — and left ✓'
    dump = tmp_path / "backup.json"
    dump.write_text(exported.stdout)
    (home / "state.toml").unlink()
    restored = run("import", str(dump))
    assert restored.exit_code == 0, restored.output
    assert only_plan(json.loads(run("export").stdout)["state"]) == mine
    setup(run, "done", "2", "--ahead", "-m", "later")
    assert run("import", str(dump)).exit_code == 1
    replaced = run("import", str(dump), "--yes")
    assert "Your previous state is kept in" in replaced.stdout
    assert "2" not in only_plan(json.loads(run("export").stdout)["state"])["days"]


def test_export_needs_no_plan_file_that_reads(run, home, use_mini):
    """A learner whose plan file broke can still export what they did."""
    setup(run, "start")
    setup(run, "done", "1", "-m", "kept safe")
    good = use_mini.read_text()
    use_mini.write_text(good + "broken [\n")
    exported = run("export")
    assert exported.exit_code == 0, exported.stderr
    assert only_plan(json.loads(exported.stdout)["state"])["days"]["1"]["reflection"] == "kept safe"
    # A file from before schema 3 is filed under the plan in use: that needs the plan.
    (home / "state.toml").write_text('schema_version = 2\nstart = "2026-12-01"\n')
    refused = run("export")
    assert refused.exit_code == 1 and "invalid TOML" in refused.stderr


def test_import_rejects_other_files(run, tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{nope")
    assert "not JSON" in run("import", str(bad)).stderr
    bad.write_text("{}")
    assert "not an eng28 export" in run("import", str(bad)).stderr


def test_version_and_help(run):
    assert run("--version").stdout.startswith("eng28 ")
    assert "today" in run().stdout


def test_an_ambiguous_date_is_refused_with_both_readings(run, home):
    result = run("start", "1/12/2026")
    assert result.exit_code == 2
    assert "ambiguous date 1/12/2026: write 2026-01-12 or 2026-12-01" in result.stderr
    assert nothing_recorded(home) and not (home / "config.toml").exists()
    assert run("start", "13/12/2026").exit_code == 0  # only one reading: 13 December
    assert str(plan_state(home)["start"]) == "2026-12-13"


def test_a_start_more_than_a_year_away_needs_a_yes(run, home):
    far = run("start", "2028-06-01")
    assert far.exit_code == 1
    assert "2028-06-01 is 548 days from today; pass --yes" in far.stderr
    assert not (home / "state.toml").exists()
    assert run("start", "2028-06-01", "--yes").exit_code == 0
    assert str(plan_state(home)["start"]) == "2028-06-01"


def test_start_on_a_started_plan_moves_the_start_and_keeps_everything(run, home, use_mini):
    setup(run, "start", "2026-11-30")
    setup(run, "done", "1", "-m", "my reflection", now="2026-11-30T20:00")
    setup(run, "review", "1", "--rating", "good", now="2026-12-01T10:00")
    before = only_plan(json.loads(run("export").stdout)["state"])
    moved = run("start", "2026-12-01")
    assert moved.exit_code == 0
    assert "Plan starts on Tuesday 1 Dec 2026." in moved.stdout
    assert "Moved from Monday 30 Nov 2026; 1 done day stays done" in moved.stdout
    after = only_plan(json.loads(run("export").stdout)["state"])
    assert after["days"] == before["days"] and after["cards"] == before["cards"]
    assert after["reviews"] == before["reviews"]


def test_reset_needs_yes_off_a_terminal_and_backs_up_first(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "kept through the reset")
    refused = run("reset")
    assert refused.exit_code == 1
    assert "Reset the plan? 1 done day becomes open; 4 review cards go" in refused.stderr
    assert "pass --yes to reset" in refused.stderr
    done = run("reset", "--yes")
    assert done.exit_code == 0, done.output
    backup = next((home / "backups").glob("state-*-before-reset*.toml"))
    assert "kept through the reset" in backup.read_text() and str(backup) in done.stdout
    state = only_plan(json.loads(run("export").stdout)["state"])
    assert state["days"]["1"]["done"] is False and state["cards"] == {}
    assert state["days"]["1"]["reflection"] == "kept through the reset"
    assert state.get("start") is None
    assert "not started yet" in run("config", "start").stdout


def test_an_emptied_config_never_restarts_a_plan_in_progress(run, home, use_mini, mini_plan):
    setup(run, "start", "2026-11-30")
    setup(run, "done", "1", "-m", "x", now="2026-11-30T20:00")
    (home / "config.toml").write_text("")  # the learner empties it by mistake
    result = run("today", env={"ENG28_PLAN": str(mini_plan)})
    assert "Day 02 of 3" in result.stdout  # the start is the plan's, kept in the state


def test_a_config_from_before_schema_3_that_lost_its_start_never_restarts(run, home, mini_plan):
    import tomli_w

    env = {"ENG28_PLAN": str(mini_plan)}
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('rollover_hour = 5\nstart = "2026-11-30"\n')
    setup(run, "config", "rest_days", "sat", now="2026-11-30T09:05")  # a backup with the start
    state = {
        "schema_version": 2,
        "days": {
            "1": {"done": True, "done_on": "2026-11-30", "changed_at": "2026-11-30T20:00:00Z"}
        },
    }
    (home / "state.toml").write_text(tomli_w.dumps(state))
    (home / "config.toml").write_text("")  # the learner empties it by mistake
    result = run("today", env=env)
    assert result.exit_code == 0, result.output
    assert "took 2026-11-30 back from" in result.stderr
    assert str(plan_state(home)["start"]) == "2026-11-30"
    # With no backup to take it from, eng28 refuses rather than start again today.
    for backup in (home / "backups").glob("config-*.toml"):
        backup.unlink()
    (home / "state.toml").write_text(tomli_w.dumps(state))
    refused = run("today", env=env)
    assert refused.exit_code == 1
    assert "'mini-plan' has no start date, but your state holds 1 day of progress" in refused.stderr
    assert "set its start with `eng28 start DATE`" in refused.stderr
