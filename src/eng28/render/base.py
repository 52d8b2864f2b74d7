"""What every screen and message uses: the consoles, outside text made safe, plain lines,
JSON and errors."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from eng28.text import printable


def safe(text: str) -> str:
    """Outside text as rich markup: no escape sequences, no markup of its own."""
    return escape(printable(text))


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def out() -> Console:
    return console()


def err() -> Console:
    return console(stderr=True)


def plain(*lines: str, stderr: bool = False) -> None:
    """Lines as they are (outside text made safe), without markup or wrapping."""
    import sys

    stream = sys.stderr if stderr else sys.stdout
    for line in lines:
        stream.write(printable(line) + "\n")


def error(message: str) -> None:
    plain(f"error: {message}", stderr=True)


def print_json(data: object) -> None:
    import json
    import sys

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
