"""`eng28 prompt`: the segment the domain writes, the stdlib reader that only picks a line, and
the promise never to break a shell."""

import os
import subprocess
import sys
import time

import pytest

from tests.conftest import setup


def cache(home):
    """The data lines of the prompt cache: (valid until, segment)."""
    lines = (home / "prompt.cache").read_text().split("\n")
    assert lines[0] == "eng28-prompt 3"
    rows = []
    for line in lines[4:]:
        if line:
            until, _fields, text = line.split("\t", 2)
            rows.append((int(until), text))
    return rows


def fast(*args, now, env=None, timeout=20):
    """`eng28 prompt ...` as the shell runs it: a new process, through the stdlib path."""
    full = {**os.environ, "ENG28_NOW": now, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "eng28", "prompt", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def local(*moment):
    return int(time.mktime((*moment, 0, 0, 0, 0, -1)))


def test_prints_nothing_before_the_plan_starts(run, home):
    result = run("prompt")
    assert result.exit_code == 0 and result.stdout == ""
    setup(run, "start", "2026-12-05")
    assert run("prompt").stdout == ""
    assert fast(now="2026-12-02").stdout == ""


def test_default_segment_day_track_done_and_reviews(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    assert run("prompt").stdout == "D01 SD\n"
    setup(run, "done", "-m", "x", now="2026-12-01T21:00")
    assert fast(now="2026-12-01T21:01").stdout == "D01 SD ✓\n"
    # Day 1's reflection card and its three question cards.
    assert fast(now="2026-12-02T10:00").stdout == "D02 OOP ⟳4\n"


def test_every_state_change_rewrites_the_cache(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    assert cache(home)[0][1] == "D01 SD"
    setup(run, "done", "-m", "x")
    assert cache(home)[0][1] == "D01 SD ✓"
    setup(run, "undo")
    assert cache(home)[0][1] == "D01 SD"
    setup(run, "config", "prompt_format", "{day}/{total} {status}")
    assert cache(home)[0][1] == "1/3 todo"


def test_one_line_per_coming_study_day_each_valid_until_its_rollover(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x", now="2026-12-01T23:00")
    rows = cache(home)
    assert len(rows) == 14
    assert rows[0] == (local(2026, 12, 2, 4), "D01 SD ✓")
    assert rows[1] == (local(2026, 12, 3, 4), "D02 OOP ⟳4")
    assert rows[2] == (local(2026, 12, 4, 4), "D03 SD ⟳4")
    assert rows[5][1] == "⟳4"  # the plan is over; the review is still due


def test_the_reader_only_picks_the_first_line_still_valid(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "x")
    path = home / "prompt.cache"
    lines = path.read_text().split("\n")
    lines[5] = lines[5].rsplit("\t", 1)[0] + "\tTOMORROW"  # the line of 2 Dec
    path.write_text("\n".join(lines))
    assert fast(now="2026-12-02T03:59").stdout == "D01 SD ✓\n"  # before the rollover
    assert fast(now="2026-12-02T04:00").stdout == "TOMORROW\n"  # nothing recomputed
    assert fast("--format", "{day}:{due}", now="2026-12-02T10:00").stdout == "2:4\n"


def test_when_the_lines_run_out_the_full_path_writes_the_next_ones(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    first = cache(home)
    assert fast(now="2026-12-20").stdout == ""  # the plan is over, nothing due
    later = cache(home)
    assert later[0][0] == local(2026, 12, 21, 4) and later != first


def test_rest_day_and_finished(run, use_mini):
    setup(run, "config", "rest_days", "sat", "sun")
    setup(run, "start", "2026-12-04")
    assert run("prompt", "--refresh", now="2026-12-05").stdout == "rest\n"
    setup(run, "done", "1", "-m", "x", now="2026-12-04T20:00")
    assert run("prompt", "--refresh", now="2026-12-05").stdout == "rest\n"  # due Monday
    assert run("prompt", "--refresh", now="2026-12-07").stdout == "D02 OOP ⟳4\n"
    assert run("prompt", "--refresh", now="2026-12-20").stdout == "⟳4\n"


def test_custom_format_fields(run, use_mini):
    setup(run, "start", "2026-12-01")
    out = run("prompt", "--format", "{day}|{total}|{track}|{title}|{due}|{status}").stdout
    assert out == "1|3|SD|Queues and Back-Pressure|0|todo\n"
    assert run("prompt", "--format={track}").stdout == "SD\n"
    assert fast("--format={title}", now="2026-12-01").stdout == "Queues and Back-Pressure\n"


def test_bad_format_in_config_is_refused(run):
    result = run("config", "prompt_format", "{nope}")
    assert result.exit_code == 1
    assert "unknown prompt field 'nope'" in result.stderr


def test_the_prompt_counts_what_today_counts_after_a_switch_of_plan(run, home, mini_plan):
    setup(run, "start", "2026-11-20")
    for day in range(1, 6):
        setup(run, "done", str(day), "-m", f"day {day}", now=f"2026-11-2{day}T20:00")
    setup(run, "config", "plan", str(mini_plan))  # another plan: none of these cards is its own
    assert run("review", "--json").stdout.count('"day"') == 0
    assert "reviews due" not in run("today").stdout
    assert "⟳" not in fast(now="2026-12-01T10:00").stdout
    setup(run, "config", "plan", "--unset")  # back: all five days' cards are due, in both
    assert run("review", "--json").stdout.count('"day"') == 30  # 5 reflections, 25 questions
    assert run("today").stdout.count("30 reviews due") == 1
    assert fast(now="2026-12-01T10:00").stdout.endswith("⟳30\n")


def test_eng28_plan_means_the_same_to_the_prompt_and_the_cli(run, home, mini_plan):
    setup(run, "start", "2026-12-01")
    env = {"ENG28_PLAN": str(mini_plan)}
    setup(run, "start", "2026-12-01", env=env)  # each plan has its own start
    assert "Queues and Back-Pressure" in run(env=env).stdout  # bare `eng28`
    assert fast(now="2026-12-01", env=env).stdout == "D01 SD\n"
    # The cache was written for that plan; a shell without ENG28_PLAN gets its own.
    assert fast(now="2026-12-01").stdout == "D01 AI\n"
    assert fast(now="2026-12-01", env=env).stdout == "D01 SD\n"


@pytest.mark.parametrize(
    "damage",
    [
        ("state.toml", "days = [[[ broken"),
        ("config.toml", "start = nonsense"),
        ("prompt.cache", "\x00\x01garbage"),
        ("prompt.cache", "eng28-prompt 3\nplan=\nzone=\nclock=real\nnot-a-number\t{}\tX\n"),
    ],
)
def test_broken_files_never_break_the_prompt(run, home, use_mini, damage):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "-m", "x")
    name, text = damage
    (home / name).write_text(text)
    for args in (["prompt"], ["prompt", "--refresh"]):
        result = run(*args, now="2026-12-02")
        assert result.exit_code == 0
        assert "Traceback" not in result.output and result.stderr == ""
    done = fast(now="2026-12-02")
    assert done.returncode == 0 and done.stderr == ""


def test_a_fifo_as_prompt_cache_does_not_hang_the_prompt(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    (home / "prompt.cache").unlink()
    os.mkfifo(home / "prompt.cache")
    result = fast(now="2026-12-01", timeout=20)
    assert result.returncode == 0 and result.stdout == "D01 SD\n"


def test_missing_cache_is_rebuilt(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    (home / "prompt.cache").unlink()
    assert fast(now="2026-12-01").stdout == "D01 SD\n"
    assert (home / "prompt.cache").exists()


def test_plan_titles_cannot_smuggle_escape_codes_into_the_prompt(run, home, tmp_path, mini_plan):
    setup(run, "config", "plan", str(mini_plan))
    setup(run, "start", "2026-12-01")
    assert fast(now="2026-12-01").stdout == "D01 SD\n"
    # The plan in use is edited: a title gains an OSC (retitle the terminal) and a C1 CSI.
    text = mini_plan.read_text().replace(
        'title = "Queues and Back-Pressure"',
        'title = "Queues\\u001b]0;pwned\\u0007 \\u009b2J X"',
    )
    assert "pwned" in text
    mini_plan.write_text(text)
    (home / "prompt.cache").unlink()  # drawn again, from the edited plan
    shown = fast("--format={title}", now="2026-12-01")
    # The plan is refused, so the prompt shows nothing (it once showed "Queues X", the
    # title with its escapes stripped), and never fails the shell.
    assert (shown.returncode, shown.stdout, shown.stderr) == (0, "", "")
    kept = (home / "prompt.cache").read_text()
    assert "Queues" not in kept and not {"\x1b", "\x9b", "\x07"} & set(kept)
    refused = run("today", "--no-pager")
    assert refused.exit_code == 1
    assert refused.output == (
        f"error: {mini_plan}: day 1 (queues): title: contains a control character (ESC) at "
        "position 6\n"
    )


def test_prompt_imports_no_heavy_library(home, use_mini, run):
    setup(run, "start", "2026-12-01")
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"  # what the interpreter had (coverage brings typing)
        "sys.argv = ['eng28', *{args!r}]\n"
        "from eng28.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {{'typer', 'rich', 'pydantic', 'fsrs', 'dateutil', 'click', 'platformdirs',"
        " 'typing'}}\n"
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] in heavy))\n"
    )
    for args, first in ((["prompt"], "D01 SD"), (["prompt", "--format={day}"], "1")):
        out = subprocess.run(
            [sys.executable, "-c", code.format(args=args)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.splitlines() == [first, "[]"]
    out = subprocess.run(
        [sys.executable, "-c", code.format(args=["init", "bash"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.splitlines()[-1] == "[]"


def test_init_usage(run):
    result = run("init", "tcsh")
    assert result.exit_code == 2 and "usage: eng28 init bash|zsh|fish" in result.stderr
    assert "PROMPT_COMMAND" in run("init", "bash").stdout
    assert "PS1" not in run("init", "bash", "--export-only").stdout


def test_writes_under_eng28_now_never_stamp_the_real_prompt(run, home, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "3", "-m", "x", now="2026-12-10T20:00")  # a made-up day
    assert (home / "prompt.cache").read_text().split("\n")[3] == "clock=fixed"
    assert fast(now="2026-12-11T10:00").stdout == "⟳1\n"  # fixed-clock readers may use it
    env = {k: v for k, v in os.environ.items() if k != "ENG28_NOW"}
    real = subprocess.run(
        [sys.executable, "-m", "eng28", "prompt"], env=env, capture_output=True, text=True
    )
    assert real.returncode == 0
    # The made-up line was not served: the real prompt took the full path and wrote its own.
    assert (home / "prompt.cache").read_text().split("\n")[3] == "clock=real"
