"""The interactive review session: terminal prompts around `actions.rate_card`.

Each rating is saved the moment it is given, so quitting at any prompt (q, Ctrl-C, EOF) never
loses one; a follow-up note is attached to the rating already saved.
"""

from __future__ import annotations

import time
from collections import Counter

from rich.console import Console
from rich.markup import escape

from eng28 import actions
from eng28.render import long_date
from eng28.review import RATING_NAMES, parse_rating


def _ask(out: Console, prompt: str) -> str | None:
    """A line from the learner, or None to quit (q, Ctrl-C or end of input)."""
    try:
        answer = out.input(escape(prompt))
    except (EOFError, KeyboardInterrupt):
        out.print()
        return None
    return None if answer.strip().lower() in ("q", "quit") else answer


def run(ctx: actions.Context, out: Console) -> Counter[int]:
    state = ctx.load_state()
    cards = actions.due_cards(ctx, state)
    ratings: Counter[int] = Counter()
    if not cards:
        out.print("No reviews due today.")
        upcoming = actions.upcoming_cards(ctx, state)
        if upcoming:
            out.print(f"Next: day {upcoming[0].day} on {long_date(upcoming[0].due)}.", style="dim")
        return ratings
    out.print(f"{len(cards)} review(s) due. Recall first, then reveal and rate honestly.\n")
    for index, card in enumerate(cards, start=1):
        material = actions.review_material(ctx, state, card)
        out.rule(f"Review {index} of {len(cards)}")
        out.print(
            f"[bold]Day {card.day:02d} — {escape(card.title)}[/] · "
            f"[{card.track.colour}]{escape(card.track.name)}[/]"
        )
        if material.prompt:
            out.print(f"\n[bold]Reflect:[/] {escape(material.prompt.strip())}")
        started = time.monotonic()
        if _ask(out, "\nRecall your answer, then press Enter to reveal (q to quit) ") is None:
            break
        out.print("\n[bold]Your reflection[/]")
        out.print(escape(material.reflection.strip()) or "[dim](no reflection written)[/]")
        for when, note in material.earlier_notes:
            out.print(f"[dim]Follow-up {when}:[/] {escape(note)}")
        if material.questions:
            out.print("\n[bold]Check yourself[/]")
            for question in material.questions:
                out.print(f"  - {escape(question)}")
        rating = None
        while rating is None:
            answer = _ask(out, "\nRate: [1] again  [2] hard  [3] good  [4] easy  (q quits) ")
            if answer is None:
                break
            rating = parse_rating(answer)
            if rating is None:
                out.print("Type 1-4 or a/h/g/e.", style="yellow")
        if rating is None:
            break
        duration = int((time.monotonic() - started) * 1000)
        result = actions.rate_card(ctx, card.day, rating, duration_ms=duration, early=True)
        ratings[rating] += 1
        note = _ask(out, "Follow-up note (Enter to skip) ")
        if note and note.strip():
            actions.add_review_note(ctx, result.review_id, note.strip())
        days = result.interval(ctx.today)
        out.print(
            f"[green]Saved {RATING_NAMES[rating]}.[/] Next review {long_date(result.next_due)} "
            f"(in {days} day{'s' if days != 1 else ''})."
        )
        if note is None:
            break
    reviewed = sum(ratings.values())
    parts = ", ".join(f"{RATING_NAMES[r]} {n}" for r, n in sorted(ratings.items()))
    out.rule()
    out.print(f"Reviewed {reviewed} of {len(cards)}" + (f": {parts}." if parts else "."))
    if reviewed < len(cards):
        out.print(f"{len(cards) - reviewed} still due: run eng28 review again.", style="dim")
    return ratings
