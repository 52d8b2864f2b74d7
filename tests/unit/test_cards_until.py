"""`schedule.cards(..., until=D)` makes only the cards due on study date D or before, and stops
reading the cards (in moment order) two days past D in UTC: it must give exactly the cards
of the whole list that are due by D, in every zone and rollover hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from eng28.models import CardRecord, Config, PlanState
from eng28.plan import bundled_plan_path
from eng28.usecases import schedule
from eng28.usecases.context import Context

#: The zones furthest from UTC either way, one of half hours, one of 45 minutes, one with DST
#: changes at midnight (America/Santiago), and UTC.
ZONES = (
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "America/St_Johns",
    "Asia/Kathmandu",
    "America/Santiago",
    "Europe/London",
    "UTC",
)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def context(zone: str, rollover: int) -> Context:
    config = Config(timezone=zone, rollover_hour=rollover)
    return Context(config=config, plan_path=bundled_plan_path(), now=NOW)


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    rollover=st.sampled_from([0, 1, 4, 12, 23]),
    # each card's due moment, in minutes from three days before NOW to six days after it
    offsets=st.lists(st.integers(-3 * 1440, 6 * 1440), min_size=1, max_size=28),
    last=st.integers(-4, 6),
)
def test_the_cards_due_by_a_date_are_those_of_the_whole_list(zone, rollover, offsets, last):
    ctx = context(zone, rollover)
    state = PlanState(
        cards={
            str(day): CardRecord(
                card_id=day, state=2, due=(NOW + timedelta(minutes=minutes)).isoformat()
            )
            for day, minutes in enumerate(offsets, start=1)
        }
    )
    until = NOW.date() + timedelta(days=last)
    every = schedule.cards(ctx, state)
    assert len(every) == len(offsets)  # a reflection card of a day the plan has: all shown
    expected = [(c.id, c.due) for c in every if c.due <= until]
    assert [(c.id, c.due) for c in schedule.cards(ctx, state, until=until)] == expected


def test_a_card_due_late_on_a_utc_date_can_fall_on_the_study_date_before():
    """West of UTC, with a late rollover, a moment on the UTC date after D is still on study
    date D: the cut-off leaves it in."""
    ctx = context("Etc/GMT+12", 23)  # UTC-12: 11:00 UTC on 3 Dec is 23:00 on 2 Dec, before
    due = "2026-12-03T10:59:00+00:00"  # the rollover: study date 1 Dec
    state = PlanState(cards={"1": CardRecord(card_id=1, state=2, due=due)})
    assert [c.due for c in schedule.cards(ctx, state, until=date(2026, 12, 1))] == [
        date(2026, 12, 1)
    ]
    assert schedule.cards(ctx, state, until=date(2026, 11, 30)) == []
