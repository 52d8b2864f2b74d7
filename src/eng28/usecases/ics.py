"""`eng28 export --format ics`: the plan and the scheduled reviews as an iCalendar file.

UIDs are derived from the plan's title and each day's slug, so re-importing an updated export
into a calendar updates its events instead of adding copies.
"""

from __future__ import annotations

import re
from datetime import UTC, date, timedelta

from eng28.models import Day, Track
from eng28.usecases.context import Context
from eng28.usecases.schedule import due_cards, schedule, upcoming_cards


def _plan_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "plan"


def _description(day: Day, total: int, track: Track) -> str:
    lines = [f"Day {day.number} of {total} · {track.name}"]
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
    """The calendar as iCalendar (RFC 5545) text. Written here rather than through the
    icalendar library, whose per-character line folding took about a second for a year's
    2,500 events; a test reads both back with icalendar and compares what they hold."""
    from eng28.errors import Eng28Error

    # The days, the cards and today's ratings (the daily limit) are all a calendar shows: the
    # log's recent part holds them, as for `today`.
    state = ctx.load_state(history=False)
    if state.start is None:
        raise Eng28Error("the plan has not been started, so it has no dates: run `eng28 start`")
    slots = schedule(ctx, state)
    key = _plan_key(ctx.plan.title)
    stamp = f"DTSTAMP:{ctx.now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//eng28//study plan//EN",
        f"X-WR-CALNAME:{_text(ctx.plan.title)}",
    ]
    for slot in slots:
        if slot.date is None:
            continue
        day = ctx.plan.day(slot.number)
        track = ctx.plan.track(day.track)
        lines += _event(
            summary=f"eng28 Day {slot.number:02d}: {day.title}",
            when=slot.date,
            stamp=stamp,
            uid=f"eng28-{key}-day-{day.slug}@eng28",
            extra=[f"CATEGORIES:{_text(track.name)}"],
            description=_description(day, ctx.plan.total, track),
            url=day.video.url if day.video else None,
        )
    for card in due_cards(ctx, state) + upcoming_cards(ctx, state, days=36500):
        slug = ctx.plan.day(card.day).slug
        lines += _event(
            summary=f"eng28 review: Day {card.day:02d} {card.title}",
            when=max(card.due, ctx.today),
            stamp=stamp,
            uid=f"eng28-{key}-review-{slug}@eng28",
            description=f"Recall your reflection on day {card.day}, then: eng28 review",
        )
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def _event(
    summary: str,
    when: date,
    stamp: str,
    uid: str,
    description: str,
    extra: list[str] | None = None,
    url: str | None = None,
) -> list[str]:
    """An all-day event's lines, its properties in the order icalendar writes them."""
    return [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(summary)}",
        f"DTSTART;VALUE=DATE:{when:%Y%m%d}",
        f"DTEND;VALUE=DATE:{when + timedelta(days=1):%Y%m%d}",
        stamp,
        f"UID:{_text(uid)}",
        *(extra or []),
        f"DESCRIPTION:{_text(description)}",
        *([f"URL:{url}"] if url else []),  # a URI value: not escaped
        "END:VEVENT",
    ]


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11); any line break is written as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """`line` folded (RFC 5545 3.1): at most 74 octets a line before the fold's space, cut
    between characters, never right after a backslash (a client could read the escape
    across the fold otherwise), as icalendar folds."""
    if len(line) < 75 and line.isascii():
        return line  # most lines: no need to count octets
    raw = line.encode("utf-8")
    if len(raw) < 75:
        return line
    parts, start = [], 0
    while len(raw) - start >= 75:
        end = start + 74
        while raw[end] & 0xC0 == 0x80:  # inside a character: back to its first byte
            end -= 1
        if raw[end - 1 : end] in (b"\\", b"^") and end - 1 > start:
            end -= 1
        parts.append(raw[start:end])
        start = end
    parts.append(raw[start:])
    return b"\r\n ".join(parts).decode("utf-8")
