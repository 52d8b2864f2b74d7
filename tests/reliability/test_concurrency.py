"""Many eng28 processes at once: every update lands, the file always parses, and the prompt
never takes the lock."""

import fcntl
import os
import subprocess
import sys
import time
import tomllib

import pytest

from tests.helpers import only_plan, state_file

ROUNDS = 3
WRITERS_DONE = range(1, 9)  # 8 `done` writers
WRITERS_REVIEW = range(11, 14)  # 3 `review --rating` writers
WRITERS_UNDO = range(14, 17)  # 3 `undo` writers


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_parallel_writers_and_a_prompt_reader(run, home, spawn, round_):
    now = "2026-12-20T10:00"
    run("start", "2026-12-01", now=now)
    for day in [*WRITERS_REVIEW, *WRITERS_UNDO]:
        assert run("done", str(day), "-m", f"setup {day}", now="2026-12-17T10:00").exit_code == 0
    before = (home / "state.toml").read_text()
    writers = [spawn("done", str(d), "-m", f"parallel reflection {d} ✓") for d in WRITERS_DONE]
    writers += [spawn("review", str(d), "--rating", "good") for d in WRITERS_REVIEW]
    writers += [spawn("undo", str(d)) for d in WRITERS_UNDO]
    reads = parsed = 0
    while any(w.poll() is None for w in writers):
        text = (home / "state.toml").read_text()
        tomllib.loads(text)  # never half a file
        parsed += 1
        prompt = subprocess.run(
            [sys.executable, "-m", "eng28", "prompt"],
            capture_output=True,
            text=True,
            env={**os.environ, "ENG28_NOW": now},
            timeout=30,
        )
        assert prompt.returncode == 0 and prompt.stderr == ""
        reads += 1
    for w in writers:
        out, err = w.communicate()
        assert w.returncode == 0, err
    state = only_plan(state_file(home / "state.toml"))
    days = state["days"]
    for d in WRITERS_DONE:
        assert days[str(d)]["done"] is True
        assert days[str(d)]["reflection"] == f"parallel reflection {d} ✓"
        assert str(d) in state["cards"]
    reviewed = sorted(r["card_id"] for r in state["reviews"])
    assert reviewed == list(WRITERS_REVIEW)
    for d in WRITERS_UNDO:
        assert days[str(d)]["done"] is False and days[str(d)]["reflection"] == f"setup {d}"
        assert str(d) not in state["cards"]
    assert before != (home / "state.toml").read_text()
    assert reads >= 1 and parsed >= 1
    # The daily backup was made once, before the first save of the study day.
    assert len(list((home / "backups").glob("state-2026-12-20*.toml"))) == 1


def test_prompt_does_not_wait_for_the_lock(run, home):
    run("start", "2026-12-01")
    run("done", "-m", "x")
    with open(home / "state.toml.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a writer is mid-save
        started = time.monotonic()
        for args in (["prompt"], ["prompt", "--refresh"]):
            done = subprocess.run(
                [sys.executable, "-m", "eng28", *args],
                capture_output=True,
                text=True,
                timeout=20,
                env={**os.environ, "ENG28_NOW": "2026-12-02T10:00"},
            )
            assert done.returncode == 0 and done.stdout.strip()
        assert time.monotonic() - started < 20
