"""The commands that review and keep what was done: review, stats, prompt, init, backups,
sync, doctor, journal, export, import and config."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from eng28 import render, views
from eng28.cli.app import (
    Eng28Command,
    JsonOption,
    app,
    backup_app,
    check_format,
    choices,
    complete_day,
    confirm,
    context_of,
    format_option,
    sync_app,
)
from eng28.errors import Eng28Error, UsageError
from eng28.models import Config
from eng28.usecases import progress

CONFIG_KEYS = tuple(Config.model_fields)


@app.command(cls=Eng28Command)
def review(
    ctx: typer.Context,
    card: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="Rate this card without prompts: a day (3), a question (3:QUESTION-ID) or a "
            "LeetCode re-solve (lc:3); `review optimize` fits FSRS to your reviews.",
            autocompletion=complete_day,
        ),
    ] = None,
    rating: Annotated[
        str | None,
        typer.Option(
            "--rating",
            "-r",
            metavar="RATING",
            help="again, hard, good or easy (or 1-4); forgot or recalled (again or good; 1-2 "
            "with review_grading pass-fail).",
            autocompletion=choices("again", "hard", "good", "easy", "forgot", "recalled"),
        ),
    ] = None,
    message: Annotated[
        str | None,
        typer.Option("--message", "-m", metavar="TEXT", help="A follow-up note with the rating."),
    ] = None,
    early: Annotated[
        bool, typer.Option("--early", help="Rate a card that is not due yet.")
    ] = False,
    list_: Annotated[
        bool, typer.Option("--list", help="List cards due now and in the next 14 days.")
    ] = False,
    undo: Annotated[
        bool,
        typer.Option("--undo", help="Undo ID's last rating: its schedule goes back as it was."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="With `optimize`: fit and report, keep nothing."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Review the cards that are due (reflections, questions, LeetCode re-solves), with
    spaced repetition (FSRS).

    Example: eng28 review            (interactive)
             eng28 review 5 --rating good -m "still true"
             eng28 review 5:why-bound --rating again
             eng28 review 5 --undo   (a rating given by mistake)
             eng28 review optimize   (fit FSRS to your own reviews)
    """
    from eng28.usecases import reviews

    c = context_of(ctx)
    if card == "optimize":
        if rating is not None or message is not None or early or list_ or undo:
            raise typer.BadParameter("`review optimize` takes only --dry-run and --json")
        result = reviews.optimize(c, dry_run=dry_run)
        if as_json:
            render.print_json(result.to_json())
        else:
            render.optimized(result)
        return
    if dry_run:
        raise typer.BadParameter("--dry-run goes with `eng28 review optimize`")
    if undo:
        if card is None:
            raise typer.BadParameter("--undo needs an ID, e.g. `eng28 review 5 --undo`")
        if rating is not None or message is not None or early or list_ or as_json:
            raise typer.BadParameter("--undo takes only an ID, e.g. `eng28 review 5 --undo`")
        render.rating_undone(reviews.undo_rating(c, card))
        return
    if list_ or as_json:
        c.light = True  # the cards' days and titles: none of the days' content
        listing = reviews.review_list(c)
        if as_json:
            render.print_json(listing.to_json())
        else:
            render.review_list(render.console(), listing)
        return
    if card is not None:
        if rating is None:
            raise typer.BadParameter("rating a card needs --rating again|hard|good|easy")
        from eng28.review import parse_rating

        grading = c.config.review_grading
        value = parse_rating(rating, grading)
        if value is None:
            scale = "forgot or recalled (or 1-2)" if grading == "pass-fail" else "1-4"
            raise typer.BadParameter(
                f"{rating!r} is not one of again, hard, good, easy, forgot, recalled ({scale})"
            )
        result = reviews.rate_card(c, card, value, note=(message or "").strip(), early=early)
        render.rated(render.console(), result)
        return
    if rating is not None or message is not None:
        raise typer.BadParameter("--rating and -m need an ID, e.g. `eng28 review 5 --rating good`")
    if not sys.stdin.isatty():
        raise Eng28Error(
            "the review session needs a terminal; use `eng28 review DAY --rating good` or "
            "`eng28 review --list`"
        )
    from eng28 import session

    session.run(c, render.console())


@app.command(cls=Eng28Command)
def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Progress, streaks, review retention, an activity heatmap and reviews due soon.

    Example: eng28 stats
    """
    from eng28.usecases import reports

    result = reports.stats(context_of(ctx, light=True))
    if as_json:
        render.print_json(result.to_json())
    else:
        render.stats(render.console(), result)


@app.command(
    cls=Eng28Command, context_settings={"ignore_unknown_options": True}, add_help_option=False
)
def prompt(args: Annotated[list[str] | None, typer.Argument(hidden=True)] = None) -> None:
    """Print the shell-prompt segment, e.g. "D05 OOP ⟳2" (see `eng28 prompt --help`).

    Example: eng28 prompt --format "{day}/{total} {track}"
    """
    args = args or []
    if "-h" in args or "--help" in args:
        render.plain(PROMPT_USAGE.rstrip("\n"))
        return
    from eng28.usecases import segments

    # The prompt must never break a shell: whatever fails prints nothing and exits 0.
    try:
        text, fields = segments.refresh()
    except Exception:  # noqa: BLE001
        return
    views.show(text, fields, views.format_option(args))


PROMPT_USAGE = """Usage: eng28 prompt [--format FMT] [--refresh]

Print the one-line shell-prompt segment (e.g. "D05 OOP ⟳2"), or nothing when the plan is not
started or anything is wrong. Fields for --format or the config key prompt_format:
{day} {total} {track} {title} {due} {status}
(status: todo, done, rest, paused, finished).
  --refresh     recompute the cached segment now
  --format FMT  e.g. --format "day {day}/{total} · {due} due"
"""


@app.command(
    cls=Eng28Command, context_settings={"ignore_unknown_options": True}, add_help_option=False
)
def init(args: Annotated[list[str] | None, typer.Argument(hidden=True)] = None) -> None:
    """Print the shell snippet that shows eng28 in your prompt: bash, zsh or fish.

    Example: eval "$(eng28 init bash)"
    """
    from eng28 import shells

    raise typer.Exit(shells.main(args or []))


@backup_app.command("list", cls=Eng28Command)
def backup_list(ctx: typer.Context) -> None:
    """List the backups of your state, newest first: one a study day (the last 14 kept), and
    the copies made before each restore, sync or upgrade (the last 20 of each kind).

    Example: eng28 backup list
    """
    from eng28.usecases import backups

    render.backups(backups.list_backups(context_of(ctx)))


@backup_app.command("restore", cls=Eng28Command)
def backup_restore(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The backup's number in `eng28 backup list`.")],
) -> None:
    """Restore a backup; the current state is backed up (or, if broken, kept aside) first.

    Example: eng28 backup restore 1
    """
    from eng28.usecases import backups

    render.restored(backups.restore(context_of(ctx), number))


@sync_app.callback(invoke_without_command=True)
def sync_now(
    ctx: typer.Context,
    show_status: Annotated[
        bool, typer.Option("--status", help="Say what is ahead, behind or diverged.")
    ] = False,
) -> None:
    """Pull, merge, commit and push your state through the git remote.

    Example: eng28 sync   (set it up once with: eng28 sync init git@host:me/eng28-state.git)
    """
    if ctx.invoked_subcommand is not None:
        return
    from eng28.usecases import sync

    c = context_of(ctx)
    if show_status:
        render.sync_status(sync.status(c))
    else:
        render.synced(sync.sync(c))


@sync_app.command("init", cls=Eng28Command)
def sync_init(
    ctx: typer.Context,
    remote: Annotated[str, typer.Argument(help="A git URL or the path of a bare repository.")],
) -> None:
    """Set up syncing through a git repository you own, then sync once.

    Example: eng28 sync init ~/Dropbox/eng28.git   (made with: git init --bare ~/Dropbox/eng28.git)
    """
    from eng28.usecases import sync

    render.sync_set_up(sync.init(context_of(ctx), remote))


@sync_app.command("remote", cls=Eng28Command)
def sync_remote(
    ctx: typer.Context,
    remote: Annotated[str, typer.Argument(help="A git URL or the path of a bare repository.")],
) -> None:
    """Move syncing to another git repository, after fetching from it.

    A remote that cannot be reached is refused and the old one kept; the next `eng28 sync`
    merges with what the new one holds and pushes there.

    Example: eng28 sync remote git@host:me/eng28-state.git
    """
    from eng28.usecases import sync

    render.sync_remote_changed(sync.change_remote(context_of(ctx), remote))


@app.command(cls=Eng28Command)
def doctor(ctx: typer.Context) -> None:
    """Check plan, config, state, backups, prompt cache and shell set-up; say how to fix.

    Example: eng28 doctor
    """
    from eng28.usecases import doctor as checks

    root = ctx.find_root()
    found = checks.run(root.obj.get("plan") if root.obj else None)
    render.doctor(found)
    if any(not c.ok for c in found):
        raise typer.Exit(1)


@app.command(cls=Eng28Command)
def journal(
    ctx: typer.Context,
    format_: Annotated[str, format_option("md or json.", "md", "json")] = "md",
) -> None:
    """Print every reflection and follow-up note in day order, to keep or share.

    Example: eng28 journal > my-28-days.md
    """
    from eng28.usecases import reports

    check_format(format_, "md", "json")
    entries = reports.journal(context_of(ctx, light=True))
    if format_ == "json":
        render.print_json([e.to_json() for e in entries])
    else:
        render.journal(entries)


@app.command("export", cls=Eng28Command)
def export_(
    ctx: typer.Context,
    format_: Annotated[
        str, format_option("json (your whole state) or ics (calendar).", "json", "ics")
    ] = "json",
    plan_id: Annotated[
        str | None,
        typer.Option(
            "--plan-id", metavar="ID", help="Only this plan's progress (see `eng28 plans`)."
        ),
    ] = None,
) -> None:
    """Print your state as JSON, or the plan and reviews as an iCalendar file.

    Example: eng28 export > eng28-backup.json ; eng28 export --format ics > eng28.ics
    """
    check_format(format_, "json", "ics")
    c = context_of(ctx)
    if format_ == "json":
        from eng28.text import json_bytes_for_terminal
        from eng28.usecases import reports

        sys.stdout.flush()
        for piece in reports.export_text(c, plan_id):
            sys.stdout.buffer.write(json_bytes_for_terminal(piece))
        sys.stdout.buffer.flush()
    else:
        from eng28.usecases.ics import calendar_bytes

        sys.stdout.buffer.write(calendar_bytes(c))
        sys.stdout.flush()


@app.command("import", cls=Eng28Command)
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `eng28 export`.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Replace without asking.")] = False,
) -> None:
    """Restore config and state from an export, after checking it.

    Example: eng28 import eng28-backup.json
    """
    from eng28.usecases import reports

    c = context_of(ctx)
    config, state, ratings = reports.read_import(file, c.now, c.plan_id)
    if reports.has_progress(c) and not yes:
        confirm(
            "Replace your current progress with the import?",
            "you have progress already; pass --yes to replace it with the import",
        )
    render.imported(reports.import_data(c, file, config, state, ratings))


@app.command("config", cls=Eng28Command)
def config_(
    ctx: typer.Context,
    key: Annotated[
        str | None, typer.Argument(help="A config key.", autocompletion=choices(*CONFIG_KEYS))
    ] = None,
    value: Annotated[
        list[str] | None,
        typer.Argument(help="New value (several for rest_days)."),
    ] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Reset the key to its default.")] = False,
) -> None:
    """Show or change settings: start, plan, pace, rest_days, rollover_hour, timezone.

    Example: eng28 config rest_days sat sun
    """
    from eng28.usecases import settings

    def start() -> date | None:
        try:
            return context_of(ctx).load_state().start
        except Eng28Error:
            return None  # a broken plan or state: config still shows what it can

    if key is None:
        render.config_lines(settings.show_all(start()))
    elif value is None and not unset:
        render.plain(settings.show_one(key, start() if key == "start" else None))
    elif key == "start":
        # The start is the plan in use's progress, kept in the state (see `eng28 start`).
        if unset or len(value or []) != 1:
            raise UsageError("config start takes one date; `eng28 reset` unsets it")
        c = context_of(ctx)
        when = progress.start(c, settings.parse_start((value or [""])[0])).start
        render.plain(f"start = {when.isoformat()}")
    else:
        render.plain(settings.change(key, value or [], unset))
        progress.touch_config(context_of(ctx), [key])
