"""A wrong ENG28_LOCK_TIMEOUT is one line of error, and nothing is recorded."""

from tests.conftest import setup
from tests.helpers import nothing_recorded


def test_a_bad_lock_timeout_is_one_line(run, home, use_mini):
    setup(run, "start")
    result = run("done", "-m", "text", env={"ENG28_LOCK_TIMEOUT": "soon"})
    assert result.exit_code == 1
    assert result.stderr == (
        "error: ENG28_LOCK_TIMEOUT='soon' is not a number of seconds (e.g. 30 or 0.5)\n"
    )
    assert nothing_recorded(home)
