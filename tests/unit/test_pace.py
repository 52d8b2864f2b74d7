from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from eng28 import pace


def test_study_date_rolls_over_at_the_configured_hour():
    assert pace.study_date(datetime(2026, 12, 2, 1, 30), 4) == date(2026, 12, 1)
    assert pace.study_date(datetime(2026, 12, 2, 4, 0), 4) == date(2026, 12, 2)
    assert pace.study_date(datetime(2026, 12, 2, 0, 10), 0) == date(2026, 12, 2)


def test_study_date_uses_wall_clock_on_a_dst_change():
    london = ZoneInfo("Europe/London")
    # 2026-03-29: clocks go from 01:00 GMT to 02:00 BST.
    before = datetime(2026, 3, 29, 3, 30, tzinfo=london)
    after = datetime(2026, 3, 29, 4, 30, tzinfo=london)
    assert pace.study_date(before, 4) == date(2026, 3, 28)
    assert pace.study_date(after, 4) == date(2026, 3, 29)
    # The same instant given in UTC, converted to local first, lands on the 29th.
    utc = datetime(2026, 3, 29, 3, 30, tzinfo=UTC).astimezone(london)
    assert pace.study_date(utc, 4) == date(2026, 3, 29)


def test_calendar_day_counts_across_month_and_year_ends():
    start = date(2026, 12, 30)
    assert pace.calendar_day(start, date(2026, 12, 29), frozenset()) == 0
    assert pace.calendar_day(start, date(2026, 12, 30), frozenset()) == 1
    assert pace.calendar_day(start, date(2027, 1, 2), frozenset()) == 4
    assert pace.calendar_day(date(2027, 2, 27), date(2027, 3, 1), frozenset()) == 3


def test_rest_weekdays_are_skipped():
    weekend = pace.rest_weekdays(["sat", "sun"])
    # Friday 2026-12-04 is day 4 from Tuesday 2026-12-01; Monday 2026-12-07 is day 5.
    assert pace.calendar_day(date(2026, 12, 1), date(2026, 12, 4), weekend) == 4
    assert pace.calendar_day(date(2026, 12, 1), date(2026, 12, 6), weekend) == 4
    assert pace.calendar_day(date(2026, 12, 1), date(2026, 12, 7), weekend) == 5
    assert pace.day_dates(date(2026, 12, 1), 6, weekend)[-2:] == [
        date(2026, 12, 7),
        date(2026, 12, 8),
    ]
    assert pace.next_study_date(date(2026, 12, 4), weekend) == date(2026, 12, 7)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    offset=st.integers(min_value=-10, max_value=800),
    rest=st.sets(st.integers(min_value=0, max_value=6), max_size=6),
)
def test_closed_form_count_agrees_with_rrule(start, offset, rest):
    rest = frozenset(rest)
    today = start + timedelta(days=offset)
    n = pace.calendar_day(start, today, rest)
    dates = pace.day_dates(start, n + 1, rest)
    assert all(d <= today for d in dates[:n])
    assert dates[n] > today


def test_overlapping_pauses_count_once():
    start, today = date(2026, 12, 1), date(2026, 12, 12)
    pauses = [(date(2026, 12, 5), date(2026, 12, 8)), (date(2026, 12, 6), date(2026, 12, 9))]
    n = pace.calendar_day(start, today, frozenset(), pauses)
    dates = pace.day_dates(start, 28, frozenset(), pauses, today)
    assert n == 8  # 12 days, of which 5..8 (four) were paused
    assert dates[n - 1] == today
