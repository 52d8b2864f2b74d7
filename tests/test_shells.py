"""The init snippets in real bash, zsh and fish (non-interactive shells).

A fake `eng28` records every call and then runs the real one in-process, so the snippet holds
its absolute path and the tests can see exactly when a shell starts eng28.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import setup

FAR_FUTURE = "2099-06-01T10:00"  # cache validity is judged by the shell's real clock


@pytest.fixture
def fake(tmp_path, home, use_mini, run):
    setup(run, "config", "rest_days", "--unset")
    setup(run, "start", "2099-06-01", now=FAR_FUTURE)
    script = tmp_path / "bin" / "eng28"
    script.parent.mkdir()
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        "with open(os.environ['ENG28_CALLS'], 'a') as log:\n"
        "    log.write(' '.join(sys.argv[1:]) + '\\n')\n"
        "from eng28.__main__ import main\n"
        "main()\n"
    )
    script.chmod(0o755)
    calls = tmp_path / "calls.log"
    env = {
        **os.environ,
        "ENG28_CALLS": str(calls),
        "ENG28_NOW": FAR_FUTURE,
        "PATH": f"{script.parent}:{os.environ['PATH']}",
    }

    def shell(name, code):
        calls.write_text("")
        argv = {
            "bash": ["bash", "--norc", "--noprofile", "-c"],
            "zsh": ["zsh", "-f", "-c"],
            "fish": ["fish", "--no-config", "-c"],
        }[name]
        done = subprocess.run([*argv, code], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout, [c for c in calls.read_text().splitlines() if c]

    return shell


def refreshes(calls):
    return [c for c in calls if c.startswith("prompt")]


def need(name):
    if shutil.which(name) is None:
        pytest.skip(f"{name} is not installed (.ci/run installs it)")


def test_bash_hook(fake, home):
    need("bash")
    code = (
        'eval "$(eng28 init bash)"; eval "$(eng28 init bash)"\n'
        'echo "pc=$PROMPT_COMMAND"\n'
        '(exit 7); __eng28_hook; echo "status=$?"\n'
        'echo "seg=$ENG28_PROMPT"\n'
        'echo "ps1=$PS1"\n'
    )
    out, calls = fake("bash", code)
    assert "pc=__eng28_hook\n" in out  # installed once
    assert "status=7" in out  # $? survives the hook
    assert "seg=D01 SD" in out
    assert "ps1=${ENG28_PROMPT:+[$ENG28_PROMPT] }" in out
    assert refreshes(calls) == []  # the cache written by `start` is fresh: no process


def test_bash_stale_cache_refreshes_once_and_sees_changes(fake, home, run):
    need("bash")
    (home / "prompt.cache").write_text("0\nOLD\n")
    out, calls = fake(
        "bash", 'eval "$(eng28 init bash)"; __eng28_hook; __eng28_hook; echo "seg=$ENG28_PROMPT"'
    )
    assert refreshes(calls) == ["prompt --refresh"]
    assert "seg=D01 SD" in out
    setup(run, "done", "-m", "x", now=FAR_FUTURE)
    out, calls = fake(
        "bash",
        'eval "$(eng28 init bash --export-only)"; __eng28_hook; '
        'echo "seg=$ENG28_PROMPT"; echo "ps1=$PS1"',
    )
    assert "seg=D01 SD ✓" in out and refreshes(calls) == []
    assert "ENG28_PROMPT" not in out.split("ps1=")[1]


@pytest.mark.parametrize("damage", ["missing", "garbage", "broken-state"])
def test_bash_missing_or_corrupt_files_give_an_empty_segment(fake, home, damage):
    need("bash")
    if damage == "missing":
        (home / "prompt.cache").unlink()
        (home / "config.toml").write_text("")
    elif damage == "garbage":
        (home / "prompt.cache").write_bytes(b"\xff\xfe\x00junk")
        (home / "config.toml").write_text("start = [")
    else:
        (home / "prompt.cache").unlink()
        (home / "state.toml").write_text("[[[")
    out, calls = fake(
        "bash",
        '(exit 3); eval "$(eng28 init bash)"; (exit 4); __eng28_hook; '
        'echo "status=$?"; echo "seg=[$ENG28_PROMPT]"',
    )
    assert "status=4" in out
    if damage != "broken-state":
        assert "seg=[]" in out
    assert len(refreshes(calls)) == 1


def test_zsh_hook(fake, home):
    need("zsh")
    code = (
        'eval "$(eng28 init zsh)"; eval "$(eng28 init zsh)"\n'
        'echo "hooks=${precmd_functions[*]}"\n'
        '(exit 5); __eng28_hook; echo "status=$?"\n'
        'echo "seg=$ENG28_PROMPT"\n'
        'echo "prompt=$PROMPT"\n'
    )
    out, calls = fake("zsh", code)
    assert "hooks=__eng28_hook\n" in out
    assert "status=5" in out and "seg=D01 SD" in out
    assert "prompt=${ENG28_PROMPT:+[$ENG28_PROMPT] }" in out
    assert refreshes(calls) == []
    (home / "prompt.cache").write_text("1\nOLD\n")
    out, calls = fake(
        "zsh", 'eval "$(eng28 init zsh)"; __eng28_hook; __eng28_hook; echo "seg=$ENG28_PROMPT"'
    )
    assert refreshes(calls) == ["prompt --refresh"] and "seg=D01 SD" in out


def test_fish_hook(fake, home):
    need("fish")
    code = (
        "function fish_prompt; echo original-sees-$status; end\n"
        "eng28 init fish | source\n"
        "__eng28_hook; false; fish_prompt\n"
        "false; __eng28_hook; echo status=$status\n"
        "echo seg=$ENG28_PROMPT\n"
        "functions -q __eng28_original_prompt; and echo wrapped\n"
    )
    out, calls = fake("fish", code)
    assert "status=1" in out and "seg=D01 SD" in out and "wrapped" in out
    assert "[D01 SD] original-sees-1" in out  # the wrapped prompt still sees $status
    assert refreshes(calls) == []
    (home / "prompt.cache").write_text("0\nOLD\n")
    out, calls = fake(
        "fish",
        "eng28 init fish --export-only | source; __eng28_hook; "
        "__eng28_hook; echo seg=$ENG28_PROMPT",
    )
    assert refreshes(calls) == ["prompt --refresh"] and "seg=D01 SD" in out


def test_snippets_hold_absolute_paths(fake, home, tmp_path):
    out, _ = fake("bash", "eng28 init bash")
    assert f"__eng28_cache='{home.resolve() / 'prompt.cache'}'" in out
    assert f"__eng28_bin=('{tmp_path / 'bin' / 'eng28'}')" in out
    assert Path(tmp_path / "bin" / "eng28").is_absolute()


def two_lines(home):
    """A cache whose first line has expired and whose second holds until 2100."""
    (home / "prompt.cache").write_text(
        'eng28-prompt 3\nplan=\nzone=\nclock=real\n1\t{}\tOLD\n4102444800\t{"day": 2}\tNEW ONE\n'
    )


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_picks_the_first_line_still_valid(fake, home, shell):
    need(shell)
    two_lines(home)
    code = {
        "bash": 'eval "$(eng28 init bash)"; __eng28_hook; echo "seg=$ENG28_PROMPT"',
        "zsh": 'eval "$(eng28 init zsh)"; __eng28_hook; echo "seg=$ENG28_PROMPT"',
        "fish": "eng28 init fish | source; __eng28_hook; echo seg=$ENG28_PROMPT",
    }[shell]
    out, calls = fake(shell, code)
    assert "seg=NEW ONE\n" in out and refreshes(calls) == []


def test_bash_without_epochseconds_forks_no_date_per_prompt(fake, home, tmp_path):
    """bash 3.2 (macOS) has no $EPOCHSECONDS: the epoch is taken once when the snippet is
    sourced, then advanced with $SECONDS."""
    need("bash")
    two_lines(home)
    shim = tmp_path / "shim"
    shim.mkdir()
    log = tmp_path / "date.log"
    real_date = shutil.which("date")
    (shim / "date").write_text(f'#!/bin/sh\necho call >> {log}\nexec {real_date} "$@"\n')
    (shim / "date").chmod(0o755)
    code = (
        f"unset EPOCHSECONDS; PATH={shim}:$PATH\n"
        'eval "$(eng28 init bash)"\n'
        "for i in 1 2 3 4 5 6; do __eng28_hook; done\n"
        'echo "seg=$ENG28_PROMPT"\n'
    )
    out, calls = fake("bash", code)
    assert "seg=NEW ONE\n" in out  # the clock is right: the expired line was passed over
    assert log.read_text().splitlines() == ["call"]  # one `date`, when sourced
    assert refreshes(calls) == []
