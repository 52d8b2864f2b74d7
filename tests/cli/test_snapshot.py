"""Validated copies of the plan, config and state (`eng28.snapshot`): they must always give
what reading the file would, follow every edit, and never stand in for the file in a write."""

import pickle

import pytest

from eng28 import snapshot
from eng28.errors import PlanError
from eng28.plan import load_plan


def test_the_plan_copy_gives_the_same_plan_and_follows_edits(mini_plan, home):
    first = load_plan(mini_plan)  # validated, then kept
    assert (home / "plan.pickle").exists()
    again = load_plan(mini_plan)
    assert again == first and again.model_dump() == first.model_dump()
    text = mini_plan.read_text()
    mini_plan.write_text(text.replace('title = "Mini Plan"', 'title = "Mini Plxn"'))  # same size
    assert load_plan(mini_plan).title == "Mini Plxn"
    (home / "plan.pickle").write_bytes(b"not a pickle")
    assert load_plan(mini_plan).title == "Mini Plxn"
    mini_plan.write_text(mini_plan.read_text().replace("minutes = 42", "minutes = -1"))
    with pytest.raises(PlanError, match="video.minutes"):
        load_plan(mini_plan)  # an edited plan is validated again, never served from the copy


def test_a_notes_file_that_went_missing_is_reported(mini_plan, home):
    plan = load_plan(mini_plan)
    notes = next(d.notes for d in plan.days if d.notes)
    (mini_plan.parent / notes).unlink()
    with pytest.raises(PlanError, match=f"notes: file {notes!r} not found"):
        load_plan(mini_plan)


def test_hand_edits_to_state_and_config_are_seen(run, home, use_mini):
    run("start", "2026-11-30")
    run("done", "1", "-m", "first thought")
    for kind in ("state", "config"):  # copies of private text: readable by the learner only
        assert (home / f"{kind}.pickle").stat().st_mode & 0o777 == 0o600
    assert "first thought" in run("show", "1").stdout
    path = home / "state.toml"
    path.write_text(path.read_text().replace("first thought", "FIRST THOUGHT"))  # same size
    assert "FIRST THOUGHT" in run("show", "1").stdout
    config = home / "config.toml"
    config.write_text(config.read_text().replace("2026-11-30", "2026-11-29"))
    assert "Day 03" in run("today").stdout


def test_a_broken_state_file_is_reported_even_with_a_good_copy(run, home, use_mini):
    run("start", "2026-11-30")
    run("done", "1", "-m", "kept")
    assert run("today").exit_code == 0  # the copy now exists
    (home / "state.toml").write_text("days = [broken\n")
    result = run("today")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {home / 'state.toml'}: not valid TOML")


def test_a_copy_that_is_not_a_pickle_is_ignored(run, home, use_mini):
    run("start", "2026-11-30")
    run("done", "1", "-m", "kept")
    for kind in ("state", "config", "plan"):
        (home / f"{kind}.pickle").write_bytes(b"\x80\x05garbage")
    result = run("show", "1")
    assert result.exit_code == 0 and "kept" in result.stdout


def test_writes_never_start_from_the_copy(run, home, use_mini):
    """Plant a copy that matches the file's bytes but holds a different state: reads show it
    (so the copy is really used), but `done` starts from the file itself."""
    run("start", "2026-11-30")
    run("done", "1", "-m", "real")
    path = home / "state.toml"
    raw = path.read_bytes()
    with open(home / "state.pickle", "rb") as handle:
        pickle.load(handle)
        state, version = pickle.load(handle)
    state.days[1].reflection = "planted"
    snapshot.save("state", path, raw, (state, version))
    assert "planted" in run("show", "1").stdout
    assert run("done", "2", "-m", "second").exit_code == 0
    text = path.read_text()
    assert "real" in text and "planted" not in text and "second" in text


def test_no_cache_folder_only_costs_speed(run, home, use_mini, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr("eng28.snapshot.cache_dir", lambda: str(blocker / "cache"))
    run("start", "2026-11-30")
    assert run("done", "1", "-m", "still saved").exit_code == 0
    assert "still saved" in run("show", "1").stdout
