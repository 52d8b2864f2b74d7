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
    with store.transaction(ctx.state_path, ctx.today) as state:
        for key in keys:
            state.config_times[key] = ctx.now


@dataclass
class Started:
    """What `ensure_started` did: started a fresh plan today, or took a lost start date back
    from the config's backups."""

    start: date
    recovered_from: Path | None = None


def ensure_started(ctx: Context) -> Started | None:
    """On a fresh install the plan starts today. A config that lost its start date (emptied,
    deleted) while the state holds progress never restarts the plan: the start comes back
    from the newest config backup that has one, or the learner is asked to set it."""
    if ctx.config.start is not None:
        return None
    with store.locked(cfg.config_path()):
        ctx.reload_config()
        if ctx.config.start is not None:
            return None
        state = ctx.load_state()
        progressed = state.done_days() | state.skipped_days()
        if progressed or state.reviews:
            found = cfg.start_from_backups()
            if found is None:
                first = min((p.done_on for p in state.days.values() if p.done_on), default=None)
                since = f" (the first day was done on {first.isoformat()})" if first else ""
                raise Eng28Error(
                    f"{cfg.config_path()} has no start date, but your state holds "
                    f"{plural(len(progressed), 'day')} of progress{since}; eng28 will not "
                    "restart the plan: set its start with `eng28 start DATE`"
                )
            ctx.config.start, backup = found
            cfg.save_config(ctx.config)
            return Started(ctx.config.start, backup)
        ctx.config.start = ctx.today
        cfg.save_config(ctx.config)  # no change time: an explicit start elsewhere wins a sync
    return Started(ctx.config.start)


# --- start -------------------------------------------------------------------------------


@dataclass
class StartResult:
    start: date
    previous: date | None
    done: int  # days done, which stay done


def start(ctx: Context, when: date) -> StartResult:
    """Begin the plan on `when`, or move its start there: done days, reflections, cards and
    reviews all stay (wiping progress is `reset`)."""
    previous = ctx.config.start
    with store.locked(cfg.config_path()):
        ctx.reload_config()
        ctx.config.start = when
        cfg.save_config(ctx.config)
    touch_config(ctx, ["start"])
    done = len(ctx.load_state().done_days() & set(range(1, ctx.plan.total + 1)))
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
        len(state.done_days()), len(state.skipped_days()), len(state.cards), ctx.config.start
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
    # The start goes first: a reset cut short after it leaves the old state whole, and the
    # next command takes the start back from the config's backup (see ensure_started).
    with store.locked(cfg.config_path()):
        ctx.reload_config()
        cfg.keep_copy("before-reset")
        ctx.config.start = None
        cfg.save_config(ctx.config)
    with store.transaction(ctx.state_path, ctx.today) as state:
        for progress in state.days.values():
            if progress.done or progress.skipped:
                progress.done = progress.skipped = False
                progress.changed_at = ctx.now
        state.cards.clear()
        state.config_times["start"] = ctx.now
    return ResetResult(preview, backup)


# --- done / undo -------------------------------------------------------------------------

NO_STUDY_DAY = {
    "rest": "today is a rest day",
    "paused": "the plan is paused; `eng28 resume` to go on",
    "finished": "the plan is finished",
}


def target_day(ctx: Context, day: int | None) -> int:
    """The day `done` acts on: the one named, or today's."""
    if ctx.config.start is None:
        raise Eng28Error("the plan has not been started: run `eng28 start` (or `eng28 today`)")
    if day is not None:
        return check_day(ctx, day)
    result = today(ctx, ctx.load_state())
    if result.day is None:
        reason = NO_STUDY_DAY.get(result.status, f"the plan starts on {ctx.config.start}")
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
    with store.transaction(ctx.state_path, ctx.today) as state:
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
        if number not in state.cards:  # --amend keeps the schedule
            state.cards[number] = review.new_card(number, first_due(ctx.config, ctx.now))
        done_count = len(state.done_days() & set(range(1, ctx.plan.total + 1)))
        text = progress.reflection
        first_review = ctx.due_date(state.cards[number])
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
        state.cards.pop(day, None)  # the review log stays
    return DayChange(day, ctx.plan.day(day).title)


def skip(ctx: Context, day: int) -> DayChange:
    """Set a day aside: not done, no review card, not counted as missed."""
    check_day(ctx, day)
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
    return DayChange(day, ctx.plan.day(day).title)


# --- pause / resume ----------------------------------------------------------------------


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


@dataclass
class Resumed:
    since: date
    days: int


def resume(ctx: Context) -> Resumed:
    """End the pause: today is a study day again."""
    with store.transaction(ctx.state_path, ctx.today) as state:
        since = state.paused_since
        if since is None:
            raise Eng28Error("not paused")
        state.pauses[-1].end = max(ctx.today, since)
        if state.pauses[-1].end == since:
            state.pauses.pop()  # resumed the same day: nothing moved
    return Resumed(since, (max(ctx.today, since) - since).days)
