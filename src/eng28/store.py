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
import itertools
import math
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from eng28 import files, reviewlog, views
from eng28.errors import StateError
from eng28.models import SCHEMA_VERSION, State
from eng28.statefile import (  # the state file's content, re-exported for store's callers
    DEFAULT_PLAN_ID,
    FUTURE_MARGIN,
    MIGRATIONS,
    NewerSchemaError,
    PlanIdOf,
    atomic_write,
    check_stamps,
    dump_log,
    dump_state,
    parse_state,
    save_state,
    upgrade,
    with_log,
)

__all__ = [
    "DEFAULT_PLAN_ID",
    "FUTURE_MARGIN",
    "MIGRATIONS",
    "NewerSchemaError",
    "check_stamps",
    "dump_log",
    "dump_state",
    "parse_state",
    "save_state",
    "upgrade",
]

KEEP_BACKUPS = 14  # daily backups, state-YYYY-MM-DD.toml
KEEP_SAFETY_COPIES = 20  # of each kind of tagged copy (before-restore, before-sync, schema...)
BACKUP_DIR = "backups"

_DAILY = re.compile(r"state-\d{4}-\d{2}-\d{2}\.toml")
#: A tagged copy's kind is its tag without a counter or schema number: "before-restore-2" and
#: (from older versions) "before-restore2" are both "before-restore"; "schema1" is "schema".
_TAGGED = re.compile(r"state-\d{4}-\d{2}-\d{2}-([a-z]+(?:-[a-z]+)*).*\.toml")


def write_copy(stem: Path, data: bytes) -> Path:
    """Keep `data` as `stem.toml`, or `stem-2.toml`, `stem-3.toml`... whichever is free: a
    copy never replaces another, even one made in the same second."""
    first = stem.with_name(stem.name + ".toml")
    names = (stem.with_name(f"{stem.name}-{n}.toml") for n in range(2, 10_000))
    try:
        return Path(files.write_new(itertools.chain([first], names), data, StateError))
    except OSError as exc:
        raise StateError(f"{first}: cannot save: {exc.strerror}") from None


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


# --- reading ------------------------------------------------------------------------------


def read_state(
    path: Path, plan_id: PlanIdOf = DEFAULT_PLAN_ID, copy: bool = True, since: str | None = None,
    data: tuple[bytes | None, bytes | None] | None = None,
) -> tuple[State, int]:  # fmt: skip
    """The state in `path` with the ratings of the review log beside it, and the schema it was
    written in (see parse_state); an empty state when there is no file yet. `copy` False: from
    the file's own bytes, never the JSON copy. `since`: only the ratings of the log's recent
    part (reviewlog.recent_start), for a command that needs no older ones. `data`: the
    file's and the log's bytes, read already (None where there is no such file)."""
    raw = _bytes(path, "state") if data is None else data[0]
    log = reviewlog.log_path(path) if data is None else (data[1] or b"")  # read once raw is
    if raw is None:
        return with_log(State(), log, path, since), SCHEMA_VERSION
    try:
        return parse_state(raw, path, plan_id, copy=copy, log=log, since=since)
    except NewerSchemaError:
        raise
    except StateError as exc:
        raise StateError(f"{exc}{_restore_hint(path)}") from None


def load_state(path: Path, plan_id: str = DEFAULT_PLAN_ID) -> State:
    """The state in `path`, or an empty state when the file does not exist yet."""
    return read_state(path, plan_id)[0]


# --- backups ----------------------------------------------------------------------------
# A backup is a pair: the state file's copy `state-….toml` and, beside it, the review log's
# `state-….reviews.jsonl` (see log_of), written first (empty when there was no log), so that a
# schema-5 copy without its log is known to be incomplete rather than taken to hold no ratings.


@dataclass
class Backup:
    number: int  # 1 is the newest
    path: Path
    state: State | None  # None: the backup itself cannot be read
    problem: str | None = None


def backup_dir(path: Path) -> Path:
    return path.parent / BACKUP_DIR


def log_of(copy: Path) -> Path:
    """The review log kept with the copy `copy` of a state file."""
    return copy.with_name(copy.name.removesuffix(".toml") + ".reviews.jsonl")


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
                log_of(old).unlink(missing_ok=True)


def _remove_stale_copy_temp_files(path: Path) -> None:
    """Temp files of backups and copies whose process was killed half-way (under the lock)."""
    patterns = [
        (backup_dir(path), ".state-*.toml.*.tmp"),
        (backup_dir(path), ".state-*.reviews.jsonl.*.tmp"),
        (path.parent, ".state.before-import-*.toml.*.tmp"),
        (path.parent, ".state.before-import-*.reviews.jsonl.*.tmp"),
        (path.parent, ".state.broken-*.toml.*.tmp"),
        (path.parent, f".{reviewlog.LOG_NAME}.*.tmp"),
    ]
    for folder, pattern in patterns:
        for stale in glob.glob(os.path.join(glob.escape(str(folder)), pattern)):
            with contextlib.suppress(OSError):
                os.unlink(stale)


def _bytes(path: Path, what: str) -> bytes | None:
    return files.read_bytes(path, what, StateError)


def _read_pair(copy: Path, what: str = "backup") -> tuple[bytes | None, bytes | None]:
    return _bytes(copy, what), _bytes(log_of(copy), f"{what}'s review log")


def _holds(copy: Path, pair: tuple[bytes, bytes]) -> bool:
    """Whether the copy holds `pair`, compared block by block (never a year's log twice)."""
    found = files.holds(copy, pair[0], "backup", StateError)
    return found and files.holds(log_of(copy), pair[1], "backup's review log", StateError)


def _same_copy(folder: Path, name: str, pair: tuple[bytes, bytes]) -> Path | None:
    """A copy of the same kind as `name` already holding `pair` (a restore undone and redone
    makes the same copy again and again: it is kept once)."""
    kind = _kind(name)
    for other in folder.glob("state-*.toml"):
        with contextlib.suppress(OSError, StateError):
            if _kind(other.name) == kind and _holds(other, pair):
                return other
    return None


def _parse_copy(copy: Path) -> State:
    raw, log = _read_pair(copy)
    state, version = parse_state(raw or b"", copy, log=log)
    if version >= 5 and log is None:
        raise StateError(f"{copy}: its review log {log_of(copy).name} is missing")
    return state


def list_backups(path: Path) -> list[Backup]:
    """Backups of `path`, newest first, each with its state (or why it cannot be read)."""
    found = _newest_first(backup_dir(path))
    backups = []
    for number, file in enumerate(found, start=1):
        try:
            backups.append(Backup(number, file, _parse_copy(file)))
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


def _write_pair(stem: Path, pair: tuple[bytes, bytes | files.Stream], new: bool) -> Path:
    """The pair under `stem.toml` (`new`: or the first free `stem-N.toml`, never replacing
    another copy), its log written first."""
    if not new:
        target = stem.with_name(stem.name + ".toml")
        atomic_write(log_of(target), pair[1])
        atomic_write(target, pair[0])
        return target
    for n in range(1, 10_000):
        target = stem.with_name(f"{stem.name}{'' if n == 1 else f'-{n}'}.toml")
        if target.exists():
            continue
        atomic_write(log_of(target), pair[1])
        return write_copy(target.with_name(target.name.removesuffix(".toml")), pair[0])
    raise StateError(f"{stem}.toml: cannot save: every name for it is taken")


def write_pair(stem: Path, raw: bytes, log: bytes | files.Stream) -> Path:
    """Keep a state file's bytes `raw` as `stem.toml` (or the first free `stem-N.toml`) with
    its review log's `log` beside it (see log_of), written first."""
    return _write_pair(stem, (raw, log), new=True)


def backup_now(path: Path, when: date, tag: str = "", read: Any = None) -> Path | None:
    """Copy the current state file and review log into the backups: the day's backup (no
    tag), or a tagged safety copy under a name of its own. Then prune each kind. `read`: the
    two files' bytes, read under the lock the caller still holds (not read again)."""
    if not path.is_file():
        return None
    folder = backup_dir(path)
    raw, log = read or (_bytes(path, "state"), _bytes(reviewlog.log_path(path), "review log"))
    raw, log = raw or b"", log or b""
    if tag:
        name = _backup_name(when, tag)
        same = _same_copy(folder, name, (raw, log))
        if same is not None:
            _keep_time(path, same)  # listed where a new copy would be
            return same
        target = _write_pair(folder / name.removesuffix(".toml"), (raw, log), new=True)
    else:
        target = _write_pair(folder / _backup_name(when).removesuffix(".toml"), (raw, log), False)
    _keep_time(path, target)
    if not tag:  # vouched for as it now stands: its time is part of its identity
        _vouch(target)
    _prune(folder)
    return target


# A day's backup is checked before each save of that day (a damaged one is made again); it
# was read whole by the save that made it, so it is vouched for by its files' identity in
# `backups/checked` and read again only when that changed (a copy edited or cut short).
_CHECKED = "checked"


def _identity(copy: Path) -> str:
    parts = []
    for file in (copy, log_of(copy)):
        try:
            info = file.stat()
        except FileNotFoundError:
            parts.append("-")  # a copy from before schema 5 has no log beside it
            continue
        parts.append(f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}")
    return f"{copy.name} {' '.join(parts)}"


def _vouch(copy: Path) -> None:
    with contextlib.suppress(OSError, StateError):
        files.atomic_write(copy.parent / _CHECKED, _identity(copy).encode(), StateError)


def _usable(backup: Path) -> bool:
    if not backup.is_file():
        return False
    with contextlib.suppress(OSError, StateError):
        vouched = files.read_bytes(backup.parent / _CHECKED, "backup check", StateError, 4096)
        if vouched is not None and vouched.decode("utf-8", "replace") == _identity(backup):
            return True
    try:
        _parse_copy(backup)
    except (StateError, OSError):
        return False
    _vouch(backup)
    return True


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
            log = files.read_bytes(log_of(target), "backup's review log", StateError) or b""
            kept = _write_pair(
                folder / _backup_name(today, "unreadable").removesuffix(".toml"),
                (damaged, log),
                new=True,
            )
            _keep_time(target, kept)
        backup_now(path, today)
    except OSError as exc:
        raise StateError(f"{folder}: cannot write the daily backup: {exc.strerror}") from None


@contextlib.contextmanager
def transaction(
    path: Path, today: date, plan_id: str = DEFAULT_PLAN_ID, since: str | None = None
) -> Iterator[State]:
    """Load, let the caller change, and save the state, all under the lock. Nothing is saved
    if the block raises. The first save of each study day backs the old file up first; a file
    written by an older eng28 is backed up before it is rewritten in the new schema. `since`:
    only the log's recent part is read, and the save may only add ratings and amend those
    read (see reviewlog.write)."""
    with locked(path):
        files.remove_stale_temp_files(path)
        _remove_stale_copy_temp_files(path)
        # What is saved comes from the file itself, never from the cache's copy of it: a copy
        # that lied (hand-made, or from a bug) could only mislead a reading, not lose a word.
        state, version = read_state(path, plan_id, copy=False, since=since)
        if version == SCHEMA_VERSION:  # else the log is written afresh
            found = reviewlog.identity(reviewlog.log_path(path))
            state._log = reviewlog.mark(state, found, partial=since is not None)
        yield state
        if version < SCHEMA_VERSION:
            backup_now(path, today, f"schema{version}")
        _daily_backup(path, today)
        save_state(path, state)


T = TypeVar("T")


class Kept:
    """What a run of ratings (a review session) keeps between them: the state as its last
    rating left it, and the identity of the state file and the log just after that rating
    was saved (see _files_key). The next rating finds the files as they were
    then, or reads them afresh: a change by another eng28 in between shows in the identity
    (an append grows the log, a whole save makes new inodes)."""

    def __init__(self) -> None:
        self._key: Any = None
        self._state: State | None = None

    def take(self, key: Any) -> State | None:
        """The state kept under `key` (given up: `change` may leave it half changed)."""
        state, self._state = self._state, None
        return state if key is not None and key == self._key else None

    def keep(self, key: Any, state: State) -> None:
        self._key, self._state = key, state if key is not None else None


def _files_key(path: Path, log: Path, plan_id: str, since: str) -> Any:
    """The identity of the state file and its log, or None when either is missing. The
    change time is in it as well as the inode: a file system hands freed inode numbers out
    again (ext4 in a cycle of three atomic saves), and unlike the modification time no
    program can set it back."""
    stamps = []
    for file in (path, log):
        try:
            info = os.stat(file)
        except OSError:
            return None
        stamps.append((info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))
    return (str(path), plan_id, since, *stamps)


def rating(
    path: Path,
    today: date,
    plan_id: str,
    since: str,
    change: Callable[[State], T],
    kept: Kept | None = None,
) -> T:
    """Apply `change` (which rates cards, amends recent ratings and changes the cards it
    rates, nothing else) under the lock, saving it as lines added to the review log, each
    with its card, and leaving the state file as it is: a rating costs a line, whatever the
    size of the state. The state is read as a reader reads it (the JSON copy, the log's
    recent part), or, with `kept`, is the one the last rating of the same run left while
    neither file has changed since: what is written is the new lines alone, so no copy can
    stand in for the learner's text. A change that does more, an older state file, or a log
    that needs folding (over LOG_UNFOLDED bytes of lines with cards) is saved by a whole
    transaction instead, `change` applied afresh to the file's own state."""
    with locked(path):
        log = reviewlog.log_path(path)
        state = kept.take(_files_key(path, log, plan_id, since)) if kept is not None else None
        if state is not None:
            version = SCHEMA_VERSION  # only such a state is kept
        else:
            state, version = read_state(path, plan_id, copy=True, since=since)
        mine = reviewlog.mark(state, reviewlog.identity(log), partial=True)
        unfolded = (mine.identity[1] if mine.identity else 0) - state.log_folded
        if version == SCHEMA_VERSION and path.is_file() and unfolded < LOG_UNFOLDED:
            cards = {p: dict(plan.cards) for p, plan in state.plans.items()}
            rest = _beside_ratings(state)
            result = change(state)
            found = reviewlog.rating_lines(state, mine)
            if found is not None and _only_ratings(state, cards, rest, found[1]):
                lines = found[0]
                if lines:
                    _daily_backup(path, today)
                    reviewlog.append(log, lines)
                    views.invalidate()
                if kept is not None:  # what a reading of the files just saved gives
                    kept.keep(_files_key(path, log, plan_id, since), state)
                return result
    with transaction(path, today, plan_id) as whole:
        return change(whole)


#: Lines with cards past what the state file holds, in bytes, before a rating saves it whole.
LOG_UNFOLDED = 1 << 20


def _beside_ratings(state: State) -> Any:
    exclude = {"plans": {"__all__": {"cards", "reviews"}}}
    return state.model_dump(mode="python", exclude=exclude)


def _only_ratings(
    state: State, cards: dict[str, dict[str, Any]], rest: Any, rated: set[tuple[str, str]]
) -> bool:
    """Whether the change from (cards, rest) to `state` is ratings of the cards `rated`: no
    other card changed, was added or removed, and nothing but cards and ratings changed."""
    if cards.keys() != state.plans.keys():
        return False
    for plan_id, plan in state.plans.items():
        before = cards[plan_id]
        for card_id in before.keys() | plan.cards.keys():
            changed = before.get(card_id) is not plan.cards.get(card_id)
            if changed and ((plan_id, card_id) not in rated or card_id not in before):
                return False
    return _beside_ratings(state) == rest


def restore(path: Path, number: int, today: date, now: datetime) -> tuple[Backup, Path | None]:
    """Put backup `number` in place of the state file and review log, all or nothing. The
    current ones are copied first (to the backups, or, if they cannot be read, to
    `state.broken-….toml`), never moved: if anything fails, the state is as it was."""
    with locked(path):
        backups = list_backups(path)
        chosen = next((b for b in backups if b.number == number), None)
        if chosen is None:
            raise StateError(
                f"there is no backup {number}; `eng28 backup list` shows {len(backups)} backup(s)"
            )
        if chosen.state is None:
            raise StateError(f"backup {number} cannot be used: {chosen.problem}")
        live_log = reviewlog.log_path(path)
        try:
            data, log = _read_pair(chosen.path)
            kept = None
            current = files.read_bytes(path, "state", StateError)
            current_log = files.read_bytes(live_log, "review log", StateError) or b""
            if current is not None and _loads_whole(current, current_log, path):
                kept = backup_now(path, today, "before-restore")
            elif current is not None:
                stem = path.with_name(f"state.broken-{now:%Y%m%dT%H%M%S}")
                kept = _write_pair(stem, (current, current_log), new=True)
            # The log first: a crash between the two leaves ratings whose cards come due early.
            atomic_write(live_log, log or b"")
            try:
                atomic_write(path, data or b"")
            except StateError:
                with contextlib.suppress(StateError):
                    atomic_write(live_log, current_log)
                raise
        except (StateError, OSError) as exc:
            reason = exc if isinstance(exc, StateError) else f"{path}: {exc.strerror}"
            raise StateError(
                f"cannot restore backup {number}: {reason}; the state file was left as it was"
            ) from None
        return chosen, kept


def _loads_whole(raw: bytes, log: bytes, path: Path) -> bool:
    try:
        parse_state(raw, path, log=log)
    except StateError:
        return False
    return True
