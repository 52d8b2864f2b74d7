"""The lines each command says when it has done its work, and the review session's screens."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Console

from eng28.render.base import duration, error, plain, safe
from eng28.render.screens import card_name, long_date
from eng28.text import plural, printable
from eng28.usecases.schedule import TodayResult

STATUS_WORDS = {
    "rest": "a rest day",
    "paused": "paused",
    "finished": "the plan is finished",
}


def _status_line(result: TodayResult | None, problem: str | None = None) -> str:
    """One line on where the learner stands, for `eng28` with no arguments."""
    if problem is not None:
        return f"error: {problem}"
    if result is None or result.start is None:
        return "The plan is not started yet: `eng28 today` starts it today."
    reviews = f" · {plural(result.reviews_due, 'review')} due" if result.reviews_due else ""
    if result.day is not None:
        d = result.day
        mark = " ✓" if d.progress and d.progress.done else ""
        return (
            f"Today: Day {d.day.number:02d} of {d.total} · {d.track.name} · {d.day.title}"
            f"{mark}{reviews}"
        )
    words = STATUS_WORDS.get(result.status, f"the plan starts on {result.start}")
    return f"Today: {words}{reviews}"


EVERYDAY = (
    ("eng28 today", "today's topic, its readings, exercise and LeetCode"),
    ('eng28 done -m "…"', "mark today done with what you learned"),
    ("eng28 review", "the reviews that are due"),
    ("eng28 plan", "every day with its date and status"),
    ("eng28 show DAY", "any day's card; eng28 notes DAY for its notes"),
    ("eng28 stats", "progress, streaks and reviews to come"),
    ("eng28 journal", "everything you have written"),
)


def front(result: TodayResult | None, problem: str | None = None) -> str:
    """The screen of `eng28` alone, short enough for 80x24: today's line on top, then the
    everyday commands. Returns what it wrote."""
    width = max(len(command) for command, _ in EVERYDAY)
    lines = [
        _status_line(result, problem),
        "",
        *(f"  {command:<{width}}  {what}" for command, what in EVERYDAY),
        "",
        "eng28 --help lists every command; eng28 COMMAND --help explains one.",
    ]
    plain(*lines)
    return "".join(printable(line) + "\n" for line in lines)


def started(result: Any) -> None:  # usecases.progress.Started
    if result.recovered_from is None:
        plain(f"Started the plan today ({result.start.isoformat()}).", stderr=True)
    else:
        plain(
            f"The config file had lost its start date: took {result.start.isoformat()} back "
            f"from {result.recovered_from}.",
            stderr=True,
        )


def reset_question(preview: Any) -> str:  # usecases.progress.ResetPreview
    """What a reset takes away, as the question that asks for it."""

    def said(count: int, what: str, one: str, many: str) -> str:
        return f"{plural(count, what)} {one if count == 1 else many}" if count else ""

    lost = [
        said(preview.done, "done day", "becomes open", "become open"),
        said(preview.skipped, "skipped day", "comes back", "come back"),
        said(preview.cards, "review card", "goes", "go"),
        f"the start date {preview.start.isoformat()} is unset" if preview.start else "",
    ]
    return (
        f"Reset the plan? {'; '.join(part for part in lost if part)}. Reflections and the "
        "review log are kept, after a backup."
    )


def reset_done(result: Any) -> None:  # usecases.progress.ResetResult
    plain("The plan is reset: `eng28 start` (or `eng28 today`) begins it again.")
    if result.backup:
        plain(f"What it was is kept in {result.backup} (`eng28 backup list` shows it).")


def plan_written(result: Any) -> None:  # usecases.plans.NewPlan
    path = result.path
    plain(f"Wrote {path} and {plural(result.notes, 'notes file')} in {path.parent / 'notes'}.")
    if result.check is not None:
        plain(
            f"Day 1 has a checkable exercise in {result.check} (starter/, checks/, solution/): "
            f"make it your own and prove it with `eng28 plan validate --checks {path}`."
        )
    plain(
        f"Fill in each day, check with `eng28 plan validate --complete {path}`, then use it "
        f"with `eng28 config plan {path}`.",
    )


def validation(report: Any) -> None:  # usecases.plans.Validation
    plain(*report.problems)
    if report.problems:
        plain(f"{report.path}: {plural(len(report.problems), 'problem')}", stderr=True)
        return
    for warning in report.warnings:
        plain(f"warning: {warning}", stderr=True)
    for number, slug, fields in report.incomplete:
        plain(f"{report.path}: day {number} ({slug}): incomplete, missing {', '.join(fields)}")
    if not report.incomplete:
        plain(f"{report.path}: valid plan, {report.total} days ({report.complete} complete)")


def reopened(change: Any) -> None:  # usecases.progress.DayChange
    plain(f"Day {change.number:02d} — {change.title} is open again; its reflection is kept.")


def skipped(change: Any) -> None:
    plain(
        f"Skipped day {change.number:02d} — {change.title}. `eng28 undo {change.number}` "
        "brings it back."
    )


def paused(since: date) -> None:
    plain(f"Paused from {since.isoformat()}. Later days move on until you `eng28 resume`.")


def resumed(result: Any) -> None:  # usecases.progress.Resumed
    moved = f"later days moved by {plural(result.days, 'day')}" if result.days else "nothing moved"
    plain(f"Resumed (paused since {result.since.isoformat()}; {moved}).")


def backups(found: list[Any]) -> None:  # store.Backup
    if not found:
        plain("No backups yet: eng28 makes one before the first change of each study day.")
        return
    for b in found:
        if b.state is None:
            plain(f"{b.number:>3}  {b.path.name:<40} unreadable: {b.problem}")
            continue
        plans = list(b.state.plans.values())
        written = sum(1 for s in plans for p in s.days.values() if p.reflection.strip())
        reviews = sum(len(s.kept_reviews()) for s in plans)
        done = sum(len(s.done_days()) for s in plans)
        plain(
            f"{b.number:>3}  {b.path.name:<40} {done:>2} done, "
            f"{plural(written, 'reflection'):>2}, {plural(reviews, 'review'):>3}"
        )


def restored(result: Any) -> None:  # usecases.backups.Restored
    plain(f"Restored {result.name}.")
    if result.kept:
        plain(f"The state it replaced is kept in {result.kept}.")


def sync_status(st: Any) -> None:  # usecases.sync.SyncStatus
    plain(f"remote: {st.remote}", f"last sync: {st.last_sync or 'never'}")
    if st.ahead and st.behind:
        plain(
            f"diverged: {plural(st.ahead, 'commit')} here and {st.behind} there; "
            "`eng28 sync` merges them"
        )
    elif st.behind:
        plain(
            f"behind: {plural(st.behind, 'commit')} from another machine; `eng28 sync` brings them"
        )
    elif st.ahead:
        plain(f"ahead: {plural(st.ahead, 'commit')} not pushed yet; `eng28 sync` pushes them")
    else:
        plain("in step with the remote")
    plain("local changes since the last sync: " + ("yes" if st.local_changes else "none"))


def synced(result: Any) -> None:  # usecases.sync.SyncResult
    parts = []
    if result.changed_here:
        parts.append("merged changes from the remote")
    if result.pushed:
        parts.append("pushed your changes")
    plain(f"Synced with {result.remote}: " + (", ".join(parts) or "already in step") + ".")


def sync_set_up(result: Any) -> None:
    plain(f"Sync set up with {result.remote}. Run `eng28 sync` on each machine to stay in step.")


def sync_remote_changed(result: Any) -> None:  # usecases.sync.RemoteChange
    plain(f"Sync remote is now {result.remote} (was {result.old}).")


def optimized(result: Any) -> None:  # usecases.reviews.Optimized
    if result.too_few:
        plain(
            f"Not enough reviews to fit FSRS to yet: {result.reviews} of the {result.needed} it "
            f"takes (ratings of a card on a later day than its last); "
            f"{result.needed - result.reviews} more. The parameters in use stay."
        )
        return
    plain(
        f"Fitted FSRS to {result.reviews} reviews. Log loss on them: "
        f"{result.current_loss:.4f} with the parameters in use, {result.fitted_loss:.4f} fitted."
    )
    if result.dry_run:
        better = result.fitted_loss < result.current_loss
        plain(f"Dry run: nothing kept ({'they would be kept' if better else 'no better'}).")
    elif result.kept:
        plain("Kept: the config key fsrs_parameters holds them (sync carries them).")
    else:
        plain("Not better than those in use: the parameters in use stay.")


def rating_undone(result: Any) -> None:  # usecases.reviews.UndoneRating
    from eng28.review import RATING_NAMES

    name = RATING_NAMES[result.rating].capitalize()
    when = f"next review {long_date(result.next_due)} again"
    if result.next_due <= result.today:
        when = "it is due again now"
    what = card_name(result.id or str(result.day))
    plain(f"Undid the {name} of {what} ({result.reviewed_on.isoformat()}); {when}.")


def doctor(checks: list[Any]) -> None:  # usecases.doctor.Check
    for check in checks:
        mark = "ok  " if check.ok and not check.warning else ("note" if check.ok else "FAIL")
        plain(f"{mark}  {check.name}: {check.detail}")
        if check.fix and (not check.ok or check.warning):
            plain(f"      fix: {check.fix}")
    failed = [c for c in checks if not c.ok]
    plain(f"{plural(len(failed), 'problem')} found." if failed else "Everything looks fine.")


def link(label: str, url: str, opened: bool) -> None:
    plain(f"{'opened' if opened else 'link'}  {label}", f"        {url}")


def no_browser() -> None:
    plain("No browser found here: the links are above.", stderr=True)


def imported(result: Any) -> None:  # usecases.reports.ImportResult
    plain(f"Imported {plural(result.done, 'done day')} from {result.source}.")
    if result.backup:
        plain(f"Your previous state is kept in {result.backup}.")


def ticked(result: Any) -> None:  # usecases.progress.TickResult
    names = ", ".join(result.parts)
    verb = "Ticked" if result.ticked else "Unticked"
    same = [p for p in result.parts if p not in result.changed]
    note = (
        f" ({', '.join(same)} already {'ticked' if result.ticked else 'unticked'})" if same else ""
    )
    left = f"; about {duration(result.left)} of it left" if result.left else "; nothing left of it"
    plain(f"{verb} {names} of day {result.number:02d} — {result.title}{note}{left}.")


def leetcode_logged(result: Any) -> None:  # usecases.leetcode.Logged
    a = result.attempt
    how = "Solved" if a.solved else "Attempted"
    extra = [f"{a.minutes} min"] if a.minutes is not None else []
    extra += ["with a hint"] if a.hint else []
    extra += [f"pattern: {a.pattern}"] if a.pattern.strip() else []
    details = f" ({', '.join(extra)})" if extra else ""
    plain(
        f"{how} {result.problem} (day {result.number:02d}){details}; "
        f"attempt {result.attempts} logged."
    )
    if result.rating is not None and result.next_due is not None:
        from eng28.review import RATING_NAMES

        made = "Re-solve card lc:{0} created, rated" if result.first_solved else "lc:{0} rated"
        plain(
            f"{made.format(result.number)} {RATING_NAMES[result.rating]}; re-solve it on "
            f"{long_date(result.next_due)} (eng28 review)."
        )


def plan_list(rows: list[Any]) -> None:  # usecases.plans.PlanRow
    for row in rows:
        mark = "*" if row.in_use else " "
        if row.total is None:
            where = f"{row.done} done; {row.problem}"
        else:
            today = f"day {row.day}" if row.day else "no study day today"
            where = f"{today} of {row.total}, {row.done} done"
        since = f"started {row.start.isoformat()}" if row.start else "not started"
        plain(f"{mark} {row.id}  {row.title or '(no title)'}  {where}, {since}  {row.path}")
    plain("(* the plan in use)", stderr=True)


def config_lines(pairs: list[tuple[str, str]]) -> None:
    plain(*(f"{name} = {shown}" for name, shown in pairs))


# --- the review session ------------------------------------------------------------------


def ask(out: Console, prompt: str) -> str | None:
    """A line from the learner, or None to quit (q, Ctrl-C or end of input)."""
    from rich.markup import escape

    try:
        answer = out.input(escape(prompt))
    except (EOFError, KeyboardInterrupt):
        out.print()
        return None
    return None if answer.strip().lower() in ("q", "quit") else answer


def note_not_saved(message: str) -> None:
    """A follow-up note that could not be saved: the session goes on, the rating is saved."""
    error(f"the follow-up note was not saved: {message} (the rating itself is saved)")


def no_reviews(out: Console, upcoming: list[Any], limit_reached: bool = False) -> None:
    if limit_reached:
        out.print("Today's reviews are done: the daily limit (review_daily_limit) is reached.")
    else:
        out.print("No reviews due today.")
    if upcoming:
        out.print(
            f"Next: {card_name(upcoming[0].id, padded=False)} on {long_date(upcoming[0].due)}.",
            style="dim",
        )


def review_intro(out: Console, count: int) -> None:
    out.print(f"{plural(count, 'review')} due. Recall first, then reveal and rate honestly.\n")


def review_front(out: Console, index: int, count: int, material: Any) -> None:
    card = material.card
    out.rule(f"Review {index} of {count}")
    kind = {"question": " · question", "leetcode": " · LeetCode re-solve"}.get(card.kind, "")
    out.print(
        f"[bold]Day {card.day:02d} — {safe(card.title)}[/] · "
        f"[{card.track.colour}]{safe(card.track.name)}[/]{kind}"
    )
    if card.kind == "question":
        out.print(f"\n[bold]Q:[/] {safe((material.prompt or '').strip())}")
    elif card.kind == "leetcode":
        out.print(f"\n[bold]Re-solve:[/] {safe(material.problem)}")
        out.print(f"  {safe(material.url)}")
        for pattern in material.patterns or []:
            out.print(f"[dim]Your pattern note:[/] {safe(pattern)}")
        out.print("Solve it again from a blank file, without looking at your old solution.")
    elif material.prompt:
        out.print(f"\n[bold]Reflect:[/] {safe(material.prompt.strip())}")


def review_back(out: Console, material: Any) -> None:
    if material.card.kind == "question":
        out.print("\n[bold]Answer key[/]")
        out.print(safe((material.answer or "").strip()) or "[dim](no answer key yet)[/]")
        out.print(f"[dim]From the {safe(material.source)}.[/]")
        for when, note in material.earlier_notes:
            out.print(f"[dim]Follow-up {when}:[/] {safe(note)}")
        return
    out.print("\n[bold]Your reflection[/]")
    out.print(safe(material.reflection.strip()) or "[dim](no reflection written)[/]")
    for when, note in material.earlier_notes:
        out.print(f"[dim]Follow-up {when}:[/] {safe(note)}")
    if material.questions:
        out.print("\n[bold]Check yourself[/]")
        for question in material.questions:
            out.print(f"  - {safe(question)}")


def rating_question(grading: str) -> str:
    if grading == "pass-fail":
        return "\nDid you recall it? [1] forgot  [2] recalled  (q quits) "
    return "\nRate: [1] again  [2] hard  [3] good  [4] easy  (q quits) "


def review_hint(out: Console, grading: str = "four") -> None:
    if grading == "outcome":
        out.print("Type 1, 2 or 3.", style="yellow")
    elif grading == "pass-fail":
        out.print("Type 1 or 2 (or f/r).", style="yellow")
    else:
        out.print("Type 1-4 or a/h/g/e.", style="yellow")


def review_saved(out: Console, result: Any) -> None:  # usecases.reviews.RateResult
    from eng28.review import RATING_NAMES

    days = result.interval
    out.print(
        f"[green]Saved {RATING_NAMES[result.rating]}.[/] Next review {long_date(result.next_due)} "
        f"(in {days} day{'s' if days != 1 else ''})."
    )


def review_summary(out: Console, ratings: dict[int, int], total: int) -> None:
    from eng28.review import RATING_NAMES

    reviewed = sum(ratings.values())
    parts = ", ".join(f"{RATING_NAMES[r]} {n}" for r, n in sorted(ratings.items()))
    out.rule()
    out.print(f"Reviewed {reviewed} of {total}" + (f": {parts}." if parts else "."))
    if reviewed < total:
        out.print(f"{total - reviewed} still due: run eng28 review again.", style="dim")


def published(result: Any) -> None:  # usecases.publish.PublishResult
    """What `eng28 publish` wrote (or, with --dry-run, would write), file by file, and per day
    whether the learner's own text is on its page."""
    states = {f"day-{n:02d}.html": state for n, state in result.days}
    if result.written:
        changed = len(result.files) - result.unchanged
        plain(
            f"Published {plural(len(result.files), 'file')} to {result.folder} "
            f"({changed} written, {result.unchanged} unchanged); open "
            f"{result.folder / 'index.html'}"
        )
    else:
        plain(f"Dry run: nothing written. These files would go to {result.folder}:")
    if not result.written:
        width = max(len(name) for name in result.files)
        for name in sorted(result.files, key=lambda n: (n in states, n)):
            state = states.get(name)
            plain(f"  {name:<{width}}  your own text: {state}" if state else f"  {name}")
    included = [n for n, state in result.days if state.startswith("included")]
    if included:
        days = ", ".join(str(n) for n in included)
        plain(f"Your own text is on the page of {plural(len(included), 'day')}: {days}.")
    else:
        plain(
            "None of your own text is included (private by default: --include-reflections, "
            "or eng28 share DAY, puts it in)."
        )
    for name in result.extra:
        plain(
            f"note: {result.folder / name} is not a page of this plan; left as it is", stderr=True
        )


def share_changed(result: Any) -> None:  # usecases.publish.ShareResult
    day = f"day {result.number:02d} — {result.title}"
    if result.shared:
        verb = "Shared" if result.changed else "Already shared:"
        plain(f"{verb} {day}: `eng28 publish` puts its reflection and review notes on its page.")
        if not result.has_text:
            plain("It has no reflection yet; it will be published once you write one.")
    else:
        verb = "Unshared" if result.changed else "Not shared:"
        plain(f"{verb} {day}: the next `eng28 publish` leaves its reflection out.")
