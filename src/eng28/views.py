"""What the shell prompt shows, as the domain computed it. Standard library only.

The full CLI (`usecases.segments`) writes the prompt cache whenever it writes state or config,
and whenever its lines have run out: one line for each of the next study days, each valid until
that day's rollover boundary. `eng28 prompt` and the bash, zsh and fish hooks only pick the
first line whose time has not passed; no rule about days, status or due reviews lives here.

The file (`paths.views_file()`):
    eng28-prompt 2
    plan=<ENG28_PLAN as the writer saw it>     (a reader with another value takes the full path)
    zone=<the learner's IANA zone, or empty>   (for a naive ENG28_NOW)
    clock=real|fixed                           (fixed: written under ENG28_NOW, which only a
                                                reader under ENG28_NOW may use)
    <until, Unix time><TAB><fields as JSON><TAB><segment>     (one line per study day)
The segment comes last so that shells that split on tabs never lose an empty one.
"""

from __future__ import annotations

import os
import sys

from eng28 import files, paths

TYPE_CHECKING = False  # `typing` itself costs the fast path milliseconds

if TYPE_CHECKING:  # the fast path imports no more than it uses: not typing, json or re
    from typing import Any

MAGIC = "eng28-prompt 3"
FIELDS = ("day", "total", "track", "title", "due", "status")
STATUSES = ("todo", "done", "rest", "paused", "finished")
MAX_BYTES = 256 * 1024

#: Set when this process writes state or config: the CLI then rewrites the prompt cache.
changed = False


def invalidate() -> None:
    global changed
    changed = True


def default_segment(fields: dict[str, Any]) -> str:
    due = f"⟳{fields['due']}" if fields["due"] else ""
    if fields["status"] == "finished":
        return due
    if fields["status"] in ("rest", "paused"):
        return " ".join(p for p in (fields["status"], due) if p)
    mark = "✓" if fields["status"] == "done" else ""
    return " ".join(p for p in (f"D{fields['day']:02d}", fields["track"], mark, due) if p)


def render_format(fmt: str, fields: dict[str, Any]) -> str:
    """A learner's format such as "{day}/{total} {track}"; ValueError names the problem."""
    try:
        return fmt.format_map(fields)
    except KeyError as exc:
        raise ValueError(
            f"unknown prompt field {exc.args[0]!r} (fields: {', '.join(FIELDS)})"
        ) from None
    except (ValueError, IndexError, AttributeError, TypeError) as exc:
        raise ValueError(f"bad prompt format {fmt!r}: {exc}") from None


def segment(fields: dict[str, Any] | None, fmt: str | None) -> str:
    from eng28.text import one_line

    if fields is None:
        return ""
    return one_line(render_format(fmt, fields) if fmt else default_segment(fields))[:200]


def plan_variable() -> str:
    """ENG28_PLAN as the cache records it (on one line)."""
    value = os.environ.get("ENG28_PLAN", "")
    return " ".join(value.splitlines())


def write(lines: list[tuple[float, dict[str, Any] | None]], fmt: str | None, zone: str) -> None:
    """Replace the prompt cache with one line per (valid until, fields or None)."""
    import json

    from eng28.text import one_line

    body = [MAGIC, f"plan={plan_variable()}", f"zone={one_line(zone)}", f"clock={_clock()}"]
    for until, fields in lines:
        data = json.dumps(fields, ensure_ascii=False)
        body.append(f"{int(until)}\t{data}\t{segment(fields, fmt)}")
    files.atomic_write(paths.views_file(), ("\n".join(body) + "\n").encode("utf-8"))


def _clock() -> str:
    return "fixed" if os.environ.get("ENG28_NOW") else "real"


def _now(zone: str) -> float:
    from eng28 import clock

    if zone and clock.fixed():  # only a naive ENG28_NOW needs the learner's zone
        from zoneinfo import ZoneInfo

        return clock.now(ZoneInfo(zone)).timestamp()
    return clock.timestamp()


def read() -> tuple[str, _Fields] | None:
    """(segment, fields) of the first line still valid, or None: no such line, or a cache
    written for another ENG28_PLAN or damaged. Raises nothing."""
    try:
        raw = files.read_bytes(paths.views_file(), "prompt cache", limit=MAX_BYTES)
        if raw is None:
            return None
        lines = raw.decode("utf-8").split("\n")
        if lines[0] != MAGIC or lines[1] != f"plan={plan_variable()}":
            return None
        if lines[3] == "clock=fixed" and _clock() == "real":
            return None  # days made up under ENG28_NOW are not today's
        now = _now(lines[2].removeprefix("zone="))
        for line in lines[4:]:
            if not line:
                break
            until, data, text = line.split("\t", 2)
            if now < int(until):
                return text, _Fields(data)
    except Exception:  # noqa: BLE001 - a damaged cache is only a cache: the full path rebuilds it
        return None
    return None


class _Fields:
    """A line's fields, parsed from JSON only when a format asks for them."""

    def __init__(self, data: str) -> None:
        self.data = data

    def load(self) -> dict[str, Any] | None:
        import json

        fields = json.loads(self.data)
        return fields if isinstance(fields, dict) else None


def format_option(args: list[str]) -> str | None:
    """The value of `--format FMT` or `--format=FMT`, if given."""
    for index, arg in enumerate(args):
        if arg == "--format" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--format="):
            return arg[len("--format=") :]
    return None


def show(text: str, fields: dict[str, Any] | _Fields | None, fmt: str | None) -> None:
    """Print the segment (or `fmt` rendered from its fields); nothing when it is empty. A bad
    format prints nothing either: a prompt must never break a shell."""
    if fmt is not None:
        try:
            shown = segment(fields.load() if isinstance(fields, _Fields) else fields, fmt)
        except ValueError:
            return
    else:
        shown = text
    if shown:
        try:
            sys.stdout.write(shown + "\n")
        except UnicodeEncodeError:  # a pipe in a legacy code page: ⟳ and ✓ cannot pass
            encoding = sys.stdout.encoding or "ascii"
            sys.stdout.write((shown + "\n").encode(encoding, "replace").decode(encoding))


def serve(args: list[str]) -> bool:
    """`eng28 prompt [--format FMT]` from the cache alone; False when the full path must
    compute it (no valid line)."""
    found = read()
    if found is None:
        return False
    show(*found, format_option(args))
    return True
