"""The config file stays the learner's own: eng28 edits only the key it was asked to."""

import tomllib

from tests.conftest import setup

MINE = """# my eng28 settings
rest_days = ["sat", "sun"]   # weekends off

# I like my prompt short
prompt_format = "{day}"
"""


def test_a_config_write_keeps_comments_order_and_unwritten_defaults(run, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(MINE)
    setup(run, "config", "rollover_hour", "5")
    text = (home / "config.toml").read_text()
    assert text.startswith(MINE)  # everything the learner wrote, as written
    assert text.count("rollover_hour = 5") == 1
    for default in ("desired_retention", "grace_days", "pace", "pager"):
        assert default not in text  # defaults never written, so a new default reaches them
    setup(run, "config", "prompt_format", "--unset")
    text = (home / "config.toml").read_text()
    assert "prompt_format" not in text and "# weekends off" in text
    assert tomllib.loads(text) == {"rest_days": ["sat", "sun"], "rollover_hour": 5}


def test_starting_the_plan_adds_only_the_start(run, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(MINE)
    setup(run, "today")
    text = (home / "config.toml").read_text()
    assert text.startswith(MINE)
    assert tomllib.loads(text).keys() == {"rest_days", "prompt_format", "start"}
