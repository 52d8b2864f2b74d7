"""Commands that show none of the days' content (`plan`, `stats`, `review --list`, `journal`)
read the plan's outline from its JSON copy: they print what they print from the plan file, and
never read the whole plan while the copy serves."""

from __future__ import annotations

import pytest

from eng28 import plan as plan_module
from eng28.usecases import context as context_module
from tests.conftest import setup

LIGHT = [
    ("plan",),
    ("stats",),
    ("review", "--list"),
    ("review", "--list", "--json"),
    ("journal",),
    ("journal", "--format", "json"),
]


@pytest.fixture
def studied(run, use_mini):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "queues are buffers", now="2026-12-01T21:00")
    setup(run, "tick", "video", now="2026-12-02T09:00")
    setup(run, "review", "1", "--rating", "hard", "-m", "backpressure", now="2026-12-02T09:30")


@pytest.mark.parametrize("words", LIGHT, ids=" ".join)
def test_a_light_command_prints_the_same_from_the_outline(run, home, studied, words, monkeypatch):
    now = "2026-12-02T10:00"
    (home / "plan.json").unlink()
    from_file = run(*words, now=now)  # the plan read whole from its file, and copied
    assert from_file.exit_code == 0, from_file.output
    assert (home / "plan.json").is_file()

    def whole(*args, **kwargs):
        raise AssertionError("the whole plan was read")

    for module in (plan_module, context_module):  # the copy's fallback, and Context.plan
        monkeypatch.setattr(module, "load_plan", whole)
    from_copy = run(*words, now=now)
    assert from_copy.exit_code == 0, from_copy.output
    assert from_copy.stdout == from_file.stdout


def test_the_plan_as_json_and_today_read_the_whole_plan(run, home, studied, monkeypatch):
    """--json shows every day's content: its outline would not do."""
    setup(run, "plan")  # the copy is there
    shown = run("plan", "--json").stdout
    assert '"summary"' in shown and '"readings"' in shown
    calls = []
    real = plan_module.load_plan
    monkeypatch.setattr(context_module, "load_plan", lambda path: calls.append(path) or real(path))
    for words in (("plan", "--json"), ("today", "--no-pager"), ("show", "1")):
        calls.clear()
        assert run(*words, now="2026-12-02T10:00").exit_code == 0
        assert len(calls) == 1, words
