"""`eng28 prompt`: the segment, its cache, and the promise never to break a shell."""

import json
import subprocess
import sys
import time

import pytest

from eng28 import prompt


def cache_lines(home):
    return (home / "prompt.cache").read_text().split("\n")


def test_prints_nothing_before_the_plan_starts(run, home):
    result = run("prompt")
    assert result.exit_code == 0 and result.stdout == ""
    run("start", "2026-12-05")
    assert run("prompt").stdout == ""


def test_default_segment_day_track_done_and_reviews(run, home, use_mini):
    run("start", "2026-12-01")
    assert run("prompt").stdout == "D01 SD\n"
    run("done", "-m", "x", now="2026-12-01T21:00")
    assert run("prompt", now="2026-12-01T21:01").stdout == "D01 SD ✓\n"
    assert run("prompt", now="2026-12-02T10:00").stdout == "D02 OOP ⟳1\n"


def test_every_state_change_rewrites_the_cache(run, home, use_mini):
    run("start", "2026-12-01")
    assert cache_lines(home)[1] == "D01 SD"
    run("done", "-m", "x")
    assert cache_lines(home)[1] == "D01 SD ✓"
    run("undo")
    assert cache_lines(home)[1] == "D01 SD"
    run("config", "prompt_format", "{day}/{total} {status}")
    assert cache_lines(home)[1] == "1/3 todo"


def test_cache_is_valid_until_the_next_rollover(run, home, use_mini):
    run("start", "2026-12-01")
    run("prompt", "--refresh", now="2026-12-01T23:00")
    until = int(cache_lines(home)[0])
    assert until == int(time.mktime((2026, 12, 2, 4, 0, 0, 0, 0, -1)))
    # Fresh: the cached text is served even if the state changed behind eng28's back.
    lines = cache_lines(home)
    lines[1] = "CACHED"
    (home / "prompt.cache").write_text("\n".join(lines))
    assert run("prompt", now="2026-12-02T03:59").stdout == "CACHED\n"
    # Past the rollover the segment is recomputed.
    assert run("prompt", now="2026-12-02T04:00").stdout == "D02 OOP\n"


def test_rest_day_and_finished(run, use_mini):
    run("config", "rest_days", "sat", "sun")
    run("start", "2026-12-04")
    assert run("prompt", "--refresh", now="2026-12-05").stdout == "rest\n"
    run("done", "1", "-m", "x", now="2026-12-04T20:00")
    assert run("prompt", "--refresh", now="2026-12-05").stdout == "rest\n"  # due Monday
    assert run("prompt", "--refresh", now="2026-12-07").stdout == "D02 OOP ⟳1\n"
    assert run("prompt", "--refresh", now="2026-12-20").stdout == "⟳1\n"


def test_custom_format_fields(run, use_mini):
    run("start", "2026-12-01")
    out = run("prompt", "--format", "{day}|{total}|{track}|{title}|{due}|{status}").stdout
    assert out == "1|3|SD|Queues and Back-Pressure|0|todo\n"
    assert run("prompt", "--format={track}").stdout == "SD\n"


def test_bad_format_in_config_is_refused(run):
    result = run("config", "prompt_format", "{nope}")
    assert result.exit_code == 1
    assert "unknown prompt field 'nope'" in result.stderr


@pytest.mark.parametrize(
    "damage",
    [
        ("state.toml", "days = [[[ broken"),
        ("config.toml", "start = nonsense"),
        ("prompt.cache", "\x00\x01garbage"),
        ("plan-index.json", "{not json"),
    ],
)
def test_broken_files_never_break_the_prompt(run, home, use_mini, damage):
    run("start", "2026-12-01")
    run("done", "-m", "x")
    name, text = damage
    (home / name).write_text(text)
    for args in (["prompt"], ["prompt", "--refresh"]):
        result = run(*args, now="2026-12-02")
        assert result.exit_code == 0
        assert "Traceback" not in result.output and result.stderr == ""


def test_missing_cache_is_rebuilt(run, home, use_mini):
    run("start", "2026-12-01")
    (home / "prompt.cache").unlink()
    assert run("prompt").stdout == "D01 SD\n"
    assert (home / "prompt.cache").exists()


def test_rollover_refresh_parses_no_toml(run, home, use_mini, monkeypatch):
    run("start", "2026-12-01")
    run("done", "-m", "x")
    monkeypatch.setenv("ENG28_NOW", "2026-12-02T10:00")
    parsed = []
    real = prompt._toml
    monkeypatch.setattr(prompt, "_toml", lambda path: parsed.append(path) or real(path))
    prompt.refresh()
    assert parsed == []  # config, state and plan all came from the caches
    assert json.loads(cache_lines(home)[2])["fields"]["due"] == 1
    (home / "state.toml").write_text((home / "state.toml").read_text() + "\n")
    prompt.refresh()
    assert parsed == [str(home / "state.toml")]  # changed: read again


def test_paths_match_platformdirs_without_eng28_home(monkeypatch, tmp_path):
    import platformdirs

    from eng28 import config, paths

    monkeypatch.delenv("ENG28_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.config_dir() == str(config.config_dir())
    assert paths.config_dir() == str(platformdirs.user_config_path("eng28"))
    assert paths.data_dir() == str(config.data_dir())
    assert paths.cache_dir() == str(platformdirs.user_cache_path("eng28"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    assert paths.cache_dir() == str(platformdirs.user_cache_path("eng28"))


def test_prompt_imports_no_heavy_library(home, use_mini, run):
    run("start", "2026-12-01")
    code = (
        "import sys\n"
        "sys.argv = ['eng28', 'prompt', '{flag}']\n"
        "from eng28.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {{'typer', 'rich', 'pydantic', 'fsrs', 'dateutil', 'click', 'platformdirs'}}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    for flag in ("--refresh", "--format={day}"):
        out = subprocess.run(
            [sys.executable, "-c", code.format(flag=flag)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.splitlines()[-1] == "[]"
        assert out.splitlines()[0] in ("D01 SD", "1")


def test_init_usage(run):
    result = run("init", "tcsh")
    assert result.exit_code == 2 and "usage: eng28 init bash|zsh|fish" in result.stderr
    assert "PROMPT_COMMAND" in run("init", "bash").stdout
    assert "PS1" not in run("init", "bash", "--export-only").stdout
