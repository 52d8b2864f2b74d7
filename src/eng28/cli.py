"""The Typer app: each command parses its options, calls one action and renders the result.

Errors: an Eng28Error anywhere becomes `error: <message>` on stderr with its exit code (1, or 2
for usage errors); typer's own usage errors are shown the same way with exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from eng28 import __version__, actions
from eng28.errors import Eng28Error


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


#: Commands after which the shell-prompt cache is rewritten.
CHANGES_STATE = frozenset(
    {
        "start",
        "done",
        "undo",
        "review",
        "config",
        "import",
        "backup",
        "sync",
        "pause",
        "resume",
        "skip",
    }
)


class Eng28Group(TyperGroup):
    """The single exit point: turns every expected failure into a one-line message."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            result = super().invoke(ctx)
            if ctx.parent is None and ctx.invoked_subcommand in CHANGES_STATE:
                from eng28.prompt import refresh_quietly

                refresh_quietly()
            return result
        except Eng28Error as exc:
            _error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(130) from None

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except ClickUsageError as exc:
            sub = exc.ctx.command_path.partition(" ")[2] if exc.ctx else ""
            where = f"eng28 {sub}".strip()
            _error(f"{exc.format_message()} (see `{where} --help`)")
            sys.exit(2)
        except typer.Abort:
            _error("aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=Eng28Group,
    help="eng28: your companion for The 28-Day Engineering Plan.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
    add_completion=True,
)
plan_app = typer.Typer(cls=Eng28Group, help="The plan: a table of all days, or check a plan file.")
app.add_typer(plan_app, name="plan")
backup_app = typer.Typer(cls=Eng28Group, help="Daily backups of your state: list and restore.")
app.add_typer(backup_app, name="backup")
sync_app = typer.Typer(cls=Eng28Group, help="Study on several machines through a git remote.")
app.add_typer(sync_app, name="sync")

PlanOption = Annotated[
    str | None,
    typer.Option(
        "--plan",
        help="Plan file to use instead of the configured or bundled one.",
        envvar="ENG28_PLAN",
        show_envvar=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON only.")]


def _complete_day(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Day numbers of the plan in use, with their titles, for shell completion."""
    try:
        root = ctx.find_root()
        plan = actions.open_context(root.params.get("plan")).plan
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
    return [(str(d.number), d.title) for d in plan.days if str(d.number).startswith(incomplete)]


DayArgument = Annotated[
    int, typer.Argument(help="Day number.", show_default=False, autocompletion=_complete_day)
]
OptionalDay = Annotated[
    int | None,
    typer.Argument(help="Day number (default: today's).", autocompletion=_complete_day),
]


def _version(value: bool) -> None:
    if value:
        print(f"eng28 {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    plan: PlanOption = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """eng28: one deep engineering topic a day, with reflections you keep."""
    ctx.obj = {"plan": plan}
    if ctx.invoked_subcommand is None:
        print(_status_line(plan))
        print()
        print(ctx.get_help())


def _status_line(plan_option: str | None) -> str:
    """One line on where the learner stands, for `eng28` with no arguments."""
    try:
        c = actions.open_context(plan_option)
        if c.config.start is None:
            return "The plan is not started yet: `eng28 today` starts it today."
        result = actions.today(c)
    except Eng28Error as exc:
        return f"error: {exc}"
    reviews = f" · {result.reviews_due} review(s) due" if result.reviews_due else ""
    if result.day is not None:
        d = result.day
        mark = " ✓" if d.progress and d.progress.done else ""
        return (
            f"Today: Day {d.day.number:02d} of {d.total} · {d.track.name} · {d.day.title}{mark}"
            f"{reviews}"
        )
    words = {
        "rest": "a rest day",
        "paused": "paused",
        "finished": "the plan is finished",
        "not-started": f"the plan starts on {result.start}",
    }
    return f"Today: {words[result.status]}{reviews}"


def _context(ctx: typer.Context) -> actions.Context:
    root = ctx.find_root()
    plan = root.obj.get("plan") if root.obj else None
    return actions.open_context(plan)


def _print_json(data: Any) -> None:
    import json

    print(json.dumps(data, indent=2, ensure_ascii=False))


@app.command()
def today(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show today's study day: video, readings, exercise, LeetCode and reflection prompt.

    Example: eng28 today
    """
    from eng28 import render

    c = _context(ctx)
    result = actions.today(c)
    if result.started_now:
        from eng28.prompt import refresh_quietly

        refresh_quietly()
        print(f"Started the plan today ({result.date.isoformat()}).", file=sys.stderr)
    if as_json:
        day = result.day
        _print_json(
            {
                "date": result.date.isoformat(),
                "status": result.status,
                "day": day.to_json(actions.notes_text(c, day.day)) if day else None,
                "behind": result.behind,
                "reviews_due": result.reviews_due,
            }
        )
        return
    render.today_screen(render.console(), result)


@app.command()
def show(ctx: typer.Context, day: DayArgument, as_json: JsonOption = False) -> None:
    """Show the card of any day.

    Example: eng28 show 5
    """
    from eng28 import render

    c = _context(ctx)
    view = actions.show(c, day)
    if as_json:
        _print_json(view.to_json(actions.notes_text(c, view.day)))
        return
    render.day_card(render.console(), view)


@app.command()
def notes(ctx: typer.Context, day: DayArgument) -> None:
    """Read a day's notes, rendered as Markdown (through a pager on a terminal).

    Example: eng28 notes 5
    """
    from eng28 import render

    c = _context(ctx)
    view = actions.show(c, day)
    text = actions.notes_text(c, view.day)
    if text is None:
        raise Eng28Error(f"day {day} has no notes in this plan yet")
    out = render.console()
    render.notes(out, text, pager=out.is_terminal)


@plan_app.callback(invoke_without_command=True)
def plan_table(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show every day with its date, track and status, and a progress bar.

    Example: eng28 plan
    """
    if ctx.invoked_subcommand is not None:
        return
    from eng28 import render

    c = _context(ctx)
    slots, state = actions.plan_overview(c)
    if as_json:
        rows = []
        for slot in slots:
            view = actions.view_day(c, state, slot.number, slots)
            rows.append(view.to_json(actions.notes_text(c, view.day)))
        _print_json(rows)
        return
    due = len(actions.due_cards(c, state))
    render.plan_table(render.console(), c.plan, slots, state, c.today, c.rest, due)


@plan_app.command("new")
def plan_new(
    path: Annotated[Path, typer.Argument(help="Where to write the new plan file.")],
    days: Annotated[int, typer.Option("--days", "-n", help="How many days.")] = 7,
    title: Annotated[str, typer.Option("--title", "-t", help="The plan's title.")] = "My Plan",
) -> None:
    """Write a starter plan of N days (and notes files) for you to fill in.

    Example: eng28 plan new ~/plans/rust.toml --days 10 --title "Ten Days of Rust"
    """
    from eng28.plan import write_starter

    written = write_starter(path, days, title)
    print(f"Wrote {path} and {len(written) - 1} notes file(s) in {path.parent / 'notes'}.")
    print(
        f"Fill in each day, check with `eng28 plan validate --complete {path}`, then use it "
        f"with `eng28 config plan {path}`."
    )


@plan_app.command("validate")
def plan_validate(
    path: Annotated[Path, typer.Argument(help="The plan file to check.")],
    complete: Annotated[
        bool, typer.Option("--complete", help="Also list days whose content is incomplete.")
    ] = False,
) -> None:
    """Check a plan file and report every problem in it at once.

    Example: eng28 plan validate my-plan.toml --complete
    """
    from eng28.plan import check_plan, incomplete_days

    plan, problems = check_plan(path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        raise typer.Exit(1)
    assert plan is not None
    missing = incomplete_days(plan) if complete else []
    for day, fields in missing:
        print(f"{path}: day {day.number} ({day.slug}): incomplete, missing {', '.join(fields)}")
    if missing:
        raise typer.Exit(1)
    complete_count = sum(1 for d in plan.days if d.complete)
    print(f"{path}: valid plan, {plan.total} days ({complete_count} complete)")


@app.command()
def start(
    ctx: typer.Context,
    when: Annotated[
        str, typer.Argument(help="Start date: YYYY-MM-DD, today, tomorrow, or e.g. 'Dec 1'.")
    ] = "today",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Restart without asking.")] = False,
) -> None:
    """Begin the plan on a date (default today). Restarting keeps every reflection.

    Example: eng28 start 2026-12-01
    """
    from eng28 import render

    c = _context(ctx)
    day = actions.parse_date(when, c.today)
    c.plan  # noqa: B018 - a broken plan should fail before anything is written
    reopen = actions.start_needs_confirmation(c)
    if reopen and not yes:
        if not sys.stdin.isatty():
            raise Eng28Error(
                f"{len(reopen)} day(s) are done; restarting reopens them (reflections are "
                "kept). Pass --yes to confirm."
            )
        typer.confirm(
            f"Restart the plan on {day.isoformat()}? {len(reopen)} done day(s) become open "
            "again; your reflections are kept.",
            abort=True,
            err=True,
        )
    render.start_message(render.console(), actions.start(c, day))


def _read_reflection(
    c: actions.Context, number: int, existing: str, edit: bool
) -> tuple[str | None, Path | None]:
    """The reflection from the editor, a pipe, or an inline prompt, and the editor's draft file
    if any. The text is None when nothing new was given and a kept reflection exists (it then
    comes back)."""
    from eng28 import editor
    from eng28.config import data_dir

    day = c.plan.day(number)
    if edit:
        draft = editor.draft_path(data_dir(), number, c.now)
        return editor.edit_reflection(draft, existing, day.reflection_prompt), draft
    if not sys.stdin.isatty():
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise Eng28Error(
                    f"the reflection on stdin is not UTF-8 text (byte {exc.start}); nothing "
                    "was recorded"
                ) from None
        text = raw.strip()
        return (text if text or not existing else None), None
    if existing:
        print(
            "You wrote a reflection for this day before; press Enter on an empty "
            "reflection to keep it.",
            file=sys.stderr,
        )
    if day.reflection_prompt:
        print(f"Reflect: {day.reflection_prompt.strip()}", file=sys.stderr)
    print("Your reflection (finish with two empty lines or Ctrl-D):", file=sys.stderr)
    lines: list[str] = []
    while True:
        try:
            line = input()
        except EOFError:
            break
        if line == "" and lines and lines[-1] == "":
            break
        lines.append(line)
    text = "\n".join(lines).strip()
    return (text if text or not existing else None), None


@app.command()
def done(
    ctx: typer.Context,
    day: OptionalDay = None,
    message: Annotated[str | None, typer.Option("--message", "-m", help="The reflection.")] = None,
    edit: Annotated[
        bool, typer.Option("--edit", "-e", help="Write it in $VISUAL/$EDITOR.")
    ] = False,
    amend: Annotated[bool, typer.Option("--amend", help="Replace the reflection.")] = False,
    no_reflection: Annotated[
        bool, typer.Option("--no-reflection", help="Mark done without a reflection.")
    ] = False,
) -> None:
    """Mark a day done with your reflection (from -m, --edit, a pipe, or a prompt).

    Example: eng28 done -m "Shuffles are where Spark jobs spend their time."
    """
    from eng28 import render

    if sum([message is not None, edit, no_reflection]) > 1:
        raise typer.BadParameter("use only one of -m, --edit and --no-reflection")
    c = _context(ctx)
    number = actions.target_day(c, day)
    progress = actions.check_done(c, number, amend)
    existing = progress.reflection if progress else ""
    draft = None
    if no_reflection:
        text: str | None = None if existing else ""
    elif message is not None:
        text = message.strip()
    else:
        text, draft = _read_reflection(c, number, existing, edit)
    if text is not None and not text and not no_reflection:
        raise Eng28Error(
            "the reflection is empty, so nothing was recorded; write one with -m TEXT or "
            "--edit, or pass --no-reflection"
        )
    result = actions.record_done(c, number, text, amend)
    if draft is not None:
        draft.unlink(missing_ok=True)
    render.done_message(render.console(), result)


@app.command()
def undo(
    ctx: typer.Context,
    day: Annotated[
        int | None,
        typer.Argument(
            help="Day number (default: the last one marked done).", autocompletion=_complete_day
        ),
    ] = None,
) -> None:
    """Un-mark a day; its reflection is kept and comes back when you mark it done again.

    Example: eng28 undo 5
    """
    c = _context(ctx)
    number, title = actions.undo(c, day)
    print(f"Day {number:02d} — {title} is open again; its reflection is kept.")


@app.command()
def review(
    ctx: typer.Context,
    day: Annotated[
        int | None,
        typer.Argument(help="Rate this day's card without prompts.", autocompletion=_complete_day),
    ] = None,
    rating: Annotated[
        str | None, typer.Option("--rating", "-r", help="again, hard, good or easy (or 1-4).")
    ] = None,
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="A follow-up note with the rating.")
    ] = None,
    early: Annotated[
        bool, typer.Option("--early", help="Rate a card that is not due yet.")
    ] = False,
    list_: Annotated[
        bool, typer.Option("--list", help="List cards due now and in the next 14 days.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Review the reflections that are due, with spaced repetition (FSRS).

    Example: eng28 review            (interactive)
             eng28 review 5 --rating good -m "still true"
    """
    from eng28 import render

    c = _context(ctx)
    if list_ or as_json:
        state = c.load_state()
        due, upcoming = actions.due_cards(c, state), actions.upcoming_cards(c, state)
        if as_json:
            _print_json(
                {
                    "due": [
                        {"day": x.day, "title": x.title, "due": x.due.isoformat()} for x in due
                    ],
                    "upcoming": [
                        {"day": x.day, "title": x.title, "due": x.due.isoformat()} for x in upcoming
                    ],
                }
            )
        else:
            render.review_list(render.console(), due, upcoming, c.today)
        return
    if day is not None:
        if rating is None:
            raise typer.BadParameter("rating a day needs --rating again|hard|good|easy")
        from eng28.review import parse_rating

        value = parse_rating(rating)
        if value is None:
            raise typer.BadParameter(f"{rating!r} is not one of again, hard, good, easy (or 1-4)")
        result = actions.rate_card(c, day, value, note=(message or "").strip(), early=early)
        render.rated(render.console(), result, c.today)
        return
    if rating is not None or message is not None:
        raise typer.BadParameter("--rating and -m need a DAY, e.g. `eng28 review 5 --rating good`")
    if not sys.stdin.isatty():
        raise Eng28Error(
            "the review session needs a terminal; use `eng28 review DAY --rating good` or "
            "`eng28 review --list`"
        )
    from eng28 import session

    session.run(c, render.console())


@app.command()
def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Progress, streaks, review retention, an activity heatmap and reviews due soon.

    Example: eng28 stats
    """
    from eng28 import render

    c = _context(ctx)
    result = actions.stats(c)
    if as_json:
        _print_json(result.to_json())
        return
    render.stats(render.console(), result, c.today, c.config.start)


@app.command(context_settings={"ignore_unknown_options": True}, add_help_option=False)
def prompt(args: Annotated[list[str] | None, typer.Argument(hidden=True)] = None) -> None:
    """Print the shell-prompt segment, e.g. "D05 OOP ⟳2" (see `eng28 prompt --help`).

    Example: eng28 prompt --format "{day}/{total} {track}"
    """
    from eng28.prompt import main as fast_main

    raise typer.Exit(fast_main(["prompt", *(args or [])]))


@app.command(context_settings={"ignore_unknown_options": True}, add_help_option=False)
def init(args: Annotated[list[str] | None, typer.Argument(hidden=True)] = None) -> None:
    """Print the shell snippet that shows eng28 in your prompt: bash, zsh or fish.

    Example: eval "$(eng28 init bash)"
    """
    from eng28.prompt import main as fast_main

    raise typer.Exit(fast_main(["init", *(args or [])]))


@backup_app.command("list")
def backup_list() -> None:
    """List the backups of your state, newest first (one a study day, the last 14 kept).

    Example: eng28 backup list
    """
    from eng28 import store
    from eng28.config import state_path

    backups = store.list_backups(state_path())
    if not backups:
        print("No backups yet: eng28 makes one before the first change of each study day.")
        return
    for b in backups:
        if b.state is None:
            print(f"{b.number:>3}  {b.path.name:<40} unreadable: {b.problem}")
            continue
        written = sum(1 for p in b.state.days.values() if p.reflection.strip())
        print(
            f"{b.number:>3}  {b.path.name:<40} {len(b.state.done_days()):>2} done, "
            f"{written:>2} reflection(s), {len(b.state.reviews):>3} review(s)"
        )


@backup_app.command("restore")
def backup_restore(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The backup's number in `eng28 backup list`.")],
) -> None:
    """Restore a backup; the current state is backed up (or, if broken, kept aside) first.

    Example: eng28 backup restore 1
    """
    from eng28 import store
    from eng28.config import state_path

    c = _context(ctx)
    chosen, kept = store.restore(state_path(), number, c.today, c.now)
    print(f"Restored {chosen.path.name}.")
    if kept:
        print(f"The state it replaced is kept in {kept}.")


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
    from eng28 import sync

    c = _context(ctx)
    if show_status:
        st = sync.status(c)
        print(f"remote: {st.remote}")
        print(f"last sync: {st.last_sync or 'never'}")
        if st.ahead and st.behind:
            print(
                f"diverged: {st.ahead} commit(s) here and {st.behind} there; `eng28 sync` "
                "merges them"
            )
        elif st.behind:
            print(f"behind: {st.behind} commit(s) from another machine; `eng28 sync` brings them")
        elif st.ahead:
            print(f"ahead: {st.ahead} commit(s) not pushed yet; `eng28 sync` pushes them")
        else:
            print("in step with the remote")
        print("local changes since the last sync: " + ("yes" if st.local_changes else "none"))
        return
    result = sync.sync(c)
    parts = []
    if result.changed_here:
        parts.append("merged changes from the remote")
    if result.pushed:
        parts.append("pushed your changes")
    print(f"Synced with {result.remote}: " + (", ".join(parts) or "already in step") + ".")


@sync_app.command("init")
def sync_init(
    ctx: typer.Context,
    remote: Annotated[str, typer.Argument(help="A git URL or the path of a bare repository.")],
) -> None:
    """Set up syncing through a git repository you own, then sync once.

    Example: eng28 sync init ~/Dropbox/eng28.git   (made with: git init --bare ~/Dropbox/eng28.git)
    """
    from eng28 import sync

    result = sync.init(_context(ctx), remote)
    print(f"Sync set up with {result.remote}. Run `eng28 sync` on each machine to stay in step.")


@app.command()
def doctor(ctx: typer.Context) -> None:
    """Check plan, config, state, backups, prompt cache and shell set-up; say how to fix.

    Example: eng28 doctor
    """
    from eng28 import doctor as doc

    root = ctx.find_root()
    checks = doc.run(root.obj.get("plan") if root.obj else None)
    for check in checks:
        mark = "ok  " if check.ok and not check.warning else ("note" if check.ok else "FAIL")
        print(f"{mark}  {check.name}: {check.detail}")
        if check.fix and (not check.ok or check.warning):
            print(f"      fix: {check.fix}")
    failed = [c for c in checks if not c.ok]
    print(f"{len(failed)} problem(s) found." if failed else "Everything looks fine.")
    if failed:
        raise typer.Exit(1)


@app.command()
def pause(ctx: typer.Context) -> None:
    """Pause the calendar: every later day moves on by the days you pause.

    Example: eng28 pause   (and later: eng28 resume)
    """
    since = actions.pause(_context(ctx))
    print(f"Paused from {since.isoformat()}. Later days move on until you `eng28 resume`.")


@app.command()
def resume(ctx: typer.Context) -> None:
    """End a pause: today is a study day again.

    Example: eng28 resume
    """
    since, days = actions.resume(_context(ctx))
    moved = f"later days moved by {days} day(s)" if days else "nothing moved"
    print(f"Resumed (paused since {since.isoformat()}; {moved}).")


@app.command()
def skip(ctx: typer.Context, day: DayArgument) -> None:
    """Set a day aside: not done, no review card, not counted as missed.

    Example: eng28 skip 12   (eng28 undo 12 brings it back)
    """
    title = actions.skip(_context(ctx), day)
    print(f"Skipped day {day:02d} — {title}. `eng28 undo {day}` brings it back.")


@app.command("open")
def open_(
    ctx: typer.Context,
    day: OptionalDay = None,
    what: Annotated[str, typer.Argument(help="video, readings, leetcode, notes or all.")] = "all",
) -> None:
    """Open a day's video, readings, LeetCode problem or notes in your browser.

    Example: eng28 open 5 leetcode
    """
    import webbrowser

    c = _context(ctx)
    number = day if day is not None else actions.target_day(c, None)
    found = actions.links(c, number, what)
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        browser = None
    for label, url in found:
        opened = browser is not None and browser.open(url)
        print(f"{'opened' if opened else 'link'}  {label}\n        {url}")
    if browser is None:
        print("No browser found here: the links are above.", file=sys.stderr)


@app.command()
def journal(
    ctx: typer.Context,
    format_: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
) -> None:
    """Print every reflection and follow-up note in day order, to keep or share.

    Example: eng28 journal > my-28-days.md
    """
    entries = actions.journal(_context(ctx))
    if format_ == "json":
        _print_json([e.to_json() for e in entries])
        return
    if format_ != "md":
        raise typer.BadParameter(f"unknown format {format_!r}: use md or json")
    from eng28 import render

    print(render.journal_markdown(entries), end="")


@app.command("export")
def export_(
    ctx: typer.Context,
    format_: Annotated[
        str, typer.Option("--format", "-f", help="json (your whole state) or ics (calendar).")
    ] = "json",
) -> None:
    """Print your state as JSON, or the plan and reviews as an iCalendar file.

    Example: eng28 export > eng28-backup.json ; eng28 export --format ics > eng28.ics
    """
    c = _context(ctx)
    if format_ == "json":
        _print_json(actions.export_data(c))
    elif format_ == "ics":
        from eng28.ics import calendar_bytes

        sys.stdout.buffer.write(calendar_bytes(c))
        sys.stdout.flush()
    else:
        raise typer.BadParameter(f"unknown format {format_!r}: use json or ics")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A file written by `eng28 export`.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Replace without asking.")] = False,
) -> None:
    """Restore config and state from an export, after checking it.

    Example: eng28 import eng28-backup.json
    """
    c = _context(ctx)
    config, state = actions.read_export(file)
    if c.load_state().days and not yes:
        if not sys.stdin.isatty():
            raise Eng28Error("you have progress already; pass --yes to replace it with the import")
        typer.confirm("Replace your current progress with the import?", abort=True, err=True)
    backup = actions.import_data(c, config, state)
    print(f"Imported {len(state.done_days())} done day(s) from {file}.")
    if backup:
        print(f"Your previous state is kept in {backup}.")


@app.command("config")
def config_(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="A config key.")] = None,
    value: Annotated[
        list[str] | None, typer.Argument(help="New value (several for rest_days).")
    ] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Reset the key to its default.")] = False,
) -> None:
    """Show or change settings: start, plan, pace, rest_days, rollover_hour, timezone.

    Example: eng28 config rest_days sat sun
    """
    from eng28 import settings

    if key is None:
        for name, shown in settings.show_all():
            print(f"{name} = {shown}")
        return
    if value is None and not unset:
        print(settings.show_one(key))
        return
    print(settings.change(key, value or [], unset))
    actions.touch_config(_context(ctx), [key])


# --- the entry point ------------------------------------------------------------------------

#: Options of the root callback that take a value (the command name follows them).
ROOT_OPTIONS_WITH_VALUE = frozenset({"--plan"})


def _command_name(info: Any) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)


def app_for(args: list[str]) -> typer.Typer:
    """The app with only the command that `args` ask for, or the whole app when they name none.

    Typer turns every command into a click command before it parses anything, and with thirty
    commands that costs more than `eng28 today` does itself; one command is all a run needs.
    Help, completion and mistyped names get the whole app (to list or suggest commands)."""
    import copy
    import os

    if any(key.startswith("_ENG28_COMPLETE") for key in os.environ):
        return app
    rest = iter(args)
    for arg in rest:
        if arg in ("-h", "--help"):
            return app  # the root's help, which lists every command
        if arg in ROOT_OPTIONS_WITH_VALUE:
            next(rest, None)
        elif not arg.startswith("-"):
            break
    else:
        return app
    lone = copy.copy(app)
    lone.registered_commands = [c for c in app.registered_commands if _command_name(c) == arg]
    lone.registered_groups = [g for g in app.registered_groups if g.name == arg]
    if not lone.registered_commands and not lone.registered_groups:
        return app
    return lone


def main(args: list[str] | None = None) -> None:
    """Run eng28 with `args` (default: the command line)."""
    import os

    # pydantic looks for plugins (observability hooks) in the entry points of every installed
    # distribution the first time it builds a validator: tens of milliseconds on each run, for
    # hooks that have no business in eng28's own config and state. Set it to "" to allow them.
    if "PYDANTIC_DISABLE_PLUGINS" not in os.environ:
        from eng28.config import OWN_VARIABLES

        os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
        OWN_VARIABLES.add("PYDANTIC_DISABLE_PLUGINS")
    args = sys.argv[1:] if args is None else args
    app_for(args)(args=args, prog_name="eng28")
