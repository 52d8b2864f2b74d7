"""eng28: a command-line companion for The 28-Day Engineering Plan."""

__version__ = "0.1.0"
