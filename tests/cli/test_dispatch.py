"""`eng28` builds only the command it runs: the result must be what the whole app would do."""

import os

import pytest
import typer
from typer.testing import CliRunner

from eng28 import cli


def names(app: typer.Typer) -> list[str]:
    commands = [cli._command_name(c) for c in app.registered_commands]
    return commands + [g.name for g in app.registered_groups]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["today"], ["today"]),
        (["today", "--json"], ["today"]),
        (["--plan", "x.toml", "show", "3"], ["show"]),
        (["--plan=x.toml", "show", "3"], ["show"]),
        (["open", "2"], ["open"]),
        (["plan", "validate", "x.toml"], ["plan"]),
        (["backup", "list"], ["backup"]),
    ],
)
def test_one_command_is_built(args, expected):
    assert names(cli.app_for(args)) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["-h", "today"],
        ["--help", "plan"],
        ["--version"],
        ["todya"],
        ["--plan", "today"],
    ],
)
def test_the_whole_app_when_no_command_is_named(args):
    assert cli.app_for(args) is cli.app


def test_completion_gets_the_whole_app(monkeypatch):
    monkeypatch.setenv("_ENG28_COMPLETE", "complete_bash")
    assert cli.app_for(["today"]) is cli.app


@pytest.mark.parametrize(
    "args",
    [
        ["today"],
        ["today", "--help"],
        ["-h", "today"],
        ["--plan=x.toml", "--help", "plan", "validate"],
        ["show", "40"],
        ["show", "2", "--json"],
        ["plan"],
        ["plan", "validate", "--help"],
        ["backup", "list"],
        ["done", "--bogus"],
        ["todya"],
        ["--plan", "missing.toml", "today"],
    ],
)
def test_same_output_and_exit_code_as_the_whole_app(args, run):
    assert run("start", "2026-11-30").exit_code == 0
    whole = CliRunner().invoke(cli.app, args)
    lone = CliRunner().invoke(cli.app_for(args), args)
    assert (lone.exit_code, lone.stdout, lone.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


def test_every_root_option_with_a_value_is_known():
    """The command name is found by skipping root options; one that takes a value must be
    listed, or its value would be taken for the command."""
    group = typer.main.get_command(cli.app)
    takes_value = {
        name
        for param in group.params
        if param.param_type_name == "option" and not param.is_flag and param.nargs > 0
        for name in param.opts
    }
    takes_value -= {"--install-completion", "--show-completion"}
    assert takes_value == cli.ROOT_OPTIONS_WITH_VALUE


def test_pydantic_plugins_are_off_unless_the_user_says(monkeypatch):
    from eng28 import config

    monkeypatch.setattr(config, "OWN_VARIABLES", set())
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    assert "PYDANTIC_DISABLE_PLUGINS" not in config.child_env()  # not passed on to the editor
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
    config.OWN_VARIABLES.clear()
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""
    assert config.child_env()["PYDANTIC_DISABLE_PLUGINS"] == ""  # the user's own: passed on


def test_the_editor_gets_the_users_environment(monkeypatch, tmp_path, run, home, use_mini):
    """eng28 switches pydantic's plugins off for itself only, not for the editor it starts."""
    from eng28 import config

    monkeypatch.setattr(config, "OWN_VARIABLES", set())
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    run("start")
    editor = tmp_path / "editor.sh"
    seen = tmp_path / "seen"
    editor.write_text(
        f'#!/bin/sh\necho "[${{PYDANTIC_DISABLE_PLUGINS-unset}}]" > {seen}\n'
        'echo "Written in my editor" > "$1"\n'
    )
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    with pytest.raises(SystemExit) as exit_:
        cli.main(["done", "--edit"])
    assert exit_.value.code == 0
    assert seen.read_text() == "[unset]\n"
    assert "Written in my editor" in (home / "state.toml").read_text()
