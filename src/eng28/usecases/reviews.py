"""Spaced review: what is due, the material a review shows, rating a card, follow-up notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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
        for e in state.kept_reviews()
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
    with ctx.transaction() as state:
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
        taken = {e.id: e for e in state.reviews}
        if entry.id in taken and taken[entry.id].undone_at is None:
            raise Eng28Error(f"day {day} was already reviewed at this very moment")
        # Rated again in the second of an undone rating: the tombstone keeps its id (a sync
        # must still see it undone), the new rating takes the next free one.
        base, n = entry.id, 2
        while entry.id in taken:
            entry.id, n = f"{base}#{n}", n + 1
        state.cards[day] = updated
        state.reviews.append(entry)
    title = ctx.plan.day(day).title
    return RateResult(day, title, rating, ctx.due_date(updated), entry.id, ctx.today)


def add_review_note(ctx: Context, review_id: str, note: str) -> None:
    check_text(note, "note")
    with ctx.transaction() as state:
        for entry in state.reviews:
            if entry.id == review_id:
                entry.note = note
                return
    raise StateError(f"review {review_id} is no longer in the state file")


@dataclass
class UndoneRating:
    day: int
    title: str
    rating: int
    reviewed_on: date  # the study date of the rating undone
    next_due: date
    today: date


def undo_rating(ctx: Context, day: int) -> UndoneRating:
    """Undo the last rating of a day's card: the card goes back to what it was before it (the
    same due date, fuzz included) and the review stays in the log as a tombstone, so that a
    sync never brings it back. Its note is kept there too."""
    from eng28 import review
    from eng28.usecases.progress import first_due

    check_day(ctx, day)
    with ctx.transaction() as state:
        record = state.cards.get(day)
        kept = [e for e in state.kept_reviews() if e.card_id == day]
        if record is None or not kept:
            raise Eng28Error(f"day {day} has no rating to undo")
        last = max(kept, key=lambda e: (e.review_datetime, e.id))
        exact = review.scheduler(ctx.config.desired_retention, fuzzing=False)
        before = last.card_before
        if before is None or not review.follows(exact, before, last, record):
            # Rated before undo existed, or a sync has replayed the card since: the card is
            # what every machine computes from the log without this rating.
            progress = state.days.get(day)
            created = (progress.done_at or progress.changed_at) if progress else ctx.now
            rest = [e for e in kept if e is not last]
            before = review.replay(exact, day, rest, first_due(ctx.config, created))
        last.undone_at = ctx.now
        state.cards[day] = before
    return UndoneRating(
        day,
        ctx.plan.day(day).title,
        last.rating,
        study_date_of(ctx, last.review_datetime),
        ctx.due_date(before),
        ctx.today,
    )
