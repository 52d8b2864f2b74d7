"""Every test runs in its own ENG28_HOME with a fixed clock, plain output and a fixed width."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from eng28.cli import app

# Code that runs while test modules are imported (before any fixture) must not reach the real
# home either: it gets a folder of its own.
os.environ["ENG28_HOME"] = tempfile.mkdtemp(prefix="eng28-tests-")
atexit.register(shutil.rmtree, os.environ["ENG28_HOME"], ignore_errors=True)

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("ENG28_HOME", str(home))
    monkeypatch.setenv("ENG28_NOW", "2026-12-01T10:00")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()  # the in-process clock follows TZ only after tzset
    monkeypatch.setenv("HOME", str(tmp_path / "user"))  # never the real home
    for var in (
        "VISUAL",
        "EDITOR",
        "ENG28_PLAN",
        "ENG28_DEBUG",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
    ):
        monkeypatch.delenv(var, raising=False)
    yield home
    time.tzset()  # monkeypatch has put TZ back


@pytest.fixture
def home(hermetic: Path) -> Path:
    return hermetic


Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke eng28 as a user would: `run("done", "-m", "text", now="2026-12-02")`."""

    def invoke(
        *args: str,
        input: str | bytes | None = None,
        now: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        extra = dict(env or {})
        if now is not None:
            extra["ENG28_NOW"] = now
        result = CliRunner().invoke(app, list(args), input=input, env=extra)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a traceback never passes for an ordinary failure
        return result

    return invoke


@pytest.fixture
def mini_plan(tmp_path: Path) -> Path:
    """A copy of the three-day test plan (day 3 has no content yet)."""
    target = tmp_path / "mini"
    shutil.copytree(DATA / "mini", target)
    return target / "plan.toml"


@pytest.fixture
def use_mini(mini_plan: Path, run: Run) -> Path:
    setup(run, "config", "plan", str(mini_plan))
    return mini_plan


@pytest.fixture
def use_mini_reflections(mini_plan: Path, run: Run) -> Path:
    """The mini plan without its "Check yourself" questions: a done day has one card, its
    reflection (for tests of the reflection's review alone)."""
    import re

    text = mini_plan.read_text()
    mini_plan.write_text(re.sub(r"\[\[days\.questions\]\]\n(?:[a-z]+ = .*\n)*\n?", "", text))
    setup(run, "config", "plan", str(mini_plan))
    return mini_plan


def setup(run: Run, *args: str, **how: object) -> Result:
    """A set-up step of a test: it must succeed, or the test would prove nothing."""
    result = run(*args, **how)
    assert result.exit_code == 0, f"set-up `eng28 {' '.join(args)}` failed: {result.output}"
    return result
