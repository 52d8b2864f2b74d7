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


def state_file(path: Path) -> dict:
    """The table of the state file (or copy) at `path`, with each plan's ratings from the
    review log beside it (`reviews.jsonl`, or `X.reviews.jsonl` beside a copy `X.toml`)
    under `reviews`, amendments applied: the state as one document, as schema 4 kept it."""
    import json

    data = tomllib.loads(path.read_text())
    name = "reviews.jsonl" if path.name == "state.toml" else path.stem + ".reviews.jsonl"
    log = path.with_name(name)
    raw = log.read_bytes() if log.exists() else b""
    folded = data.get("log_folded", 0)
    entries: dict[tuple[str, str], dict] = {}
    offset = 0
    for text in raw.splitlines(keepends=True):
        line = json.loads(text)
        plan = data.setdefault("plans", {}).setdefault(line["plan"], {})
        if "entry" in line:
            plan.setdefault("reviews", []).append(line["entry"])
            entry = entries[line["plan"], line["entry"]["id"]] = line["entry"]
        else:
            entry = entries[line["plan"], line["amend"]]
            entry.update({k: v for k, v in line.items() if k in ("note", "undone_at")})
        if "card" in line and offset >= folded:  # a rating saved since the state file was
            plan.setdefault("cards", {})[entry.get("card") or str(entry["card_id"])] = line["card"]
        offset += len(text)
    return data


def plan_state(home: Path) -> dict:
    """The state file's progress of its one plan (its ratings from the review log)."""
    return only_plan(state_file(home / "state.toml"))


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
