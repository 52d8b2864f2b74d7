"""The FSRS wrapper: new cards, ratings and due dates. The clock is always passed in.

fsrs wants aware datetimes in UTC (`datetime.timezone.utc` exactly), so moments are converted
at this boundary; everything the learner sees is local. Reviews are by study day: a card is due
when the study date of its due moment is on or before today's study date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING

from eng28.models import CardRecord, ReviewEntry
from eng28.pace import study_date

if TYPE_CHECKING:  # fsrs is imported only by the functions that schedule
    from fsrs import Card, Scheduler

RATINGS: dict[str, int] = {"again": 1, "hard": 2, "good": 3, "easy": 4}
RATING_NAMES = {v: k for k, v in RATINGS.items()}


def parse_rating(text: str) -> int | None:
    """'good', 'g' or '3' -> 3; None when it is none of them."""
    word = text.strip().lower()
    if word in ("1", "2", "3", "4"):
        return int(word)
    for name, value in RATINGS.items():
        if word and name.startswith(word):
            return value
    return None


def scheduler(desired_retention: float, fuzzing: bool) -> Scheduler:
    from fsrs import Scheduler

    # No learning steps: a reflection is reviewed at most once a day, so minute-long steps
    # make no sense (with the defaults, Hard repeated would never graduate).
    return Scheduler(
        learning_steps=(),
        relearning_steps=(),
        desired_retention=desired_retention,
        enable_fuzzing=fuzzing,
    )


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def new_card(day: int, due: datetime) -> CardRecord:
    """A card for a day just done, first due at `due` (the start of the next study day)."""
    from fsrs import Card

    card = Card(card_id=day, due=to_utc(due))
    return CardRecord.model_validate(card.to_dict())


def _card(record: CardRecord) -> Card:
    from fsrs import Card

    return Card.from_dict(record.model_dump())  # type: ignore[arg-type]


def rate(
    sched: Scheduler,
    record: CardRecord,
    rating: int,
    now: datetime,
    duration_ms: int | None,
    note: str = "",
) -> tuple[CardRecord, ReviewEntry]:
    from fsrs import Rating

    card, log = sched.review_card(_card(record), Rating(rating), to_utc(now), duration_ms)
    entry = ReviewEntry.model_validate(
        {
            **log.to_dict(),
            "id": f"{record.card_id}@{to_utc(now).isoformat()}",
            "note": note,
            "card_before": record,
        }
    )
    return CardRecord.model_validate(card.to_dict()), entry


def follows(sched: Scheduler, before: CardRecord, entry: ReviewEntry, current: CardRecord) -> bool:
    """Whether `current` is what rating `before` by `entry` gave: everything but the due
    moment (which fuzz moves) must match. False when a sync has replayed the card since."""
    from fsrs import Rating

    moment = datetime.fromisoformat(entry.review_datetime).astimezone(UTC)
    card, _ = sched.review_card(_card(before), Rating(entry.rating), moment)
    again = CardRecord.model_validate(card.to_dict())
    keep = {"due"}
    return again.model_dump(exclude=keep) == current.model_dump(exclude=keep)


def replay(sched: Scheduler, day: int, entries: list[ReviewEntry], due: datetime) -> CardRecord:
    """Recompute a card, first due at `due`, from its review log (what a merge of two
    machines' logs needs)."""
    from fsrs import Card, ReviewLog

    logs = [
        ReviewLog.from_dict(e.model_dump(exclude=ReviewEntry.OWN_FIELDS))  # type: ignore[arg-type]
        for e in sorted(entries, key=lambda e: e.review_datetime)
        if e.undone_at is None
    ]
    card = Card(card_id=day, due=to_utc(due))
    return CardRecord.model_validate(sched.reschedule_card(card, logs).to_dict())


def due_moment(record: CardRecord, tz: tzinfo | None) -> datetime:
    return datetime.fromisoformat(record.due).astimezone(tz)


def due_date(record: CardRecord, tz: tzinfo | None, rollover_hour: int) -> date:
    """The study date on which the card falls due."""
    return study_date(due_moment(record, tz), rollover_hour)
