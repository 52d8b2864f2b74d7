"""`eng28 export --format ics`: the plan and the scheduled reviews as an iCalendar file.

UIDs are derived from the plan's title and each day's slug, so re-importing an updated export
into a calendar updates its events instead of adding copies.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta

from eng28.usecases.context import Context
from eng28.usecases.schedule import DayView, due_cards, schedule, upcoming_cards, view_day


def _plan_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "plan"


def _description(view: DayView) -> str:
    day = view.day
    lines = [f"Day {day.number} of {view.total} · {view.track.name}"]
    if day.summary:
        lines += ["", day.summary.strip()]
    if day.video:
        lines += ["", f"Video: {day.video.title} ({day.video.minutes} min)", day.video.url]
    if day.readings:
        lines += ["", "Readings:"]
        lines += [f"- {r.title}: {r.url}" for r in day.readings]
    if day.leetcode:
        lc = day.leetcode
        lines += ["", f"LeetCode {lc.number}. {lc.title} ({lc.difficulty}): {lc.url}"]
    if day.reflection_prompt:
        lines += ["", f"Reflect: {day.reflection_prompt.strip()}"]
    lines += ["", f"eng28 show {day.number}"]
    return "\n".join(lines)


def calendar_bytes(ctx: Context) -> bytes:
    from icalendar import Calendar, Event

    from eng28.errors import Eng28Error

    # The days, the cards and today's ratings (the daily limit) are all a calendar shows: the
    # log's recent part holds them, as for `today`.
    state = ctx.load_state(history=False)
    if state.start is None:
        raise Eng28Error("the plan has not been started, so it has no dates: run `eng28 start`")
    slots = schedule(ctx, state)
    key = _plan_key(ctx.plan.title)
    stamp = ctx.now.astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", "-//eng28//study plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", ctx.plan.title)
    for slot in slots:
        if slot.date is None:
            continue
        view = view_day(ctx, state, slot.number, slots)
        event = Event()
        event.add("uid", f"eng28-{key}-day-{view.day.slug}@eng28")
        event.add("summary", f"eng28 Day {slot.number:02d}: {view.day.title}")
        event.add("dtstart", slot.date)
        event.add("dtend", slot.date + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", _description(view))
        event.add("categories", [view.track.name])
        if view.day.video:
            event.add("url", view.day.video.url)
        cal.add_component(event)
    for card in due_cards(ctx, state) + upcoming_cards(ctx, state, days=36500):
        event = Event()
        slug = ctx.plan.day(card.day).slug
        event.add("uid", f"eng28-{key}-review-{slug}@eng28")
        event.add("summary", f"eng28 review: Day {card.day:02d} {card.title}")
        when = max(card.due, ctx.today)
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", f"Recall your reflection on day {card.day}, then: eng28 review")
        cal.add_component(event)
    return cal.to_ical()
