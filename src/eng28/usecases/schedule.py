"""Which day it is, what each day's status is, and what is due: functions of the context and
the state, writing nothing. Every other place that needs "today" asks here."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from eng28 import pace
from eng28.errors import Eng28Error, UsageError
from eng28.models import (
    PARTS,
    CardRecord,
    Day,
    DayOutline,
    DayProgress,
    PlanState,
    QuestionOutline,
    Track,
    card_day,
    card_kind,
)
from eng28.plan import notes_path, plan_folder, read_notes
from eng28.usecases.context import Context


def parse_date(text: str, today: date) -> date:
    """An ISO date, 'today', 'tomorrow', 'yesterday', or what dateutil reads ("Dec 1")."""
    word = text.strip().lower()
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if word in relative:
        return today + timedelta(days=relative[word])
    try:
        found = date.fromisoformat(word)
    except ValueError:
        import re

        from dateutil import parser

        numeric = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", word)
        if numeric:
            first, second, year = (int(part) for part in numeric.groups())
            if first != second and first <= 12 and second <= 12:
                raise UsageError(
                    f"ambiguous date {text}: write {year}-{first:02d}-{second:02d} or "
                    f"{year}-{second:02d}-{first:02d}"
                ) from None
        try:
            found = parser.parse(text, default=datetime.combine(today, datetime.min.time())).date()
        except (ValueError, OverflowError):
            raise UsageError(
                f"invalid date {text!r}: use YYYY-MM-DD, 'today', 'tomorrow' or e.g. 'Dec 1'"
            ) from None
    if not 1971 <= found.year <= 9000:
        raise UsageError(f"invalid date {text!r}: the year must be between 1971 and 9000")
    return found


def check_day(ctx: Context, number: int) -> int:
    if not 1 <= number <= ctx.outline.total:
        total = ctx.outline.total
        raise Eng28Error(f"day {number} is out of range: this plan has days 1 to {total}")
    return number


@dataclass
class Slot:
    """One day of the plan as it stands today."""

    number: int
    date: date | None
    status: str  # done | skipped | today | upcoming | missed


def schedule(ctx: Context, state: PlanState) -> list[Slot]:
    plan, config, today = ctx.outline, ctx.config, ctx.today
    done, skipped = state.done_days(), state.skipped_days()

    def settled(n: int) -> str | None:
        return "done" if n in done else "skipped" if n in skipped else None

    start = state.start
    if start is None:
        return [Slot(n, None, settled(n) or "upcoming") for n in range(1, plan.total + 1)]
    if config.pace == "calendar":
        slots = []
        dates = pace.day_dates(start, plan.total, ctx.rest, state.pause_ranges(), today)
        for n, when in enumerate(dates, start=1):
            status = settled(n)
            if status is None:
                status = "today" if when == today else "missed" if when < today else "upcoming"
            slots.append(Slot(n, when, status))
        return slots
    # Self pace: done days keep the date they were done; open days follow from today on.
    cursor, rest = max(today, start), ctx.rest
    if pace.is_rest(cursor, rest):
        cursor = pace.next_study_date(cursor, rest)
    slots, first_open = [], True
    for n in range(1, plan.total + 1):
        progress = state.days.get(n)
        if n in done and progress is not None:
            slots.append(Slot(n, progress.done_on, "done"))
            continue
        if n in skipped:
            slots.append(Slot(n, None, "skipped"))
            continue
        status = "today" if first_open and cursor == today and today >= start else "upcoming"
        slots.append(Slot(n, cursor, status))
        first_open = False
        cursor = pace.next_study_date(cursor, rest)
    return slots


#: What a reading is taken to need, by its kind (the plan gives minutes for the video and the
#: exercise only).
READING_MINUTES = {"paper": 45, "book": 40, "course": 40, "docs": 20, "blog": 15}


def part_minutes(day: DayOutline) -> dict[str, int]:
    """The minutes each part of a day needs (parts the day lacks are left out)."""
    minutes: dict[str, int] = {}
    if day.video:
        minutes["video"] = day.video.minutes
    for i, reading in enumerate(day.readings or [], start=1):
        minutes[f"r{i}"] = READING_MINUTES[reading.kind]
    if day.exercise:
        minutes["exercise"] = day.exercise.minutes
    return minutes


@dataclass
class DayView:
    day: Day
    track: Track
    total: int
    status: str
    date: date | None
    progress: DayProgress | None
    notes_file: Path | None
    notes: str | None = None  # the notes' text, for --json

    @property
    def ticked(self) -> dict[str, bool]:
        """Each part of the day (video, r1-r3, exercise, leetcode, reflection): done or not."""
        p = self.progress
        found = {part: p is not None and p.ticked(part) for part in PARTS}
        found["reflection"] = p is not None and p.done
        return found

    def parts_json(self) -> dict[str, Any]:
        t = self.ticked
        return {
            "video": t["video"],
            "readings": [t["r1"], t["r2"], t["r3"]],
            "exercise": t["exercise"],
            "leetcode": t["leetcode"],
            "reflection": t["reflection"],
        }

    @property
    def minutes_needed(self) -> int:
        """Video, readings (an estimate by kind) and exercise, in minutes."""
        return sum(part_minutes(self.day).values())

    @property
    def minutes_left(self) -> int:
        """What is left of `minutes_needed` once ticked parts (or a done day) are taken off."""
        if self.progress is not None and self.progress.done:
            return 0
        ticked = self.ticked
        return sum(m for part, m in part_minutes(self.day).items() if not ticked[part])

    def to_json(self) -> dict[str, Any]:
        d = self.day
        return {
            "number": d.number,
            "slug": d.slug,
            "title": d.title,
            "track": d.track,
            "summary": d.summary,
            "video": d.video.model_dump() if d.video else None,
            "readings": [r.model_dump() for r in d.readings] if d.readings else None,
            "exercise": d.exercise.model_dump() if d.exercise else None,
            "check": d.check.model_dump() if d.check else None,
            "leetcode": d.leetcode.model_dump() if d.leetcode else None,
            "reflection_prompt": d.reflection_prompt,
            "questions": [q.model_dump() for q in d.questions],
            "notes": self.notes,
            "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "parts": self.parts_json(),
            "minutes": {"needed": self.minutes_needed, "left": self.minutes_left},
        }


def view_day(
    ctx: Context,
    state: PlanState,
    number: int,
    slots: list[Slot] | None = None,
    with_notes: bool = False,
    folder: Any = None,
) -> DayView:
    """Day `number` as the card shows it (`folder`: see `plan.notes_path`)."""
    check_day(ctx, number)
    slot = (slots or schedule(ctx, state))[number - 1]
    plan = ctx.plan if with_notes else ctx.outline
    day = plan.day(number)
    return DayView(
        day=day,  # type: ignore[arg-type]  # an outline in a light command's table
        track=plan.track(day.track),
        total=plan.total,
        status=slot.status,
        date=slot.date,
        progress=state.days.get(number),
        notes_file=notes_path(ctx.plan_path, day, folder),
        notes=read_notes(ctx.plan_path, day) if with_notes else None,
    )


def show(ctx: Context, number: int, with_notes: bool = False) -> DayView:
    return view_day(ctx, ctx.load_state(history=False), number, with_notes=with_notes)


@dataclass
class PlanOverview:
    title: str
    slots: list[Slot]
    days: list[DayView]
    today: date
    rest: frozenset[int]
    reviews_due: int

    def to_json(self) -> list[dict[str, Any]]:
        return [view.to_json() for view in self.days]


def overview(ctx: Context, with_notes: bool = False) -> PlanOverview:
    state = ctx.load_state(history=False)  # the log only for today's ratings (the limit)
    slots = schedule(ctx, state)
    folder = plan_folder(ctx.plan_path)
    views = [view_day(ctx, state, s.number, slots, with_notes, folder) for s in slots]
    due = due_count(ctx, state)
    return PlanOverview(ctx.outline.title, slots, views, ctx.today, ctx.rest, due)


# --- today -------------------------------------------------------------------------------


@dataclass
class TodayResult:
    date: date
    status: str  # study | rest | paused | not-started | finished
    day: DayView | None
    behind: list[int]
    done_count: int
    total: int
    start: date | None
    next_day: DayView | None = None  # the next day to study (rest / not started / paused)
    paused_since: date | None = None
    started_now: bool = False
    reviews_due: int = 0
    missed: list[int] = field(default_factory=list)

    @property
    def starts_in(self) -> int | None:
        if self.status == "not-started" and self.start:
            return (self.start - self.date).days
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "status": self.status,
            "day": self.day.to_json() if self.day else None,
            "behind": self.behind,
            "reviews_due": self.reviews_due,
        }


def today(ctx: Context, state: PlanState, with_notes: bool = False) -> TodayResult:
    """Where the learner stands on `ctx.today`: the day to study, or why there is none."""
    plan, today_date, start = ctx.plan, ctx.today, state.start
    slots = schedule(ctx, state)

    def view(number: int) -> DayView:
        return view_day(ctx, state, number, slots, with_notes)

    result = TodayResult(
        date=today_date,
        status="study",
        day=None,
        behind=[],
        done_count=len(state.done_days() & set(range(1, plan.total + 1))),
        total=plan.total,
        start=start,
        reviews_due=due_count(ctx, state),
        paused_since=state.paused_since,
    )
    if start is None or today_date < start:
        result.status = "not-started"
        result.next_day = view(1)
        return result
    if ctx.config.pace == "calendar":
        result.missed = result.behind = [s.number for s in slots if s.status == "missed"]
        if slots[-1].date is not None and today_date > slots[-1].date:
            result.status = "finished"
            return result
        current = next((s for s in slots if s.date == today_date), None)
        if current is None:  # a rest weekday, or paused
            result.status = "paused" if result.paused_since else "rest"
            upcoming = next((s for s in slots if s.date and s.date > today_date), None)
            result.next_day = view(upcoming.number) if upcoming else None
            return result
        result.day = view(current.number)
        return result
    # Self pace: the first open day; no schedule to fall behind.
    open_days = [s.number for s in slots if s.status not in ("done", "skipped")]
    if not open_days:
        result.status = "finished"
    elif pace.is_rest(today_date, ctx.rest):
        result.status = "rest"
        result.next_day = view(open_days[0])
    else:
        result.day = view(open_days[0])
    return result


# --- what is due -------------------------------------------------------------------------


@dataclass
class DueCard:
    day: int
    title: str
    track: Track
    due: date
    record: CardRecord
    id: str = ""
    kind: str = "reflection"
    question: QuestionOutline | None = None  # a question card's, as the plan says it now

    def __post_init__(self) -> None:
        self.id = self.id or str(self.day)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "day": self.day,
            "title": self.title,
            "due": self.due.isoformat(),
        }


class _Lookup:
    """What `card_of` asks of the plan and the config, found once for many cards (a year's
    plan has 2,000): the tracks and each day's questions by id, the due moments' dates."""

    def __init__(self, ctx: Context) -> None:
        self.plan = ctx.outline
        self.due_dates = StudyDates(ctx.zone, ctx.config.rollover_hour)
        self.tracks: dict[str, Track] = {}
        for track in self.plan.tracks:
            self.tracks.setdefault(track.id, track)  # the first of an id, as plan.track
        self.questions: dict[int, dict[str, QuestionOutline]] = {}

    def track(self, track_id: str) -> Track:
        found = self.tracks.get(track_id)
        return found if found is not None else self.plan.track(track_id)

    def question(self, day: DayOutline, question_id: str) -> QuestionOutline | None:
        by_id = self.questions.get(day.number)
        if by_id is None:
            by_id = self.questions[day.number] = {}
            for q in day.questions:
                by_id.setdefault(q.id, q)  # the first of an id, as a search from the top
        return by_id.get(question_id)


def card_of(
    ctx: Context,
    card_id: str,
    record: CardRecord,
    state: PlanState,
    lookup: _Lookup | None = None,
) -> DueCard | None:
    """The card as the plan in use shows it, or None when the plan does not show it: a day
    the plan lacks (a longer plan used before), a question it no longer has (retired: its
    card and log are kept), a question of a day not done, a re-solve of a day with no
    problem. `lookup`: the plan's and config's answers, for many cards."""
    found = lookup or _Lookup(ctx)
    plan, day_number, kind = found.plan, card_day(card_id), card_kind(card_id)
    if not 1 <= day_number <= plan.total:
        return None
    day = plan.day(day_number)
    question = None
    if kind == "question":
        progress = state.days.get(day_number)
        question = found.question(day, card_id.split(":", 1)[1])
        if question is None or progress is None or not progress.done:
            return None
    elif kind == "leetcode" and day.leetcode is None:
        return None
    due = found.due_dates.of(record.due)
    return DueCard(
        day_number, day.title, found.track(day.track), due, record, card_id, kind, question
    )


class _Cards:
    """The cards of one state, soonest first, with each one's view made when first asked for
    (a year's plan has 2,000 cards, and most commands show only those due within days)."""

    def __init__(self, ctx: Context, state: PlanState, key: tuple[Any, ...]) -> None:
        self.state, self.key, self.lookup = state, key, _Lookup(ctx)
        self.order = sorted(
            (record.due, card_day(card_id), card_id, record)
            for card_id, record in state.cards.items()
        )
        self.views: dict[str, DueCard | None] = {}

    def until(self, ctx: Context, last: date | None) -> list[DueCard]:
        # Stored moments are UTC in one form, so they sort as text; a moment two days past
        # the end of `last` (in UTC) lies on a later study date in any zone and rollover
        # (offsets are under a day, the rollover at most 23 hours), so the cards due from
        # then on need no date worked out, and the cards are in that order.
        end = None if last is None else (last + timedelta(days=3)).isoformat()
        made, views, due_of = [], self.views, self.lookup.due_dates.of
        for due, _, card_id, record in self.order:
            if end is not None and due >= end:
                break
            if last is not None and due_of(due) > last:
                continue
            if card_id in views:
                view = views[card_id]
            else:
                view = views[card_id] = card_of(ctx, card_id, record, self.state, self.lookup)
            if view is not None:
                made.append(view)
        return made


#: The cards of the state last asked about (kept with it, so that its id stands for it): the
#: prompt cache asks for the same cards at 14 moments.
_LAST_CARDS: list[_Cards] = []


def cards(ctx: Context, state: PlanState, until: date | None = None) -> list[DueCard]:
    """The review cards of the plan in use, soonest first (see `card_of` for those kept in
    the state but not shown or counted); `until`: only those due on that study date or
    before. They depend on the plan, the config, each card record (a rating replaces it) and
    which days are done, not on the moment."""
    key = (
        id(ctx.outline), id(ctx.config), tuple(map(id, state.cards.values())),
        tuple((n, p.done) for n, p in state.days.items()),
    )  # fmt: skip
    if not (_LAST_CARDS and _LAST_CARDS[0].state is state and _LAST_CARDS[0].key == key):
        _LAST_CARDS[:] = [_Cards(ctx, state, key)]
    return _LAST_CARDS[0].until(ctx, until)


def ratings_today(ctx: Context, state: PlanState) -> int:
    """The ratings given on today's study date (a LeetCode problem's first solve, which is
    the day's own work, not a review, does not count)."""
    # Stored moments are UTC in one format, so they sort as text: only those of the last two
    # days can fall on today's study date, and only those are converted (a year holds 40,000).
    recent = (ctx.now - timedelta(days=2)).astimezone(UTC).isoformat()
    return sum(
        1
        for e in state.reviews
        if e.review_datetime >= recent
        and e.undone_at is None
        and study_date_of(ctx, e.review_datetime) == ctx.today
        and not (card_kind(e.key) == "leetcode" and e.card_before is not None
                 and e.card_before.last_review is None)
    )  # fmt: skip


def due_by_date(ctx: Context, state: PlanState) -> list[DueCard]:
    """Every card whose due date is today or earlier, oldest first, whatever the limit."""
    today = ctx.today  # a property that works it out: once, not once a card
    return cards(ctx, state, until=today)


def due_cards(ctx: Context, state: PlanState) -> list[DueCard]:
    """The cards due now, oldest first: those due today or earlier, at most what is left of
    today's allowance (`review_daily_limit` less the ratings given today). When more are due,
    the ones most at risk of being forgotten (the lowest retrievability) are due first; the
    rest wait for the next study days, so a backlog after a pause is spread out. A function
    of the state and the clock alone: every machine synced shows the same cards."""
    due = due_by_date(ctx, state)
    left = max(0, ctx.config.review_daily_limit - ratings_today(ctx, state))
    if len(due) <= left:
        return due
    from eng28 import review

    sched = ctx.exact_scheduler()
    risk = sorted(
        due, key=lambda c: (review.retrievability(sched, c.record, ctx.now), c.record.due, c.id)
    )
    chosen = {c.id for c in risk[:left]}
    return [c for c in due if c.id in chosen]


def due_count(ctx: Context, state: PlanState) -> int:
    """How many cards are due now: `len(due_cards(...))` without ranking a backlog by risk
    (a year's backlog is ranked card by card through fsrs), for the counts that show no card."""
    left = max(0, ctx.config.review_daily_limit - ratings_today(ctx, state))
    return min(len(due_by_date(ctx, state)), left)


def upcoming_cards(ctx: Context, state: PlanState, days: int = 14) -> list[DueCard]:
    today = ctx.today
    horizon = today + timedelta(days=days)
    return [c for c in cards(ctx, state, until=horizon) if today < c.due]


class StudyDates:
    """The study dates of stored moments (ISO, UTC, as models.IsoMoment writes them) in one
    zone and rollover: each UTC hour is converted once, not each moment (a year's plan holds
    2,000 cards, its log 40,000 ratings). An hour lies on one study date when the zone's
    offset is the same through it and whole hours; where it is not (a DST change inside it,
    an offset of half hours), each minute is tried the same way, and where even that fails
    (an offset not whole minutes, or a moment not in the stored form) the moment is
    converted on its own."""

    def __init__(self, zone: tzinfo | None, rollover_hour: int) -> None:
        self.zone, self.rollover = zone, rollover_hour
        self._memo: dict[str, date | None] = {}

    def of(self, iso: str) -> date:
        hour = iso[:13]
        when = self._memo[hour] if hour in self._memo else self._span(hour, ":00:00", 3600)
        if when is None:
            minute = iso[:16]
            when = self._memo[minute] if minute in self._memo else self._span(minute, ":00", 60)
        if when is None:
            return pace.study_date(datetime.fromisoformat(iso).astimezone(self.zone), self.rollover)
        return when

    def _span(self, prefix: str, rest: str, seconds: int) -> date | None:
        when = None
        with contextlib.suppress(ValueError):
            first = datetime.fromisoformat(prefix + rest + "+00:00")
            start = first.astimezone(self.zone)
            end = (first + timedelta(seconds=seconds - 1, microseconds=999_999)).astimezone(
                self.zone
            )
            offset, span = start.utcoffset(), timedelta(seconds=seconds)
            if offset is not None and offset == end.utcoffset() and not offset % span:
                when = pace.study_date(start, self.rollover)
        self._memo[prefix] = when
        return when


def study_date_of(ctx: Context, iso: str) -> date:
    """The study date of a stored ISO moment, in the learner's zone."""
    return pace.study_date(
        datetime.fromisoformat(iso).astimezone(ctx.zone), ctx.config.rollover_hour
    )
