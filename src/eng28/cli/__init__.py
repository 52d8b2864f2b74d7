"""The command line: only this package imports typer. `app` holds the exit point; `study`,
`practice`, `records` and `site` add the commands to it, in the order the help lists them."""

# isort: off
from eng28.cli import study  # noqa: F401 - registers the day's commands, listed first
from eng28.cli import practice  # noqa: F401 - registers exercise and check
from eng28.cli import records  # noqa: F401 - registers the commands that keep and review
from eng28.cli import site  # noqa: F401 - registers publish, share and unshare
from eng28.cli.app import app, main

# isort: on

__all__ = ["app", "main"]
