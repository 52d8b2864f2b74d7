"""Validated copies of the plan, config and state (`eng28.snapshot`): they must always give
what reading the file would, follow every edit, and never stand in for the file in a write."""

import pickle
from pathlib import Path

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


def plant(home, kind, change):
    """Replace the snapshot of `kind` with a changed copy under the same fingerprint."""
    path = home / f"{kind}.toml"
    with open(home / f"{kind}.pickle", "rb") as handle:
        pickle.load(handle)
        value = pickle.load(handle)
    change(value)
    snapshot.save(kind, path, path.read_bytes(), value)


def test_config_changes_never_start_from_the_copy(run, home, use_mini):
    run("start", "2026-11-30")
    assert run("today").exit_code == 0
    plant(home, "config", lambda config: setattr(config, "rest_days", ["sun"]))
    assert run("config", "pace", "self").exit_code == 0
    text = (home / "config.toml").read_text()
    assert 'pace = "self"' in text and "sun" not in text


def test_sync_never_starts_from_the_copy(run, home, use_mini, tmp_path):
    import shutil
    import subprocess

    from eng28.sync import BRANCH

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    run("start", "2026-11-30")
    run("done", "1", "-m", "real")
    plant(home, "state", lambda kept: setattr(kept[0].days[1], "reflection", "planted"))
    assert run("sync", "init", str(bare)).exit_code == 0
    shared = subprocess.run(
        ["git", "--git-dir", str(bare), "show", f"{BRANCH}:state.toml"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 'reflection = "real"' in shared and "planted" not in shared


def test_a_copy_others_could_write_is_not_trusted(run, home, use_mini):
    run("start", "2026-11-30")
    run("done", "1", "-m", "real")
    plant(home, "state", lambda kept: setattr(kept[0].days[1], "reflection", "planted"))
    assert "planted" in run("show", "1").stdout  # planted, and trusted while private
    (home / "state.pickle").chmod(0o666)
    assert "real" in run("show", "1").stdout


def test_doctor_reads_the_files_and_writes_no_copy(run, home, use_mini):
    run("start", "2026-11-30")
    run("done", "1", "-m", "real")
    for copy in home.glob("*.pickle"):
        copy.unlink()
    run("doctor")
    assert list(home.glob("*.pickle")) == []


def test_a_zone_gone_from_the_system_is_an_error_not_a_traceback(run, home, use_mini, tmp_path):
    """The zone database is not part of the fingerprint: a zone that the system no longer has
    (a tzdata update can drop old names) must be reported, even when a snapshot holds it."""
    import shutil
    import zoneinfo

    original = zoneinfo.TZPATH
    london = next(
        (p for p in (*original, "/usr/share/zoneinfo") if (Path(p) / "Europe/London").is_file()),
        None,
    )
    if london is None:
        pytest.skip("no system zone database")
    (tmp_path / "zones" / "Test").mkdir(parents=True)
    shutil.copy(Path(london) / "Europe/London", tmp_path / "zones" / "Test" / "Zone")
    try:
        zoneinfo.reset_tzpath([str(tmp_path / "zones"), *original])
        assert run("config", "timezone", "Test/Zone").exit_code == 0
        run("start", "2026-11-30")
        assert run("today").exit_code == 0  # the snapshot now holds Test/Zone
        zoneinfo.reset_tzpath(original)
        zoneinfo.ZoneInfo.clear_cache()
        result = run("today")
    finally:
        zoneinfo.reset_tzpath(original)
        zoneinfo.ZoneInfo.clear_cache()
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {home / 'config.toml'}: key 'timezone'")
    assert "unknown IANA time zone 'Test/Zone'" in result.stderr
    assert "Traceback" not in result.output
