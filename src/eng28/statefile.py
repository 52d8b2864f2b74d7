"""The state file's content: its schema versions and their migrations, parsing it (with the
review log beside it) and writing it, and the JSON copy that spares a reader the TOML parse.
The lock, the backups and the transaction around a save are `store`'s."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from eng28 import files, reviewlog, tomlfile, views
from eng28.errors import Eng28Error, StateError
from eng28.models import SCHEMA_VERSION, PlanState, State


def atomic_write(path: Path, data: bytes) -> None:
    try:
        files.atomic_write(path, data, StateError)
    except OSError as exc:  # raised before files.atomic_write could name the file
        raise StateError(f"{path}: cannot save: {exc.strerror}") from None


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


def _migrate_4_to_5(data: dict[str, Any], plan_id: str) -> dict[str, Any]:
    """Schema 5 keeps the ratings in the review log (see reviewlog): a schema-4 file's stay in
    the table read, and go to the log when it is next saved."""
    return data


#: MIGRATIONS[n] turns a schema-n document into a schema-(n+1) one, filing progress under the
#: plan id it is given.
MIGRATIONS: dict[int, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
}

#: Where a file from before schema 3 is filed when no plan is named (the bundled plan's id).
DEFAULT_PLAN_ID = "eng28"


#: The id of the plan in use, or how to find it (the plan is loaded only when an older file
#: must be filed under it: `export` of a current file works with the plan file broken).
PlanIdOf = str | Callable[[], str]


def upgrade(data: dict[str, Any], version: int, plan_id: str) -> dict[str, Any]:
    """A schema-`version` state document in the current schema."""
    for step in range(version, SCHEMA_VERSION):
        data = MIGRATIONS[step](data, plan_id)
    data["schema_version"] = SCHEMA_VERSION
    return data


def parse_state(
    raw: bytes,
    path: Path,
    plan_id: PlanIdOf = DEFAULT_PLAN_ID,
    copy: bool = False,
    log: bytes | Path | None = None,
    since: str | None = None,
) -> tuple[State, int]:
    """The state in `raw` (migrated to the current schema, an older file's progress filed under
    `plan_id`) and the schema it was written in. Raises StateError with a message that names
    `path` (or its review log) and what is wrong. From schema 5 the ratings come from `log`,
    the bytes of the review log beside it (None: there is none). With `copy` (the state file
    itself, not a backup or a remote), the table may come from the JSON copy of the last state
    read or saved (see _kept_table)."""

    key = _copy_key(raw) if copy else None
    kept = _kept_table(key) if key else None
    if kept is not None:
        return with_log(kept, log, path, since), SCHEMA_VERSION
    state, version = _parse_table(raw, path, plan_id)
    if key and version == SCHEMA_VERSION:  # an older file's is kept once it is saved anew
        _keep_table(key, state)  # as the file holds it, before the log brings its cards
    if version >= 5:
        state = with_log(state, log, path, since)
    return state, version


def with_log(state: State, log: bytes | Path | None, path: Path, since: str | None = None) -> State:
    """`state` with each plan's ratings from the review log: its bytes, or its file (with
    `since`, only its recent part is read: see reviewlog.read_recent)."""
    where = reviewlog.name_beside(path)
    folded, part_of, offset = state.log_folded, None, 0
    if isinstance(log, Path) and since is None:
        log = files.read_bytes(log, "review log", StateError)
    elif isinstance(log, Path):
        part_of, (log, offset) = log, reviewlog.read_recent(log, since, folded) or (b"", 0)
        since = None  # the end read is the recent part
        part_of = part_of if offset else None  # read whole after all
    at = folded - offset if folded >= offset else None  # None: no line past it has a card
    found, cards = reviewlog.parse(log, where, since, at, part_of) if log else ({}, [])
    for plan_id in [p for p in found if p not in state.plans]:  # in the log's order
        state.plans[plan_id] = PlanState()
    for plan_id, plan in state.plans.items():
        plan.reviews = found.get(plan_id, [])
    for plan_id, card_id, card in cards:  # ratings saved since the state file was
        state.plans[plan_id].cards[card_id] = card
    return state


def _parse_table(raw: bytes, path: Path, plan_id: PlanIdOf) -> tuple[State, int]:
    from pydantic import ValidationError

    from eng28.config import describe_validation_error

    data = tomlfile.parse_toml(raw, str(path), StateError)
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise StateError(f"{path}: schema_version must be a whole number, got {version!r}")
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path}: written by a newer eng28 (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}): upgrade eng28; the file was left untouched"
        )
    if version >= 5:
        reviewlog.check_no_inline_reviews(data, str(path))
    if version < SCHEMA_VERSION:  # only an older file needs the plan in use's id
        data = upgrade(data, version, plan_id() if callable(plan_id) else plan_id)
    try:
        return State.model_validate(data), version
    except ValidationError as exc:
        raise StateError(f"{path}: {describe_validation_error(exc)}") from None


# --- the state's JSON copy ----------------------------------------------------------------
# Parsing TOML is slow in Python: a year of progress (364 days, 6,000 reviews, 2.3 MB) takes
# tomllib about 0.7 s, JSON 0.03 s. So the state last read or saved is also kept as JSON in the
# cache folder, keyed by a hash of the file's bytes (and eng28's version): a copy never stands
# for any other content. It is data, never code, and validated exactly as the file's table is
# (straight from its bytes, in one pass); a copy that is missing, stale or damaged is ignored
# and the file parsed.


def _copy_key(raw: bytes) -> list[Any]:
    import hashlib

    from eng28 import __version__

    return [__version__, SCHEMA_VERSION, hashlib.sha256(raw).hexdigest()]


def _copy_path() -> str:
    from eng28 import paths

    return os.path.join(paths.cache_dir(), "state.json")


def _kept_table(key: list[Any]) -> State | None:
    from pydantic import ValidationError

    try:
        raw = files.read_bytes(_copy_path(), "state cache", StateError) or b""
        if not raw.startswith(files.copy_head(key)):  # another state's, or not a copy
            return None
        return _StateCopy.model_validate_json(raw).data
    except (Eng28Error, ValueError, ValidationError):
        return None


class _StateCopy(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    key: list[Any]
    data: State


def _keep_table(key: list[Any], state: State) -> None:
    """Keep `state` (what the bytes hashed in `key` hold) as JSON: a state's JSON form reads
    back as the same state, as its TOML form does (both round trips are tested)."""
    try:
        data = state.model_dump_json(exclude=_NO_REVIEWS).encode("utf-8")
        files.atomic_write(_copy_path(), files.copy_head(key) + data + b"}", durable=False)
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
            in_log = ".reviews." in key and where.endswith(".toml")
            file = reviewlog.name_beside(where) if in_log else where
            raise error(
                f"{file}: key {key!r} is {when.isoformat()}, later than now here "
                f"({now:%Y-%m-%d %H:%M}): is a clock wrong? Nothing was changed"
            )


class NewerSchemaError(StateError):
    """A state file from a newer eng28: nothing to restore, only an upgrade helps."""


#: The ratings are kept in the review log, not in the state file's table.
_NO_REVIEWS = {"plans": {"__all__": {"reviews"}}}


def dump_state(state: State) -> str:
    """The state file's TOML: everything but the ratings (see dump_log)."""
    import tomli_w

    data: dict[str, Any] = state.model_dump(mode="python", exclude_none=True, exclude=_NO_REVIEWS)
    for plan in data["plans"].values():
        for key in ("days", "cards", "leetcode", "checks_passed", "shared"):
            plan[key] = {str(n): v for n, v in sorted(plan[key].items())}
        for key in ("leetcode", "checks_passed", "shared"):
            if not plan[key]:
                del plan[key]  # no empty table for what a learner has never done
    data["plans"] = dict(sorted(data["plans"].items()))
    return tomli_w.dumps(data, multiline_strings=True)


def dump_log(state: State) -> bytes:
    """The review log of `state`, whole."""
    return reviewlog.dump(state)


def save_state(path: Path, state: State, log: files.Data | None = None) -> None:
    """Save `state`: its ratings to the review log first (appended when only new ratings and
    amendments were made since it was read), then the state file. `log`: dump_log(state), for
    a state read from no file (a merge), when the caller has it already: the log is rewritten
    as it is, and a later save of `state` rewrites it again."""
    where = reviewlog.log_path(path)
    if log is not None and state._log is None:
        reviewlog.write_whole(where, log)
    else:
        state._log = reviewlog.write(where, state, state._log)  # type: ignore[arg-type]
    found = reviewlog.identity(where)
    state.log_folded = found[1] if found else 0  # every card of the log is in the file now
    raw = dump_state(state).encode("utf-8")
    atomic_write(path, raw)
    views.invalidate()
    _keep_table(_copy_key(raw), state)
