"""The command line: only this package imports typer. `app` holds the exit point; `study` and
`records` add the commands to it."""

from eng28.cli import records, study  # noqa: F401 - registers the commands
from eng28.cli.app import app, main

__all__ = ["app", "main"]
