"""Spaced review: what is due, the material a review shows, rating a card, follow-up notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eng28 import store
from eng28.errors import Eng28Error, StateError
from eng28.models import State
from eng28.usecases.context import Context
from eng28.usecases.progress import check_text
from eng28.usecases.schedule import (
    DueCard,
    check_day,
    due_cards,
    study_date_of,
    upcoming_cards,
)


@dataclass
class ReviewList:
    due: list[DueCard]
    upcoming: list[DueCard]
    today: date

    def to_json(self) -> dict[str, Any]:
        return {
            "due": [c.to_json() for c in self.due],
            "upcoming": [c.to_json() for c in self.upcoming],
        }


def review_list(ctx: Context, state: State | None = None) -> ReviewList:
    state = ctx.load_state() if state is None else state
    return ReviewList(due_cards(ctx, state), upcoming_cards(ctx, state), ctx.today)


@dataclass
class ReviewMaterial:
    card: DueCard
    prompt: str | None
    reflection: str
    earlier_notes: list[tuple[str, str]]  # (date, note) of earlier reviews
    questions: list[str]


def review_material(ctx: Context, state: State, card: DueCard) -> ReviewMaterial:
    from eng28.plan import check_questions, read_notes

    day = ctx.plan.day(card.day)
    progress = state.days.get(card.day)
    notes = [
        (study_date_of(ctx, e.review_datetime).isoformat(), e.note)
        for e in state.reviews
        if e.card_id == card.day and e.note.strip()
    ]
    text = read_notes(ctx.plan_path, day)
    return ReviewMaterial(
        card=card,
        prompt=day.reflection_prompt,
        reflection=progress.reflection if progress else "",
        earlier_notes=notes,
        questions=check_questions(text) if text else [],
    )


@dataclass
class RateResult:
    day: int
    title: str
    rating: int
    next_due: date
    review_id: str
    today: date

    @property
    def interval(self) -> int:
        return (self.next_due - self.today).days


def rate_card(
    ctx: Context,
    day: int,
    rating: int,
    note: str = "",
    early: bool = False,
    duration_ms: int | None = None,
) -> RateResult:
    """Rate one card and save at once. A card not due yet needs `early`."""
    from eng28 import review

    check_text(note, "note")
    check_day(ctx, day)
    with store.transaction(ctx.state_path, ctx.today) as state:
        record = state.cards.get(day)
        if record is None:
            raise Eng28Error(
                f"day {day} has no review card: mark it done first (`eng28 done {day}`)"
            )
        due = ctx.due_date(record)
        if due > ctx.today and not early:
            raise Eng28Error(
                f"day {day} is not due until {due.isoformat()}; pass --early to review it now"
            )
        updated, entry = review.rate(ctx.scheduler(), record, rating, ctx.now, duration_ms, note)
        if any(e.id == entry.id for e in state.reviews):
            raise Eng28Error(f"day {day} was already reviewed at this very moment")
        state.cards[day] = updated
        state.reviews.append(entry)
    title = ctx.plan.day(day).title
    return RateResult(day, title, rating, ctx.due_date(updated), entry.id, ctx.today)


def add_review_note(ctx: Context, review_id: str, note: str) -> None:
    check_text(note, "note")
    with store.transaction(ctx.state_path, ctx.today) as state:
        for entry in state.reviews:
            if entry.id == review_id:
                entry.note = note
                return
    raise StateError(f"review {review_id} is no longer in the state file")
