"""The learner's state file: one human-readable TOML file, saved atomically under a lock.

Every save writes a temporary file in the same folder, fsyncs it and renames it over the old
one, so a reader (the shell prompt above all) sees the old or the new file and never half of
one. Writers take an exclusive lock (filelock: flock on POSIX, msvcrt on Windows) on a separate
lock file for the whole read-modify-write; the system drops it when a process dies, so a crash
never leaves a stale lock.

Before the first save of each study day the previous file is copied to `backups/` (the last
14 are kept). A file that cannot be read is never overwritten: the error names it, says what
is wrong and which backup to restore.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eng28 import files, views
from eng28.errors import StateError
from eng28.models import SCHEMA_VERSION, State

KEEP_BACKUPS = 14
BACKUP_DIR = "backups"


def atomic_write(path: Path, data: bytes) -> None:
    files.atomic_write(path, data, StateError)


#: A writer waits this long for the lock in silence, then says on stderr that it is waiting...
QUIET_WAIT = 1.0
#: ...and gives up after LOCK_TIMEOUT seconds in all (ENG28_LOCK_TIMEOUT overrides it).
LOCK_TIMEOUT = 30.0
LOCK_TIMEOUT_ENV = "ENG28_LOCK_TIMEOUT"


def _lock_timeout() -> float:
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return LOCK_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:  # NaN fails this too
        raise StateError(f"{LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds (e.g. 30 or 0.5)")
    return seconds


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock that guards `path` (a sibling `.lock` file).

    filelock takes it with flock on POSIX (the kernel drops it when the holder dies) and with
    msvcrt on Windows. A wait of more than QUIET_WAIT seconds is announced on stderr, so that
    a command blocked by another eng28 (or a sync) never hangs in silence; at the timeout this
    raises StateError before anything was changed. Ctrl-C while waiting raises
    KeyboardInterrupt as usual."""
    with warnings.catch_warnings():
        # Without flock (and off Windows) filelock falls back to a marker file and says so at
        # import; the learner can do nothing about it, so it must not reach their terminal.
        warnings.filterwarnings("ignore", "only soft file lock is available")
        from filelock import FileLock, Timeout

    lock_path = path.with_name(path.name + ".lock")
    timeout = _lock_timeout()
    lock = FileLock(lock_path, mode=0o600)
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock.acquire(timeout=min(timeout, QUIET_WAIT))
        except Timeout:
            if timeout <= QUIET_WAIT:
                raise
            sys.stderr.write(f"waiting: another eng28 (or a sync) holds the lock on {lock_path}…\n")
            sys.stderr.flush()
            lock.acquire(timeout=timeout - QUIET_WAIT)
    except Timeout:  # a TimeoutError, hence before OSError
        raise StateError(
            f"{lock_path}: another eng28 (or a sync) has held the lock for {timeout:g} s; "
            "nothing was changed, try again"
        ) from None
    except OSError as exc:
        raise StateError(f"{lock_path}: cannot open the lock file: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


# --- reading, schema versions ------------------------------------------------------------


def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 keeps, with each earlier (replaced) reflection, when it was written; for old
    files the best guess is the day's last change."""
    for progress in data.get("days", {}).values():
        if isinstance(progress, dict) and progress.get("earlier"):
            when = progress.get("changed_at")
            progress["earlier"] = [
                {"text": text, "written_at": when} if isinstance(text, str) else text
                for text in progress["earlier"]
            ]
    return data


#: MIGRATIONS[n] turns a schema-n document into a schema-(n+1) one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}


def parse_state(raw: bytes, path: Path) -> tuple[State, int]:
    """The state in `raw` (migrated to the current schema) and the schema it was written in.
    Raises StateError with a message that names `path` and what is wrong."""
    from pydantic import ValidationError

    from eng28.config import describe_validation_error

    data = files.parse_toml(raw, str(path), StateError)
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise StateError(f"{path}: schema_version must be a whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise StateError(
            f"{path}: written by a newer eng28 (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade eng28. The file was left untouched."
        )
    for step in range(version, SCHEMA_VERSION):
        data = MIGRATIONS[step](data)
    data["schema_version"] = SCHEMA_VERSION
    try:
        return State.model_validate(data), version
    except ValidationError as exc:
        raise StateError(f"{path}: {describe_validation_error(exc)}") from None


def read_state(path: Path) -> tuple[State, int]:
    """The state in `path` and the schema it was written in (see parse_state); an empty state
    when there is no file yet."""
    raw = files.read_bytes(path, "state", StateError)
    if raw is None:
        return State(), SCHEMA_VERSION
    try:
        return parse_state(raw, path)
    except StateError as exc:
        raise StateError(f"{exc}{_restore_hint(path)}") from None


def load_state(path: Path) -> State:
    """The state in `path`, or an empty state when the file does not exist yet."""
    return read_state(path)[0]


def dump_state(state: State) -> str:
    import tomli_w

    data: dict[str, Any] = state.model_dump(mode="python", exclude_none=True)
    data["days"] = {str(n): p for n, p in sorted(data["days"].items())}
    data["cards"] = {str(n): c for n, c in sorted(data["cards"].items())}
    return tomli_w.dumps(data, multiline_strings=True)


def save_state(path: Path, state: State) -> None:
    atomic_write(path, dump_state(state).encode("utf-8"))
    views.invalidate()


# --- backups ----------------------------------------------------------------------------


@dataclass
class Backup:
    number: int  # 1 is the newest
    path: Path
    state: State | None  # None: the backup itself cannot be read
    problem: str | None = None


def backup_dir(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def _newest_first(folder: Path) -> list[Path]:
    """Backups by the age of what they hold (a copy keeps its source's mtime), newest first."""

    def age(file: Path) -> tuple[int, str]:
        try:
            return file.stat().st_mtime_ns, file.name
        except OSError:
            return 0, file.name

    return sorted(folder.glob("state-*.toml"), key=age, reverse=True)


def list_backups(path: Path) -> list[Backup]:
    """Backups of `path`, newest first, each with its state (or why it cannot be read)."""
    found = _newest_first(backup_dir(path))
    backups = []
    for number, file in enumerate(found, start=1):
        try:
            raw = files.read_bytes(file, "backup", StateError) or b""
            backups.append(Backup(number, file, parse_state(raw, file)[0]))
        except StateError as exc:
            backups.append(Backup(number, file, None, str(exc)))
    return backups


def _restore_hint(path: Path) -> str:
    good = next((b for b in list_backups(path) if b.state is not None), None)
    if good is None:
        return " (no backup to restore; the file was left untouched: fix it by hand)"
    return (
        f"; the file was left untouched. The newest good backup is {good.path}: restore it "
        f"with `eng28 backup restore {good.number}`"
    )


def _backup_name(when: date, tag: str = "") -> str:
    return f"state-{when.isoformat()}{'-' + tag if tag else ''}.toml"


def backup_now(path: Path, when: date, tag: str = "") -> Path | None:
    """Copy the current state file into the backups (pruned to the newest 14)."""
    if not path.is_file():
        return None
    folder = backup_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _backup_name(when, tag)
    counter = 1
    while tag and target.exists():
        counter += 1
        target = folder / _backup_name(when, f"{tag}{counter}")
    raw = files.read_bytes(path, "state", StateError) or b""
    atomic_write(target, raw)
    # A backup keeps its source's time: backups are ordered by the age of what they hold.
    info = path.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    for old in _newest_first(folder)[KEEP_BACKUPS:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _daily_backup(path: Path, today: date) -> None:
    folder = backup_dir(path)
    if path.is_file() and not (folder / _backup_name(today)).exists():
        try:
            backup_now(path, today)
        except OSError as exc:
            raise StateError(f"{folder}: cannot write the daily backup: {exc.strerror}") from None


@contextlib.contextmanager
def transaction(path: Path, today: date) -> Iterator[State]:
    """Load, let the caller change, and save the state, all under the lock. Nothing is saved
    if the block raises. The first save of each study day backs the old file up first; a file
    written by an older eng28 is backed up before it is rewritten in the new schema."""
    with locked(path):
        files.remove_stale_temp_files(path)
        state, version = read_state(path)
        yield state
        if version < SCHEMA_VERSION:
            backup_now(path, today, f"schema{version}")
        _daily_backup(path, today)
        save_state(path, state)


def restore(path: Path, number: int, today: date, now: datetime) -> tuple[Backup, Path | None]:
    """Put backup `number` in place of the state file. The current file is backed up first,
    or, if it cannot be read, moved aside; it is never simply overwritten."""
    with locked(path):
        backups = list_backups(path)
        chosen = next((b for b in backups if b.number == number), None)
        if chosen is None:
            raise StateError(
                f"there is no backup {number}; `eng28 backup list` shows {len(backups)} backup(s)"
            )
        if chosen.state is None:
            raise StateError(f"backup {number} cannot be used: {chosen.problem}")
        data = files.read_bytes(chosen.path, "backup", StateError) or b""
        kept = None
        if path.exists():
            try:
                parse_state(files.read_bytes(path, "state", StateError) or b"", path)
                kept = backup_now(path, today, "before-restore")
            except (StateError, OSError):
                kept = path.with_name(f"state.broken-{now:%Y%m%dT%H%M%S}.toml")
                os.replace(path, kept)
        atomic_write(path, data)
        return chosen, kept
