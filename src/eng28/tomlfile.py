"""TOML files read with errors that say which file, and which byte or line.

Not in `files`: the fast path's modules take the standard library alone, and TOML is read
with tomli (the standard library's tomllib, compiled: see pyproject.toml)."""

from __future__ import annotations

import os
from typing import Any

from eng28.errors import Eng28Error
from eng28.files import read_bytes


def parse_toml(raw: bytes, name: str, error: type[Eng28Error] = Eng28Error) -> dict[str, Any]:
    """TOML bytes read from `name`; errors say which file, and which byte or line."""
    import tomli

    try:
        return tomli.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{name}: not UTF-8 text (byte {exc.start})") from None
    except tomli.TOMLDecodeError as exc:
        raise error(f"{name}: invalid TOML: {exc}") from None


def read_toml(
    path: str | os.PathLike[str], what: str, error: type[Eng28Error] = Eng28Error
) -> dict[str, Any] | None:
    """The TOML table in the file at `path`, or None when there is no file."""
    raw = read_bytes(path, what, error)
    return None if raw is None else parse_toml(raw, os.fspath(path), error)
