import json
import os
import stat
from pathlib import Path

from tests.conftest import setup
from tests.helpers import nothing_recorded, plan_state


def state(home: Path) -> dict:
    return plan_state(home)


def test_done_records_the_reflection_in_readable_toml(run, home, use_mini):
    setup(run, "start")
    result = run("done", "-m", "Bounded queues fail fast.\nUnbounded ones fail late.")
    assert result.exit_code == 0, result.output
    assert "Marked done: day 01 — Queues and Back-Pressure" in result.stdout
    assert "1 of 3 days done." in result.stdout
    text = (home / "state.toml").read_text()
    assert text.startswith(
        'schema_version = 5\nlog_folded = 0\n\n[plans.mini-plan]\ntitle = "Mini Plan"'
    )
    assert '"""\nBounded queues fail fast.\nUnbounded ones fail late."""' in text
    day = state(home)["days"]["1"]
    assert day["done"] is True and str(day["done_on"]) == "2026-12-01"


def test_reflection_from_stdin(run, home, use_mini):
    setup(run, "start")
    result = run("done", "2", "--ahead", input="Piped thoughts\n")
    assert result.exit_code == 0, result.output
    assert state(home)["days"]["2"]["reflection"] == "Piped thoughts"


def test_empty_reflection_needs_the_flag(run, home, use_mini):
    setup(run, "start")
    result = run("done", input="")
    assert result.exit_code == 1
    assert "the reflection is empty, so nothing was recorded" in result.stderr
    assert nothing_recorded(home)
    assert run("done", "--no-reflection").exit_code == 0
    assert state(home)["days"]["1"]["done"] is True


def test_doing_a_day_twice_says_so_and_amend_keeps_the_old_text(run, home, use_mini):
    setup(run, "start")
    setup(run, "done", "-m", "first take")
    again = run("done", "-m", "second take")
    assert again.exit_code == 1
    assert "day 1 is already done (2026-12-01); use `eng28 done 1 --amend`" in again.stderr
    assert state(home)["days"]["1"]["reflection"] == "first take"
    amended = run("done", "1", "--amend", "-m", "second take")
    assert amended.exit_code == 0
    assert "Amended the reflection of day 01" in amended.stdout
    day = state(home)["days"]["1"]
    assert day["reflection"] == "second take"
    assert [e["text"] for e in day["earlier"]] == ["first take"]
    assert str(day["earlier"][0]["written_at"]) == "2026-12-01 10:00:00+00:00"
    assert "not done yet" in run("done", "2", "--amend", "-m", "x").stderr


def test_undo_keeps_the_reflection_and_done_brings_it_back(run, home, use_mini):
    setup(run, "start")
    setup(run, "done", "-m", "keep me")
    undone = run("undo")
    assert undone.exit_code == 0
    assert (
        "Day 01 — Queues and Back-Pressure is open again; its reflection is kept." in undone.stdout
    )
    day = state(home)["days"]["1"]
    assert day["done"] is False and day["reflection"] == "keep me"
    redo = run("done", "1", "--ahead", input="")
    assert redo.exit_code == 0
    assert "Your earlier reflection for this day is back." in redo.stdout
    assert state(home)["days"]["1"]["reflection"] == "keep me"
    assert "day 2 is not done" in run("undo", "2").stderr


def test_undo_defaults_to_the_last_day_marked_done(run, home, use_mini):
    setup(run, "start")
    setup(run, "done", "2", "--ahead", "-m", "two", now="2026-12-01T10:00")
    setup(run, "done", "1", "--ahead", "-m", "one", now="2026-12-01T11:00")
    assert "Day 01" in run("undo", now="2026-12-01T12:00").stdout
    assert state(home)["days"]["2"]["done"] is True


def fake_editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_edit_uses_the_editor_and_ignores_the_prompt_below_the_scissors(
    run, home, tmp_path, use_mini
):
    setup(run, "start")
    editor = fake_editor(
        tmp_path,
        'grep -q "Where would a bounded queue" "$1" || exit 3\n'
        'printf "Written in my editor\\n\\n%s\\n" "$(cat "$1")" > "$1.new" && mv "$1.new" "$1"\n',
    )
    result = run("done", "--edit", env={"EDITOR": editor})
    assert result.exit_code == 0, result.output
    assert state(home)["days"]["1"]["reflection"] == "Written in my editor"
    assert list((home / "drafts").iterdir()) == []


def test_failing_editor_records_nothing_and_keeps_the_draft(run, home, tmp_path, use_mini):
    setup(run, "start")
    editor = fake_editor(tmp_path, 'printf "half a thought\\n" > "$1"\nexit 4\n')
    result = run("done", "--edit", env={"EDITOR": editor})
    assert result.exit_code == 1
    assert "exited with status 4; nothing was recorded, your text is kept in" in result.stderr
    (draft,) = (home / "drafts").iterdir()
    assert draft.read_text() == "half a thought\n"
    assert str(draft) in result.stderr
    assert nothing_recorded(home)


def test_missing_editor_is_a_clear_error(run, use_mini, tmp_path):
    setup(run, "start")
    result = run("done", "--edit", env={"EDITOR": "/nonexistent/editor"})
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot start the editor '/nonexistent/editor'")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    assert "no editor configured" in run("done", "--edit", env={"PATH": str(empty)}).stderr


def test_without_visual_or_editor_the_first_of_editor_nano_vi_is_used(run, home, tmp_path):
    setup(run, "start")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nano").write_text('#!/bin/sh\necho "Written in nano" > "$1"\n')
    (bin_dir / "nano").chmod(0o755)
    (bin_dir / "vi").write_text("#!/bin/sh\nexit 9\n")
    (bin_dir / "vi").chmod(0o755)
    result = run("done", "--edit", env={"PATH": str(bin_dir)})
    assert result.exit_code == 0, result.output
    assert "Writing in nano (set $VISUAL or $EDITOR to choose another)." in result.stderr
    assert "Written in nano" in (home / "state.toml").read_text()


def test_done_before_start_and_on_a_rest_day(run, use_mini):
    assert "the plan has not been started" in run("done", "-m", "x").stderr
    setup(run, "config", "rest_days", "sat", "sun")
    setup(run, "start", "2026-12-04")
    result = run("done", "-m", "x", now="2026-12-05")
    assert result.exit_code == 1
    assert "no study day today (today is a rest day); name the day" in result.stderr


def test_save_is_atomic_and_leaves_no_temp_files(run, home, use_mini):
    setup(run, "start")
    for n in (1, 2, 3):
        setup(run, "done", str(n), "--ahead", "-m", f"day {n}")
    names = sorted(os.listdir(home))
    assert not [n for n in names if n.endswith(".tmp")]
    assert sorted(state(home)["days"]) == ["1", "2", "3"]


def test_an_editor_that_does_not_wait_cannot_amend(run, home, tmp_path, use_mini):
    setup(run, "start")
    setup(run, "done", "-m", "first take")
    editor = fake_editor(tmp_path, "exit 0\n")  # like `code` without --wait: returns at once
    result = run("done", "1", "--amend", "--edit", env={"EDITOR": editor})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: the editor {editor!r} returned at once")
    assert "`code --wait`" in result.stderr and "nothing was recorded" in result.stderr
    (draft,) = (home / "drafts").iterdir()
    assert result.stderr.rstrip().endswith(f"your draft is kept in {draft}")
    assert len(result.stderr.splitlines()) == 1
    entry = json.loads(run("journal", "--format", "json").stdout)[0]
    assert entry["reflection"] == "first take" and entry["earlier"] == []


def test_a_day_after_today_needs_ahead(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    typo = run("done", "3", "-m", "not studied yet")
    assert typo.exit_code == 1
    assert typo.stderr == (
        "error: day 3 is scheduled for 2026-12-03, after today; pass --ahead to mark it done "
        "already (nothing was recorded)\n"
    )
    assert nothing_recorded(home)
    assert run("done", "1", "-m", "today's").exit_code == 0  # today is not ahead
    assert run("done", "3", "--ahead", "-m", "studied ahead").exit_code == 0
    assert "studied ahead" in (home / "state.toml").read_text()
