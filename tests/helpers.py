"""Small assertions shared by the test modules."""

import tomllib
from pathlib import Path


def nothing_recorded(home: Path) -> bool:
    """No day has been marked or written in the state file (it may exist for other reasons)."""
    path = home / "state.toml"
    if not path.exists():
        return True
    plans = tomllib.loads(path.read_text()).get("plans", {})
    return all(plan.get("days", {}) == {} for plan in plans.values())


def only_plan(state: dict) -> dict:
    """The progress of the one plan a state (a file's or an export's) holds."""
    plans = state["plans"]
    assert len(plans) == 1, f"expected one plan's progress, found {sorted(plans)}"
    return next(iter(plans.values()))


def plan_state(home: Path) -> dict:
    """The state file's progress of its one plan."""
    return only_plan(tomllib.loads((home / "state.toml").read_text()))


def spawn_eng28(*args: str, now: str):
    """eng28 in a real pseudo-terminal, with the test's home and the given clock."""
    import os
    import sys

    import pexpect

    env = {**os.environ, "ENG28_NOW": now, "COLUMNS": "100"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "eng28", *args],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )


def finish(child) -> int:
    """Wait for a spawned eng28 to end; its exit status."""
    import pexpect

    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus
