"""Help in words a person would use, and --plan wherever the learner types it."""

import os
import re
import subprocess
import sys

import pytest

from eng28.cli import app
from eng28.cli.app import hoist_plan
from tests.conftest import setup


def every_command():
    import typer.main

    def walk(command, path):
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    yield from walk(typer.main.get_command(app), [])


@pytest.mark.parametrize("path", list(every_command()), ids=" ".join)
def test_help_shows_no_type_tags(run, path):
    out = run(*path, "--help", env={"COLUMNS": "100"}).stdout
    assert "Usage: " in out
    assert re.findall(r"<(?:bool|str|int|path|list\[str\])>", out) == []


def test_plan_after_the_command_name_means_the_same(run, home, mini_plan):
    setup(run, "start", "2026-12-01")
    for args in (
        ["today", "--plan", str(mini_plan)],
        ["today", f"--plan={mini_plan}"],
        ["--plan", str(mini_plan), "today"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "eng28", *args], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "Queues and Back-Pressure" in done.stdout


def test_hoisting_keeps_everything_else_in_order():
    assert hoist_plan(["done", "-m", "x", "--plan", "p.toml"]) == [
        "--plan", "p.toml", "done", "-m", "x",
    ]  # fmt: skip
    assert hoist_plan(["done", "--", "--plan", "p"]) == ["done", "--", "--plan", "p"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("eng28 review 1 --rating g", ["good"]),
        ("eng28 review 1 --rating ", ["again", "hard", "good", "easy", "forgot", "recalled"]),
        ("eng28 config rol", ["rollover_hour"]),
        ("eng28 open 1 lee", ["leetcode"]),
        ("eng28 export --format i", ["ics"]),
        ("eng28 journal --format ", ["md", "json"]),
        ("eng28 show ", [f"{n:02d}" for n in range(1, 29)]),  # sorts as numbers in bash
        ("eng28 show 2", ["2", *(str(n) for n in range(20, 29))]),
        ("eng28 show 0", [f"0{n}" for n in range(1, 10)]),
    ],
)
def test_values_complete_in_the_shell(words, expected):
    env = {
        **os.environ,
        "_ENG28_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    done = subprocess.run(
        [sys.executable, "-m", "eng28"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == expected
