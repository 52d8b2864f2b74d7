"""Use cases: each takes a Context (config, plan, the moment) and returns a result to render.

Nothing here prints or reads the terminal; `cli` collects input and renders results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

from eng28 import config as cfg
from eng28 import pace, store
from eng28.errors import Eng28Error, StateError, UsageError
from eng28.models import (
    CardRecord,
    Config,
    Day,
    DayProgress,
    EarlierReflection,
    Pause,
    Plan,
    State,
    Track,
)
from eng28.plan import load_plan, notes_path, read_notes, resolve_plan_path


@dataclass
class Context:
    """Everything a use case needs, resolved once per command."""

    config: Config
    plan_path: Path
    now: datetime

    @cached_property
    def plan(self) -> Plan:
        return load_plan(self.plan_path)

    @property
    def today(self) -> date:
        return pace.study_date(self.now, self.config.rollover_hour)

    @property
    def rest(self) -> frozenset[int]:
        return pace.rest_weekdays(self.config.rest_days)

    @property
    def state_path(self) -> Path:
        return cfg.state_path()

    @property
    def zone(self) -> tzinfo | None:
        return cfg.zone(self.config)

    def due_date(self, record: CardRecord) -> date:
        from eng28 import review

        return review.due_date(record, self.zone, self.config.rollover_hour)

    def scheduler(self) -> Any:
        from eng28 import review

        return review.scheduler(self.config.desired_retention, cfg.fuzzing(self.config))

    def load_state(self) -> State:
        return store.load_state(self.state_path)


def first_due(ctx: Context, done_at: datetime) -> datetime:
    """When a day done at `done_at` is first due: the start (the rollover hour) of the next
    study day after the one it was done on, in the learner's zone."""
    return first_due_for(ctx.config, done_at)


def first_due_for(config: Config, done_at: datetime) -> datetime:
    zone = cfg.zone(config)
    local = done_at.astimezone(zone)
    day = pace.study_date(local, config.rollover_hour)
    following = pace.next_study_date(day, pace.rest_weekdays(config.rest_days))
    start = datetime.combine(following, time(config.rollover_hour))
    return start.replace(tzinfo=zone) if zone else start.astimezone()


def touch_config(ctx: Context, keys: list[str]) -> None:
    """Remember when config keys changed here, so `eng28 sync` lets the later change win."""
    with store.transaction(ctx.state_path, ctx.today) as state:
        for key in keys:
            state.config_times[key] = ctx.now


def open_context(plan_option: str | None = None) -> Context:
    config = cfg.load_config()
    return Context(
        config=config,
        plan_path=resolve_plan_path(plan_option, config.plan),
        now=cfg.now(cfg.zone(config)),
    )


# --- dates ------------------------------------------------------------------------------


def parse_date(text: str, today: date) -> date:
    """An ISO date, 'today', 'tomorrow', 'yesterday', or what dateutil reads ("Dec 1")."""
    word = text.strip().lower()
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if word in relative:
        return today + timedelta(days=relative[word])
    try:
        return date.fromisoformat(word)
    except ValueError:
        pass
    from dateutil import parser

    try:
        return parser.parse(text, default=datetime.combine(today, datetime.min.time())).date()
    except (ValueError, OverflowError):
        raise UsageError(
            f"invalid date {text!r}: use YYYY-MM-DD, 'today', 'tomorrow' or e.g. 'Dec 1'"
        ) from None


# --- the schedule -----------------------------------------------------------------------


@dataclass
class Slot:
    """One day of the plan as it stands today."""

    number: int
    date: date | None
    status: str  # done | skipped | today | upcoming | missed


def schedule(ctx: Context, state: State) -> list[Slot]:
    plan, config, today = ctx.plan, ctx.config, ctx.today
    done, skipped = state.done_days(), state.skipped_days()

    def settled(n: int) -> str | None:
        return "done" if n in done else "skipped" if n in skipped else None

    if config.start is None:
        return [Slot(n, None, settled(n) or "upcoming") for n in range(1, plan.total + 1)]
    if config.pace == "calendar":
        slots = []
        dates = pace.day_dates(config.start, plan.total, ctx.rest, state.pause_ranges(), today)
        for n, when in enumerate(dates, start=1):
            status = settled(n)
            if status is None:
                status = "today" if when == today else "missed" if when < today else "upcoming"
            slots.append(Slot(n, when, status))
        return slots
    # Self pace: done days keep the date they were done; open days follow from today on.
    cursor = max(today, config.start)
    if pace.is_rest(cursor, ctx.rest):
        cursor = pace.next_study_date(cursor, ctx.rest)
    slots, first_open = [], True
    for n in range(1, plan.total + 1):
        progress = state.days.get(n)
        if n in done and progress is not None:
            slots.append(Slot(n, progress.done_on, "done"))
            continue
        if n in skipped:
            slots.append(Slot(n, None, "skipped"))
            continue
        status = "today" if first_open and cursor == today and today >= config.start else "upcoming"
        slots.append(Slot(n, cursor, status))
        first_open = False
        cursor = pace.next_study_date(cursor, ctx.rest)
    return slots


# --- today / show -----------------------------------------------------------------------


@dataclass
class DayView:
    day: Day
    track: Track
    total: int
    status: str
    date: date | None
    progress: DayProgress | None
    notes_file: Path | None

    def to_json(self, notes_text: str | None) -> dict[str, Any]:
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
            "leetcode": d.leetcode.model_dump() if d.leetcode else None,
            "reflection_prompt": d.reflection_prompt,
            "notes": notes_text,
            "status": self.status,
            "date": self.date.isoformat() if self.date else None,
        }


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


def view_day(ctx: Context, state: State, number: int, slots: list[Slot] | None = None) -> DayView:
    plan = ctx.plan
    if not 1 <= number <= plan.total:
        raise Eng28Error(f"day {number} is out of range: this plan has days 1 to {plan.total}")
    slot = (slots or schedule(ctx, state))[number - 1]
    day = plan.day(number)
    return DayView(
        day=day,
        track=plan.track(day.track),
        total=plan.total,
        status=slot.status,
        date=slot.date,
        progress=state.days.get(number),
        notes_file=notes_path(ctx.plan_path, day),
    )


def today(ctx: Context) -> TodayResult:
    """Today's study day. On a fresh install this starts the plan today."""
    started_now = False
    if ctx.config.start is None:
        ctx.config = cfg.load_config(fresh=True)
    if ctx.config.start is None:
        ctx.config.start = ctx.today
        cfg.save_config(ctx.config)  # no change time: an explicit start elsewhere wins a sync
        started_now = True
    state = ctx.load_state()
    slots = schedule(ctx, state)
    plan, today_date, start = ctx.plan, ctx.today, ctx.config.start
    done_count = len(state.done_days() & set(range(1, plan.total + 1)))
    result = TodayResult(
        date=today_date,
        status="study",
        day=None,
        behind=[],
        done_count=done_count,
        total=plan.total,
        start=start,
        started_now=started_now,
    )
    result.reviews_due = len(due_cards(ctx, state))
    result.paused_since = state.paused_since
    open_days = [s.number for s in slots if s.status not in ("done", "skipped")]
    if today_date < start:
        result.status = "not-started"
        result.next_day = view_day(ctx, state, 1, slots)
        return result
    if ctx.config.pace == "calendar":
        result.missed = [s.number for s in slots if s.status == "missed"]
        if slots[-1].date is not None and today_date > slots[-1].date:
            result.status = "finished"
            result.behind = result.missed
            return result
        result.behind = result.missed
        current = next((s for s in slots if s.date == today_date), None)
        if current is None:  # a rest weekday, or paused
            result.status = "paused" if result.paused_since else "rest"
            upcoming = next((s for s in slots if s.date and s.date > today_date), None)
            result.next_day = view_day(ctx, state, upcoming.number, slots) if upcoming else None
            return result
        result.day = view_day(ctx, state, current.number, slots)
        return result
    # Self pace: the first open day; no schedule to fall behind.
    if not open_days:
        result.status = "finished"
        return result
    if pace.is_rest(today_date, ctx.rest):
        result.status = "rest"
        result.next_day = view_day(ctx, state, open_days[0], slots)
        return result
    result.day = view_day(ctx, state, open_days[0], slots)
    return result


def show(ctx: Context, number: int) -> DayView:
    return view_day(ctx, ctx.load_state(), number)


def plan_overview(ctx: Context) -> tuple[list[Slot], State]:
    state = ctx.load_state()
    return schedule(ctx, state), state


# --- start ------------------------------------------------------------------------------


@dataclass
class StartResult:
    start: date
    reopened: list[int]
    previous: date | None


def start_needs_confirmation(ctx: Context) -> list[int]:
    """The done days a restart would reopen (empty: no need to ask)."""
    if ctx.config.start is None:
        return []
    return sorted(ctx.load_state().done_days())


def start(ctx: Context, when: date) -> StartResult:
    """Begin (or restart) the plan on `when`. Done days become open; reflections stay."""
    previous = ctx.config.start
    reopened: list[int] = []
    if previous is not None:
        with store.transaction(ctx.state_path, ctx.today) as state:
            for number, progress in sorted(state.days.items()):
                if progress.done:
                    progress.done = False
                    progress.changed_at = ctx.now
                    state.cards.pop(number, None)
                    reopened.append(number)
    ctx.config = cfg.load_config(fresh=True)
    ctx.config.start = when
    cfg.save_config(ctx.config)
    touch_config(ctx, ["start"])
    return StartResult(start=when, reopened=reopened, previous=previous)


# --- done / undo ------------------------------------------------------------------------


def target_day(ctx: Context, day: int | None) -> int:
    """The day `done` acts on: the one named, or today's."""
    if ctx.config.start is None:
        raise Eng28Error("the plan has not been started: run `eng28 start` (or `eng28 today`)")
    if day is not None:
        if not 1 <= day <= ctx.plan.total:
            raise Eng28Error(f"day {day} is out of range: this plan has days 1 to {ctx.plan.total}")
        return day
    result = today(ctx)
    if result.day is None:
        reason = {
            "rest": "today is a rest day",
            "paused": "the plan is paused; `eng28 resume` to go on",
            "not-started": f"the plan starts on {ctx.config.start.isoformat()}",
            "finished": "the plan is finished",
        }.get(result.status, result.status)
        raise Eng28Error(f"no study day today ({reason}); name the day, e.g. `eng28 done 3`")
    return result.day.day.number


def check_done(ctx: Context, number: int, amend: bool) -> DayProgress | None:
    """Refuse before the learner writes anything that would then be thrown away."""
    progress = ctx.load_state().days.get(number)
    done = progress is not None and progress.done
    if done and not amend:
        when = progress.done_on.isoformat() if progress and progress.done_on else "earlier"
        raise Eng28Error(
            f"day {number} is already done ({when}); use `eng28 done {number} --amend` to "
            "replace its reflection"
        )
    if amend and not done:
        raise Eng28Error(f"day {number} is not done yet, so there is no reflection to amend")
    return progress


@dataclass
class DoneResult:
    number: int
    title: str
    amended: bool
    restored: bool
    reflection: str
    done_count: int
    total: int
    first_review: date | None = None


MAX_TEXT_BYTES = 1_000_000


def check_text(text: str, what: str = "reflection") -> str:
    """Refuse text that cannot be a reflection: too large, or binary. Nothing is recorded."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise Eng28Error(
            f"the {what} is {size / 1e6:.1f} MB; eng28 keeps up to 1 MB, so nothing was recorded"
        )
    for index, char in enumerate(text):
        if (ord(char) < 32 and char not in "\t\n\r") or ord(char) == 127:
            raise Eng28Error(
                f"the {what} contains a control character ({char!r}) at position {index}: is "
                "it binary data? nothing was recorded"
            )
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise Eng28Error(f"the {what} is not valid Unicode text; nothing was recorded")
    return text


def record_done(ctx: Context, number: int, reflection: str | None, amend: bool) -> DoneResult:
    """Mark a day done with its reflection. `None` means: bring back the kept reflection, if
    any. A replaced reflection is moved to `earlier`, never dropped."""
    restored = False
    if reflection is not None:
        check_text(reflection)
    with store.transaction(ctx.state_path, ctx.today) as state:
        progress = state.days.get(number)
        if progress is not None and progress.done and not amend:
            raise Eng28Error(f"day {number} is already done; use --amend to replace its reflection")
        if progress is None:
            progress = DayProgress(changed_at=ctx.now)
            state.days[number] = progress
        if reflection is None:
            restored = bool(progress.reflection)
        elif reflection != progress.reflection:
            if progress.reflection.strip():
                progress.earlier.append(
                    EarlierReflection(
                        text=progress.reflection,
                        written_at=progress.reflection_at or progress.changed_at,
                    )
                )
            progress.reflection = reflection
            progress.reflection_at = ctx.now
        progress.skipped = False
        if not progress.done:
            progress.done = True
            progress.done_at = ctx.now
            progress.done_on = ctx.today
        progress.changed_at = ctx.now
        if number not in state.cards:  # --amend keeps the schedule
            from eng28 import review

            state.cards[number] = review.new_card(number, first_due(ctx, ctx.now))
        done_count = len(state.done_days() & set(range(1, ctx.plan.total + 1)))
        text = progress.reflection
        first_review = ctx.due_date(state.cards[number])
    return DoneResult(
        number,
        ctx.plan.day(number).title,
        amend,
        restored,
        text,
        done_count,
        ctx.plan.total,
        first_review,
    )


def undo(ctx: Context, day: int | None) -> tuple[int, str]:
    """Un-mark a day (default: the one most recently marked done). The reflection is kept."""
    with store.transaction(ctx.state_path, ctx.today) as state:
        if day is None:
            done = [
                (p.done_at or p.changed_at, n)
                for n, p in state.days.items()
                if p.done and 1 <= n <= ctx.plan.total
            ]
            if not done:
                raise Eng28Error("no day is marked done, so there is nothing to undo")
            day = max(done)[1]
        elif not 1 <= day <= ctx.plan.total:
            raise Eng28Error(f"day {day} is out of range: this plan has days 1 to {ctx.plan.total}")
        progress = state.days.get(day)
        if progress is not None and progress.skipped and not progress.done:
            progress.skipped = False  # un-skip
            progress.changed_at = ctx.now
            return day, ctx.plan.day(day).title
        if progress is None or not progress.done:
            raise Eng28Error(f"day {day} is not done, so there is nothing to undo")
        progress.done = False
        progress.changed_at = ctx.now
        state.cards.pop(day, None)  # the review log stays
    return day, ctx.plan.day(day).title


# --- pause / resume / skip -------------------------------------------------------------


def pause(ctx: Context) -> date:
    """Stop the calendar; later days move by the days paused. The pause starts today, or
    tomorrow when today's day is already done."""
    if ctx.config.pace != "calendar":
        raise Eng28Error("pause is for calendar pace; in self pace nothing moves while you rest")
    if ctx.config.start is None or ctx.today < ctx.config.start:
        raise Eng28Error("the plan has not started yet; move its start with `eng28 start DATE`")
    with store.transaction(ctx.state_path, ctx.today) as state:
        if state.paused_since:
            raise Eng28Error(f"already paused since {state.paused_since.isoformat()}")
        first = ctx.today
        if any(s.date == ctx.today and s.status == "done" for s in schedule(ctx, state)):
            first += timedelta(days=1)
        if state.pauses and state.pauses[-1].end == first:
            state.pauses[-1].end = None  # resumed and paused again: still one pause
        else:
            state.pauses.append(Pause(start=first))
        return state.pauses[-1].start


def resume(ctx: Context) -> tuple[date, int]:
    """End the pause: today is a study day again. Returns (paused since, days paused)."""
    with store.transaction(ctx.state_path, ctx.today) as state:
        since = state.paused_since
        if since is None:
            raise Eng28Error("not paused")
        state.pauses[-1].end = max(ctx.today, since)
        if state.pauses[-1].end == since:
            state.pauses.pop()  # resumed the same day: nothing moved
    return since, (max(ctx.today, since) - since).days


def skip(ctx: Context, day: int) -> str:
    """Set a day aside: not done, no review card, not counted as missed."""
    if not 1 <= day <= ctx.plan.total:
        raise Eng28Error(f"day {day} is out of range: this plan has days 1 to {ctx.plan.total}")
    with store.transaction(ctx.state_path, ctx.today) as state:
        progress = state.days.get(day)
        if progress is not None and progress.done:
            raise Eng28Error(f"day {day} is done; `eng28 undo {day}` first to skip it instead")
        if progress is None:
            progress = state.days[day] = DayProgress(changed_at=ctx.now)
        if progress.skipped:
            raise Eng28Error(f"day {day} is already skipped (`eng28 undo {day}` brings it back)")
        progress.skipped = True
        progress.changed_at = ctx.now
    return ctx.plan.day(day).title


# --- export / import --------------------------------------------------------------------

EXPORT_FORMAT = 1


def export_data(ctx: Context) -> dict[str, Any]:
    state = ctx.load_state()
    return {
        "eng28_export": EXPORT_FORMAT,
        "exported_at": ctx.now.isoformat(),
        "config": ctx.config.model_dump(mode="json", exclude_none=True),
        "state": state.model_dump(mode="json"),
    }


def read_export(path: Path) -> tuple[Config, State]:
    import json

    from pydantic import ValidationError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Eng28Error(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Eng28Error(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise Eng28Error(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("eng28_export") != EXPORT_FORMAT:
        raise Eng28Error(f'{path}: not an eng28 export (no "eng28_export": {EXPORT_FORMAT})')
    try:
        return Config.model_validate(data.get("config", {})), State.model_validate(
            data.get("state", {})
        )
    except ValidationError as exc:
        raise Eng28Error(f"{path}: {cfg.describe_validation_error(exc)}") from None


def import_data(ctx: Context, config: Config, state: State) -> Path | None:
    """Replace config and state. The current state is copied aside first; returns the copy."""
    backup = None
    with store.locked(ctx.state_path):
        current = ctx.state_path
        if current.exists():
            stamp = ctx.now.strftime("%Y%m%dT%H%M%S")
            backup = current.with_name(f"state.before-import-{stamp}.toml")
            try:
                backup.write_bytes(current.read_bytes())
            except OSError as exc:
                raise StateError(f"{backup}: cannot keep a copy of the state: {exc}") from None
        store.save_state(ctx.state_path, state)
    cfg.save_config(config)
    return backup


def notes_text(ctx: Context, day: Day) -> str | None:
    return read_notes(ctx.plan_path, day)


# --- spaced review ----------------------------------------------------------------------


@dataclass
class DueCard:
    day: int
    title: str
    track: Track
    due: date
    record: CardRecord


def _cards(ctx: Context, state: State) -> list[DueCard]:
    plan = ctx.plan
    cards = []
    for number, record in state.cards.items():
        if not 1 <= number <= plan.total:
            continue  # a card of a longer plan used before: kept, not shown
        day = plan.day(number)
        cards.append(
            DueCard(number, day.title, plan.track(day.track), ctx.due_date(record), record)
        )
    return sorted(cards, key=lambda c: (c.record.due, c.day))


def due_cards(ctx: Context, state: State) -> list[DueCard]:
    """Cards due today or earlier, oldest first."""
    return [c for c in _cards(ctx, state) if c.due <= ctx.today]


def upcoming_cards(ctx: Context, state: State, days: int = 14) -> list[DueCard]:
    horizon = ctx.today + timedelta(days=days)
    return [c for c in _cards(ctx, state) if ctx.today < c.due <= horizon]


@dataclass
class ReviewMaterial:
    card: DueCard
    prompt: str | None
    reflection: str
    earlier_notes: list[tuple[str, str]]  # (date, note) of earlier reviews
    questions: list[str]


def review_material(ctx: Context, state: State, card: DueCard) -> ReviewMaterial:
    from eng28.plan import check_questions

    day = ctx.plan.day(card.day)
    progress = state.days.get(card.day)
    notes = [
        (ctx_date(ctx, e.review_datetime).isoformat(), e.note)
        for e in state.reviews
        if e.card_id == card.day and e.note.strip()
    ]
    text = notes_text(ctx, day)
    return ReviewMaterial(
        card=card,
        prompt=day.reflection_prompt,
        reflection=progress.reflection if progress else "",
        earlier_notes=notes,
        questions=check_questions(text) if text else [],
    )


def ctx_date(ctx: Context, iso: str) -> date:
    return pace.study_date(
        datetime.fromisoformat(iso).astimezone(ctx.zone), ctx.config.rollover_hour
    )


@dataclass
class RateResult:
    day: int
    title: str
    rating: int
    next_due: date
    review_id: str

    def interval(self, today: date) -> int:
        return (self.next_due - today).days


def rate_card(
    ctx: Context,
    day: int,
    rating: int,
    note: str = "",
    early: bool = False,
    duration_ms: int | None = None,
) -> RateResult:
    """Rate one card and save at once. A card not due yet needs `early`."""
    from eng28 import review

    check_text(note, "note")
    if not 1 <= day <= ctx.plan.total:
        raise Eng28Error(f"day {day} is out of range: this plan has days 1 to {ctx.plan.total}")
    with store.transaction(ctx.state_path, ctx.today) as state:
        record = state.cards.get(day)
        if record is None:
            raise Eng28Error(
                f"day {day} has no review card: mark it done first (`eng28 done {day}`)"
            )
        due = ctx.due_date(record)
        if due > ctx.today and not early:
            raise Eng28Error(
                f"day {day} is not due until {due.isoformat()}; pass --early to review it now"
            )
        updated, entry = review.rate(ctx.scheduler(), record, rating, ctx.now, duration_ms, note)
        if any(e.id == entry.id for e in state.reviews):
            raise Eng28Error(f"day {day} was already reviewed at this very moment")
        state.cards[day] = updated
        state.reviews.append(entry)
    return RateResult(day, ctx.plan.day(day).title, rating, ctx.due_date(updated), entry.id)


def add_review_note(ctx: Context, review_id: str, note: str) -> None:
    check_text(note, "note")
    with store.transaction(ctx.state_path, ctx.today) as state:
        for entry in state.reviews:
            if entry.id == review_id:
                entry.note = note
                return
    raise StateError(f"review {review_id} is no longer in the state file")


# --- stats ------------------------------------------------------------------------------


@dataclass
class Stats:
    done: int
    total: int
    behind: list[int]
    current_streak: int
    longest_streak: int
    reviews: int
    retention: float | None  # share of reviews not rated Again
    activity: dict[date, int]  # study date -> days done + reviews
    due_next: list[tuple[date, int]]  # the next 14 study dates and the cards due on each
    due_now: int

    def to_json(self) -> dict[str, Any]:
        return {
            "done": self.done,
            "total": self.total,
            "behind": self.behind,
            "on_schedule": not self.behind,
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "reviews": self.reviews,
            "retention": self.retention,
            "activity": {d.isoformat(): n for d, n in sorted(self.activity.items())},
            "due_next_14_days": [{"date": d.isoformat(), "due": n} for d, n in self.due_next],
            "reviews_due": self.due_now,
        }


def streaks(done_dates: set[date], today: date, rest: frozenset[int]) -> tuple[int, int]:
    """(current, longest) runs of study dates on which a day was done. Rest days neither
    break nor extend a run; today does not break it before it is over."""
    if not done_dates:
        return 0, 0
    longest = run = 0
    day = min(done_dates)
    while day <= today:
        if not pace.is_rest(day, rest):
            if day in done_dates:
                run += 1
                longest = max(longest, run)
            elif day != today:
                run = 0
        day += timedelta(days=1)
    return run, longest


def plan_streaks(
    slots: list[Slot], state: State, today: date, rest: frozenset[int], grace: int
) -> tuple[int, int]:
    """(current, longest) runs of scheduled days kept in calendar pace. A day is kept when it
    was done by its date plus `grace` study days (the #100DaysOfCode catch-up rule). Rest
    days, paused days and skipped days neither break nor extend a run, and a day still
    inside its grace period does not break it yet."""
    pauses = state.pause_ranges()

    def deadline(when: date) -> date:
        for _ in range(grace):
            when = pace.next_study_date(when, rest)
            while pace.is_paused(when, pauses, today):
                when = pace.next_study_date(when, rest)
        return when

    run = longest = 0
    for slot in slots:
        if slot.date is None or slot.date > today or slot.status == "skipped":
            continue
        progress = state.days.get(slot.number)
        last = deadline(slot.date)
        if progress and progress.done and progress.done_on and progress.done_on <= last:
            run += 1
            longest = max(longest, run)
        elif today > last:
            run = 0
    return run, longest


def stats(ctx: Context) -> Stats:
    state = ctx.load_state()
    slots = schedule(ctx, state) if ctx.config.start else []
    total = ctx.plan.total
    done_days = {n: p for n, p in state.days.items() if p.done and 1 <= n <= total}
    done_dates = {p.done_on for p in done_days.values() if p.done_on}
    if ctx.config.pace == "calendar" and slots:
        current, longest = plan_streaks(slots, state, ctx.today, ctx.rest, ctx.config.grace_days)
    else:
        current, longest = streaks(done_dates, ctx.today, ctx.rest)
    activity: dict[date, int] = {}
    for p in done_days.values():
        if p.done_on:
            activity[p.done_on] = activity.get(p.done_on, 0) + 1
    for entry in state.reviews:
        when = ctx_date(ctx, entry.review_datetime)
        activity[when] = activity.get(when, 0) + 1
    ratings = [e.rating for e in state.reviews]
    retention = (sum(1 for r in ratings if r > 1) / len(ratings)) if ratings else None
    cards = _cards(ctx, state)
    due_next = []
    for offset in range(1, 15):
        when = ctx.today + timedelta(days=offset)
        due_next.append((when, sum(1 for c in cards if c.due == when)))
    return Stats(
        done=len(done_days),
        total=total,
        behind=[s.number for s in slots if s.status == "missed"],
        current_streak=current,
        longest_streak=longest,
        reviews=len(ratings),
        retention=retention,
        activity=activity,
        due_next=due_next,
        due_now=sum(1 for c in cards if c.due <= ctx.today),
    )


# --- journal and links ------------------------------------------------------------------


@dataclass
class JournalEntry:
    day: int
    title: str
    track: str
    done: bool
    done_on: date | None
    reflection: str
    earlier: list[tuple[str | None, str]]  # (replaced at, text)
    follow_ups: list[tuple[str, int, str]]  # (study date, rating, note)

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "title": self.title,
            "track": self.track,
            "done": self.done,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "reflection": self.reflection,
            "earlier": [{"written_at": w, "text": t} for w, t in self.earlier],
            "follow_ups": [{"date": d, "rating": r, "note": n} for d, r, n in self.follow_ups],
        }


def journal(ctx: Context) -> list[JournalEntry]:
    """Every day with something written: reflections, earlier versions, follow-up notes."""
    state = ctx.load_state()
    entries = []
    for number in range(1, ctx.plan.total + 1):
        progress = state.days.get(number)
        notes = [
            (ctx_date(ctx, e.review_datetime).isoformat(), e.rating, e.note)
            for e in sorted(state.reviews, key=lambda e: e.review_datetime)
            if e.card_id == number and e.note.strip()
        ]
        written = progress and (progress.reflection.strip() or progress.earlier)
        if not written and not notes:
            continue
        day = ctx.plan.day(number)
        entries.append(
            JournalEntry(
                day=number,
                title=day.title,
                track=ctx.plan.track(day.track).name,
                done=bool(progress and progress.done),
                done_on=progress.done_on if progress else None,
                reflection=progress.reflection if progress else "",
                earlier=[
                    (e.written_at.isoformat() if e.written_at else None, e.text)
                    for e in (progress.earlier if progress else [])
                ],
                follow_ups=notes,
            )
        )
    return entries


LINK_KINDS = ("video", "readings", "leetcode", "notes", "all")


def links(ctx: Context, number: int, kind: str) -> list[tuple[str, str]]:
    """(label, URL) pairs of one day's resources."""
    if kind not in LINK_KINDS:
        raise UsageError(f"unknown link kind {kind!r}: use one of {', '.join(LINK_KINDS)}")
    view = show(ctx, number)
    day = view.day
    found: list[tuple[str, str]] = []
    if kind in ("video", "all") and day.video:
        found.append((f"video: {day.video.title}", day.video.url))
    if kind in ("readings", "all") and day.readings:
        found += [(f"reading: {r.title}", r.url) for r in day.readings]
    if kind in ("leetcode", "all") and day.leetcode:
        found.append((f"LeetCode {day.leetcode.number}: {day.leetcode.title}", day.leetcode.url))
    if kind in ("notes", "all") and view.notes_file and view.notes_file.is_file():
        found.append(("notes", view.notes_file.resolve().as_uri()))
    if not found:
        raise Eng28Error(f"day {number} has no {kind} links in this plan")
    return found
