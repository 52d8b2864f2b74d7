"""The commands of a study day: today, show, notes, plan, start, done, undo, skip, pause,
resume, open."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from eng28 import render
from eng28.cli.app import (
    DayArgument,
    Eng28Command,
    JsonOption,
    OptionalDay,
    app,
    choices,
    complete_day,
    confirm,
    context_of,
    plan_app,
)
from eng28.errors import Eng28Error
from eng28.usecases import progress, schedule, segments
from eng28.usecases.context import Context


@app.command(cls=Eng28Command)
def today(
    ctx: typer.Context,
    as_json: JsonOption = False,
    brief: Annotated[
        bool,
        typer.Option("--brief", "-b", help="At most 15 lines: the day and its links."),
    ] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page, however tall the card.")
    ] = False,
) -> None:
    """Show today's study day: video, readings, exercise, LeetCode and reflection prompt.

    A card taller than the terminal goes through the pager (config key `pager` off to stop).

    Example: eng28 today      (eng28 today --brief for the short form)
    """
    c = context_of(ctx)
    started = progress.ensure_started(c)
    inputs = segments.screen_inputs(c, "today")
    result = schedule.today(c, c.load_state(history=False), with_notes=as_json)
    result.started_now = started is not None
    if started:
        render.started(started)
    if as_json:
        render.print_json(result.to_json())
        return
    allowed = c.config.pager and not no_pager and not brief
    draw = render.paged(
        render.console(), lambda out: render.today_screen(out, result, brief), allowed
    )
    root = ctx.find_root().obj or {}
    if draw is not None and not (brief or no_pager or root.get("plan")):  # `eng28 today`
        segments.keep_screen(c, inputs, draw)


@app.command(cls=Eng28Command)
def show(ctx: typer.Context, day: DayArgument, as_json: JsonOption = False) -> None:
    """Show the card of any day.

    Example: eng28 show 5
    """
    view = schedule.show(context_of(ctx), day, with_notes=as_json)
    if as_json:
        render.print_json(view.to_json())
    else:
        render.day_card(render.console(), view)


@app.command(cls=Eng28Command)
def notes(
    ctx: typer.Context,
    day: DayArgument,
    browser: Annotated[
        bool, typer.Option("--browser", help="Read them as a web page, in your browser.")
    ] = False,
) -> None:
    """Read a day's notes, rendered as Markdown (through a pager on a terminal).

    Example: eng28 notes 5      (eng28 notes 5 --browser for the day's web page)
    """
    c = context_of(ctx)
    if browser:
        _open_day_page(c, schedule.check_day(c, day))
        return
    view = schedule.show(c, day, with_notes=True)
    if view.notes is None:
        raise Eng28Error(f"day {day} has no notes in this plan yet")
    out = render.console()
    render.notes(out, view.notes, pager=out.is_terminal)


def _open_day_page(c: Context, number: int) -> None:
    """Write (or refresh) the site in the cache folder, without the learner's own text, and
    open the day's page; where no browser can be opened, say where the page is."""
    from eng28.render import site
    from eng28.usecases import publish

    data = publish.site_data(c)
    result = publish.write_site(publish.cache_site_dir(), data, site.pages(data), mode=0o600)
    url = (result.folder / publish.page_name(number)).as_uri()
    browser = _graphical_browser()
    render.link(
        f"day {number:02d} notes (web page)", url, browser is not None and browser.open(url)
    )
    if browser is None:
        render.no_browser()


@plan_app.callback(invoke_without_command=True)
def plan_table(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show every day with its date, track and status, and a progress bar.

    Example: eng28 plan
    """
    if ctx.invoked_subcommand is not None:
        return
    overview = schedule.overview(context_of(ctx, light=not as_json), with_notes=as_json)
    if as_json:
        render.print_json(overview.to_json())
    else:
        render.plan_table(render.console(), overview)


@app.command("plans", cls=Eng28Command)
def plans_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List every plan you have progress in: id, title, start, today's day, days done.

    Progress is kept per plan (under the plan's id), so switching plans with `eng28 config
    plan`, --plan or ENG28_PLAN never shows one plan's progress in another.

    Example: eng28 plans --json
    """
    from eng28.usecases import plans

    rows = plans.list_plans(context_of(ctx))
    if as_json:
        render.print_json([row.to_json() for row in rows])
    else:
        render.plan_list(rows)


@plan_app.command("new", cls=Eng28Command)
def plan_new(
    path: Annotated[Path, typer.Argument(help="Where to write the new plan file.")],
    days: Annotated[int, typer.Option("--days", "-n", metavar="N", help="How many days.")] = 7,
    title: Annotated[
        str, typer.Option("--title", "-t", metavar="TEXT", help="The plan's title.")
    ] = "My Plan",
    with_checks: Annotated[
        bool,
        typer.Option("--with-checks", help="Give day 1 a checkable exercise to start from."),
    ] = False,
) -> None:
    """Write a starter plan of N days (and notes files) for you to fill in.

    Example: eng28 plan new ~/plans/rust.toml --days 10 --title "Ten Days of Rust"
    """
    from eng28.usecases import plans

    render.plan_written(plans.new_plan(path, days, title, with_checks))


@plan_app.command("validate", cls=Eng28Command)
def plan_validate(
    path: Annotated[Path, typer.Argument(help="The plan file to check.")],
    days: Annotated[
        list[int] | None,
        typer.Argument(help="With --checks: only these days.", show_default=False),
    ] = None,
    complete: Annotated[
        bool,
        typer.Option("--complete", help="Also list days whose content is incomplete."),
    ] = False,
    checks: Annotated[
        bool,
        typer.Option(
            "--checks",
            help="Also run each checkable exercise: its checks must fail on the starter and "
            "pass on the solution, each within 10 s.",
        ),
    ] = False,
) -> None:
    """Check a plan file and report every problem in it at once.

    Example: eng28 plan validate my-plan.toml --complete   (--checks 1 2: run days 1 and 2)
    """
    from eng28.usecases import plans

    if days and not checks:
        raise typer.BadParameter("day numbers go with --checks")
    report = plans.validate(path, complete)
    render.validation(report)
    if not report.ok:
        raise typer.Exit(1)
    if checks:
        from eng28.usecases import exercises
        from eng28.usecases.context import open_context

        looked_at, problems = exercises.validate_checks(open_context(str(path)), days or [])
        render.check_validation(path, problems, looked_at)
        if problems:
            raise typer.Exit(1)


@app.command(cls=Eng28Command)
def start(
    ctx: typer.Context,
    when: Annotated[
        str,
        typer.Argument(help="Start date: YYYY-MM-DD, today, tomorrow, or e.g. 'Dec 1'."),
    ] = "today",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Restart without asking.")] = False,
) -> None:
    """Begin the plan on a date (default today), or move its start: all you did stays.

    Example: eng28 start 2026-12-01
    """
    c = context_of(ctx)
    day = schedule.parse_date(when, c.today)
    c.plan  # noqa: B018 - a broken plan should fail before anything is written
    away = (day - c.today).days
    if abs(away) > 365 and not yes:
        when = f"{away} days from today" if away > 0 else f"{-away} days ago"
        confirm(
            f"Start the plan on {day.isoformat()}, {when}?",
            f"{day.isoformat()} is {when}; pass --yes if that is the start you mean",
        )
    render.start_message(render.console(), progress.start(c, day))


@app.command(cls=Eng28Command)
def reset(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Reset without asking.")] = False,
) -> None:
    """Start the plan over: every day open, no review cards, no start date (after a backup).

    Your reflections and the review log are kept. Example: eng28 reset
    """
    c = context_of(ctx)
    preview = progress.reset_preview(c)
    if not preview.anything:
        render.plain("Nothing to reset: the plan has not been started.")
        return
    if not yes:
        question = render.reset_question(preview)
        confirm(question, f"{question.removesuffix('.')}; pass --yes to reset")
    render.reset_done(progress.reset(c))


@app.command(cls=Eng28Command)
def done(
    ctx: typer.Context,
    day: OptionalDay = None,
    message: Annotated[
        str | None, typer.Option("--message", "-m", metavar="TEXT", help="The reflection.")
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", "-e", help="Write it in $VISUAL/$EDITOR.")
    ] = False,
    amend: Annotated[bool, typer.Option("--amend", help="Replace the reflection.")] = False,
    no_reflection: Annotated[
        bool, typer.Option("--no-reflection", help="Mark done without a reflection.")
    ] = False,
    ahead: Annotated[
        bool,
        typer.Option("--ahead", help="Mark a day after today done (studying ahead)."),
    ] = False,
) -> None:
    """Mark a day done with your reflection (from -m, --edit, a pipe, or a prompt).

    Example: eng28 done -m "Shuffles are where Spark jobs spend their time."
    """
    from eng28 import drafts, terminal
    from eng28.config import data_dir

    if sum([message is not None, edit, no_reflection]) > 1:
        raise typer.BadParameter("use only one of -m, --edit and --no-reflection")
    c = context_of(ctx)
    number = progress.target_day(c, day)
    existing_progress = progress.check_done(c, number, amend)
    later = None if ahead or amend else progress.scheduled_after_today(c, number)
    if later is not None:
        confirm(
            f"Day {number} is scheduled for {render.long_date(later)}, after today. Mark it "
            "done already?",
            f"day {number} is scheduled for {later.isoformat()}, after today; pass --ahead to "
            "mark it done already (nothing was recorded)",
        )
    existing = existing_progress.reflection if existing_progress else ""
    draft = None
    if no_reflection:
        text: str | None = None if existing else ""
    elif message is not None:
        text = message.strip()
    else:
        prompt = c.plan.day(number).reflection_prompt
        text, draft = terminal.read_reflection(data_dir(), number, prompt, existing, edit, c.now)
    if text is not None and not text and not no_reflection:
        if draft is not None:
            drafts.discard(draft)  # an empty draft keeps nothing
        raise Eng28Error(
            "the reflection is empty, so nothing was recorded; write one with -m TEXT or "
            "--edit, or pass --no-reflection"
        )
    try:
        result = progress.record_done(c, number, text, amend)
    except Eng28Error as exc:
        raise drafts.kept_in(exc, draft) from None
    except KeyboardInterrupt:
        raise KeyboardInterrupt(f"your text is kept in {draft}" if draft else "") from None
    except Exception as exc:
        if draft is None:
            raise
        raise drafts.kept_in(Eng28Error(f"unexpected {type(exc).__name__}: {exc}"), draft) from exc
    if draft is not None:
        drafts.discard(draft)  # only now: the reflection is saved
    render.done_message(render.console(), result)


@app.command(cls=Eng28Command)
def undo(
    ctx: typer.Context,
    day: Annotated[
        int | None,
        typer.Argument(
            help="Day number (default: the last one marked done).",
            autocompletion=complete_day,
        ),
    ] = None,
) -> None:
    """Un-mark a day; its reflection is kept and comes back when you mark it done again.

    Example: eng28 undo 5
    """
    render.reopened(progress.undo(context_of(ctx), day))


PartsArgument = Annotated[
    list[str],
    typer.Argument(
        help="[DAY] then parts: video, r1, r2, r3 (readings for all three), exercise, leetcode.",
        show_default=False,
        autocompletion=choices(*progress.PART_WORDS),
    ),
]


def _day_and_parts(words: list[str]) -> tuple[int | None, list[str]]:
    if words and words[0].isdigit():
        return int(words[0]), words[1:]
    return None, words


@app.command(cls=Eng28Command)
def tick(ctx: typer.Context, parts: PartsArgument) -> None:
    """Tick parts of a day as done (default: today's day); `eng28 done` ticks the reflection.

    Example: eng28 tick video r1 ; eng28 tick 3 readings exercise
    """
    day, words = _day_and_parts(parts)
    render.ticked(progress.tick(context_of(ctx), day, words, ticked=True))


@app.command(cls=Eng28Command)
def untick(ctx: typer.Context, parts: PartsArgument) -> None:
    """Take the tick off parts of a day (default: today's day).

    Example: eng28 untick 3 r2
    """
    day, words = _day_and_parts(parts)
    render.ticked(progress.tick(context_of(ctx), day, words, ticked=False))


@app.command("leetcode", cls=Eng28Command)
def leetcode_(
    ctx: typer.Context,
    day: OptionalDay = None,
    solved: Annotated[bool, typer.Option("--solved", help="You solved it.")] = False,
    attempted: Annotated[
        bool, typer.Option("--attempted", help="You tried and did not solve it.")
    ] = False,
    minutes: Annotated[
        int | None, typer.Option("--minutes", metavar="N", help="Minutes it took.")
    ] = None,
    hint: Annotated[bool, typer.Option("--hint", help="You needed a hint.")] = False,
    rating: Annotated[
        str | None,
        typer.Option(
            "--rating",
            "-r",
            metavar="RATING",
            help="Rate the re-solve card yourself (again, hard, good, easy) instead of from "
            "the outcome.",
        ),
    ] = None,
    pattern: Annotated[
        str,
        typer.Option("--pattern", metavar="TEXT", help="The pattern it uses, e.g. 'two pointers'."),
    ] = "",
    note: Annotated[
        str, typer.Option("-m", "--message", metavar="TEXT", help="A note to your later self.")
    ] = "",
    list_: Annotated[
        bool, typer.Option("--list", help="Every problem with your attempts.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Log an attempt at a day's LeetCode problem (default: today's), or list them all.

    --solved ticks the day's LeetCode part. Nothing needs a LeetCode login.

    Example: eng28 leetcode --solved --minutes 25 --pattern "sliding window"
    """
    from eng28.errors import UsageError
    from eng28.usecases import leetcode

    c = context_of(ctx)
    if list_:
        if solved or attempted or day is not None:
            raise UsageError("--list takes no day and no --solved/--attempted")
        rows = leetcode.problems(c)
        if as_json:
            render.print_json([row.to_json() for row in rows])
        else:
            render.leetcode_list(render.console(), rows)
        return
    if solved == attempted:
        raise UsageError("say how it went: --solved or --attempted (or --list to see the log)")
    value = None
    if rating is not None:
        from eng28.review import parse_rating

        value = parse_rating(rating)
        if value is None:
            raise typer.BadParameter(f"{rating!r} is not one of again, hard, good, easy (or 1-4)")
    render.leetcode_logged(
        leetcode.log_attempt(c, day, solved, minutes, hint, pattern, note, rating=value)
    )


@app.command(cls=Eng28Command)
def pause(ctx: typer.Context) -> None:
    """Pause the calendar: every later day moves on by the days you pause.

    Example: eng28 pause   (and later: eng28 resume)
    """
    render.paused(progress.pause(context_of(ctx)))


@app.command(cls=Eng28Command)
def resume(ctx: typer.Context) -> None:
    """End a pause: today is a study day again.

    Example: eng28 resume
    """
    render.resumed(progress.resume(context_of(ctx)))


@app.command(cls=Eng28Command)
def skip(ctx: typer.Context, day: DayArgument) -> None:
    """Set a day aside: not done, no review card, not counted as missed.

    Example: eng28 skip 12   (eng28 undo 12 brings it back)
    """
    render.skipped(progress.skip(context_of(ctx), day))


@app.command("open", cls=Eng28Command)
def open_(
    ctx: typer.Context,
    day: OptionalDay = None,
    what: Annotated[
        str,
        typer.Argument(
            help="video, readings, leetcode, notes or all.",
            autocompletion=choices("video", "readings", "leetcode", "notes", "all"),
        ),
    ] = "all",
) -> None:
    """Open a day's video, readings, LeetCode problem or notes in your browser.

    Example: eng28 open 5 leetcode
    """
    from eng28.usecases import reports

    c = context_of(ctx)
    number = day if day is not None else progress.target_day(c, None)
    if what == "notes":
        _open_day_page(c, schedule.check_day(c, number))
        return
    found = reports.links(c, number, what)
    browser = _graphical_browser()
    for label, url in found:
        safe = reports.safe_to_open(url)
        render.link(label, url, safe and browser is not None and browser.open(url))
    if browser is None:
        render.no_browser()


#: webbrowser's text-mode browsers: one would take over the terminal once per link.
TEXT_BROWSERS = ("www-browser", "links", "elinks", "lynx", "w3m")


def _graphical_browser() -> object | None:
    """The browser to open links in: $BROWSER when the learner names one, else a graphical
    browser; None where only a text browser (or none) is found, so that the links are printed."""
    import os
    import sys
    import webbrowser

    chosen = bool(os.environ.get("BROWSER"))
    screen = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not chosen and sys.platform.startswith("linux") and not screen:
        return None
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return None
    if not chosen and getattr(browser, "name", "") in TEXT_BROWSERS:
        return None
    return browser
