"""The one place that reads the clock. ENG28_NOW (an ISO date or datetime) replaces it.

Standard library only: the prompt's and the screens' fast paths read the clock too (with the
real clock, `timestamp` does not even import datetime). A bare date means noon of that day, so
that it falls inside that study day whatever the rollover hour; a naive datetime is local time
(in `zone` when given); one with an offset is converted.
"""

from __future__ import annotations

import os

from eng28.errors import UsageError

TYPE_CHECKING = False  # `typing` costs the fast paths milliseconds; datetime is imported late
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

#: Outside these years the calendar maths (and fsrs) overflow; no study plan lives there.
YEARS = (1971, 9000)


def parse_now(raw: str, zone: tzinfo | None = None) -> datetime:
    """The moment ENG28_NOW names; UsageError when it is not one."""
    from datetime import date, datetime, time

    text = raw.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), time(12, 0))
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"ENG28_NOW={raw!r} is not an ISO date or datetime (e.g. 2026-12-01 or "
            "2026-12-01T21:30)"
        ) from None
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise UsageError(f"ENG28_NOW={raw!r} is outside the years {YEARS[0]} to {YEARS[1]}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone).astimezone(zone) if zone else moment.astimezone()
    return moment.astimezone(zone)


def now(zone: tzinfo | None = None) -> datetime:
    """The current moment, aware, in `zone` (None: the system's local zone)."""
    raw = os.environ.get("ENG28_NOW")
    if raw:
        return parse_now(raw, zone)
    from datetime import datetime

    return datetime.now(zone).astimezone(zone)


def timestamp() -> float:
    """The current Unix time (what the prompt's fast path compares with), honouring ENG28_NOW."""
    if os.environ.get("ENG28_NOW"):
        return now().timestamp()
    import time

    return time.time()


def fixed() -> bool:
    """Whether ENG28_NOW fixes the clock (review fuzzing is then off, for repeatable runs)."""
    return bool(os.environ.get("ENG28_NOW"))
