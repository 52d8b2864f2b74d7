"""The screens: day cards, today, the plan table, reviews, stats and the journal.

URLs are printed unwrapped so that a narrow terminal never splits one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text

from eng28.render.base import safe, without_trailing_spaces
from eng28.text import plural, printable
from eng28.usecases.progress import DoneResult, StartResult
from eng28.usecases.schedule import DayView, DueCard, PlanOverview, TodayResult

if TYPE_CHECKING:  # named in annotations only: `today` need not import reviews and reports
    from eng28.usecases.reports import JournalEntry
    from eng28.usecases.reviews import RateResult, ReviewList

STATUS_STYLE = {
    "done": "green",
    "today": "bold yellow",
    "upcoming": "dim",
    "missed": "red",
    "rest": "dim italic",
    "paused": "dim italic",
    "skipped": "dim",
}
STATUS_MARK = {
    "done": "✓",
    "today": "▶",
    "upcoming": "·",
    "missed": "✗",
    "rest": "~",
    "paused": "‖",
    "skipped": "»",
}


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%b %Y}"


def link_line(url: str, indent: int = 4) -> Text:
    """A URL on a line of its own, never wrapped or cropped (so a narrow terminal cannot
    break it), and a hyperlink (OSC 8) where the terminal shows styles."""
    from rich.style import Style

    clean = printable(url, keep="")
    line = Text(" " * indent, no_wrap=True, overflow="ignore")
    line.append(clean, Style(color="blue", link=clean if clean.startswith("http") else None))
    return line


class _Card:
    """The lines of a day card, rendered in one pass: a few dozen separate console.print calls
    cost more time than everything else `eng28 today` does."""

    def __init__(self) -> None:
        self.parts: list[RenderableType] = []

    def line(self, markup: str = "", style: str = "") -> None:
        self.parts.append(Text.from_markup(markup, style=style))

    def url(self, url: str, indent: int = 4) -> None:
        # Never wrapped or cropped, so that a narrow terminal cannot break a link.
        self.parts.append(link_line(url, indent))

    def items(self, rows: list[tuple[str | Text, str]], indent: int = 2) -> None:
        """List items whose wrapped lines hang under their text, not under the marker."""
        markers = [Text(m) if isinstance(m, str) else m for m, _ in rows]
        column = max(m.cell_len for m in markers)
        for marker, (_, markup) in zip(markers, rows, strict=True):
            self.parts.append(_Hanging(marker, Text.from_markup(markup), indent, column))

    def show(self, out: Console) -> None:
        out.print(Group(*self.parts), crop=False)


class _Hanging:
    """`marker text` after `indent` spaces, the text wrapped in the room left and its later
    lines indented to line up under its first (what a two-column grid draws, for less work).
    Where that leaves less than MIN_ROOM cells, the text goes under the marker instead."""

    MIN_ROOM = 10

    def __init__(self, marker: Text, text: Text, indent: int, column: int) -> None:
        self.marker, self.text, self.indent = marker, text, indent
        self.lead = indent + column + 1
        gap = " " * (self.lead - indent - marker.cell_len)
        self.first = Text.assemble(" " * indent, marker, gap)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        if width - self.lead >= self.MIN_ROOM:
            lead, head = self.lead, self.first
        else:
            for line in Text.assemble(" " * self.indent, self.marker).wrap(console, width):
                yield from line.render(console)
                yield Segment.line()
            lead = min(self.indent + 2, width // 4)
            head = Text(" " * lead)
        blank = Segment(" " * lead)
        for number, line in enumerate(self.text.wrap(console, max(width - lead, 1))):
            if number == 0:
                yield from head.render(console)
            else:
                yield blank
            line.rstrip()
            yield from line.render(console)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.cells import cell_len

        longest = max((cell_len(word) for word in self.text.plain.split()), default=0)
        return Measurement(self.lead + longest, self.lead + self.text.cell_len)


def _time_line(view: DayView) -> str:
    from eng28.render.base import duration

    needed, left = view.minutes_needed, view.minutes_left
    if not needed:
        return ""
    if left == needed:
        return f"Time: about {duration(needed)} (video, readings, exercise)"
    if left == 0:
        return f"Time: about {duration(needed)}, all of it done"
    return f"Time: about {duration(needed)}, {duration(left)} of it left"


PART_MARKS = ("●", "○")


def parts_row(view: DayView) -> str:
    """The parts of a day as one row: video, r1-r3, exercise, leetcode, reflection."""
    return "".join(PART_MARKS[0] if on else PART_MARKS[1] for on in view.ticked.values())


def day_card(out: Console, view: DayView) -> None:
    day, track, card = view.day, view.track, _Card()
    ticked = view.ticked

    def mark(part: str) -> str:
        return " [green]✓[/]" if ticked[part] else ""

    header = f"Day {day.number:02d} of {view.total} · {safe(track.name)}"
    if view.date:
        header += f" · {long_date(view.date)}"
    card.line(header, style=f"bold {track.colour}")
    card.line(safe(day.title), style="bold")
    progress = view.progress
    if progress and progress.done:
        when = f" on {progress.done_on.isoformat()}" if progress.done_on else ""
        card.line(f"✓ done{when}", style="green")
    elif view.status == "missed":
        card.line("✗ not done yet (its date has passed)", style="red")
    if _time_line(view):
        card.line(_time_line(view), style="dim")
    missing = day.missing_fields()
    if missing:
        card.line()
        card.line(
            f"This day's material is not in the plan file yet (missing: {', '.join(missing)}).",
            style="yellow",
        )
    if day.summary:
        card.line()
        card.line("Why it matters", style="bold")
        card.line(safe(day.summary.strip()))
    if day.video:
        v = day.video
        card.line()
        card.line(
            f"[bold]Video[/]  {safe(v.title)} — {safe(v.by)} ({v.minutes} min){mark('video')}"
        )
        card.url(v.url)
    if day.readings:
        card.line()
        card.line("Readings", style="bold")
        for i, r in enumerate(day.readings, start=1):
            card.items(
                [(f"{i}.", f"{safe(r.title)} — {safe(r.by)} [dim]\\[{r.kind}][/]{mark(f'r{i}')}")]
            )
            card.url(r.url, indent=5)
    if day.exercise:
        e = day.exercise
        card.line()
        card.line(f"[bold]Exercise[/]  {safe(e.title)} (~{e.minutes} min){mark('exercise')}")
        card.items([(f"{i}.", safe(step)) for i, step in enumerate(e.steps, start=1)])
        card.items([(Text("Deliverable:", style="bold"), safe(e.deliverable))])
        if e.stretch:
            card.items([(Text("Stretch:", style="bold"), safe(e.stretch))])
    if day.check:
        card.line()
        card.line(f"[bold]Check[/]  eng28 exercise {day.number}, then eng28 check")
    if day.leetcode:
        lc = day.leetcode
        card.line()
        card.line(
            f"[bold]LeetCode[/]  {lc.number}. {safe(lc.title)} ({lc.difficulty}){mark('leetcode')}"
        )
        card.url(lc.url)
        if lc.why:
            card.parts.append(Padding(Text(printable(lc.why), style="dim"), (0, 0, 0, 4)))
    if day.reflection_prompt:
        card.line()
        card.line(f"[bold]Reflect[/]{mark('reflection')}")
        card.line(safe(day.reflection_prompt.strip()))
    if view.notes_file:
        card.line()
        card.line(
            f"[bold]Notes[/]  eng28 notes {day.number}  [dim]({safe(view.notes_file.name)})[/]"
        )
    if progress and progress.done and progress.reflection.strip():
        card.line()
        card.line("Your reflection", style="bold")
        card.line(safe(progress.reflection.strip()))
    if progress and progress.earlier:
        count = len(progress.earlier)
        card.line(
            f"{count} earlier version{'s' if count > 1 else ''} of your reflection: eng28 journal",
            style="dim",
        )
    card.show(out)


def brief_card(out: Console, view: DayView) -> None:
    """The day in at most 15 lines at 80 columns: heading, title, video, readings, exercise,
    LeetCode and the reflection prompt, each on one line (long titles cut), links kept whole."""
    day, track = view.day, view.track

    def line(markup: str, style: str = "") -> Text:
        text = Text.from_markup(markup, style=style)
        text.no_wrap, text.overflow = True, "ellipsis"
        return text

    def link(url: str) -> Text:
        return link_line(url)

    when = f" · {long_date(view.date)}" if view.date else ""
    rows = [
        line(
            f"Day {day.number:02d} of {view.total} · {safe(track.name)}{when}",
            f"bold {track.colour}",
        ),
        line(safe(day.title), "bold"),
    ]
    if day.video:
        rows += [
            line(f"[bold]Video[/] {safe(day.video.title)} ({day.video.minutes} min)"),
            link(day.video.url),
        ]
    for number, reading in enumerate(day.readings or [], start=1):
        rows += [line(f"[bold]Read {number}[/] {safe(reading.title)}"), link(reading.url)]
    if day.exercise:
        rows.append(
            line(f"[bold]Exercise[/] {safe(day.exercise.title)} (~{day.exercise.minutes} min)")
        )
    if day.leetcode:
        lc = day.leetcode
        rows += [line(f"[bold]LeetCode[/] {lc.number}. {safe(lc.title)} ({lc.difficulty})")]
        rows.append(link(lc.url))
    if day.reflection_prompt:
        rows.append(line(f"[bold]Reflect[/] {safe(day.reflection_prompt.strip())}"))
    out.print(Group(*rows), crop=False)


def today_screen(out: Console, result: TodayResult, brief: bool = False) -> None:
    if result.status == "study" and result.day is not None and brief:
        brief_card(out, result.day)
        return
    if result.status == "study" and result.day is not None:
        day_card(out, result.day)
        out.print()
        if result.day.progress and result.day.progress.done:
            out.print("Today's day is done. 🎉" if out.encoding.startswith("utf") else "Done.")
        else:
            out.print('When you finish: eng28 done -m "what you learned"', style="dim")
        _behind(out, result)
        _reviews(out, result)
        return
    if result.status == "not-started":
        days = result.starts_in or 0
        when = "tomorrow" if days == 1 else f"in {days} days"
        out.print(
            f"The plan starts {when}, on {long_date(result.start)}." if result.start else "",
            style="bold",
        )
        if result.next_day:
            d = result.next_day.day
            out.print(f"First up: Day {d.number:02d} — {safe(d.title)}")
            out.print(f"Preview it with: eng28 show {d.number}", style="dim")
        return
    if result.status == "paused" and result.paused_since:
        out.print(f"Paused since {long_date(result.paused_since)}", style="bold")
        out.print("Later days move on by the days you pause; `eng28 resume` to continue.")
        if result.next_day:
            d = result.next_day.day
            out.print(f"Next: Day {d.number:02d} — {safe(d.title)}")
        _reviews(out, result)
        return
    if result.status == "rest":
        out.print(f"Rest day · {long_date(result.date)}", style="bold")
        out.print("No new topic today: rest, or catch up.")
        if result.next_day:
            d = result.next_day.day
            when = f" on {long_date(result.next_day.date)}" if result.next_day.date else ""
            out.print(f"Next: Day {d.number:02d} — {safe(d.title)}{when}")
        _behind(out, result)
        _reviews(out, result)
        return
    # finished
    out.print(
        f"Plan finished · {result.done_count} of {result.total} days done", style="bold green"
    )
    if result.behind:
        out.print(
            "Still open: "
            + ", ".join(f"day {n}" for n in result.behind)
            + " — they can still be done: eng28 done DAY"
        )
    else:
        out.print("Every day is done. Well played.")
    _reviews(out, result)


def _reviews(out: Console, result: TodayResult) -> None:
    if result.reviews_due:
        out.print(_reviews_line(result.reviews_due), style="bold cyan")


def _behind(out: Console, result: TodayResult) -> None:
    if result.behind:
        days = ", ".join(str(n) for n in result.behind)
        out.print(
            f"Behind schedule: {plural(len(result.behind), 'earlier day')} still open ({days}). "
            "Catch up with eng28 show DAY and eng28 done DAY.",
            style="yellow",
        )


def plan_table(out: Console, overview: PlanOverview) -> None:
    from eng28.render.grid import Column, Grid

    slots, today, rest, reviews_due = (
        overview.slots, overview.today, overview.rest, overview.reviews_due
    )  # fmt: skip
    table = Grid(
        Column("Day", justify="right"),
        Column("Date"),
        Column("Track"),
        Column("Title", overflow="fold"),
        Column("Parts", no_wrap=True),
        Column("Left", justify="right", no_wrap=True),
        Column("Status"),
        title=safe(overview.title),
        title_style="bold",
    )
    previous: date | None = None
    for slot in slots:
        if slot.date and previous:
            gap = (slot.date - previous).days
            for offset in range(1, gap):
                between = date.fromordinal(previous.toordinal() + offset)
                kind = "rest" if between.weekday() in rest else "paused"
                mark = f"{STATUS_MARK[kind]} {kind}"
                table.add_row(
                    "", f"{between:%a %d %b}", "", kind, "", "", mark, style=STATUS_STYLE[kind]
                )
        view = overview.days[slot.number - 1]
        day, track = view.day, view.track
        status = slot.status
        table.add_row(
            f"{slot.number:02d}",
            f"{slot.date:%a %d %b}" if slot.date else "",
            Text(printable(track.label, keep=""), style=track.colour),
            safe(day.title),
            parts_row(view),
            _short_time(view.minutes_left) if view.minutes_left else "",
            f"{STATUS_MARK[status]} {status}",
            style=STATUS_STYLE[status] if status != "upcoming" else None,
        )
        previous = slot.date or previous
    table.print_to(out)
    out.print(
        "Parts: video, readings 1-3, exercise, LeetCode, reflection (● ticked); Left: time left",
        style="dim",
    )
    done = sum(1 for s in slots if s.status == "done")
    width = 28
    filled = round(width * done / len(slots)) if slots else 0
    out.print()
    out.print(
        f"[green]{'█' * filled}[/][dim]{'░' * (width - filled)}[/] {done}/{len(slots)} days done"
    )
    if not any(s.status == "today" for s in slots) and today.weekday() in rest:
        out.print("Today is a rest day.", style="dim")
    if reviews_due:
        out.print(_reviews_line(reviews_due), style="bold cyan")


def _short_time(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if hours else f"{rest}m"


def paged(out: Console, draw: Callable[[Console], None], allowed: bool = True) -> str | None:
    """`draw` on the terminal, or through the pager when it is taller than the terminal (as
    git log does); piped output never pages. What reached stdout, or None when it was paged."""
    with out.capture() as captured:
        draw(out)
    text = captured.get()
    if allowed and out.is_terminal and text.count("\n") >= out.height:
        _page(text)
        return None
    out.file.write(text)
    out.file.flush()
    return text if out.is_terminal else without_trailing_spaces(text)


def _page(text: str) -> None:
    """Hand `text` to $MANPAGER, $PAGER or less. less gets -R through LESS when the learner
    has not set LESS, so that it shows colours, not codes; another pager gets plain text."""
    import os
    import pydoc
    import shlex
    import shutil

    command = os.environ.get("MANPAGER") or os.environ.get("PAGER") or "less"
    try:
        program = os.path.basename(shlex.split(command)[0])
    except (ValueError, IndexError):
        program = ""
    if program == "less" and shutil.which(command.split()[0]):
        os.environ.setdefault("LESS", "-R")
        os.environ["PAGER"] = command
    else:
        text = Text.from_ansi(text).plain
    pydoc.pager(text)


def notes(out: Console, markdown_text: str, pager: bool) -> None:
    from rich.markdown import Markdown

    md = Markdown(printable(markdown_text), code_theme="ansi_dark")
    paged(out, lambda o: o.print(md), pager)


def done_message(out: Console, result: DoneResult) -> None:
    verb = "Amended the reflection of" if result.amended else "Marked done:"
    out.print(f"[green]✓[/] {verb} day {result.number:02d} — {safe(result.title)}")
    if result.restored:
        out.print("Your earlier reflection for this day is back.", style="dim")
    out.print(f"{result.done_count} of {result.total} days done.", style="dim")
    if result.first_review and not result.amended:
        out.print(
            f"First review of this reflection: {long_date(result.first_review)}.", style="dim"
        )


def start_message(out: Console, result: StartResult) -> None:
    out.print(f"Plan starts on {long_date(result.start)}.")
    if result.previous and result.previous != result.start:
        kept = f"; {plural(result.done, 'done day')} {'stays' if result.done == 1 else 'stay'} done"
        out.print(
            f"Moved from {long_date(result.previous)}{kept if result.done else ''}, with every "
            "reflection and review.",
            style="dim",
        )


def _reviews_line(count: int) -> str:
    return f"{count} review{'s' if count != 1 else ''} due: eng28 review"


def card_name(card_id: str, padded: bool = True) -> str:
    """A card as the learner reads it: "day 03", "question 3:attention-scaling",
    "LeetCode re-solve lc:3"."""
    from eng28.models import card_day, card_kind

    kind = card_kind(card_id)
    if kind == "question":
        return f"question {card_id}"
    if kind == "leetcode":
        return f"LeetCode re-solve {card_id}"
    return f"day {card_day(card_id):02d}" if padded else f"day {card_day(card_id)}"


def _card_label(card_id: str) -> str:
    """The Card column of `review --list`: "03", "03:attention-scaling", "lc:03"."""
    from eng28.models import card_day, card_kind

    day, kind = card_day(card_id), card_kind(card_id)
    if kind == "question":
        return f"{day:02d}:{card_id.split(':', 1)[1]}"
    return f"lc:{day:02d}" if kind == "leetcode" else f"{day:02d}"


def review_list(out: Console, listing: ReviewList) -> None:
    due, upcoming, today = listing.due, listing.upcoming, listing.today
    if not due and not upcoming and not listing.held:
        out.print("No review cards due now or in the next 14 days.")
        return
    from eng28.render.grid import Column, Grid

    table = Grid(Column("Due"), Column("Card"), Column("Track"), Column("Title", overflow="fold"))
    # A year's list has 700 rows of some 30 tracks and titles: each is made safe once.
    tracks: dict[tuple[str, str], Text] = {}
    titles: dict[str, str] = {}

    def cells(card: DueCard) -> tuple[str, Text, str]:
        track = (card.track.label, card.track.colour)
        if track not in tracks:
            tracks[track] = Text(printable(track[0], keep=""), style=track[1])
        if card.title not in titles:
            titles[card.title] = safe(card.title)
        return safe(_card_label(card.id)), tracks[track], titles[card.title]

    for card in due:
        late = (today - card.due).days
        when = "today" if late == 0 else f"{late}d overdue"
        table.add_row(when, *cells(card), style="bold")
    dates: dict[date, str] = {}
    for card in upcoming:
        if card.due not in dates:
            dates[card.due] = f"{card.due:%a %d %b}"
        table.add_row(dates[card.due], *cells(card))
    table.print_to(out)
    out.print(f"{len(due)} due now, {len(upcoming)} in the next 14 days.", style="dim")
    if listing.held:
        out.print(
            f"{plural(listing.held, 'more card')} due wait for the next study days: today's "
            f"limit is {listing.limit} ratings (review_daily_limit).",
            style="dim",
        )


def rated(out: Console, result: RateResult) -> None:
    from eng28.review import RATING_NAMES

    days = result.interval
    what = f"Day {result.day:02d}"
    if result.kind == "question":
        what = f"Question {safe(result.id)}"
    elif result.kind == "leetcode":
        what = f"LeetCode re-solve {safe(result.id)}"
    out.print(
        f"[green]✓[/] {what} rated {RATING_NAMES[result.rating]}. Next review "
        f"{long_date(result.next_due)} (in {days} day{'s' if days != 1 else ''})."
    )


def journal_markdown(entries: list[JournalEntry]) -> str:
    if not entries:
        return "# Journal\n\nNothing written yet: reflections appear here once you `eng28 done`.\n"
    parts = ["# Journal\n"]
    for e in entries:
        when = f" — done {e.done_on.isoformat()}" if e.done and e.done_on else ""
        parts.append(f"\n## Day {e.day:02d}: {printable(e.title)}\n\n*{e.track}{when}*\n")
        if e.reflection.strip():
            parts.append(f"\n{printable(e.reflection.strip())}\n")
        for written_at, text in e.earlier:
            stamp = f" (written {written_at[:10]})" if written_at else ""
            parts.append(
                f"\n> Earlier version{stamp}:\n>\n"
                + "".join(
                    f"> {line}\n" if line else ">\n"
                    for line in printable(text.strip()).splitlines()
                )
            )
        for date_, rating, note in e.follow_ups:
            from eng28.review import RATING_NAMES

            parts.append(
                f"\n- Follow-up {date_} ({RATING_NAMES[rating]}): {printable(note.strip())}"
            )
        if e.follow_ups:
            parts.append("\n")
    return "".join(parts)


def journal(entries: list[JournalEntry]) -> None:
    import sys

    sys.stdout.write(journal_markdown(entries))
