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


Pause = tuple[date, date | None]  # [first paused date, resume date); None: still paused


def _paused_ranges(pauses: Iterable[Pause], today: date) -> list[tuple[date, date]]:
    """Closed ranges of paused dates. A pause that has not ended covers dates through today:
    the plan is projected as if resumed tomorrow."""
    ranges: list[tuple[date, date]] = []
    for first, end in sorted(pauses, key=lambda pause: pause[0]):
        last = (end or today + timedelta(days=1)) - timedelta(days=1)
        if ranges and first <= ranges[-1][1] + timedelta(days=1):  # overlapping: one range
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], last))
        elif first <= last:
            ranges.append((first, last))
    return ranges


def is_paused(day: date, pauses: Iterable[Pause], today: date) -> bool:
    return any(first <= day <= last for first, last in _paused_ranges(pauses, today))


def calendar_day(
    start: date, today: date, rest: frozenset[int], pauses: Iterable[Pause] = ()
) -> int:
    """The day number whose date is today or most recently before it (0 before the start):
    the study dates since the start, less the paused ones."""
    count = study_days_through(start, today, rest)
    for first, last in _paused_ranges(pauses, today):
        count -= study_days_through(max(first, start), min(last, today), rest)
    return count


def day_dates(
    start: date,
    total: int,
    rest: frozenset[int],
    pauses: Iterable[Pause] = (),
    today: date | None = None,
) -> list[date]:
    """The date of each of days 1..total in calendar pace, from dateutil's rrule, skipping
    rest weekdays and paused dates."""
    from dateutil.rrule import DAILY, rrule

    ranges = _paused_ranges(pauses, today or start)
    study_weekdays = [d for d in range(7) if d not in rest]
    dates: list[date] = []
    for moment in rrule(DAILY, dtstart=start, byweekday=study_weekdays):
        day = moment.date()
        if any(first <= day <= last for first, last in ranges):
            continue
        dates.append(day)
        if len(dates) == total:
            break
    return dates


def next_study_date(after: date, rest: frozenset[int]) -> date:
    """The first study date strictly after `after`."""
    day = after + timedelta(days=1)
    while is_rest(day, rest):
        day += timedelta(days=1)
    return day
