"""Many `eng28 config` processes at once: each read-modify-write of config.toml holds the config
lock, so no update is lost."""

import tomllib

import pytest

from tests.conftest import setup

ROUNDS = 2


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_parallel_config_writes_lose_no_update(run, home, spawn, mini_plan, round_):
    setup(run, "start", "2026-12-01")
    values = {
        "plan": [str(mini_plan)],
        "pace": ["self"],
        "rest_days": ["sun"],
        "rollover_hour": ["5"],
        "timezone": ["Europe/London"],
        "desired_retention": ["0.8"],
        "review_fuzzing": ["false"],
        "prompt_format": ["{day}/{total}"],
        "grace_days": ["2"],
    }
    # Twice each: 18 writers, two of them on every key.
    writers = [spawn("config", key, *value) for _ in range(2) for key, value in values.items()]
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    config = tomllib.loads((home / "config.toml").read_text())
    assert config == {
        "plan": str(mini_plan),
        "pace": "self",
        "rest_days": ["sun"],
        "rollover_hour": 5,
        "timezone": "Europe/London",
        "desired_retention": 0.8,
        "review_fuzzing": False,
        "prompt_format": "{day}/{total}",
        "grace_days": 2,
    }
    shown = run("config").stdout
    assert "pace = self" in shown and "timezone = Europe/London" in shown
