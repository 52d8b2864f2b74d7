"""The learner's state file: one human-readable TOML file, saved atomically under a lock.

Every save writes a temporary file in the same folder, fsyncs it and renames it over the old
one, so a reader (the shell prompt above all) sees the old or the new file and never half of
one. Writers take an exclusive flock on a separate lock file for the whole read-modify-write;
the kernel drops it when a process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eng28.errors import StateError
from eng28.models import SCHEMA_VERSION, State


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step: temp file, fsync, rename, fsync the folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StateError(f"{path.parent}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StateError(f"{path}: cannot save: {exc.strerror}") from None
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock that guards `path` (a sibling `.lock` file)."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StateError(f"{lock_path}: cannot open the lock file: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def load_state(path: Path) -> State:
    """The state in `path`, or an empty state when the file does not exist yet."""
    from pydantic import ValidationError

    from eng28.config import describe_validation_error

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return State()
    except IsADirectoryError:
        raise StateError(f"{path}: is a directory, expected the state file") from None
    except OSError as exc:
        raise StateError(f"{path}: cannot read the state file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise StateError(f"{path}: the state file is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise StateError(f"{path}: the state file is not valid TOML: {exc}") from None
    version = data.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise StateError(
            f"{path}: written by a newer eng28 (schema {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade eng28. The file was left untouched."
        )
    try:
        return State.model_validate(data)
    except ValidationError as exc:
        raise StateError(f"{path}: {describe_validation_error(exc)}") from None


def dump_state(state: State) -> str:
    import tomli_w

    data: dict[str, Any] = state.model_dump(mode="python", exclude_none=True)
    data["days"] = {str(n): p for n, p in sorted(data["days"].items())}
    data["cards"] = {str(n): c for n, c in sorted(data["cards"].items())}
    return tomli_w.dumps(data, multiline_strings=True)


def save_state(path: Path, state: State) -> None:
    atomic_write(path, dump_state(state).encode("utf-8"))


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[State]:
    """Load, let the caller change, and save the state, all under the lock. Nothing is saved
    if the block raises."""
    with locked(path):
        state = load_state(path)
        yield state
        save_state(path, state)
