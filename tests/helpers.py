"""Small assertions shared by the test modules."""

import tomllib
from pathlib import Path


def nothing_recorded(home: Path) -> bool:
    """No day has been marked or written in the state file (it may exist for other reasons)."""
    path = home / "state.toml"
    return not path.exists() or tomllib.loads(path.read_text()).get("days", {}) == {}


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
