"""Text from outside eng28 (a plan, an import, a sync remote) made safe for a terminal.

Standard library only. A control character or an escape sequence in a title, a URL or a synced
reflection could move the cursor, retitle the terminal or hide text; before anything reaches a
terminal they are taken out: ESC sequences (CSI, OSC and the like) whole, other C0 and C1
controls and DEL one by one. Tabs and newlines stay where a caller allows them.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # `typing` costs `eng28 prompt --format=...` milliseconds (see views)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC ... ST
    r"|\x1b[ -/]*[0-~]?"  # other escapes
    r"|[\x9b\x9d\x90\x98\x9e\x9f]"  # C1 introducers
)
_CONTROLS = {c: None for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]}


def printable(text: str, keep: str = "\n\t") -> str:
    """`text` without escape sequences and control characters (except those in `keep`)."""
    if text.isprintable():
        return text
    table = {k: v for k, v in _CONTROLS.items() if chr(k) not in keep}
    return _SEQUENCE.sub("", text).translate(table)


_C1_IN_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080..U+009F, and only they
_C1 = re.compile("[\x80-\x9f]")


def json_for_terminal(text: str) -> str:
    """JSON `text` with each C1 control character (U+0080..U+009F) written as its `\\u`
    escape: the same JSON value, but nothing a terminal would take as a CSI or an OSC. JSON
    writers escape C0 controls themselves and leave C1 as they are; outside a string JSON is
    ASCII, so every such character stands inside a string and the escape is exact."""
    if text.isascii() or _C1.search(text) is None:  # a scan, not a copy, in the common case
        return text
    return _C1.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def json_bytes_for_terminal(data: bytes) -> bytes:
    """`json_for_terminal` for UTF-8 JSON bytes (whole characters: a piece of a longer text
    must not end inside one)."""
    if b"\xc2" not in data:
        return data
    return _C1_IN_UTF8.sub(lambda found: b"\\u%04x" % found[0][1], data)


#: What text from a file may not hold where a terminal, a state file or a calendar shows it:
#: C0 controls but tab, newline and carriage return (a file edited on Windows), DEL and C1.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def holds_controls(data: Any) -> bool:
    """Whether any string in a table read from TOML or JSON (keys too) holds a control
    character: a quick pass; `find_controls` says where (a year's plan costs it three times
    as much)."""
    search, left = _UNPRINTABLE.search, [data]
    while left:
        value = left.pop()
        if type(value) is str:
            if search(value):
                return True
        elif type(value) is dict:
            left += value
            left += value.values()
        elif type(value) is list:
            left += value
    return False


def find_controls(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Where each string of such a table holding a control character is (the keys and
    positions leading to it; a key's is its table's) and what it holds."""
    if isinstance(data, str):
        found = _UNPRINTABLE.search(data)
        if found is not None:
            name = control_name(found.group())
            yield loc, f"contains a control character ({name}) at position {found.start()}"
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from find_controls(key, loc)
            yield from find_controls(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from find_controls(value, (*loc, index))


_ESCAPE = re.compile(rb"\\[ubf]")
_HEX4 = re.compile(rb"[0-9a-fA-F]{4}")


def json_may_hold_controls(raw: bytes, start: int = 0) -> bool:
    """Whether JSON bytes (from `start`) may hold a control character in a string, told from
    the bytes rather than string by string (a year's plan has 20,000). A JSON string holds a C0
    control only escaped (`\\u001b`, `\\b`, `\\f`; unescaped, the parser refuses it), DEL and
    C1 as they are or escaped. An escape is a backslash after an even run of them (`\\\\b` is
    a backslash and a b, as a text with `\\bword\\b` in it is written); a surrogate escape
    counts as one too, which no copy eng28 wrote holds."""
    if raw.find(b"\x7f", start) >= 0:
        return True
    if raw.find(b"\xc2", start) >= 0 and _C1_IN_UTF8.search(raw, start) is not None:
        return True
    for found in _ESCAPE.finditer(raw, start):
        at = run = found.start()
        while run > start and raw[run - 1] == 0x5C:  # the backslashes before this one
            run -= 1
        if (at - run) % 2:
            continue  # itself escaped: a backslash, then a letter
        if raw[at + 1] != 0x75 or not _HEX4.fullmatch(raw, at + 2, at + 6):
            return True  # \b or \f, or an escape the parser refuses
        code = int(raw[at + 2 : at + 6], 16)
        if code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
            return True
    return False


def one_line(text: str) -> str:
    """`printable` text on one line: newlines and tabs become spaces."""
    return printable(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "), keep="")


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '0 days'; `many` for words that do not just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def without_controls(text: str, keep: str = "\n\t") -> tuple[str, list[str]]:
    """`text` with every control character (C0, DEL, C1) taken out one by one, except those
    in `keep`, and the names of those taken out (each once, in order of appearance): typed or
    pasted text keeps every printable character, even after a stray ESC."""
    if text.isprintable():
        return text, []
    removed: list[str] = []
    kept = []
    for char in text:
        code = ord(char)
        if (code < 0x20 or 0x7F <= code < 0xA0) and char not in keep:
            name = control_name(char)
            if name not in removed:
                removed.append(name)
        else:
            kept.append(char)
    return "".join(kept), removed


def control_name(char: str) -> str:
    """How a control character is shown: ESC, ^H, ^?, U+0085."""
    code = ord(char)
    if code == 0x1B:
        return "ESC"
    if code < 0x20:
        return "^" + chr(code + 0x40)
    return "^?" if code == 0x7F else f"U+{code:04X}"
