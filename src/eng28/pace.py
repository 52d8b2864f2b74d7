"""Pure calendar maths: study dates, day numbers and rest days. No clock, no disk.

The study date is the local date shifted back by the rollover hour, as in Anki: with the
default of 4, 01:30 still belongs to yesterday's study day. In calendar pace, day N is the N-th
date on or after the start date that is not a rest weekday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

# pace is imported by the stdlib-only prompt path: it must not import pydantic or dateutil at
# module level.
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def study_date(moment: datetime, rollover_hour: int) -> date:
    """The study date of a local moment. Wall-clock arithmetic, so DST shifts do not matter."""
    return (moment.replace(tzinfo=None) - timedelta(hours=rollover_hour)).date()


def rest_weekdays(rest_days: Iterable[str]) -> frozenset[int]:
    return frozenset(WEEKDAYS.index(d) for d in rest_days)


def is_rest(day: date, rest: frozenset[int]) -> bool:
    return day.weekday() in rest


def study_days_through(start: date, end: date, rest: frozenset[int]) -> int:
    """How many study dates lie in [start, end]; 0 when end is before start.

    Counted in closed form (whole weeks, then the remainder) so that it costs the same for a
    28-day plan and a 1,000-day one.
    """
    if end < start:
        return 0
    span = (end - start).days + 1
    weeks, extra = divmod(span, 7)
    count = weeks * (7 - len(rest))
    first = start.weekday()
    count += sum(1 for i in range(extra) if (first + i) % 7 not in rest)
    return count


def calendar_day(start: date, today: date, rest: frozenset[int]) -> int:
    """The day number whose date is today or most recently before it (0 before the start)."""
    return study_days_through(start, today, rest)


def day_dates(start: date, total: int, rest: frozenset[int]) -> list[date]:
    """The date of each of days 1..total in calendar pace, from dateutil's rrule."""
    from dateutil.rrule import DAILY, rrule

    study_weekdays = [d for d in range(7) if d not in rest]
    return [dt.date() for dt in rrule(DAILY, dtstart=start, byweekday=study_weekdays, count=total)]


def next_study_date(after: date, rest: frozenset[int]) -> date:
    """The first study date strictly after `after`."""
    day = after + timedelta(days=1)
    while is_rest(day, rest):
        day += timedelta(days=1)
    return day
