"""Bad input everywhere: one line on stderr, exit 1 (usage errors 2), no traceback, and
nothing the learner wrote is lost."""

import stat

import pytest

from tests.conftest import setup
from tests.helpers import nothing_recorded, only_plan, state_file


def no_traceback(result):
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"x" * 10_000_000, "the reflection is 10.0 MB; eng28 keeps up to 1 MB"),
        (b"\x00\x01\x02binary\xff", "not UTF-8"),
        (b"looks like text\x00 but has a NUL", "control character ('\\x00') at position 15"),
        ("caf\xe9".encode("latin-1"), "not UTF-8 text (byte 3)"),
        (b"\x1b[31mred\x1b[0m", "control character ('\\x1b') at position 0"),
    ],
)
def test_unusable_reflections_on_stdin(run, home, use_mini, payload, message):
    setup(run, "start")
    result = run("done", input=payload)
    assert result.exit_code == 1
    assert message in result.stderr and "nothing was recorded" in result.stderr
    no_traceback(result)
    assert nothing_recorded(home)


def test_windows_line_endings_are_kept_as_plain_newlines(run, home, use_mini):
    setup(run, "start")
    assert run("done", input=b"one\r\ntwo\r\n").exit_code == 0
    state = only_plan(state_file(home / "state.toml"))
    assert state["days"]["1"]["reflection"] == "one\ntwo"


def test_bad_follow_up_note(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x")
    result = run("review", "1", "--rating", "good", "-m", "bell\x07", now="2026-12-02T10:00")
    assert result.exit_code == 1 and "the note contains a control character" in result.stderr


def test_editor_killed_by_a_signal_keeps_the_draft(run, home, tmp_path, use_mini):
    setup(run, "start")
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "typed before the crash\\n" > "$1"\nkill -9 $$\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    result = run("done", "--edit", env={"VISUAL": str(editor)})
    assert result.exit_code == 1
    assert "was killed by signal 9; nothing was recorded, your text is kept in" in result.stderr
    no_traceback(result)
    (draft,) = (home / "drafts").iterdir()
    assert draft.read_text() == "typed before the crash\n"
    assert nothing_recorded(home)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "0"], 1, "day 0 is out of range"),
        (["show", "29"], 1, "day 29 is out of range: this plan has days 1 to 28"),
        (["show", "-3"], 2, "error: "),
        (["show", "five"], 2, "see `eng28 show --help`"),
        (["done", "99", "-m", "x"], 1, "day 99 is out of range"),
        (["undo", "x"], 2, "error: "),
        (["start", "2026-02-30"], 2, "invalid date '2026-02-30'"),
        (["start", "31/31/2026"], 2, "invalid date"),
        (["start", "next blursday"], 2, "invalid date"),
        (["config", "rollover_hour", "25"], 1, "rollover_hour must be between 0 and 23, got 25"),
        (["config", "rollover_hour", "four"], 1, "rollover_hour must be a whole number"),
        (["config", "rest_days", "caturday"], 1, "rest_days must be weekdays (mon … sun)"),
        (
            ["config", "desired_retention", "1.5"],
            1,
            "desired_retention must be between 0.7 and 0.99",
        ),
        (["config", "nonsense", "1"], 1, "unknown config key 'nonsense'"),
        (["config", "plan", "/no/such/plan.toml"], 1, "plan file not found"),
        (["review", "3", "--rating", "superb"], 2, "'superb' is not one of"),
        (["import", "/no/such/file.json"], 1, "file not found"),
        (["backup", "restore", "7"], 1, "there is no backup 7"),
        (["--plan", "/nope.toml", "today"], 1, "plan file not found"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_bad_command_lines(run, args, code, message):
    setup(run, "start", "2026-12-01")
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    no_traceback(result)


def test_impossible_clock(run):
    for now in ("2026-02-30", "yesterday", "2026-12-01T25:00", "9999-12-31T23:59", "0001-01-01"):
        result = run("today", now=now)
        assert result.exit_code == 2 and "ENG28_NOW=" in result.stderr
        no_traceback(result)
    for start in ("9999-01-01", "0001-01-01"):
        result = run("start", start)
        assert result.exit_code == 2
        assert "the year must be between 1971 and 9000" in result.stderr
        no_traceback(result)


def test_a_zone_gone_from_the_system_is_an_error_not_a_traceback(run, home, use_mini, tmp_path):
    """A tzdata update can drop a zone name the config holds: it must be reported."""
    import shutil
    import zoneinfo
    from pathlib import Path

    original = zoneinfo.TZPATH
    london = next(
        (p for p in (*original, "/usr/share/zoneinfo") if (Path(p) / "Europe/London").is_file()),
        None,
    )
    if london is None:
        pytest.skip("no system zone database")
    (tmp_path / "zones" / "Test").mkdir(parents=True)
    shutil.copy(Path(london) / "Europe/London", tmp_path / "zones" / "Test" / "Zone")
    try:
        zoneinfo.reset_tzpath([str(tmp_path / "zones"), *original])
        assert run("config", "timezone", "Test/Zone").exit_code == 0
        assert run("start", "2026-11-30").exit_code == 0
        assert run("today").exit_code == 0
        zoneinfo.reset_tzpath(original)
        zoneinfo.ZoneInfo.clear_cache()
        result = run("today")
    finally:
        zoneinfo.reset_tzpath(original)
        zoneinfo.ZoneInfo.clear_cache()
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {home / 'config.toml'}: timezone: ")
    assert "unknown IANA time zone 'Test/Zone'" in result.stderr
    no_traceback(result)


def test_done_while_paused_and_undo_with_a_shorter_plan(run, home, use_mini, mini_plan):
    setup(run, "config", "plan", "--unset")
    setup(run, "start", "2026-12-01")
    setup(run, "done", "10", "-m", "day ten of the long plan", now="2026-12-10T20:00")
    setup(run, "pause", now="2026-12-11T08:00")
    paused = run("done", "-m", "x", now="2026-12-11T09:00")
    assert paused.exit_code == 1
    assert "no study day today (the plan is paused; `eng28 resume` to go on)" in paused.stderr
    no_traceback(paused)
    short = run("--plan", str(mini_plan), "undo", now="2026-12-11T09:00")
    assert short.exit_code == 1 and "nothing to undo" in short.stderr
    no_traceback(short)
    state = only_plan(state_file(home / "state.toml"))
    assert state["days"]["10"]["done"] is True  # untouched


def test_a_nul_or_escape_in_a_plan_url_is_refused_by_validate(run, mini_plan):
    text = mini_plan.read_text()
    mini_plan.write_text(
        text.replace('"https://example.org/queue-paper"', '"https://example.org/a\\u0000b"')
    )
    result = run("plan", "validate", str(mini_plan))
    assert result.exit_code == 1
    assert "readings[1].url: 'https://example.org/a\\x00b' is not an http(s) URL" in result.stdout
    no_traceback(result)


def test_a_huge_terminal_width_is_only_a_wide_terminal(run, use_mini):
    setup(run, "start")
    for columns in ("100000000", "0", "-5", "wide", "3"):
        result = run("today", env={"COLUMNS": columns})
        assert result.exit_code == 0, (columns, result.output)
        assert max(len(line) for line in result.stdout.splitlines()) <= 100
