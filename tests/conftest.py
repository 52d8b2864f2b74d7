"""Every test runs in its own ENG28_HOME with a fixed clock, plain output and a fixed width."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from eng28.cli import app_for

# Code that runs while test modules are imported (before any fixture) must not reach the real
# home either: it gets a folder of its own.
os.environ["ENG28_HOME"] = tempfile.mkdtemp(prefix="eng28-tests-")
atexit.register(shutil.rmtree, os.environ["ENG28_HOME"], ignore_errors=True)

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("ENG28_HOME", str(home))
    monkeypatch.setenv("ENG28_NOW", "2026-12-01T10:00")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))  # never the real home
    for var in ("VISUAL", "EDITOR", "ENG28_PLAN", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def home(hermetic: Path) -> Path:
    return hermetic


Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke eng28 as a user would: `run("done", "-m", "text", now="2026-12-02")`. Like the
    `eng28` command, it builds only the command asked for (see `cli.app_for`)."""

    def invoke(
        *args: str,
        input: str | bytes | None = None,
        now: str | None = None,
        env: dict[str, str] | None = None,
    ) -> Result:
        extra = dict(env or {})
        if now is not None:
            extra["ENG28_NOW"] = now
        return CliRunner().invoke(app_for(list(args)), list(args), input=input, env=extra)

    return invoke


@pytest.fixture
def mini_plan(tmp_path: Path) -> Path:
    """A copy of the three-day test plan (day 3 has no content yet)."""
    target = tmp_path / "mini"
    shutil.copytree(DATA / "mini", target)
    return target / "plan.toml"


@pytest.fixture
def use_mini(mini_plan: Path, run: Run) -> Path:
    assert run("config", "plan", str(mini_plan)).exit_code == 0
    return mini_plan
