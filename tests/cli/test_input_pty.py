"""What the learner types at the inline prompt, in the editor and as a review note is never
lost: driven through a real pseudo-terminal (typing, arrow keys, pastes, Ctrl-C)."""

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import setup
from tests.helpers import finish, only_plan, spawn_eng28

LEFT, HOME, END, DELETE, BACKSPACE = "\x1b[D", "\x1b[H", "\x1b[F", "\x1b[3~", "\x7f"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # how a terminal marks a paste
INVITED = "Your reflection \\(finish with"


def spawn(*args, now="2026-12-01T20:00"):
    return spawn_eng28(*args, now=now)


def journal(run) -> dict[int, dict]:
    """Each day as `eng28 journal --format json` shows it."""
    result = run("journal", "--format", "json")
    assert result.exit_code == 0, result.output
    return {entry["day"]: entry for entry in json.loads(result.stdout)}


def reviews(run) -> list[dict]:
    """The reviews in the state, as `eng28 export` shows them."""
    result = run("export")
    assert result.exit_code == 0, result.output
    return only_plan(json.loads(result.stdout)["state"])["reviews"]


def drafts(home: Path) -> list[Path]:
    folder = home / "drafts"
    return (
        sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []
    )


@pytest.fixture
def started(run, use_mini):
    setup(run, "start", "2026-12-01")


# --- 1. the inline prompt ------------------------------------------------------------------


def test_arrow_keys_home_end_backspace_and_delete_edit_the_line(run, started):
    child = spawn("done")
    child.expect(INVITED)
    child.send(f"helo{LEFT}l\r")
    child.send(f"world{HOME}> {END} <\r")
    child.send(f"typo!x{BACKSPACE}{LEFT}{DELETE}.\r")
    child.send("a\ttab\r")
    child.sendeof()
    child.expect("Marked done: day 01")
    assert finish(child) == 0
    assert journal(run)[1]["reflection"] == "hello\n> world <\ntypo.\na\ttab"


def test_control_characters_in_a_paste_are_removed_and_said(run, home, started):
    child = spawn("done")
    child.expect(INVITED)
    child.send(f"{PASTE_START}From the PDF:\x0c page\x08 two\x1b end\r{PASTE_END}\r")
    child.sendeof()
    child.expect("Removed control characters from your text: \\^L, \\^H, ESC\\.")
    child.expect("Marked done: day 01")
    assert finish(child) == 0
    assert journal(run)[1]["reflection"] == "From the PDF: page two end"
    assert drafts(home) == []


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_ctrl_d_straight_after_enter_ends_the_input_and_the_terminal_is_given_back(
    run, home, started
):
    # All at once, as a fast paste or a busy machine delivers them: the keys that arrive
    # between two lines reach the line editor, not the terminal's own line editing (which
    # took Ctrl-D there, so the prompt waited on).
    env = {**os.environ, "ENG28_NOW": "2026-12-01T20:00", "PS1": "READY$ "}
    shell = pexpect.spawn("bash", ["--norc", "--noprofile"], env=env, encoding="utf-8", timeout=30)
    shell.delaybeforesend = None
    shell.expect("READY\\$ ")
    shell.sendline(f"{sys.executable} -m eng28 done; echo EXIT=$?; stty -a")
    shell.expect(INVITED + ".*\n")
    shell.send("one\rtwo\r\x04")
    shell.expect("Marked done: day 01")
    echoed = shell.before.replace("\r", "")
    assert echoed.startswith("one\ntwo\n") and echoed.count("one") == 1  # echoed once
    shell.expect("EXIT=0")
    shell.expect("READY\\$ ")
    assert " icanon " in shell.before  # whole lines again for the shell
    shell.sendline("exit")
    shell.expect(pexpect.EOF)
    assert journal(run)[1]["reflection"] == "one\ntwo"


def test_without_readline_the_terminal_edits_the_line_itself(run, started):
    # A Python built without readline: the terminal's own line editing is the only one, so
    # it is left as it is (in single-key mode a Backspace would reach the text as ^?).
    code = (
        "import runpy, sys; sys.modules['readline'] = None; sys.argv = ['eng28', 'done']; "
        "runpy.run_module('eng28', run_name='__main__', alter_sys=True)"
    )
    env = {**os.environ, "ENG28_NOW": "2026-12-01T20:00", "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, ["-c", code], env=env, encoding="utf-8", timeout=30)
    child.expect(INVITED)
    child.send(f"helo{BACKSPACE}lo\r")
    child.sendeof()
    child.expect("Marked done: day 01")
    assert finish(child) == 0
    assert journal(run)[1]["reflection"] == "hello"


@pytest.mark.parametrize("how", ["drafts is a file", "read-only data folder"])
def test_a_folder_that_cannot_be_written_is_refused_before_the_typing(run, home, started, how):
    if how == "drafts is a file":
        (home / "drafts").write_text("not a folder\n")
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        home.chmod(0o500)
    try:
        child = spawn("done")
        index = child.expect(["cannot write here", "Your reflection"])
        assert index == 0, "the prompt invited typing that could not be kept"
        child.expect("nothing was recorded")
        assert finish(child) == 1
    finally:
        home.chmod(0o700)
    assert journal(run) == {}


def test_a_save_that_fails_after_the_typing_keeps_the_text_in_a_draft(run, home, started):
    good = (home / "state.toml").read_bytes()
    child = spawn("done")
    child.expect(INVITED)
    (home / "state.toml").write_text("days = [broken\n")  # e.g. a sync in another terminal
    child.send("An hour of careful thought.\r")
    child.sendeof()
    child.expect("error: .*invalid TOML.*; your text is kept in (\\S+\\.md)\r\n")
    named = child.match.group(1)
    assert finish(child) == 1
    (draft,) = drafts(home)
    assert named == str(draft)
    assert draft.name == "reflection-day01-20261201T200000.md"
    assert draft.read_text() == "An hour of careful thought.\n"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    # Once the file is mended, the next `done` offers the draft back and deletes it once saved.
    (home / "state.toml").write_bytes(good)
    child = spawn("done", now="2026-12-01T20:05")
    child.expect("A draft from 2026-12-01 20:00 is kept: use it\\? \\[Y/n\\]")
    child.sendline("")
    child.expect("Marked done: day 01")
    assert finish(child) == 0
    assert journal(run)[1]["reflection"] == "An hour of careful thought."
    assert drafts(home) == []


# --- 2. a paste is never cut short nor run by the shell ------------------------------------


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_a_paste_with_blank_lines_is_recorded_whole_and_never_reaches_the_shell(
    run, home, started, tmp_path
):
    planted = tmp_path / "FILE"
    text = (
        "The nightly import filled the disk.\n\n\n"
        "A bounded queue would have pushed back:\n"
        f"touch {planted}\n\n\n"
        "and the producer would have slowed down."
    )
    env = {**os.environ, "ENG28_NOW": "2026-12-01T20:00", "PS1": "READY$ "}
    shell = pexpect.spawn("bash", ["--norc", "--noprofile"], env=env, encoding="utf-8", timeout=30)
    shell.expect("READY\\$ ")
    shell.sendline("set -o ignoreeof")  # a Ctrl-D that reached the shell would not end it
    shell.expect("READY\\$ ")
    shell.sendline(f"{sys.executable} -m eng28 done; echo EXIT=$?")
    shell.expect(INVITED)
    shell.send(text.replace("\n", "\r") + "\r")
    shell.sendeof()
    shell.expect("Marked done: day 01")
    shell.expect("EXIT=0")
    shell.expect("READY\\$ ")
    shell.sendline("echo SHELL-$((40 + 2))")  # the shell has run whatever it was given
    shell.expect("SHELL-42")
    shell.sendline("exit")
    shell.expect(pexpect.EOF)
    assert not planted.exists()
    assert journal(run)[1]["reflection"] == text


# --- 3. Ctrl-C keeps the draft ------------------------------------------------------------


def test_ctrl_c_at_the_prompt_keeps_the_draft_and_the_next_done_offers_it(run, home, started):
    child = spawn("done")
    child.expect(INVITED)
    child.send("Back-pressure is a contract.\r")
    child.send("Half a sent")
    child.expect("Half a sent")
    child.sendintr()
    child.expect("interrupted; what you typed is kept in (\\S+\\.md); `eng28 done 1` on a")
    named = child.match.group(1)
    assert finish(child) == 130
    (draft,) = drafts(home)
    assert named == str(draft)
    assert draft.read_text() == "Back-pressure is a contract.\nHalf a sent\n"
    assert journal(run) == {}
    # Declined, the draft stays (and the new text is saved); accepted, it is used and deleted.
    child = spawn("done", "2", now="2026-12-02T08:00")
    child.expect(INVITED)  # day 2 has no draft, so nothing is offered
    child.send("Day two.\r")
    child.sendeof()
    assert finish(child) == 0
    child = spawn("done", "1", now="2026-12-02T09:00")
    child.expect("A draft from 2026-12-01 20:00 is kept: use it\\? \\[Y/n\\]")
    child.sendline("n")
    child.expect(f"It stays in {draft}")
    child.expect(INVITED)
    child.sendintr()
    assert finish(child) == 130
    assert drafts(home) == [draft]
    child = spawn("done", "1", now="2026-12-02T09:10")
    child.expect("A draft from 2026-12-01 20:00 is kept: use it\\? \\[Y/n\\]")
    child.sendline("y")
    child.expect("Marked done: day 01")
    assert finish(child) == 0
    days = journal(run)
    assert days[1]["reflection"] == "Back-pressure is a contract.\nHalf a sent"
    assert days[2]["reflection"] == "Day two."
    assert drafts(home) == []


def close_window(child) -> None:
    """Close the terminal under eng28, as a terminal emulator does when its window closes
    (the test sends no signal: the kernel hangs the terminal up), and wait for eng28 to end.
    Its exit status is not checked: no shell is left to read it."""
    child.ptyproc.fileobj.close()
    child.ptyproc.closed = child.closed = True
    os.waitpid(child.pid, 0)


def test_closing_the_terminal_window_keeps_the_finished_lines(run, home, started):
    child = spawn("done")
    child.expect(INVITED)
    child.send("Written before the window closed.\r")
    child.send("and half a")
    child.expect("and half a")
    close_window(child)
    (draft,) = drafts(home)
    assert draft.read_text().startswith("Written before the window closed.\n")
    assert journal(run) == {}


def test_a_second_draft_in_the_same_second_never_overwrites_the_first(run, home, started):
    for attempt in ("First try.", "Second try."):
        child = spawn("done")  # the same clock, so the same draft name
        if attempt == "Second try.":
            child.expect("A draft from 2026-12-01 20:00 is kept: use it\\? \\[Y/n\\]")
            child.sendline("n")
        child.expect(INVITED)
        child.send(f"{attempt}\r")
        child.expect(attempt)
        child.sendintr()
        assert finish(child) == 130
    assert [(d.name, d.read_text()) for d in drafts(home)] == [
        ("reflection-day01-20261201T200000-2.md", "Second try.\n"),
        ("reflection-day01-20261201T200000.md", "First try.\n"),
    ]
    assert journal(run) == {}


def fake_editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_ctrl_c_in_the_editor_keeps_the_draft_and_edit_preloads_it(
    run, home, started, tmp_path, monkeypatch
):
    monkeypatch.setenv(
        "EDITOR",
        fake_editor(tmp_path, 'printf "Half a thought\\n" > "$1"\necho EDITING\nsleep 30\n'),
    )
    child = spawn("done", "--edit")
    child.expect("EDITING")
    child.sendintr()
    child.expect("interrupted; nothing was recorded, your text is kept in (\\S+\\.md)")
    named = child.match.group(1)
    assert finish(child) == 130
    (draft,) = drafts(home)
    assert named == str(draft)
    assert draft.read_text() == "Half a thought\n"
    monkeypatch.setenv(
        "EDITOR",
        fake_editor(
            tmp_path,
            'head -n 1 "$1" | grep -qx "Half a thought" || exit 3\n'
            'printf "Half a thought, finished.\\n" > "$1"\n',
        ),
    )
    child = spawn("done", "--edit", now="2026-12-01T20:30")
    child.expect("A draft from 2026-12-01 20:00 is kept: use it\\? \\[Y/n\\]")
    child.sendline("y")
    child.expect("Marked done: day 01")
    assert finish(child) == 0
    assert journal(run)[1]["reflection"] == "Half a thought, finished."
    assert drafts(home) == []


# --- the review's follow-up note -----------------------------------------------------------


@pytest.fixture
def session(run, use_mini_reflections):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "queues are buffers", now="2026-12-01T21:00")
    setup(run, "done", "2", "-m", "protocols over classes", now="2026-12-02T09:00")
    return lambda: spawn_eng28("review", now="2026-12-03T10:00")


def rate_first_card(child, rating="g"):
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("Rate:")
    child.sendline(rating)
    child.expect("Follow-up note")


def test_a_note_that_cannot_be_saved_is_kept_and_the_session_goes_on(run, home, session):
    child = session()
    rate_first_card(child)
    rated = (home / "state.toml").read_bytes()
    (home / "state.toml").write_text("reviews = [broken\n")  # e.g. a sync in another terminal
    child.sendline("bounded beats unbounded")
    child.expect(
        "error: the follow-up note was not saved: .*invalid TOML.*; your text is kept in "
        "(\\S+\\.md) \\(the rating itself is saved\\)"
    )
    note = Path(child.match.group(1))
    child.expect("Saved good")
    child.expect("Review 2 of 2")
    (home / "state.toml").write_bytes(rated)
    child.expect("press Enter to reveal")
    child.sendline("")
    child.expect("Rate:")
    child.sendline("e")
    child.expect("Follow-up note")
    child.sendline("")
    child.expect("Reviewed 2 of 2: good 1, easy 1.")
    assert finish(child) == 0
    assert note.name == "note-day01-20261203T100000.md"
    assert note.read_text() == "bounded beats unbounded\n"
    assert [(r["card_id"], r["rating"], r["note"]) for r in reviews(run)] == [
        (1, 3, ""),
        (2, 4, ""),
    ]


def test_a_pasted_control_character_in_a_note_is_removed_not_fatal(run, home, session):
    child = session()
    rate_first_card(child)
    child.send(f"{PASTE_START}still\x1b true{PASTE_END}\r")
    child.expect("Removed control characters from your text: ESC\\.")
    child.expect("Saved good")
    child.expect("Review 2 of 2")
    child.expect("press Enter to reveal")
    child.sendline("q")
    assert finish(child) == 0
    assert journal(run)[1]["follow_ups"][0]["note"] == "still true"
    assert drafts(home) == []
