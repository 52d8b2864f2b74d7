"""Errors the learner sees. Each carries its full one-line message; `cli` prints it and exits."""


class Eng28Error(Exception):
    """Base error: printed as `error: <message>` on stderr, exit code 1."""

    exit_code = 1


class UsageError(Eng28Error):
    """A value on the command line that cannot be understood (exit code 2)."""

    exit_code = 2


class PlanError(Eng28Error):
    """The plan file is missing, not TOML, or not a valid plan."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class ConfigError(Eng28Error):
    """The config file or a config value is invalid."""


class StateError(Eng28Error):
    """The state file cannot be read or written."""


class EditorError(Eng28Error):
    """The editor could not be started or failed."""
