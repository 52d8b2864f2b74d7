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


def test_starting_the_plan_leaves_the_config_as_it_was(run, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(MINE)
    setup(run, "today")
    assert (home / "config.toml").read_text() == MINE  # the start is the plan's, in the state
    assert run("config", "start").stdout.strip() == "2026-12-01"


def test_config_shows_the_values_in_effect_and_marks_defaults(run, home):
    setup(run, "config", "review_fuzzing", "off")
    setup(run, "config", "rest_days", "saturday", "sun")
    shown = dict(line.split(" = ", 1) for line in run("config").stdout.splitlines())
    assert shown["review_fuzzing"] == "off"
    assert shown["rest_days"] == "sat sun"
    assert shown["pace"] == "calendar (default)"
    assert shown["plan"] == "the bundled plan (default)"
    assert shown["timezone"] == "the system's zone (default)"
    assert shown["pager"] == "on (default)"
    assert run("config", "pace").stdout == "calendar (default)\n"


def test_config_errors_are_in_eng28s_words(run):
    for args, message in (
        (("rollover_hour", "25"), "rollover_hour must be between 0 and 23, got 25"),
        (("pace", "fast"), "pace must be calendar or self, got 'fast'"),
        (("pager", "maybe"), "pager must be on or off, got 'maybe'"),
        (("grace_days", "9"), "grace_days must be between 0 and 7, got 9"),
    ):
        result = run("config", *args)
        assert result.exit_code == 1
        assert result.stderr == f"error: {message}\n"
