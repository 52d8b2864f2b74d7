"""SIGKILL in the middle of a save leaves the old or the new state, never a broken file, and
no lock that blocks the next command."""

import random
import signal
import subprocess
import time

import pytest

from tests.conftest import setup
from tests.helpers import only_plan, state_file

KILLS = 25


def state(home):
    return only_plan(state_file(home / "state.toml"))


@pytest.mark.parametrize(
    ("point", "lands"), [("after-write", False), ("after-fsync", False), ("after-rename", True)]
)
def test_kill_at_each_step_of_a_save(run, home, spawn, point, lands):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "--ahead", "-m", "old", now="2026-12-20T09:00")
    child = spawn("done", "2", "--ahead", "-m", "new", env={"ENG28_FAULT": f"{point}:state.toml"})
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    days = state(home)["days"]
    assert days["1"]["reflection"] == "old"
    assert ("2" in days) is lands
    if point != "after-rename":
        assert list(home.glob(".state.toml.*.tmp"))  # the half-done temp file is left...
    follow = spawn("done", "3", "--ahead", "-m", "after the crash")
    _, err = follow.communicate(timeout=60)
    assert follow.returncode == 0, err  # ...no stale lock blocks the next command
    assert not list(home.glob(".state.toml.*.tmp"))  # ...and the next save clears it
    assert state(home)["days"]["3"]["reflection"] == "after the crash"


@pytest.mark.slow
def test_kills_at_random_moments(run, home, spawn):
    setup(run, "start", "2026-12-01")
    setup(run, "done", "27", "--ahead", "-m", "before the kills")
    rng = random.Random(28)
    landed, lost = set(), set()
    for attempt in range(KILLS):
        day = attempt + 1
        child = spawn("done", str(day), "--ahead", "-m", f"try {day}", stdin=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 1.2))
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        parsed = state(home)  # old or new, never broken or empty
        progress = parsed["days"].get(str(day))
        if progress is None:
            lost.add(str(day))
        else:  # a save that landed landed whole
            assert progress["done"] is True and progress["reflection"] == f"try {day}"
            assert str(day) in parsed["cards"]
            landed.add(str(day))
    print(f"random kills: {len(landed)} landed, {len(lost)} lost")
    # The kills fell both before and after the save (a `done` takes about 0.3 s on a laptop,
    # the kills come after 0.03 to 1.2 s); otherwise no kill could have hit a save.
    assert landed and lost
    check = spawn("done", "28", "--ahead", "-m", "the next command works")
    _, err = check.communicate(timeout=60)
    assert check.returncode == 0, err
    # No kill undid a save that had landed before it, and the next command's save landed.
    days = state(home)["days"]
    assert set(days) == landed | {"27", "28"}
    assert days["27"]["reflection"] == "before the kills"
    assert days["28"]["reflection"] == "the next command works"


def test_a_reset_killed_half_way_leaves_the_old_state(run, home, spawn, use_mini):
    """Killed when the state is saved, the reset leaves the state as it was: the start date
    and every day (the start is the plan's, saved in the same transaction)."""
    setup(run, "start", "2026-12-01")
    setup(run, "done", "1", "-m", "survives a crashed reset")
    before = (home / "state.toml").read_text()
    child = spawn(
        "reset", "--yes", now="2026-12-01T12:00", env={"ENG28_FAULT": "after-fsync:state.toml"}
    )
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    after = (home / "state.toml").read_text()
    assert after == before
    today = run("today")
    assert today.exit_code == 0 and "Started" not in today.stderr
    assert "1/3 days done" in run("plan").stdout
    assert "survives a crashed reset" in run("journal").stdout
