"""The learner's state file: one human-readable TOML file, saved atomically under a lock.

Every save writes a temporary file in the same folder, fsyncs it and renames it over the old
one, so a reader (the shell prompt above all) sees the old or the new file and never half of
one. Writers take an exclusive lock (filelock: flock on POSIX, msvcrt on Windows) on a separate
lock file for the whole read-modify-write; the system drops it when a process dies, so a crash
never leaves a stale lock.

Before the first save of each study day the previous file is copied to `backups/` as
`state-YYYY-MM-DD.toml` (the last 14 are kept). Safety copies made before a restore, a sync or
a schema upgrade sit beside them, tagged (`state-YYYY-MM-DD-before-sync.toml`), under names no
other copy can take; each kind keeps its own newest 20, so that neither kind pushes the other
out. A file that cannot be read is never overwritten: the error names it, says what is wrong
and which backup to restore.
"""

from __future__ import annotations

import contextlib
import glob
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from eng28 import files, views
from eng28.errors import Eng28Error, StateError
from eng28.models import SCHEMA_VERSION, State

KEEP_BACKUPS = 14  # daily backups, state-YYYY-MM-DD.toml
KEEP_SAFETY_COPIES = 20  # of each kind of tagged copy (before-restore, before-sync, schema...)
BACKUP_DIR = "backups"

_DAILY = re.compile(r"state-\d{4}-\d{2}-\d{2}\.toml")
#: A tagged copy's kind is its tag without a counter or schema number: "before-restore-2" and
#: (from older versions) "before-restore2" are both "before-restore"; "schema1" is "schema".
_TAGGED = re.compile(r"state-\d{4}-\d{2}-\d{2}-([a-z]+(?:-[a-z]+)*).*\.toml")


def atomic_write(path: Path, data: bytes) -> None:
    try:
        files.atomic_write(path, data, StateError)
    except OSError as exc:  # raised before files.atomic_write could name the file
        raise StateError(f"{path}: cannot save: {exc.strerror}") from None


def write_copy(stem: Path, data: bytes) -> Path:
    """Keep `data` as `stem.toml`, or `stem-2.toml`, `stem-3.toml`... whichever is free: a
    copy never replaces another, even one made in the same second."""
    names = [stem.with_name(stem.name + ".toml")]
    names += [stem.with_name(f"{stem.name}-{n}.toml") for n in range(2, 10_000)]
    try:
        return Path(files.write_new(names, data, StateError))
    except OSError as exc:
        raise StateError(f"{names[0]}: cannot save: {exc.strerror}") from None


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


def _migrate_1_to_2(data: dict[str, Any], plan_id: str) -> dict[str, Any]:
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


def _migrate_2_to_3(data: dict[str, Any], plan_id: str) -> dict[str, Any]:
    """Schema 3 files progress per plan: everything a schema-2 file holds was made in the plan
    in use, so it goes under that plan's id (its start, still in the config, follows when the
    context opens: see usecases.context)."""
    mine = {key: data.pop(key) for key in ("days", "pauses", "cards", "reviews") if key in data}
    data["plans"] = {plan_id: mine} if any(mine.values()) else {}
    return data


def _migrate_3_to_4(data: dict[str, Any], plan_id: str) -> dict[str, Any]:
    """Schema 4 gives cards kinds and string ids: every card and review before it is a day's
    reflection, whose id is the day number, so each review is told its card's id."""
    for plan in (data.get("plans") or {}).values():
        for entry in plan.get("reviews", []) if isinstance(plan, dict) else []:
            if isinstance(entry, dict) and "card" not in entry and "card_id" in entry:
                entry["card"] = str(entry["card_id"])
    return data


#: MIGRATIONS[n] turns a schema-n document into a schema-(n+1) one, filing progress under the
#: plan id it is given.
MIGRATIONS: dict[int, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}

#: Where a file from before schema 3 is filed when no plan is named (the bundled plan's id).
DEFAULT_PLAN_ID = "eng28"


def upgrade(data: dict[str, Any], version: int, plan_id: str) -> dict[str, Any]:
    """A schema-`version` state document in the current schema."""
    for step in range(version, SCHEMA_VERSION):
        data = MIGRATIONS[step](data, plan_id)
    data["schema_version"] = SCHEMA_VERSION
    return data


def parse_state(
    raw: bytes, path: Path, plan_id: str = DEFAULT_PLAN_ID, copy: bool = False
) -> tuple[State, int]:
    """The state in `raw` (migrated to the current schema, an older file's progress filed under
    `plan_id`) and the schema it was written in. Raises StateError with a message that names
    `path` and what is wrong. With `copy` (the state file itself, not a backup or a remote),
    the table may come from the JSON copy of the last state read or saved (see _kept_table)."""
    from pydantic import ValidationError

    from eng28.config import describe_validation_error

    key = _copy_key(raw) if copy else None
    kept = _kept_table(key) if key else None
    if kept is not None:
        with contextlib.suppress(ValidationError):
            return State.model_validate(kept), SCHEMA_VERSION
    data = files.parse_toml(raw, str(path), StateError)
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise StateError(f"{path}: schema_version must be a whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path}: written by a newer eng28 (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}): upgrade eng28; the file was left untouched"
        )
    data = upgrade(data, version, plan_id)
    try:
        state = State.model_validate(data)
    except ValidationError as exc:
        raise StateError(f"{path}: {describe_validation_error(exc)}") from None
    if key and version == SCHEMA_VERSION:  # an older file's is kept once it is saved anew
        _keep_table(key, state)
    return state, version


# --- the state's JSON copy ----------------------------------------------------------------
# Parsing TOML is slow in Python: a year of progress (364 days, 6,000 reviews, 2.3 MB) takes
# tomllib about 0.7 s, JSON 0.03 s. So the state last read or saved is also kept as JSON in the
# cache folder, keyed by a hash of the file's bytes (and eng28's version): a copy never stands
# for any other content. It is data, never code, and validated exactly as the file's table is;
# a copy that is missing, stale or damaged is ignored and the file parsed.


def _copy_key(raw: bytes) -> list[Any]:
    import hashlib

    from eng28 import __version__

    return [__version__, SCHEMA_VERSION, hashlib.sha256(raw).hexdigest()]


def _copy_path() -> str:
    from eng28 import paths

    return os.path.join(paths.cache_dir(), "state.json")


def _kept_table(key: list[Any]) -> dict[str, Any] | None:
    import json

    try:
        kept = json.loads(files.read_bytes(_copy_path(), "state cache", StateError) or b"null")
    except (Eng28Error, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    data = kept.get("data")
    return data if isinstance(data, dict) else None


def _keep_table(key: list[Any], state: State) -> None:
    """Keep `state` (what the bytes hashed in `key` hold) as JSON: a state's JSON form reads
    back as the same state, as its TOML form does (both round trips are tested)."""
    import json

    try:
        data = {"key": key, "data": state.model_dump(mode="json")}
        text = json.dumps(data, ensure_ascii=False)
        files.atomic_write(_copy_path(), text.encode("utf-8"))
    except (Eng28Error, OSError, ValueError):
        pass  # no cache folder: only speed is lost


#: How far past now a time stamp from another machine or an export may lie (clocks drift).
FUTURE_MARGIN = timedelta(days=1)


def check_stamps(
    state: State, now: datetime, where: str, error: type[Eng28Error] = StateError
) -> None:
    """Refuse a state from elsewhere stamped later than `now` plus a day: a day changed "in
    9999" would win every merge and could never be done again."""
    limit = now + FUTURE_MARGIN
    for key, when in state.stamps():
        late = when > limit if isinstance(when, datetime) else when > limit.date()
        if late:
            raise error(
                f"{where}: key {key!r} is {when.isoformat()}, later than now here "
                f"({now:%Y-%m-%d %H:%M}): is a clock wrong? Nothing was changed"
            )


class NewerSchemaError(StateError):
    """A state file from a newer eng28: nothing to restore, only an upgrade helps."""


def read_state(path: Path, plan_id: str = DEFAULT_PLAN_ID, copy: bool = True) -> tuple[State, int]:
    """The state in `path` and the schema it was written in (see parse_state); an empty state
    when there is no file yet. `copy` False: from the file's own bytes, never the JSON copy."""
    raw = files.read_bytes(path, "state", StateError)
    if raw is None:
        return State(), SCHEMA_VERSION
    try:
        return parse_state(raw, path, plan_id, copy=copy)
    except NewerSchemaError:
        raise
    except StateError as exc:
        raise StateError(f"{exc}{_restore_hint(path)}") from None


def load_state(path: Path, plan_id: str = DEFAULT_PLAN_ID) -> State:
    """The state in `path`, or an empty state when the file does not exist yet."""
    return read_state(path, plan_id)[0]


def dump_state(state: State) -> str:
    import tomli_w

    data: dict[str, Any] = state.model_dump(mode="python", exclude_none=True)
    for plan in data["plans"].values():
        for key in ("days", "cards", "leetcode", "checks_passed", "shared"):
            plan[key] = {str(n): v for n, v in sorted(plan[key].items())}
        for key in ("leetcode", "checks_passed", "shared"):
            if not plan[key]:
                del plan[key]  # no empty table for what a learner has never done
    data["plans"] = dict(sorted(data["plans"].items()))
    return tomli_w.dumps(data, multiline_strings=True)


def save_state(path: Path, state: State) -> None:
    raw = dump_state(state).encode("utf-8")
    atomic_write(path, raw)
    views.invalidate()
    _keep_table(_copy_key(raw), state)


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


def _kind(name: str) -> str | None:
    """What backup `name` is: a daily one, a tagged copy's kind, or None (not named by us)."""
    if _DAILY.fullmatch(name):
        return "daily"
    tagged = _TAGGED.fullmatch(name)
    return tagged.group(1) if tagged else None


def _prune(folder: Path) -> None:
    """The newest 14 daily backups and the newest 20 of each kind of safety copy stay; damaged
    backups set aside, and files eng28 did not name, are never removed."""
    seen: dict[str, int] = {}
    for old in _newest_first(folder):
        kind = _kind(old.name)
        if kind is None or kind == "unreadable":
            continue
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] > (KEEP_BACKUPS if kind == "daily" else KEEP_SAFETY_COPIES):
            with contextlib.suppress(OSError):
                old.unlink()


def _remove_stale_copy_temp_files(path: Path) -> None:
    """Temp files of backups and copies whose process was killed half-way (under the lock)."""
    patterns = [
        (backup_dir(path), ".state-*.toml.*.tmp"),
        (path.parent, ".state.before-import-*.toml.*.tmp"),
        (path.parent, ".state.broken-*.toml.*.tmp"),
    ]
    for folder, pattern in patterns:
        for stale in glob.glob(os.path.join(glob.escape(str(folder)), pattern)):
            with contextlib.suppress(OSError):
                os.unlink(stale)


def _same_copy(folder: Path, name: str, raw: bytes) -> Path | None:
    """A copy of the same kind as `name` already holding `raw` (a restore undone and redone
    makes the same copy again and again: it is kept once)."""
    kind = _kind(name)
    for other in folder.glob("state-*.toml"):
        with contextlib.suppress(OSError, StateError):
            same_size = _kind(other.name) == kind and other.stat().st_size == len(raw)
            if same_size and files.read_bytes(other, "backup", StateError) == raw:
                return other
    return None


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


def _keep_time(source: Path, copy: Path) -> None:
    """A backup keeps its source's time: backups are ordered by the age of what they hold."""
    info = source.stat()
    os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns))


def backup_now(path: Path, when: date, tag: str = "") -> Path | None:
    """Copy the current state file into the backups: the day's backup (no tag), or a tagged
    safety copy under a name of its own. Then prune each kind to its newest ones."""
    if not path.is_file():
        return None
    folder = backup_dir(path)
    raw = files.read_bytes(path, "state", StateError) or b""
    if tag:
        name = _backup_name(when, tag)
        same = _same_copy(folder, name, raw)
        if same is not None:
            _keep_time(path, same)  # listed where a new copy would be
            return same
        target = write_copy(folder / name.removesuffix(".toml"), raw)
    else:
        target = folder / _backup_name(when)
        atomic_write(target, raw)
    _keep_time(path, target)
    _prune(folder)
    return target


def _loads(raw: bytes, path: Path) -> bool:
    try:
        parse_state(raw, path)
    except StateError:
        return False
    return True


def _usable(backup: Path) -> bool:
    try:
        raw = files.read_bytes(backup, "backup", StateError)
    except StateError:
        return False
    return raw is not None and _loads(raw, backup)


def _daily_backup(path: Path, today: date) -> None:
    """The day's backup, unless a whole one exists: one that does not load (cut short, edited)
    does not count; it is kept aside as `state-…-unreadable.toml` and made again."""
    folder = backup_dir(path)
    target = folder / _backup_name(today)
    if not path.is_file() or _usable(target):
        return
    try:
        damaged = files.read_bytes(target, "backup", StateError)
        if damaged is not None:
            kept = write_copy(
                folder / _backup_name(today, "unreadable").removesuffix(".toml"), damaged
            )
            _keep_time(target, kept)
        backup_now(path, today)
    except OSError as exc:
        raise StateError(f"{folder}: cannot write the daily backup: {exc.strerror}") from None


@contextlib.contextmanager
def transaction(path: Path, today: date, plan_id: str = DEFAULT_PLAN_ID) -> Iterator[State]:
    """Load, let the caller change, and save the state, all under the lock. Nothing is saved
    if the block raises. The first save of each study day backs the old file up first; a file
    written by an older eng28 is backed up before it is rewritten in the new schema."""
    with locked(path):
        files.remove_stale_temp_files(path)
        _remove_stale_copy_temp_files(path)
        # What is saved comes from the file itself, never from the cache's copy of it: a copy
        # that lied (hand-made, or from a bug) could only mislead a reading, not lose a word.
        state, version = read_state(path, plan_id, copy=False)
        yield state
        if version < SCHEMA_VERSION:
            backup_now(path, today, f"schema{version}")
        _daily_backup(path, today)
        save_state(path, state)


def restore(path: Path, number: int, today: date, now: datetime) -> tuple[Backup, Path | None]:
    """Put backup `number` in place of the state file, all or nothing. The current file is
    copied first (to the backups, or, if it cannot be read, to `state.broken-….toml`), never
    moved: if anything fails, the state file is as it was."""
    with locked(path):
        backups = list_backups(path)
        chosen = next((b for b in backups if b.number == number), None)
        if chosen is None:
            raise StateError(
                f"there is no backup {number}; `eng28 backup list` shows {len(backups)} backup(s)"
            )
        if chosen.state is None:
            raise StateError(f"backup {number} cannot be used: {chosen.problem}")
        try:
            data = files.read_bytes(chosen.path, "backup", StateError) or b""
            kept = None
            current = files.read_bytes(path, "state", StateError)
            if current is not None and _loads(current, path):
                kept = backup_now(path, today, "before-restore")
            elif current is not None:
                kept = write_copy(path.with_name(f"state.broken-{now:%Y%m%dT%H%M%S}"), current)
            atomic_write(path, data)
        except (StateError, OSError) as exc:
            reason = exc if isinstance(exc, StateError) else f"{path}: {exc.strerror}"
            raise StateError(
                f"cannot restore backup {number}: {reason}; the state file was left as it was"
            ) from None
        return chosen, kept
