"""The single exit point: every failure is one line on stderr, never a traceback."""

import json
import subprocess
import sys

import pytest

from eng28 import cli
from tests.conftest import setup


def test_an_unexpected_error_is_one_line_and_exit_1(run, home, monkeypatch):
    from eng28.usecases import reports

    def broken(ctx):
        raise RuntimeError("the disk said no")

    monkeypatch.setattr(reports, "stats", broken)
    result = run("stats")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unexpected RuntimeError: the disk said no; run with ENG28_DEBUG=1 for the "
        "traceback\n"
    )
    debug = run("stats", env={"ENG28_DEBUG": "1"})
    assert debug.exit_code == 1
    assert "Traceback" in debug.stderr and "the disk said no" in debug.stderr


def test_an_os_error_in_sync_init_is_one_line(run, home, tmp_path):
    setup(run, "start", "2026-12-01")
    home.mkdir(exist_ok=True)
    (home / "sync").write_text("a file where the sync folder should be")
    remote = tmp_path / "remote.git"
    remote.mkdir()
    result = run("sync", "init", str(remote))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_usage_errors_keep_exit_code_2_and_name_the_help(run):
    result = run("show", "five")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "see `eng28 show --help`" in result.stderr


def test_the_editor_gets_the_users_environment(monkeypatch, tmp_path, run, home, use_mini):
    setup(run, "start")
    editor = tmp_path / "editor.sh"
    seen = tmp_path / "seen"
    editor.write_text(f'#!/bin/sh\necho "[$MY_OWN]" > {seen}\necho "Written in my editor" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("MY_OWN", "kept")
    with pytest.raises(SystemExit) as exit_:
        cli.main(["done", "--edit"])
    assert exit_.value.code == 0
    assert seen.read_text() == "[kept]\n"
    assert "Written in my editor" in (home / "state.toml").read_text()


def test_the_command_runs_with_the_collector_on_and_start_up_set_aside(home):
    """The full path sets start-up's objects aside (gc.freeze) instead of collecting them
    again and again, but the command itself, a long review session or `check --watch`
    included, runs with the cycle collector on."""
    code = (
        "import gc, json, sys\n"
        "import eng28.cli\n"
        "seen = {}\n"
        "def command(argv):\n"
        "    seen['enabled'] = gc.isenabled()\n"
        "    seen['frozen'] = gc.get_freeze_count()\n"
        "    cycle = []\n"
        "    cycle.append(cycle)\n"
        "    del cycle\n"
        "    seen['collected'] = gc.collect()\n"
        "    seen['argv'] = argv\n"
        "eng28.cli.main = command\n"
        "sys.argv = ['eng28', 'doctor']\n"
        "from eng28.__main__ import main\n"
        "main()\n"
        "print(json.dumps(seen))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    seen = json.loads(out)
    assert seen["enabled"] is True
    assert seen["frozen"] > 10_000  # typer's, rich's and the models' objects
    assert seen["collected"] >= 1  # the cycle made by the command was collected
    assert seen["argv"] == ["doctor"]
