"""Spaced review: what is due, the material a review shows, rating a card, follow-up notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eng28.errors import Eng28Error, StateError, UsageError
from eng28.models import CardRecord, PlanState, ReviewEntry, card_day, card_kind
from eng28.usecases.context import Context
from eng28.usecases.progress import check_text
from eng28.usecases.schedule import (
    DueCard,
    card_of,
    check_day,
    due_by_date,
    due_cards,
    study_date_of,
    upcoming_cards,
)


@dataclass
class ReviewList:
    due: list[DueCard]
    upcoming: list[DueCard]
    today: date
    held: int = 0  # due by date, but over today's allowance (review_daily_limit)
    limit: int = 30

    def to_json(self) -> dict[str, Any]:
        return {
            "due": [c.to_json() for c in self.due],
            "upcoming": [c.to_json() for c in self.upcoming],
        }


def parse_card_id(ctx: Context, text: str) -> str:
    """A card id as the learner types it ("3", "03", "3:attention-scaling", "lc:3"), in its
    stored form; its day must be in the plan."""
    import re

    word = text.strip().lower()
    found = re.fullmatch(r"(lc:)?0*([1-9][0-9]{0,3})(:[a-z0-9]+(?:-[a-z0-9]+)*)?", word)
    if found is None or (found.group(1) and found.group(3)):
        raise UsageError(
            f"{text!r} is not a card id: a day (3), a question (3:QUESTION-ID) or a LeetCode "
            "re-solve (lc:3); `eng28 review --list` shows them"
        )
    card_id = f"{found.group(1) or ''}{found.group(2)}{found.group(3) or ''}"
    check_day(ctx, card_day(card_id))
    return card_id


def review_list(ctx: Context, state: PlanState | None = None) -> ReviewList:
    state = ctx.load_state(history=False) if state is None else state
    due = due_cards(ctx, state)
    held = len(due_by_date(ctx, state)) - len(due)
    limit = ctx.config.review_daily_limit
    return ReviewList(due, upcoming_cards(ctx, state), ctx.today, held, limit)


@dataclass
class ReviewMaterial:
    card: DueCard
    prompt: str | None
    reflection: str
    earlier_notes: list[tuple[str, str]]  # (date, note) of earlier reviews
    questions: list[str]
    answer: str | None = None  # a question card's answer key
    source: str = ""  # where a question comes from: "notes of day 3, Check yourself"
    problem: str = ""  # a re-solve card's problem ("622. Design Circular Queue") and link
    url: str = ""
    patterns: list[str] | None = None  # the learner's own pattern notes for a re-solve


def follow_up_notes(ctx: Context, state: PlanState) -> dict[str, list[tuple[str, str]]]:
    """Each card's follow-up notes as (study date, note), in the log's order, without those of
    undone ratings: one pass over the log for a whole review session (a year's log holds
    40,000 ratings, and looking through it for each card cost about 20 ms a card)."""
    notes: dict[str, list[tuple[str, str]]] = {}
    for e in state.reviews:
        if e.undone_at is None and e.note.strip():
            when = study_date_of(ctx, e.review_datetime).isoformat()
            notes.setdefault(e.key, []).append((when, e.note))
    return notes


def review_material(
    ctx: Context, state: PlanState, card: DueCard, follow_ups: dict[str, list[tuple[str, str]]]
) -> ReviewMaterial:
    """What the review of `card` shows; `follow_ups` is `follow_up_notes` of `state`."""
    from eng28.plan import check_questions, read_notes

    day = ctx.plan.day(card.day)
    notes = list(follow_ups.get(card.id, []))
    if card.kind == "question" and card.question is not None:
        asked = next((q for q in day.questions if q.id == card.question.id), None)
        return ReviewMaterial(
            card=card,
            prompt=card.question.prompt,
            reflection="",
            earlier_notes=notes,
            questions=[],
            answer=asked.answer if asked is not None else None,
            source=f"notes of day {card.day}, Check yourself",
        )
    if card.kind == "leetcode" and day.leetcode is not None:
        attempts = sorted(state.leetcode.get(card.day, []), key=lambda a: a.at)
        patterns = list(dict.fromkeys(a.pattern for a in attempts if a.pattern.strip()))
        return ReviewMaterial(
            card=card,
            prompt=None,
            reflection="",
            earlier_notes=notes,
            questions=[],
            problem=f"{day.leetcode.number}. {day.leetcode.title}",
            url=day.leetcode.url,
            patterns=patterns,
        )
    progress = state.days.get(card.day)
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
    id: str = ""
    kind: str = "reflection"

    @property
    def interval(self) -> int:
        return (self.next_due - self.today).days


def _no_card(ctx: Context, card_id: str) -> Eng28Error:
    day, kind = card_day(card_id), card_kind(card_id)
    if kind == "question":
        return Eng28Error(
            f"{card_id} is not a card of this plan: day {day} must be done, and have that "
            "question (`eng28 review --list` shows the cards)"
        )
    if kind == "leetcode":
        return Eng28Error(
            f"{card_id} has no card: it comes with the first `eng28 leetcode {day} --solved`"
        )
    return Eng28Error(f"day {day} has no review card: mark it done first (`eng28 done {day}`)")


def _named(card_id: str) -> str:
    """How a message names a card: "day 3", "question 3:x", "LeetCode re-solve lc:3"."""
    kind = card_kind(card_id)
    if kind == "question":
        return f"question {card_id}"
    return f"LeetCode re-solve {card_id}" if kind == "leetcode" else f"day {card_id}"


def rate_card(
    ctx: Context,
    card_id: str | int,
    rating: int,
    note: str = "",
    early: bool = False,
    duration_ms: int | None = None,
) -> RateResult:
    """Rate one card (any kind, by its id) and save at once. A card not due yet needs
    `early`."""
    check_text(note, "note")
    card_id = parse_card_id(ctx, str(card_id))

    def rate(state: PlanState) -> tuple[ReviewEntry, CardRecord]:
        record = state.cards.get(card_id)
        if record is None or card_of(ctx, card_id, record, state) is None:
            raise _no_card(ctx, card_id)
        due = ctx.due_date(record)
        if due > ctx.today and not early:
            raise Eng28Error(
                f"{_named(card_id)} is not due until {due.isoformat()}; pass --early to "
                "review it now"
            )
        entry = record_rating(ctx, state, card_id, rating, note, duration_ms)
        return entry, state.cards[card_id]

    # Saved as a line of the log (see store.rating): the log's recent part is enough, as the
    # day's limit and an id taken at this very moment only concern recent ratings.
    entry, updated = ctx.rating(rate)
    day = card_day(card_id)
    title = ctx.plan.day(day).title
    kind = card_kind(card_id)
    return RateResult(day, title, rating, ctx.due_date(updated), entry.id, ctx.today, card_id, kind)


def record_rating(
    ctx: Context,
    state: PlanState,
    card_id: str,
    rating: int,
    note: str = "",
    duration_ms: int | None = None,
) -> ReviewEntry:
    """Rate the card `card_id` of `state` (inside a transaction): its new schedule, moved off
    the rest days, and the rating appended to the log."""
    from eng28 import review

    record = state.cards[card_id]
    updated, entry = review.rate(
        ctx.scheduler(), record, rating, ctx.now, duration_ms, note, card_id
    )
    taken = {e.id: e for e in state.reviews}
    if entry.id in taken and taken[entry.id].undone_at is None:
        raise Eng28Error(f"{_named(card_id)} was already reviewed at this very moment")
    # Rated again in the second of an undone rating: the tombstone keeps its id (a sync
    # must still see it undone), the new rating takes the next free one.
    base, n = entry.id, 2
    while entry.id in taken:
        entry.id, n = f"{base}#{n}", n + 1
    state.cards[card_id] = ctx.settle(updated)
    state.reviews.append(entry)
    return entry


def add_review_note(ctx: Context, review_id: str, note: str) -> None:
    check_text(note, "note")

    def amend(state: PlanState) -> bool:
        for entry in state.reviews:
            if entry.id == review_id:
                entry.note = note
                return True
        return False

    if ctx.rating(amend):  # a note follows its rating at once: a recent one, as a line
        return
    with ctx.transaction() as state:
        if amend(state):
            return
    raise StateError(f"review {review_id} is no longer in the state file")


class _NeedsHistory(Exception):
    """Raised inside a transaction with the log's recent part (nothing is saved): the change
    needs the whole log."""


@dataclass
class UndoneRating:
    day: int
    title: str
    rating: int
    reviewed_on: date  # the study date of the rating undone
    next_due: date
    today: date
    id: str = ""


def undo_rating(ctx: Context, card_id: str | int) -> UndoneRating:
    """Undo the last rating of a card: the card goes back to what it was before it (the
    same due date, fuzz included) and the review stays in the log as a tombstone, so that a
    sync never brings it back. Its note is kept there too."""
    from eng28 import review
    from eng28.merge import card_start
    from eng28.usecases.progress import first_due

    card_id = parse_card_id(ctx, str(card_id))

    def undo(state: PlanState, history: bool) -> tuple[ReviewEntry, CardRecord]:
        record = state.cards.get(card_id)
        kept = [e for e in state.kept_reviews() if e.key == card_id]
        if not history and (record is None or not kept):
            raise _NeedsHistory
        if record is None or not kept:
            raise Eng28Error(f"{_named(card_id)} has no rating to undo")
        last = max(kept, key=lambda e: (e.review_datetime, e.id))
        exact = ctx.exact_scheduler()
        before = last.card_before
        if before is None or not review.follows(exact, before, last, record):
            if not history:
                raise _NeedsHistory
            # Rated before undo existed, or a sync has replayed the card since: the card is
            # what every machine computes from the log without this rating.
            start = card_start(card_id, state, lambda t: first_due(ctx.config, t)) or ctx.now
            rest = [e for e in kept if e is not last]
            before = ctx.settle(review.replay(exact, card_id, rest, start), fuzzed=False)
        last.undone_at = ctx.now
        state.cards[card_id] = before
        return last, before

    # A rating undone is nearly always a recent one whose `card_before` restores the card:
    # then it is saved as a line of the log. An older one, or a card to replay, needs it all.
    try:
        last, before = ctx.rating(lambda state: undo(state, False))
    except _NeedsHistory:
        with ctx.transaction() as state:
            last, before = undo(state, True)
    day = card_day(card_id)
    return UndoneRating(
        day,
        ctx.plan.day(day).title,
        last.rating,
        study_date_of(ctx, last.review_datetime),
        ctx.due_date(before),
        ctx.today,
        card_id,
    )


@dataclass
class Optimized:
    """What `eng28 review optimize` found: the reviews it learnt from, the log loss of the
    parameters in use and of the fitted ones on those same reviews, and whether it kept them."""

    reviews: int
    needed: int  # the reviews it takes (review.MIN_REVIEWS)
    current_loss: float | None = None
    fitted_loss: float | None = None
    parameters: list[float] | None = None
    kept: bool = False
    dry_run: bool = False

    @property
    def too_few(self) -> bool:
        return self.reviews < self.needed

    def to_json(self) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "needed": self.needed,
            "current_log_loss": self.current_loss,
            "fitted_log_loss": self.fitted_loss,
            "parameters": self.parameters,
            "kept": self.kept,
            "dry_run": self.dry_run,
        }


def review_histories(ctx: Context, state: PlanState) -> list[list[tuple[int, int]]]:
    """Each card's kept ratings in order, as (rating, study days since the one before)."""
    by_card: dict[str, list[ReviewEntry]] = {}
    for entry in state.kept_reviews():
        by_card.setdefault(entry.key, []).append(entry)
    histories = []
    for card_id in sorted(by_card):
        entries = sorted(by_card[card_id], key=lambda e: (e.review_datetime, e.id))
        dates = [study_date_of(ctx, e.review_datetime) for e in entries]
        histories.append(
            [
                (e.rating, (d - dates[i - 1]).days if i else 0)
                for i, (e, d) in enumerate(zip(entries, dates, strict=True))
            ]
        )
    return histories


def optimize(ctx: Context, dry_run: bool = False) -> Optimized:
    """Fit FSRS's parameters to the learner's review log (every plan's: it is one memory)
    and keep them in the config, where sync carries them and the scheduler reads them, only
    when they predict the log better than those in use. Too few reviews: nothing is fitted."""
    from eng28 import config as cfg
    from eng28 import review
    from eng28.usecases.progress import touch_config

    file = ctx.load_file()
    histories = []
    for plan in file.plans.values():
        histories += review_histories(ctx, plan)
    counted = sum(1 for h in histories for i, (_, days) in enumerate(h) if i and days > 0)
    result = Optimized(counted, review.MIN_REVIEWS, dry_run=dry_run)
    if result.too_few:
        return result
    current = ctx.config.fsrs_parameters
    n, before, fitted, after = review.fit_parameters(histories, current)
    result.reviews, result.current_loss, result.fitted_loss = n, before, after
    result.parameters = [round(w, 4) for w in fitted]
    result.kept = after < before and not dry_run
    if result.kept:
        from eng28.usecases import settings

        settings.change("fsrs_parameters", [" ".join(map(str, result.parameters))], False)
        touch_config(ctx, ["fsrs_parameters"])
        ctx.config = cfg.load_config()
    return result
