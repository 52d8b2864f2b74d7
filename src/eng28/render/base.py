"""What every screen and message uses: the consoles, outside text made safe, plain lines,
JSON and errors."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from eng28.text import printable


def safe(text: str) -> str:
    """Outside text as rich markup: no escape sequences, no markup of its own."""
    return escape(printable(text))


#: Prose wider than this is hard to read; wide terminals get this many columns.
MAX_WIDTH = 100
#: Narrower than this (a COLUMNS of 0, say) nothing at all fits: draw for 80 columns instead.
MIN_WIDTH = 4


def without_trailing_spaces(text: str) -> str:
    """`text` as `_StripTrailing` passes it on."""
    lines = text.split("\n")
    last = lines.pop()
    return "".join(line.rstrip(" ") + "\n" for line in lines) + last


class _StripTrailing:
    """A text stream that drops the spaces rich pads lines with: piped output has no trailing
    whitespace."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        if lines:
            self.stream.write("".join(line.rstrip(" ") + "\n" for line in lines))  # type: ignore[attr-defined]
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.stream.write(self.pending)  # type: ignore[attr-defined]
            self.pending = ""
        self.stream.flush()  # type: ignore[attr-defined]

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"


def console(stderr: bool = False) -> Console:
    out = Console(stderr=stderr, highlight=False)
    if out.width > MAX_WIDTH:
        out.width = MAX_WIDTH
    elif out.width < MIN_WIDTH:
        out.width = 80
    if not out.is_terminal:
        out.file = _StripTrailing(out.file)  # type: ignore[assignment]
    return out


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


def duration(minutes: int) -> str:
    """125 → "2 h 05 min"; 40 → "40 min"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def error(message: str) -> None:
    plain(f"error: {message}", stderr=True)


def print_json(data: object) -> None:
    import json
    import sys

    from eng28.text import json_for_terminal

    sys.stdout.write(json_for_terminal(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
