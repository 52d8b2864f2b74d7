"""What is fsynced: the learner's files on every save, the caches never (a cache is checked by
every reader and may be lost, and an fsync can cost milliseconds on a real disk)."""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import setup

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


@pytest.fixture
def synced(monkeypatch):
    """The names of the files and folders fsynced while the test runs (a temp file by the
    name it is written for: `.state.toml.x1y2.tmp` is `state.toml`)."""
    names: list[str] = []
    real = os.fsync

    def record(fd):
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        names.append(re.sub(r"^\.(.+)\.[^.]+\.tmp$", r"\1", name))
        return real(fd)

    monkeypatch.setattr(os, "fsync", record)
    return names


def test_a_cold_today_writes_only_caches_and_syncs_none(run, home, synced):
    setup(run, "start", "2026-12-01", now="2026-12-01T09:00")
    setup(run, "done", "1", "-m", "kept", now="2026-12-01T20:00")
    synced.clear()
    for name in ("screens.cache", "state.json", "plan.json"):
        (home / name).unlink(missing_ok=True)
    result = run("today", now="2026-12-02T09:00")
    assert result.exit_code == 0, result.output
    assert "Day 02" in result.output
    assert (home / "plan.json").is_file() and (home / "state.json").is_file()
    assert synced == []


def test_a_save_syncs_the_state_and_its_folder_but_no_cache(run, home, synced):
    setup(run, "start", "2026-12-01", now="2026-12-01T09:00")
    synced.clear()
    setup(run, "done", "1", "-m", "kept", now="2026-12-01T20:00")
    assert "state.toml" in synced
    assert home.name in synced  # the folder, so that the rename itself survives a crash
    assert not {"screens.cache", "prompt.cache", "state.json", "plan.json"} & set(synced)


def test_the_review_counts_summary_is_a_cache_too(run, home, synced):
    setup(run, "start", "2026-12-01", now="2026-12-01T09:00")
    setup(run, "done", "1", "-m", "kept", now="2026-12-01T20:00")
    setup(run, "review", "1", "--rating", "good", "--early", now="2026-12-01T21:00")
    synced.clear()
    result = run("stats", now="2026-12-02T09:00")
    assert result.exit_code == 0, result.output
    assert (home / "review-counts.json").is_file()
    assert synced == []
