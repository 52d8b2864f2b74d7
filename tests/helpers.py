"""Small assertions shared by the test modules."""

import tomllib
from pathlib import Path


def nothing_recorded(home: Path) -> bool:
    """No day has been marked or written in the state file (it may exist for other reasons)."""
    path = home / "state.toml"
    return not path.exists() or tomllib.loads(path.read_text()).get("days", {}) == {}
