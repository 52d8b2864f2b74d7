"""What the review log adds up to for `eng28 stats`: the kept ratings of the plan in use per
study date, and per card day, card kind and rating. Nothing else of a rating is shown there.

Validating a year's log (38,772 lines, 15.8 MB) takes about a second, and converting each
rating's moment to a study date most of another; so the counts of the log's first N bytes
are kept in the cache folder (`review-counts.json`, beside the state's JSON copy) and a run
reads, through the validating line reader, only the lines after N. The summary is keyed by
eng28's version, the plan's id, what a study date depends on (the rollover hour and the
zone) and a SHA-256 of those N bytes, so it never stands for other bytes or other dates. It
is untrusted input like any cache: it holds only whole numbers, ISO dates and card kinds,
checked strictly; one that is missing, stale, damaged or foreign is ignored and the whole
log read (which writes it anew). A line after N that needs what came before it (an amend
of an older rating, an id already used) sends the run down the whole path as well, so the
counts are always those of the whole log (`tally_of`; tests compare the two).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eng28 import files, reviewlog
from eng28.cards import KINDS, card_day, card_kind
from eng28.errors import Eng28Error, StateError
from eng28.models import ReviewEntry
from eng28.reviewscan import file_identity, id_digest, settled, unchanged
from eng28.usecases.context import Context
from eng28.usecases.schedule import StudyDates
from eng28.values import ID_WIDTH, id_digests

SUMMARY_NAME = "review-counts.json"
#: How many bytes past the summary's end a run reads before it writes the summary anew.
_REWRITE_PAST = 256 * 1024


@dataclass
class Tally:
    """Kept ratings (undone ones count for nothing) of the plan in use."""

    dates: Counter[date] = field(default_factory=Counter)  # study date -> ratings
    #: (card day, card kind, rating) -> ratings
    cards: Counter[tuple[int, str, int]] = field(default_factory=Counter)

    def add(self, ctx: Context, entries: Iterable[ReviewEntry]) -> None:
        kept = [e for e in entries if e.undone_at is None]
        self.dates.update(study_dates(ctx, [e.review_datetime for e in kept]))
        self.cards.update((card_day(e.key), card_kind(e.key), e.rating) for e in kept)


def tally_of(ctx: Context, entries: Iterable[ReviewEntry]) -> Tally:
    """The counts of `entries` (the plan's ratings, undone ones included)."""
    found = Tally()
    found.add(ctx, entries)
    return found


def study_dates(ctx: Context, moments: list[str]) -> Counter[date]:
    """How many of `moments` (stored UTC moments) fall on each study date."""
    dates = StudyDates(ctx.zone, ctx.config.rollover_hour)
    return Counter(dates.of(moment) for moment in moments)


def tally(ctx: Context) -> Tally:
    """The counts of the whole review log's ratings of the plan in use (see the module)."""
    if not ctx.ratings_in_log():
        return tally_of(ctx, ctx.load_state(history=False).reviews)  # all in the table
    path = reviewlog.log_path(ctx.state_path)
    before = file_identity(path)
    summary = _load_summary()
    # A summary of this very file, whole and settled (see reviewscan.unchanged): its counts
    # stand for it unread (a year's log is 16 MB, its identity a stat).
    kept = _read_summary(ctx, None, before, summary)
    if kept is not None:
        return kept[1]
    try:
        raw = files.read_bytes(path, "review log", StateError)
    except StateError:
        raw = None  # the whole read names what is wrong
    if raw is not None:
        identity = unchanged(path, before, raw)
        kept = _read_summary(ctx, raw, identity, summary)
        if kept is not None:
            found = _with_tail(ctx, raw, *kept, identity)
            if found is not None:
                return found
        try:
            plans, _ = reviewlog.parse(raw, reviewlog.name_beside(ctx.state_path))
        except StateError:
            pass
        else:
            found = tally_of(ctx, plans.get(ctx.plan_id, []))
            _write_summary(ctx, raw, found, plans, identity)
            return found
    # No log, or one that does not read: the state's own reading (its errors name the file).
    return tally_of(ctx, ctx.load_state().reviews)


# --- the summary --------------------------------------------------------------------------


def _key(ctx: Context, raw: bytes, size: int, digest: str | None = None) -> list[Any]:
    """`digest`: that of the first `size` bytes, when known (see reviewscan.unchanged)."""
    from eng28 import __version__

    digest = digest or hashlib.sha256(memoryview(raw)[:size]).hexdigest()
    zone = _named_zone(ctx.config.timezone) if ctx.config.timezone else _local_zone()
    return [__version__, ctx.plan_id, ctx.config.rollover_hour, zone, size, digest]


def _named_zone(name: str) -> list[Any]:
    """A configured zone by its name and where its rules come from (the zone file's
    identity, or the tzdata package's version), so that an update of the rules is seen."""
    import zoneinfo

    for folder in zoneinfo.TZPATH:
        try:
            info = os.stat(os.path.join(folder, name))
        except (OSError, ValueError):
            continue
        return [name, os.path.join(folder, name), info.st_size, info.st_mtime_ns]
    try:
        from importlib.metadata import version

        return [name, "tzdata", version("tzdata")]
    except Exception:  # noqa: BLE001 - no package metadata: the name alone
        return [name]


def _local_zone() -> list[Any]:
    """What the system's local zone is, as far as it can be told without reading its rules."""
    import time

    try:
        info = os.stat("/etc/localtime")
        where: list[Any] = [os.path.realpath("/etc/localtime"), info.st_size, info.st_mtime_ns]
    except OSError:
        where = []
    return [os.environ.get("TZ"), list(time.tzname), time.timezone, time.altzone, *where]


def _summary_path() -> str:
    from eng28 import paths

    return os.path.join(paths.cache_dir(), SUMMARY_NAME)


def _write_summary(
    ctx: Context,
    raw: bytes,
    found: Tally,
    plans: dict[str, list[ReviewEntry]],
    identity: list[int] | None,
) -> None:
    """Keep `found`, the counts of the whole of `raw`, when `raw` ends with a whole line (a
    line without its newline may yet be completed: it is left to the next read)."""
    if raw.endswith(b"\n"):
        ids = "".join(id_digest(p, e.id) for p, entries in plans.items() for e in entries)
        _keep(ctx, raw, found, ids, identity)


def _keep(ctx: Context, raw: bytes, found: Tally, ids: str, identity: list[int] | None) -> None:
    data = {
        "key": _key(ctx, raw, len(raw)),
        "file": settled(identity),  # of the log whole (see reviewscan.unchanged), if known
        "dates": {d.isoformat(): n for d, n in sorted(found.dates.items())},
        "cards": [[*group, n] for group, n in sorted(found.cards.items())],
        "ids": ids,
    }
    with contextlib.suppress(Eng28Error, OSError, ValueError):  # no cache folder: only speed
        files.atomic_write(_summary_path(), json.dumps(data).encode(), durable=False)


def _load_summary() -> Any:
    """The summary file's JSON, or None."""
    try:
        return files.loads_json(
            files.read_bytes(_summary_path(), "review counts", StateError) or b"0"
        )
    except (Eng28Error, ValueError):
        return None


def _read_summary(
    ctx: Context, raw: bytes | None, identity: list[int] | None, kept: Any
) -> tuple[int, Tally, str] | None:
    """(N, the counts of the log's first N bytes, their ids' digests) from a summary that
    stands for those bytes; None for anything else. `identity`: the log file's, when `raw`
    is all of it as that identity stands for it (then a summary of that very file needs no
    hashing of its bytes; `raw` None: the file is not read, so only such a summary stands)."""
    if not isinstance(kept, dict) or set(kept) != {"key", "file", "dates", "cards", "ids"}:
        return None
    key, dates, groups, ids = kept["key"], kept["dates"], kept["cards"], kept["ids"]
    if not isinstance(key, list) or len(key) != 6 or not _count(key[4]):
        return None
    size = key[4]
    same = identity is not None and kept["file"] == identity and identity[2] == size
    known = key[5] if same and isinstance(key[5], str) else None
    if raw is None:
        if known is None or key != _key(ctx, b"", size, known):
            return None
    elif size > len(raw) or raw[size - 1 : size] != b"\n" or key != _key(ctx, raw, size, known):
        return None
    found = Tally()
    if not isinstance(dates, dict) or not isinstance(groups, list) or not isinstance(ids, str):
        return None
    for text, n in dates.items():
        when = _iso_date(text)
        if when is None or not _count(n) or when in found.dates:
            return None
        found.dates[when] = n
    for group in groups:
        if not (isinstance(group, list) and len(group) == 4):
            return None
        day, kind, rating, n = group
        if not (_count(day) and day <= 9999 and kind in KINDS and _count(n)):
            return None
        if type(rating) is not int or not 1 <= rating <= 4 or (day, kind, rating) in found.cards:
            return None
        found.cards[day, kind, rating] += n
    if not id_digests(ids):
        return None
    return size, found, ids


def _count(value: Any) -> bool:
    return type(value) is int and value > 0


def _iso_date(text: str) -> date | None:
    try:
        when = date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return when if when.isoformat() == text else None


def _with_tail(
    ctx: Context, raw: bytes, size: int, found: Tally, ids: str, identity: list[int] | None
) -> Tally | None:
    """`found` (the counts of the first `size` bytes, `ids` their ids' digests) with the
    lines after them; None when those lines cannot be counted alone (or do not read: the
    whole read names the line, so no line number is counted here)."""
    where = reviewlog.name_beside(ctx.state_path)
    try:
        lines = reviewlog.read_lines(raw[size:], where)
    except StateError:
        return None
    fresh: dict[tuple[str, str], ReviewEntry] = {}
    taken: set[str] = set()
    rewrite = len(raw) - size > _REWRITE_PAST and raw.endswith(b"\n")  # a week's ratings
    if rewrite or any(line.entry is not None for line in lines):
        taken = {ids[i : i + ID_WIDTH] for i in range(0, len(ids), ID_WIDTH)}
    for line in lines:
        if line.entry is not None:
            key = (line.plan, line.entry.id)
            if key in fresh or id_digest(*key) in taken:
                return None  # an id used twice: the whole read names the line
            fresh[key] = line.entry
            continue
        target = fresh.get((line.plan, line.amend or ""))
        if target is None:
            return None  # amends an older rating (an undo), or none at all
        if line.note is not None:
            target.note = line.note
        if line.undone_at is not None:
            target.undone_at = line.undone_at
    found.add(ctx, [e for (plan_id, _), e in fresh.items() if plan_id == ctx.plan_id])
    if rewrite:
        taken.update(id_digest(*key) for key in fresh)
        _keep(ctx, raw, found, "".join(sorted(taken)), identity)
    return found
