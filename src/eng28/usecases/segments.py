"""What the stdlib readers (`views`) show, as the domain computed it: the shell-prompt segment
of today and of each of the next study days, and the screens of `eng28` and `eng28 today` as
they were just drawn. Nothing here decides what a day is: it asks `schedule.today` about each
of the coming study dates."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from eng28 import clock, reviewlog, views
from eng28 import config as cfg
from eng28.models import State
from eng28.usecases.context import Context, at, open_context
from eng28.usecases.schedule import today

#: How many study days ahead the cache holds; when they have all passed, the next prompt
#: takes the full path once and writes the next ones.
DAYS_AHEAD = 14
#: After a failure (a broken file), how long the empty segment stands before trying again.
RETRY_SECONDS = 600


def fields(ctx: Context, state: State) -> dict[str, Any] | None:
    """The prompt fields of `ctx.today`, or None when there is nothing to show (the plan has
    not started)."""
    result = today(ctx, state)
    if result.status == "not-started":
        return None
    if result.day is not None:
        number = result.day.day.number
        progress = state.days.get(number)
        status = "done" if progress and progress.done else "todo"
    elif result.status in ("rest", "paused") and result.next_day is not None:
        number, status = result.next_day.day.number, result.status
    else:
        number, status = result.total, "finished"
    day = ctx.plan.day(number)
    return {
        "day": number,
        "total": result.total,
        "track": ctx.plan.track(day.track).label,
        "title": day.title,
        "due": result.reviews_due,
        "status": status,
    }


def _boundary(ctx: Context, offset: int) -> datetime:
    """The moment study day `today + offset` begins (its rollover hour), in the learner's zone."""
    when = datetime.combine(ctx.today + timedelta(days=offset), time(ctx.config.rollover_hour))
    zone = ctx.zone
    return when.replace(tzinfo=zone) if zone else when.astimezone()


def lines(ctx: Context) -> list[tuple[float, dict[str, Any] | None]]:
    """(valid until, fields) for today and the next study days."""
    state = ctx.load_state(history=False)
    found = []
    for offset in range(DAYS_AHEAD):
        moment = ctx.now if offset == 0 else _boundary(ctx, offset)
        found.append((_boundary(ctx, offset + 1).timestamp(), fields(at(ctx, moment), state)))
    return found


def refresh() -> tuple[str, dict[str, Any] | None]:
    """Recompute and rewrite the prompt cache for the plan the shell sees (ENG28_PLAN or the
    config's), never a one-off --plan. On any failure the cache holds an empty segment for a
    few minutes, so that a broken file costs one slow prompt, not every one."""
    try:
        ctx = open_context(None)
        found = lines(ctx)
        views.write(found, ctx.config.prompt_format, ctx.config.timezone or "")
    except Exception:
        try:
            retry = clock.now().timestamp() + RETRY_SECONDS
        except Exception:  # noqa: BLE001 - a bad ENG28_NOW: no line stays valid
            retry = 0
        views.write([(retry, None)], None, "")
        raise
    first = found[0][1]
    return views.segment(first, ctx.config.prompt_format), first


@dataclass
class ScreenInputs:
    """What a screen is about to be drawn from, taken before the files are read (so that a
    write in between leaves a key that no longer matches, never a stale screen that does)."""

    name: str
    files: list[str]
    key: str


def screen_inputs(ctx: Context, name: str) -> ScreenInputs:
    log = reviewlog.log_path(ctx.state_path)  # a rating changes the log alone
    files = [str(cfg.config_path()), str(ctx.state_path), str(log), str(ctx.plan_path.absolute())]
    return ScreenInputs(name, files, views.screen_key(name, files))


def keep_screen(ctx: Context, inputs: ScreenInputs, text: str) -> None:
    """Keep the screen just drawn for the stdlib fast path (`views.screen`), valid until the
    next rollover. Not after a write (the files have changed since their key was taken); a
    failure only costs the next run its speed."""
    if views.changed:
        return
    with contextlib.suppress(Exception):
        until = _boundary(ctx, 1).timestamp()
        views.keep_screen(inputs.name, text, inputs.files, inputs.key, until)
