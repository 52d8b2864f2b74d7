"""The review log: every rating of every plan, one JSON object per line in `reviews.jsonl`
beside the state file, appended to rather than rewritten.

A year of study holds some 40,000 ratings; kept inside state.toml they made every save rewrite
17 MB of TOML. Here a rating is one line added (fsynced) under the state's lock, and a changed
note or an undo is one more line that amends an earlier one. Only a change of history (a sync
merge, an import, a reset, a schema upgrade) rewrites the file, atomically and sorted by time.

    {"plan": "eng28", "entry": {"id": "3@2026-12-04T08:00:00+00:00", "card_id": 3, ...}}
    {"plan": "eng28", "amend": "3@2026-12-04T08:00:00+00:00", "note": "mixed up the two"}

The file is untrusted as every file is: each line is validated as the state's own models
(`LogLine`), and an error names the file and the line. A last line cut short by a crash (no
newline, not JSON) is a save that never finished: it is ignored, and dropped by the next
append. The state file is written after the log, so a crash between the two leaves a rating
in the log whose card still shows its old schedule (it comes due early), never a schedule
without its rating.
"""

from __future__ import annotations

import contextlib
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from eng28 import files
from eng28.errors import StateError
from eng28.models import CardRecord, Moment, Note, PlanId, ReviewEntry, State, _Strict

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

LOG_NAME = "reviews.jsonl"

EntryId = Annotated[str, Field(pattern=r"^[^\s\x00-\x1f\x7f]{1,100}$")]


class LogLine(_Strict):
    """One line of the log: a rating (`entry`), or an amendment of the rating `amend`."""

    plan: PlanId
    entry: ReviewEntry | None = None
    amend: EntryId | None = None
    note: Note | None = None
    undone_at: Moment | None = None
    #: The card this line rates (or whose rating it amends) as it stands after the line, on a
    #: line added by a rating alone (see `store.rating`): the state file holds the cards as
    #: of the log's first `State.log_folded` bytes, the lines after it bring them up to date.
    card: CardRecord | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> LogLine:
        if (self.entry is None) == (self.amend is None):
            raise ValueError("a line holds either an entry or an amend")
        if self.entry is not None and (self.note is not None or self.undone_at is not None):
            raise ValueError("note and undone_at belong to an amend line")
        return self


@functools.cache
def _lines_adapter() -> TypeAdapter[list[LogLine]]:
    """The validator of a list of lines, built when a log is first read (not at import: the
    cold path of `eng28 today` reads no log when there is none)."""
    return TypeAdapter(list[LogLine])


def log_path(state_path: Path) -> Path:
    return state_path.with_name(LOG_NAME)


def _is_json(line: bytes) -> bool:
    try:
        files.loads_json(line)
    except ValueError:
        return False
    return True


def name_beside(state: Path | str) -> str:
    """How an error names the log that goes with the state file (or copy, or remote file)
    `state`: `reviews.jsonl` beside `state.toml`, `X.reviews.jsonl` beside a copy `X.toml`."""
    name = str(state)
    if name.endswith("state.toml") and not name.endswith("-state.toml"):
        return name.removesuffix("state.toml") + LOG_NAME
    return name.removesuffix(".toml") + ".reviews.jsonl"


def _whole_lines(raw: bytes) -> list[bytes]:
    """The lines of `raw`, less a last one cut short by a crash (no newline and not JSON)."""
    lines = raw.split(b"\n")
    tail = lines.pop()
    if tail.strip() and _is_json(tail):
        lines.append(tail)  # whole, only its newline is missing (an edit by hand)
    return [line for line in lines if line.strip()]


Cards = list[tuple[str, str, CardRecord]]


def parse(
    raw: bytes,
    where: str,
    since: str | None = None,
    folded: int | None = None,
    part_of: Path | None = None,
) -> tuple[dict[str, list[ReviewEntry]], Cards]:
    """Each plan's ratings in `raw` (a log's bytes), amendments applied, in the log's order;
    with `since` (a UTC moment as stored), only the recent part (see recent_start). And the
    cards the lines after the first `folded` bytes bring up to date, in order: (plan, card
    id, card). `part_of`: `raw` is the end of the log at that path (see read_recent). Raises
    StateError naming `where`, the line and what is wrong."""
    if folded is None or folded > len(raw) or (folded and raw[folded - 1 : folded] != b"\n"):
        folded = len(raw)  # not a place the state file could have been saved at: no card
    start = recent_start(raw, since) if since is not None else 0
    start = min(start, folded)
    lines = _whole_lines(raw[start:])
    fresh = len(lines) - len(_whole_lines(raw[folded:]))  # the first line past `folded`
    partial = bool(start) or part_of is not None

    def before() -> int:  # lines not read, for the line numbers of errors
        ahead = _lines_ahead(part_of, raw) if part_of is not None else 0
        return ahead + raw.count(b"\n", 0, start)

    try:
        parsed = _validate(lines)
    except ValidationError as exc:
        raise StateError(f"{where}: {_describe(exc, lines, before())}") from None
    plans: dict[str, list[ReviewEntry]] = {}
    cards: Cards = []
    by_id: dict[tuple[str, str], int] = {}  # where each rating is in its plan's list
    for index, line in enumerate(parsed):
        if line.entry is not None:
            key = (line.plan, line.entry.id)
            if key in by_id:
                number = before() + index + 1
                raise StateError(f"{where}: line {number}: review {line.entry.id} is there twice")
            rows = plans.setdefault(line.plan, [])
            by_id[key] = len(rows)
            rows.append(line.entry)
            target = line.entry
        else:
            at = by_id.get((line.plan, line.amend or ""))
            if at is None and partial:
                continue  # amends a rating older than the part read
            if at is None:
                raise StateError(
                    f"{where}: line {before() + index + 1}: amends review {line.amend}, which "
                    "no line before holds"
                )
            # A copy, never the line's own entry: a line read once may stand for the same
            # bytes in another log (see reuse_lines).
            rows = plans[line.plan]
            amended = {"note": line.note, "undone_at": line.undone_at}
            change = {k: v for k, v in amended.items() if v is not None}
            target = rows[at] = rows[at].model_copy(update=change)
        if line.card is not None and index >= fresh:
            cards.append((line.plan, target.key, line.card))
    return plans, cards


#: Lines already validated, by their bytes, while reuse_lines is in effect.
_seen: dict[bytes, LogLine] | None = None


@contextlib.contextmanager
def reuse_lines() -> Iterator[None]:
    """While in effect, a line read twice (the same bytes in two logs: this machine's and a
    sync remote's, which share nearly all of their lines) is validated once. A line's
    validation depends on its bytes alone; what depends on the other lines (a rating there
    twice, an amendment of a rating not there) is checked in each log as ever, and no entry
    a line gave is ever changed afterwards (parse amends copies)."""
    global _seen
    outer, _seen = _seen, {} if _seen is None else _seen
    try:
        yield
    finally:
        _seen = outer


def _validate(lines: list[bytes]) -> list[LogLine]:
    """`lines` as LogLines, each validated (an error: as validating them all at once says)."""
    seen = _seen
    if seen is None:
        return _lines_adapter().validate_json(b"[" + b",".join(lines) + b"]")
    fresh = [line for line in dict.fromkeys(lines) if line not in seen]
    if fresh:
        try:
            found = _lines_adapter().validate_json(b"[" + b",".join(fresh) + b"]")
        except ValidationError:
            # Validated again whole, so that the error names the line as it always has.
            return _lines_adapter().validate_json(b"[" + b",".join(lines) + b"]")
        seen.update(zip(fresh, found, strict=True))
    return [seen[line] for line in lines]


def read_lines(raw: bytes, where: str, before: int = 0) -> list[LogLine]:
    """The lines of `raw` (a log's bytes from the start of a line, `before` lines into the
    file), validated as `parse` validates them but neither applied nor checked against each
    other. Raises StateError naming `where`, the line and what is wrong."""
    lines = _whole_lines(raw)
    try:
        return _lines_adapter().validate_json(b"[" + b",".join(lines) + b"]")
    except ValidationError as exc:
        raise StateError(f"{where}: {_describe(exc, lines, before)}") from None


def _lines_ahead(path: Path, part: bytes) -> int:
    """How many lines of the log at `path` lie before its end `part` (for an error's line
    number: read only then)."""
    whole = files.read_bytes(path, "review log", StateError) or b""
    return whole.count(b"\n", 0, max(0, len(whole) - len(part)))


def read_recent(path: Path, since: str, folded: int) -> tuple[bytes, int] | None:
    """The end of the log at `path` that holds its recent part (see recent_start) and every
    line past byte `folded`, and where that end begins; None: no log. Read backwards from
    the end, so a rating costs the same in a year-long plan as in a month."""

    def enough(data: bytes, pos: int) -> int | None:
        if pos > folded:
            return None  # the lines past `folded` bring cards up to date: all are needed
        # The first line read may be cut short by the block's edge: it is no JSON, so
        # recent_start passes over it.
        start = recent_start(data, since)
        if pos and not start:
            return None  # no rating before `since` yet
        begin, rel = pos + start, folded - pos
        at_line = folded == 0 or (0 < rel <= len(data) and data[rel - 1 : rel] == b"\n")
        return min(begin, folded) if at_line else begin

    return files.read_end(path, "review log", enough, StateError)


def recent_start(raw: bytes, since: str) -> int:
    """Where the recent part of a log begins: after the last rating stamped before `since`,
    read from the end. Ratings are appended as they are given and a rewrite writes them in
    the order of time, so every rating from `since` on lies after it (a clock set back by
    more than the reader's margin could hide one from a reader of the recent part, never
    from a save, which only appends)."""
    end = len(raw)
    while end > 0:
        start = raw.rfind(b"\n", 0, end - 1) + 1
        try:
            data = files.loads_json(raw[start:end])
        except ValueError:
            data = None  # a line cut short, or a bad one: the reader of that line names it
        entry = data.get("entry") if isinstance(data, dict) else None
        moment = entry.get("review_datetime") if isinstance(entry, dict) else None
        if isinstance(moment, str) and moment < since:
            return end
        end = start
    return 0


def _describe(exc: ValidationError, lines: list[bytes], before: int = 0) -> str:
    """The first error as `line N: <what is wrong>`, its key within the line (`before`:
    the lines of the file ahead of `lines`)."""
    from eng28.config import describe_validation_error

    first = exc.errors()[0]
    if first.get("type") == "json_invalid":
        bad = next(
            (n for n, line in enumerate(lines, start=before + 1) if not _is_json(line)), None
        )
        return f"line {bad}: not a JSON object" if bad else "not JSON lines"
    loc = first.get("loc", ())
    if not loc or not isinstance(loc[0], int) or loc[0] >= len(lines):
        return f"not JSON lines ({describe_validation_error(exc)})"
    number = before + loc[0] + 1
    try:
        LogLine.model_validate_json(lines[loc[0]])
    except ValidationError as own:
        return f"line {number}: {describe_validation_error(own).removeprefix('file: ')}"
    return f"line {number}: {describe_validation_error(exc)}"


def dump(state: State) -> bytes:
    """The whole log of `state`, every plan's ratings in the order of time (see
    recent_start): each line as `_encode` writes a LogLine holding the entry (its plan, then
    the entry, nothing else set), built from the entry's own JSON, which is four times faster
    than building and writing a LogLine per rating (tests compare both)."""
    rows = []
    for plan_id, plan in state.plans.items():
        head = _head(plan_id)
        rows += [(e.review_datetime, e.id, plan_id, head, e) for e in plan.reviews]
    rows.sort(key=lambda row: row[:3])
    return b"".join(_entry_line(head, entry) for *_, head, entry in rows)


@functools.lru_cache(maxsize=64)  # entry_line is asked for a plan's every rating
def _head(plan_id: str) -> bytes:
    from pydantic_core import to_json

    return b'{"plan":' + to_json(plan_id) + b',"entry":'


def _entry_line(head: bytes, entry: ReviewEntry) -> bytes:
    return head + entry.model_dump_json(exclude_none=True).encode() + b"}\n"


def entry_line(plan_id: str, entry: ReviewEntry) -> bytes:
    """The line `dump` writes for `entry` of the plan `plan_id`."""
    return _entry_line(_head(plan_id), entry)


def _encode(lines: Iterable[LogLine]) -> bytes:
    return b"".join(
        line.model_dump_json(exclude_none=True, exclude_defaults=False).encode() + b"\n"
        for line in lines
    )


# --- what was read, so that a save can append --------------------------------------------


@dataclass(eq=False)
class Mark:
    """The log as a state was read from it: the file's identity and, per plan, the entries
    read with what each held, so that a save can tell new ratings and amendments (appended)
    from a change of history (rewritten)."""

    identity: tuple[int, int] | None  # (inode, size) of the file read; None: there was none
    entries: dict[str, list[tuple[ReviewEntry, dict[str, Any]]]]
    #: Only the recent part was read: a save may append, never rewrite (it would lose the rest).
    partial: bool = False

    def __eq__(self, other: object) -> bool:
        return True  # what was read never makes two states differ (pydantic compares it)

    __hash__ = None  # type: ignore[assignment]


def mark(state: State, identity: tuple[int, int] | None, partial: bool = False) -> Mark:
    entries = {
        plan_id: [(e, dict(e.__dict__)) for e in plan.reviews]
        for plan_id, plan in state.plans.items()
    }
    return Mark(identity, entries, partial)


AMENDABLE = ("note", "undone_at")  # what an amend line may change


def additions(state: State, read: Mark | None) -> list[LogLine] | None:
    """The lines to append to bring the log read as `read` to `state`, or None when only a
    rewrite can (history changed: a rating removed, replaced or reordered)."""
    if read is None:
        return None
    if set(read.entries) - set(state.plans):
        return None
    lines: list[LogLine] = []
    for plan_id, plan in state.plans.items():
        before = read.entries.get(plan_id, [])
        if len(plan.reviews) < len(before):
            return None
        for (entry, fields), now in zip(before, plan.reviews, strict=False):
            if now is not entry:
                return None
            changed = {k for k in fields if fields[k] != now.__dict__.get(k)}
            if changed - set(AMENDABLE):
                return None
            if changed:
                amend = {k: getattr(now, k) for k in changed}
                if "undone_at" in amend and amend["undone_at"] is None:
                    return None  # an undo taken back: only a rewrite says that
                lines.append(LogLine(plan=plan_id, amend=now.id, **amend))
        for new in plan.reviews[len(before) :]:
            lines.append(LogLine(plan=plan_id, entry=new))
    return lines


def rating_lines(state: State, read: Mark) -> tuple[list[LogLine], set[tuple[str, str]]] | None:
    """The lines a rating alone adds (see `store.rating`), each with the card it rates as it
    stands now, and those cards' (plan, id); None when the change is more than ratings and
    amendments."""
    lines = additions(state, read)
    if lines is None:
        return None
    targets = {(p, e.id): e for p, entries in read.entries.items() for e, _ in entries}
    rated = set()
    for line in lines:
        entry = line.entry or targets.get((line.plan, line.amend or ""))
        if entry is None:
            return None
        line.card = state.plans[line.plan].cards.get(entry.key)
        rated.add((line.plan, entry.key))
    return lines, rated


def append(path: Path, lines: list[LogLine]) -> None:
    files.append_lines(path, _encode(lines), StateError, keep_tail=_is_json)


def identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size


def write(path: Path, state: State, read: Mark | None) -> Mark:
    """Bring the log at `path` to `state`'s ratings: by appending when `read` (what the state
    was read from) still describes the file and only ratings and amendments were added, else
    by rewriting it whole. Returns the mark of the log now (for a later save)."""
    same = read is not None and read.identity == identity(path)
    # Appended lines carry the cards they rate, as a rating alone writes them: a crash before
    # the state file is saved then leaves each card as its rating made it.
    found = rating_lines(state, read) if same else None  # type: ignore[arg-type]
    lines = found[0] if found is not None else None
    if lines is None and read is not None and read.partial:
        raise StateError(
            f"{path}: this change needs the whole review log, and only its recent part was "
            "read; nothing was saved (a bug in eng28: please report it)"
        )
    if lines is None:
        write_whole(path, dump(state))
    elif lines:
        append(path, lines)
    return mark(state, identity(path), partial=read is not None and read.partial)


def write_whole(path: Path, data: files.Data) -> None:
    """Rewrite the log at `path` as `data` (what dump gives for a state, or it in pieces)."""
    if (data if isinstance(data, bytes) else any(data)) or path.exists():
        files.atomic_write(path, data, StateError)


def check_no_inline_reviews(data: dict[str, Any], where: str) -> None:
    """A state file of schema 5 or later keeps its ratings in the log, never inline."""
    for plan_id, plan in (data.get("plans") or {}).items():
        if isinstance(plan, dict) and "reviews" in plan:
            raise StateError(
                f"{where}: key 'plans.{plan_id}.reviews': the ratings live in {LOG_NAME} "
                "beside the state file, not in it"
            )
