"""What the learner has done: start, done, undo, skip, pause and resume. Each change is one
transaction of the state file; input is checked before it starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from eng28 import config as cfg
from eng28 import models, pace, store
from eng28.errors import Eng28Error
from eng28.models import Config, DayProgress, EarlierReflection, Pause
from eng28.text import plural
from eng28.usecases.context import Context
from eng28.usecases.schedule import check_day, schedule, today


def question_cards(day: models.Day) -> list[str]:
    """The ids of a day's question cards."""
    return [models.question_card(day.number, q.id) for q in day.questions]


def first_due(config: Config, done_at: datetime) -> datetime:
    """When a day done at `done_at` is first due: the start (the rollover hour) of the next
    study day after the one it was done on, in the learner's zone."""
    zone = cfg.zone(config)
    local = done_at.astimezone(zone)
    day = pace.study_date(local, config.rollover_hour)
    following = pace.next_study_date(day, pace.rest_weekdays(config.rest_days))
    start = datetime.combine(following, time(config.rollover_hour))
    return start.replace(tzinfo=zone) if zone else start.astimezone()


def touch_config(ctx: Context, keys: list[str]) -> None:
    """Remember when config keys changed here, so `eng28 sync` lets the later change win."""
    with ctx.file_transaction(history=False) as state:
        for key in keys:
            state.config_times[key] = ctx.now


@dataclass
class Started:
    """What `ensure_started` did: started a fresh plan today, or took a lost start date back
    from the config's backups."""

    start: date
    recovered_from: Path | None = None


def ensure_started(ctx: Context) -> Started | None:
    """On a fresh install (or a plan used for the first time) the plan starts today. A start
    date still in `config.toml` (from before progress was filed per plan) becomes the plan in
    use's. A plan with progress but no start (a config from before that lost its start) never
    restarts: the start comes back from the newest config backup that has one, or the learner
    is asked to set it."""
    if ctx.load_state(history=False).start is not None and ctx.config.start is None:
        return None
    started: Started | None = None
    with ctx.transaction() as state:
        ctx.reload_config()
        legacy = ctx.config.start
        if state.start is not None:
            pass  # set meanwhile, or by a newer eng28: a start left in the config only goes
        elif legacy is not None:
            state.start = legacy
            state.start_at = ctx.load_file().config_times.get("start")
        elif state.start_at is None and (state.done_days() | state.skipped_days() or state.reviews):
            # Progress, and a start never set or reset in this plan: a config that lost it.
            found = cfg.start_from_backups()
            if found is None:
                progressed = state.done_days() | state.skipped_days()
                first = min((p.done_on for p in state.days.values() if p.done_on), default=None)
                since = f" (the first day was done on {first.isoformat()})" if first else ""
                raise Eng28Error(
                    f"the plan {ctx.plan_id!r} has no start date, but your state holds "
                    f"{plural(len(progressed), 'day')} of progress{since}; eng28 will not "
                    "restart the plan: set its start with `eng28 start DATE`"
                )
            state.start, backup = found
            started = Started(state.start, backup)
        else:
            state.start = ctx.today  # no change time: an explicit start elsewhere wins a sync
            started = Started(state.start)
    if legacy is not None:
        with store.locked(cfg.config_path()):
            ctx.reload_config()
            ctx.config.start = None  # the start is the plan's now, kept in the state
            cfg.save_config(ctx.config)
    return started


# --- start -------------------------------------------------------------------------------


@dataclass
class StartResult:
    start: date
    previous: date | None
    done: int  # days done, which stay done


def start(ctx: Context, when: date) -> StartResult:
    """Begin the plan on `when`, or move its start there: done days, reflections, cards and
    reviews all stay (wiping progress is `reset`)."""
    ensure_started(ctx)  # a start still in the config moves into the state first
    with ctx.transaction(history=False) as state:
        previous = state.start
        state.start, state.start_at = when, ctx.now
        done = len(state.done_days() & set(range(1, ctx.plan.total + 1)))
    return StartResult(start=when, previous=previous, done=done)


@dataclass
class ResetPreview:
    """What `reset` takes away (reflections and the review log are kept)."""

    done: int
    skipped: int
    cards: int
    start: date | None

    @property
    def anything(self) -> bool:
        return bool(self.done or self.skipped or self.cards or self.start)


def reset_preview(ctx: Context) -> ResetPreview:
    state = ctx.load_state()
    return ResetPreview(
        len(state.done_days()), len(state.skipped_days()), len(state.cards), state.start
    )


@dataclass
class ResetResult:
    preview: ResetPreview
    backup: Path | None


def reset(ctx: Context) -> ResetResult:
    """Start over: every day open again, no review cards, no start date; after a backup.
    Reflections stay (they come back when a day is done again) and so does the review log."""
    preview = reset_preview(ctx)
    with store.locked(ctx.state_path):
        backup = store.backup_now(ctx.state_path, ctx.today, "before-reset")
    with ctx.transaction() as state:
        for progress in state.days.values():
            if progress.done or progress.skipped:
                progress.done = progress.skipped = False
                progress.changed_at = ctx.now
        state.cards.clear()
        state.start, state.start_at = None, ctx.now
    return ResetResult(preview, backup)


# --- done / undo -------------------------------------------------------------------------

NO_STUDY_DAY = {
    "rest": "today is a rest day",
    "paused": "the plan is paused; `eng28 resume` to go on",
    "finished": "the plan is finished",
}


def target_day(ctx: Context, day: int | None) -> int:
    """The day `done` acts on: the one named, or today's."""
    state = ctx.load_state(history=False)
    if state.start is None:
        raise Eng28Error("the plan has not been started: run `eng28 start` (or `eng28 today`)")
    if day is not None:
        return check_day(ctx, day)
    result = today(ctx, state)
    if result.day is None:
        reason = NO_STUDY_DAY.get(result.status, f"the plan starts on {state.start}")
        raise Eng28Error(f"no study day today ({reason}); name the day, e.g. `eng28 done 3`")
    return result.day.day.number


def scheduled_after_today(ctx: Context, number: int) -> date | None:
    """The date of day `number` when it lies after today (None otherwise): marking it done
    now is studying ahead, which a typo must not do by itself."""
    slot = schedule(ctx, ctx.load_state())[number - 1]
    return slot.date if slot.date is not None and slot.date > ctx.today else None


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


MAX_TEXT_BYTES = models.MAX_TEXT_BYTES


def check_text(text: str, what: str = "reflection") -> str:
    """Refuse text that cannot be a reflection: too large, or binary. Nothing is recorded. The
    rule is the model's, so what arrives by import or sync is held to it too."""
    problem = models.text_problem(text)
    if problem is None:
        return text
    if "control character" in problem:
        problem += " (is it binary data?)"
    raise Eng28Error(f"the {what} {problem}; nothing was recorded")


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


def record_done(ctx: Context, number: int, reflection: str | None, amend: bool) -> DoneResult:
    """Mark a day done with its reflection. `None` means: bring back the kept reflection, if
    any. A replaced reflection is moved to `earlier`, never dropped."""
    from eng28 import review

    restored = False
    if reflection is not None:
        check_text(reflection)
    with ctx.transaction(history=False) as state:
        progress = state.days.get(number)
        if progress is not None and progress.done and not amend:
            raise Eng28Error(f"day {number} is already done; use --amend to replace its reflection")
        if progress is None:
            progress = state.days[number] = DayProgress(changed_at=ctx.now)
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
        # The day's reflection card and one card per question of its "Check yourself"; those
        # that exist already keep their schedule (--amend, or a day done again).
        due = first_due(ctx.config, ctx.now)
        reflection = str(number)
        for card_id in [reflection, *question_cards(ctx.plan.day(number))]:
            if card_id not in state.cards:
                state.cards[card_id] = review.new_card(card_id, due)
        done_count = len(state.done_days() & set(range(1, ctx.plan.total + 1)))
        text = progress.reflection
        first_review = ctx.due_date(state.cards[reflection])
    return DoneResult(
        number, ctx.plan.day(number).title, amend, restored, text, done_count, ctx.plan.total,
        first_review,
    )  # fmt: skip


@dataclass
class DayChange:
    """undo and skip: which day, its title."""

    number: int
    title: str


def undo(ctx: Context, day: int | None) -> DayChange:
    """Un-mark a day (default: the one most recently marked done). The reflection is kept."""
    with ctx.transaction(history=False) as state:
        if day is None:
            done = [
                (p.done_at or p.changed_at, n)
                for n, p in state.days.items()
                if p.done and 1 <= n <= ctx.plan.total
            ]
            if not done:
                raise Eng28Error("no day is marked done, so there is nothing to undo")
            day = max(done)[1]
        check_day(ctx, day)
        progress = state.days.get(day)
        if progress is not None and progress.skipped and not progress.done:
            progress.skipped = False  # un-skip
            progress.changed_at = ctx.now
            return DayChange(day, ctx.plan.day(day).title)
        if progress is None or not progress.done:
            raise Eng28Error(f"day {day} is not done, so there is nothing to undo")
        progress.done = False
        progress.changed_at = ctx.now
        # The review log stays, and so do the question cards (not shown while the day is not
        # done), as a sync merge keeps them.
        state.cards.pop(str(day), None)
    return DayChange(day, ctx.plan.day(day).title)


def skip(ctx: Context, day: int) -> DayChange:
    """Set a day aside: not done, no review card, not counted as missed."""
    check_day(ctx, day)
    with ctx.transaction(history=False) as state:
        progress = state.days.get(day)
        if progress is not None and progress.done:
            raise Eng28Error(f"day {day} is done; `eng28 undo {day}` first to skip it instead")
        if progress is None:
            progress = state.days[day] = DayProgress(changed_at=ctx.now)
        if progress.skipped:
            raise Eng28Error(f"day {day} is already skipped (`eng28 undo {day}` brings it back)")
        progress.skipped = True
        progress.changed_at = ctx.now
    return DayChange(day, ctx.plan.day(day).title)


# --- parts of a day ----------------------------------------------------------------------

#: What `tick` accepts: each part, and `readings` for all three.
PART_WORDS = {**{p: [p] for p in models.PARTS}, "readings": ["r1", "r2", "r3"]}


def parse_parts(words: list[str]) -> list[str]:
    """The parts named (in the plan's order, each once); a usage error names a wrong one."""
    from eng28.errors import UsageError

    if not words:
        raise UsageError(f"name a part to tick: {', '.join(PART_WORDS)}")
    found: set[str] = set()
    for word in words:
        parts = PART_WORDS.get(word.strip().lower())
        if parts is None:
            hint = " (the reflection is ticked by `eng28 done`)" if word == "reflection" else ""
            raise UsageError(f"unknown part {word!r}{hint}; parts: {', '.join(PART_WORDS)}")
        found.update(parts)
    return [p for p in models.PARTS if p in found]


@dataclass
class TickResult:
    number: int
    title: str
    ticked: bool
    parts: list[str]  # the parts named
    changed: list[str]  # of those, the ones that changed
    left: int = 0  # minutes left of the day


def tick(ctx: Context, day: int | None, words: list[str], ticked: bool = True) -> TickResult:
    """Tick (or untick) parts of a day: the video, a reading, the exercise, the LeetCode
    problem. Each mark keeps its time, so that a sync keeps the later one."""
    from eng28.usecases.schedule import view_day

    parts = parse_parts(words)
    number = target_day(ctx, day)
    with ctx.transaction(history=False) as state:
        progress = state.days.get(number)
        if progress is None:
            progress = state.days[number] = DayProgress(changed_at=ctx.now)
        changed = [p for p in parts if progress.ticked(p) != ticked]
        for part in changed:
            progress.parts[part] = models.PartMark(ticked=ticked, at=ctx.now)  # type: ignore[index]
        left = view_day(ctx, state, number).minutes_left
    return TickResult(number, ctx.plan.day(number).title, ticked, parts, changed, left)


# --- pause / resume ----------------------------------------------------------------------


def pause(ctx: Context) -> date:
    """Stop the calendar; later days move by the days paused. The pause starts today, or
    tomorrow when today's day is already done."""
    if ctx.config.pace != "calendar":
        raise Eng28Error("pause is for calendar pace; in self pace nothing moves while you rest")
    with ctx.transaction(history=False) as state:
        if state.start is None or ctx.today < state.start:
            raise Eng28Error("the plan has not started yet; move its start with `eng28 start DATE`")
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


@dataclass
class Resumed:
    since: date
    days: int


def resume(ctx: Context) -> Resumed:
    """End the pause: today is a study day again."""
    with ctx.transaction(history=False) as state:
        since = state.paused_since
        if since is None:
            raise Eng28Error("not paused")
        state.pauses[-1].end = max(ctx.today, since)
        if state.pauses[-1].end == since:
            state.pauses.pop()  # resumed the same day: nothing moved
    return Resumed(since, (max(ctx.today, since) - since).days)
