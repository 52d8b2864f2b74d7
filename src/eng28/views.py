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
    files.atomic_write(paths.views_file(), ("\n".join(body) + "\n").encode("utf-8"), durable=False)


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
        fields = files.loads_json(self.data)
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


# --- screens ------------------------------------------------------------------------------
#
# The screens of `eng28` and `eng28 today`, as the full CLI drew them (`usecases.segments`
# keeps them), each valid until the next rollover and only for the same inputs. The file
# (`paths.screens_file()`), beside the prompt cache but apart from it, so that the shell hooks
# never read it and a screen kept by one command never overwrites the segments another wrote:
#     eng28-screens 1
#     <name><TAB><until, Unix time><TAB><inputs><TAB><key><TAB><length in characters>
#     <the screen, exactly as written to stdout: that many characters>
#     ...                                        (one such pair per screen kept, newest first)
# <inputs> are the files the screen was drawn from (config, state, plan), joined by RS; <key>
# is `screen_key` of them as the writer saw them. The file is untrusted: a reader prints a
# screen only when its key equals its own, and only escape sequences eng28 draws (SGR colours
# and OSC 8 links), else it takes the full path.

SCREENS_MAGIC = "eng28-screens 1"
SCREENS_MAX_BYTES = 1024 * 1024
#: Screens kept at once (several terminals of other widths, colour and not).
KEEP_SCREENS = 6
#: Screens that depend on the terminal's size and colours (the others are plain lines).
SIZED = ("today",)
_RS, _US = "\x1e", "\x1f"
#: What decides the plan and the moment (besides the files), and what rich reads to decide
#: the width, the height, the colours and whether stdout is a terminal.
_PLAN_ENVIRONMENT = ("ENG28_PLAN", "ENG28_NOW", "TZ")
_TERMINAL_ENVIRONMENT = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "DATABRICKS_RUNTIME_VERSION",
)


def _file_key(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"


def screen_key(name: str, inputs: list[str]) -> str:
    """Everything the screen `name` is drawn from, as one line: eng28's version, the files
    (size, modification time, inode: an atomic write makes a new one), the environment, and
    for a sized screen the terminal (stdout a terminal, its size, its encoding)."""
    from eng28 import __version__

    environ = os.environ
    parts = [__version__, name, *(_file_key(path) for path in inputs)]
    parts += [f"{var}={environ.get(var, '')}" for var in _PLAN_ENVIRONMENT]
    plan = environ.get("ENG28_PLAN", "")
    if plan and not os.path.isabs(plan):
        parts.append(os.getcwd())  # a relative ENG28_PLAN names another plan elsewhere
    out = sys.stdout
    parts.append(f"{getattr(out, 'encoding', None)}:{getattr(out, 'errors', None)}")
    if name in SIZED:
        parts += [f"{var}={environ.get(var, '')}" for var in _TERMINAL_ENVIRONMENT]
        try:
            parts.append(str(out.isatty()))
        except ValueError:
            parts.append("closed")
        size = "-"
        for fd in (0, 1, 2):  # the order rich asks in
            try:
                size = "{}x{}".format(*os.get_terminal_size(fd))
                break
            except (OSError, ValueError):
                continue
        parts.append(size)
    return _US.join(parts)


def _has_controls(text: str) -> bool:
    """Whether `text` holds a control character other than newline and tab."""
    if text.isprintable():
        return False
    return len(text.translate(_controls())) != len(text)


_CONTROL_TABLE: dict[int, None] = {}


def _controls() -> dict[int, None]:
    if not _CONTROL_TABLE:
        codes = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
        _CONTROL_TABLE.update({code: None for code in codes if code not in (0x09, 0x0A)})
    return _CONTROL_TABLE


def drawn_by_eng28(text: str) -> bool:
    """Whether every escape sequence in `text` is one eng28 draws: SGR (ESC [ digits and
    semicolons m) and OSC 8 hyperlinks (ESC ] 8 ; id=… ; URL ESC \\), and nothing else is a
    control character but newline and tab."""
    index, end = 0, len(text)
    while True:
        found = text.find("\x1b", index)
        if _has_controls(text[index : end if found < 0 else found]):
            return False
        if found < 0:
            return True
        if text.startswith("[", found + 1):
            close = text.find("m", found + 2)
            if close < 0 or text[found + 2 : close].strip("0123456789;"):
                return False
            index = close + 1
        elif text.startswith("]8;", found + 1):
            close = text.find("\x1b\\", found + 4)
            if close < 0:
                return False
            params, sep, url = text[found + 4 : close].partition(";")
            if not sep or _has_controls(url) or "\t" in url or "\n" in url:
                return False
            if params and not (params.startswith("id=") and not params[3:].strip("0123456789-")):
                return False
            index = close + 2
        else:
            return False


def _screen_entries(data: str) -> list[tuple[str, str, str, str, str]] | None:
    """(name, until, inputs, key, screen) of each entry, or None when the file is damaged."""
    if not data.startswith(SCREENS_MAGIC + "\n"):
        return None
    entries = []
    index = len(SCREENS_MAGIC) + 1
    while index < len(data):
        newline = data.find("\n", index)
        if newline < 0:
            return None
        fields = data[index:newline].split("\t")
        if len(fields) != 5 or not fields[1].isdecimal() or not fields[4].isdecimal():
            return None
        start = newline + 1
        stop = start + int(fields[4])
        if data[stop : stop + 1] != "\n":
            return None
        name, until, inputs, key, _ = fields
        entries.append((name, until, inputs, key, data[start:stop]))
        index = stop + 1
    return entries


def _read_screens() -> list[tuple[str, str, str, str, str]] | None:
    raw = files.read_bytes(paths.screens_file(), "screen cache", limit=SCREENS_MAX_BYTES)
    return None if raw is None else _screen_entries(raw.decode("utf-8"))


def _timestamp() -> float:
    from eng28 import clock

    return clock.timestamp()


def screen(name: str) -> str | None:
    """The screen `name` as kept for exactly this moment, these files, this environment and
    this terminal, or None. Raises nothing."""
    try:
        entries = _read_screens()
        if not entries:
            return None
        now = None if os.environ.get("ENG28_NOW") else _timestamp()
        for entry_name, until, inputs, key, text in entries:
            if entry_name != name or (now is not None and now >= int(until)):
                continue  # under ENG28_NOW the key holds the moment: it never passes
            if key == screen_key(name, inputs.split(_RS)):
                return text if drawn_by_eng28(text) else None
    except Exception:  # noqa: BLE001 - a damaged cache is only a cache: the full path draws
        return None
    return None


def serve_screen(name: str) -> bool:
    """Print the screen `name` if one is kept for this very run; False when the full path
    must draw it."""
    text = screen(name)
    if text is None:
        return False
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (LookupError, UnicodeEncodeError):
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def keep_screen(name: str, text: str, inputs: list[str], key: str, until: float) -> None:
    """Keep `text`, the screen `name` just drawn from `inputs` whose `screen_key` was `key`
    before they were read, valid until `until` (a rollover). Older screens of other keys stay,
    up to KEEP_SCREENS; those whose time has passed go."""
    fields = [name, str(int(until)), _RS.join(inputs), key]
    if any(ch in field for field in fields for ch in ("\t", "\n")) or any(_RS in p for p in inputs):
        return  # a path or a variable that cannot be written on one line: not kept
    try:
        kept = _read_screens() or []
    except Exception:  # noqa: BLE001 - a damaged cache is replaced
        kept = []
    now = _timestamp()
    kept = [
        entry
        for entry in kept
        if not (entry[0] == name and entry[3] == key)
        and (os.environ.get("ENG28_NOW") or now < int(entry[1]))
    ]
    entries = [(*fields, text), *kept][:KEEP_SCREENS]
    body = [SCREENS_MAGIC + "\n"]
    for *head, screen_text in entries:
        body.append("\t".join([*head, str(len(screen_text))]) + "\n" + screen_text + "\n")
    files.atomic_write(paths.screens_file(), "".join(body).encode("utf-8"), durable=False)


def drop_screens() -> None:
    """Forget every kept screen (after a write of state or config)."""
    import contextlib

    with contextlib.suppress(OSError):
        os.unlink(paths.screens_file())
