"""The screens of `eng28` and `eng28 today` kept for the stdlib fast path: served only when
every input matches, byte for byte what the full path prints, and never trusted otherwise."""

import os
import re
import subprocess
import sys

import pytest

from eng28 import views
from tests.conftest import setup

PLAIN = {"NO_COLOR": "1", "TERM": "dumb"}
COLOUR = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "NO_COLOR": ""}
LINK_ID = re.compile(r"\x1b\]8;id=[0-9-]*;")


def eng28(*args, env=None):
    """(stdout, served by the fast path) of `eng28 ARGS` in a new process."""
    full = {**os.environ, "LINES": "200", **(env or {})}
    full = {k: v for k, v in full.items() if v != ""}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "eng28", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, "typer" not in result.stderr


def cache_file(home):
    return home / "screens.cache"


@pytest.fixture
def started(run, home):
    setup(run, "start", "2026-11-30")
    setup(run, "done", "1", "-m", "kept for the card")
    return home


@pytest.mark.parametrize("command", [["today"], []], ids=["today", "bare"])
@pytest.mark.parametrize("mode", [PLAIN, COLOUR], ids=["plain", "colour"])
@pytest.mark.parametrize("width", ["60", "100"])
def test_the_fast_path_prints_what_the_full_path_printed(started, command, mode, width):
    env = {**mode, "COLUMNS": width}
    drawn, fast = eng28(*command, env=env)
    assert not fast and "Day 02" in drawn
    served, fast = eng28(*command, env=env)
    assert fast and served == drawn
    if command:  # today's card follows the terminal's colours
        assert ("\x1b[" in served) == (mode is COLOUR)
    cache_file(started).unlink()
    again, fast = eng28(*command, env=env)  # the full path once more: the same screen
    assert not fast and LINK_ID.sub("", again) == LINK_ID.sub("", served)


def test_another_width_or_colour_mode_is_drawn_afresh_and_both_are_kept(started):
    narrow, _ = eng28("today", env={**PLAIN, "COLUMNS": "60"})
    wide, _ = eng28("today", env={**PLAIN, "COLUMNS": "100"})
    assert narrow != wide
    assert eng28("today", env={**PLAIN, "COLUMNS": "60"}) == (narrow, True)
    assert eng28("today", env={**PLAIN, "COLUMNS": "100"}) == (wide, True)
    assert eng28("today", env={**COLOUR, "COLUMNS": "100"})[1] is False


@pytest.mark.parametrize(
    "args", [["today", "--json"], ["today", "--brief"], ["today", "--plan", "X"], ["--version"]]
)
def test_anything_but_the_two_bare_commands_takes_the_full_path(started, args):
    eng28("today", env=PLAIN)
    assert eng28("today", env=PLAIN)[1]
    if "--plan" in args:
        args = ["today", "--plan", str(started.parent / "nowhere.toml")]
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "eng28", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **PLAIN},
        )
        assert result.returncode == 1 and "typer" in result.stderr
        return
    assert eng28(*args, env=PLAIN)[1] is False


def test_a_write_drops_the_screens_and_the_next_run_shows_it(run, started):
    before, _ = eng28("today", env=PLAIN)
    assert cache_file(started).exists()
    setup(run, "done", "-m", "day two")
    assert not cache_file(started).exists()
    after, fast = eng28("today", env=PLAIN)
    assert not fast and after != before and "✓ done" in after


def test_a_file_changed_behind_eng28s_back_is_not_served_stale(started):
    eng28("today", env=PLAIN)
    (started / "config.toml").write_text("pager = false\n")  # by hand, no config file before
    assert eng28("today", env=PLAIN)[1] is False
    assert eng28("today", env=PLAIN)[1] is True


def test_the_fixed_clock_keys_the_screen(started):
    today, _ = eng28("today", env=PLAIN)
    tomorrow, fast = eng28("today", env={**PLAIN, "ENG28_NOW": "2026-12-02T10:00"})
    assert not fast and "Day 03" in tomorrow and "Day 02" in today
    assert eng28("today", env=PLAIN) == (today, True)
    # a screen drawn under a fixed clock is not the real day's
    assert eng28("today", env={**PLAIN, "ENG28_NOW": ""})[1] is False


def test_a_screen_whose_day_has_rolled_over_is_not_served(started):
    env = {**PLAIN, "ENG28_NOW": ""}  # the real clock: the entry's time is checked
    eng28("today", env=env)
    assert eng28("today", env=env)[1]
    path = cache_file(started)
    text = path.read_text()
    head, rest = text.split("\n", 2)[1], text.split("\n", 2)[2]
    name, until, *others = head.split("\t")
    path.write_text("\n".join([views.SCREENS_MAGIC, "\t".join([name, "1", *others]), rest]))
    assert eng28("today", env=env)[1] is False


def _replace_screen(path, transform):
    """Rewrite the first kept screen with `transform(text)`, its length field kept right."""
    magic, head, rest = path.read_text().split("\n", 2)
    *fields, length = head.split("\t")
    text, tail = rest[: int(length)], rest[int(length) :]
    new = transform(text)
    path.write_text("\n".join([magic, "\t".join([*fields, str(len(new))]), new + tail]))


@pytest.mark.parametrize(
    "evil",
    [
        "\x1b]0;owned\x07",  # retitle the terminal
        "\x1b[2J",  # clear the screen
        "\x1b]8;id=1;http://x\x07y\x1b\\",  # a control inside a link
        "\x1b]52;c;Y2xpcGJvYXJk\x1b\\",  # write the clipboard
        "\x1bP+q\x1b\\",  # DCS
        "\x9b31m",  # C1 CSI
        "\r",
        "\x07",
    ],
)
def test_a_hostile_screen_never_reaches_the_terminal(started, evil):
    honest, _ = eng28("today", env=COLOUR)
    _replace_screen(cache_file(started), lambda text: evil + text)
    shown, fast = eng28("today", env=COLOUR)
    assert not fast and evil not in shown
    assert LINK_ID.sub("", shown) == LINK_ID.sub("", honest)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: b"\xff\xfe" + raw,  # not UTF-8
        lambda raw: raw.replace(b"eng28-screens 1", b"eng28-screens 9"),
        lambda raw: re.sub(rb"\t\d+\n", b"\t-5\n", raw, count=1),  # a negative length
        lambda raw: re.sub(rb"\t\d+\n", b"\t99999999\n", raw, count=1),
        lambda raw: raw.replace(b"\t", b" ", 1),
        lambda raw: b"",
    ],
)
def test_a_corrupt_cache_falls_back_to_the_full_path(started, damage):
    honest, _ = eng28("today", env=PLAIN)
    path = cache_file(started)
    path.write_bytes(damage(path.read_bytes()))
    assert eng28("today", env=PLAIN) == (honest, False)
    assert eng28("today", env=PLAIN) == (honest, True)  # and the full path kept it afresh


def test_a_cache_that_is_a_folder_or_a_fifo_is_ignored(started):
    path = cache_file(started)
    path.mkdir()
    shown, fast = eng28("today", env=PLAIN)
    assert not fast and "Day 02" in shown
    path.rmdir()
    os.mkfifo(path)
    shown, fast = eng28("today", env=PLAIN)
    assert not fast and "Day 02" in shown


def test_eng28s_own_sequences_pass_the_allow_list():
    assert views.drawn_by_eng28("plain\ttext\n")
    assert views.drawn_by_eng28("\x1b[1;38;5;208mDay\x1b[0m\n")
    assert views.drawn_by_eng28("\x1b]8;id=12-3;https://example.org/a?b=c\x1b\\x\x1b]8;;\x1b\\")
    for evil in ("\x1b[?1049h", "\x1b]8;x=1;u\x1b\\", "\x1b]8;;u", "\x1b[31", "\x1bc", "a\x00"):
        assert not views.drawn_by_eng28(evil), repr(evil)
