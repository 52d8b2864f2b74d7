"""The app a command line runs with (`app_for`): one command's own app where the line names
a known command, the whole app for everything that lists or guesses commands. Either way the
learner reads the same help, the same errors and the same completions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from eng28.cli import app
from eng28.cli.app import app_for, command_names

HELP = Path(__file__).resolve().parents[1] / "data" / "help"


def every_command() -> list[list[str]]:
    def walk(command, path):
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


def shown(args: list[str], which: typer.Typer | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        which or app_for(args), args, env={"COLUMNS": "100"}, prog_name="eng28"
    )
    return result.exit_code, result.stdout, result.stderr


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["--help"], "eng28"),
        (["today", "--help"], "today"),
        (["done", "--help"], "done"),
        (["review", "--help"], "review"),
        (["plan", "validate", "--help"], "plan-validate"),
        (["sync", "--help"], "sync"),
    ],
)
def test_help_is_what_it_was_before_commands_were_built_one_at_a_time(args, golden):
    # The files hold the help as the whole app printed it before `app_for` existed.
    code, out, _ = shown(args)
    assert code == 0
    assert lines(out) == lines((HELP / f"{golden}.txt").read_text())


@pytest.mark.parametrize("path", every_command()[1:], ids=" ".join)
def test_every_command_is_reachable_with_the_same_help_as_in_the_whole_app(path):
    one = app_for(path)
    assert one is not app
    group = typer.main.get_command(one)
    assert list(group.commands) == [path[0]]  # type: ignore[attr-defined]
    assert shown([*path, "--help"]) == shown([*path, "--help"], app)


def test_the_app_knows_every_command_by_the_name_typer_gives_it():
    # Pins what app_for reads of Typer (registered_commands and registered_groups, and a
    # command named after its function): a Typer that changed either fails here, loudly.
    assert set(command_names()) == set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["-h"], ["--version"], ["tday"], ["--plan"], ["--plan", "p.toml"],
     ["--plan=p.toml", "--help"], ["--install-completion"], ["--show-completion"], ["Today"]],
    ids=repr,
)  # fmt: skip
def test_the_whole_app_lists_and_guesses_commands(args):
    assert app_for(args) is app


def test_completion_always_gets_the_whole_app(monkeypatch):
    assert app_for(["today"]) is not app
    monkeypatch.setenv("_ENG28_COMPLETE", "complete_bash")
    assert app_for(["today"]) is app


def test_plan_before_the_command_still_finds_the_command():
    for args in (["--plan", "p.toml", "today"], ["--plan=p.toml", "today"]):
        assert list(typer.main.get_command(app_for(args)).commands) == ["today"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tday"], "No such command 'tday'. Did you mean 'today'? (see `eng28 --help`)"),
        (["plan", "vaildate"], "No such command 'vaildate'. Did you mean 'validate'? "
         "(see `eng28 plan --help`)"),
        (["today", "--bogus"], "No such option: --bogus (see `eng28 today --help`)"),
    ],
)  # fmt: skip
def test_usage_errors_of_unknown_commands_and_options_are_unchanged(args, message):
    done = subprocess.run(
        [sys.executable, "-m", "eng28", *args], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"error: {message}\n")
