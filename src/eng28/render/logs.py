"""Reports: the stats screen and the LeetCode log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from eng28.render.base import safe
from eng28.text import plural, printable

if TYPE_CHECKING:  # named in annotations only: `today` need not import reports
    from eng28.usecases.reports import Stats

HEAT = ["·", "░", "▒", "▓", "█"]


def stats(out: Console, result: Stats) -> None:
    today, start = result.today, result.start
    behind = (
        "on schedule"
        if not result.behind
        else f"{plural(len(result.behind), 'day')} behind schedule"
    )
    out.print(f"[bold]Progress[/]  {result.done} of {result.total} days done · {behind}")
    out.print(
        f"[bold]Streak[/]    current {plural(result.current_streak, 'study day')} · longest "
        f"{plural(result.longest_streak, 'study day')}"
    )
    retention = f"{result.retention:.0%}" if result.retention is not None else "—"
    out.print(
        f"[bold]Reviews[/]   {result.reviews} done · retention {retention} (not rated Again) · "
        f"{result.due_now} due now"
    )
    labels = result.track_labels
    for title, groups, names in (
        ("by track", result.by_track, labels),
        ("by kind", result.by_kind, {}),
    ):
        if groups:
            shown = " · ".join(
                f"{safe(names.get(g, g))} {share:.0%} of {n}" for g, (n, share) in groups.items()
            )
            out.print(f"          {title}: {shown}")
    if any(of for _, of in result.parts.values()):
        shown = ", ".join(f"{name} {n}/{of}" for name, (n, of) in result.parts.items())
        out.print(f"[bold]Parts[/]     {shown}")
    # Heatmap: one column a week (Monday first), from the plan's start or 12 weeks back.
    from datetime import timedelta

    first = min([*result.activity, today - timedelta(weeks=11), *([start] if start else [])])
    first -= timedelta(days=first.weekday())
    weeks = (today - first).days // 7 + 1
    out.print()
    out.print("[bold]Activity[/] (days done + reviews, one column a week)")
    months, last = [], None
    for week in range(weeks):  # a month's name over the first week that starts in it
        monday = first + timedelta(days=week * 7)
        months.append(f"{monday:%b}" if monday.month != last else "")
        last = monday.month
    header = ""
    for week, name in enumerate(months):
        if name and len(header) <= week * 2:
            header = header.ljust(week * 2) + name
    out.print("      " + header.rstrip(), style="dim")
    for weekday, name in enumerate(["Mon", "", "Wed", "", "Fri", "", "Sun"]):
        cells = []
        for week in range(weeks):
            day = first + timedelta(days=week * 7 + weekday)
            if day > today:
                cells.append(" ")
                continue
            count = result.activity.get(day, 0)
            cells.append(HEAT[min(count, len(HEAT) - 1)])
        out.print(f"  {name:<3} " + " ".join(cells), style="green")
    out.print("      less " + " ".join(HEAT) + " more  (· none, █ 4 or more)", style="dim")
    out.print()
    out.print("[bold]Reviews due, next 14 days[/]")
    peak = max((n for _, n in result.due_next), default=0)
    for day, count in result.due_next:
        bar = "█" * (round(20 * count / peak) if peak else 0)
        out.print(f"  {day:%a %d %b} {bar} {count if count else ''}".rstrip())


def leetcode_list(out: Console, rows: list[Any]) -> None:  # usecases.leetcode.ProblemRow
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    for name in ("Day", "Problem", "Level", "Tries", "Best", "Patterns and notes"):
        table.add_column(name, justify="right" if name in ("Day", "Tries") else "left")
    for row in rows:
        best = f"{row.best_minutes} min" if row.best_minutes is not None else ""
        mark = "[green]✓[/] " if row.solved else ""
        words = "; ".join([*row.patterns, *row.notes])
        table.add_row(
            f"{row.day:02d}",
            Text.from_markup(mark) + Text(printable(f"{row.number}. {row.title}")),
            row.difficulty,
            str(len(row.attempts)) if row.attempts else "",
            best,
            safe(words),
        )
    out.print(table)
    solved = sum(1 for row in rows if row.solved)
    out.print(f"{solved} of {plural(len(rows), 'problem')} solved.")
