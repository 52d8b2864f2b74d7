"""The FSRS wrapper: new cards, ratings and due dates. The clock is always passed in.

fsrs wants aware datetimes in UTC (`datetime.timezone.utc` exactly), so moments are converted
at this boundary; everything the learner sees is local. Reviews are by study day: a card is due
when the study date of its due moment is on or before today's study date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from eng28.models import CardRecord, ReviewEntry, fsrs_number
from eng28.pace import is_rest, next_study_date, study_date

if TYPE_CHECKING:  # fsrs is imported only by the functions that schedule
    from fsrs import Card, Scheduler

RATINGS: dict[str, int] = {"again": 1, "hard": 2, "good": 3, "easy": 4}
RATING_NAMES = {v: k for k, v in RATINGS.items()}
#: `review_grading = "pass-fail"`: two buttons, forgot (Again) and recalled (Good).
PASS_FAIL: dict[str, int] = {"forgot": 1, "recalled": 3}


def parse_rating(text: str, grading: str = "four") -> int | None:
    """'good', 'g' or '3' -> 3 ('forgot' and 'recalled' too); with pass-fail grading only two
    answers: '1', 'f', 'forgot' or 'again' (1) and '2', 'r', 'recalled' or 'good' (3). None:
    none of them."""
    word = text.strip().lower()
    if grading == "pass-fail":
        if word in ("1", "2"):
            return PASS_FAIL["forgot"] if word == "1" else PASS_FAIL["recalled"]
        scales = [PASS_FAIL, {"again": 1, "good": 3}]
    elif word in ("1", "2", "3", "4"):
        return int(word)
    else:
        scales = [RATINGS, PASS_FAIL]
    for scale in scales:
        for name, value in scale.items():
            if word and name.startswith(word):
                return value
    return None


def scheduler(
    desired_retention: float, fuzzing: bool, parameters: list[float] | None = None
) -> Scheduler:
    """fsrs's scheduler; `parameters`: weights fitted by `optimize` (None: fsrs's defaults)."""
    from fsrs import Scheduler
    from fsrs.scheduler import DEFAULT_PARAMETERS

    # No learning steps: a reflection is reviewed at most once a day, so minute-long steps
    # make no sense (with the defaults, Hard repeated would never graduate).
    return Scheduler(
        parameters=tuple(parameters) if parameters else DEFAULT_PARAMETERS,
        learning_steps=(),
        relearning_steps=(),
        desired_retention=desired_retention,
        enable_fuzzing=fuzzing,
    )


def to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def new_card(card_id: str | int, due: datetime) -> CardRecord:
    """A new card (`card_id` as in models.CardId), first due at `due`."""
    from fsrs import Card

    card = Card(card_id=fsrs_number(card_id), due=to_utc(due))
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
    card_id: str | None = None,
) -> tuple[CardRecord, ReviewEntry]:
    """Rate a card (`card_id`: its id, by default the reflection of day `record.card_id`)."""
    from fsrs import Rating

    card, log = sched.review_card(_card(record), Rating(rating), to_utc(now), duration_ms)
    key = card_id or str(record.card_id)
    entry = ReviewEntry.model_validate(
        {
            **log.to_dict(),
            "id": f"{key}@{to_utc(now).isoformat()}",
            "card": key,
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


def replay(
    sched: Scheduler, card_id: str | int, entries: list[ReviewEntry], due: datetime
) -> CardRecord:
    """Recompute a card, first due at `due`, from its review log (what a merge of two
    machines' logs needs)."""
    from fsrs import Card, ReviewLog

    number = fsrs_number(card_id)
    logs = [
        ReviewLog.from_dict(
            {**e.model_dump(exclude=ReviewEntry.OWN_FIELDS), "card_id": number}  # type: ignore[arg-type]
        )
        for e in sorted(entries, key=lambda e: e.review_datetime)
        if e.undone_at is None
    ]
    card = Card(card_id=number, due=to_utc(due))
    return CardRecord.model_validate(sched.reschedule_card(card, logs).to_dict())


def due_moment(record: CardRecord, tz: tzinfo | None) -> datetime:
    return datetime.fromisoformat(record.due).astimezone(tz)


def due_date(record: CardRecord, tz: tzinfo | None, rollover_hour: int) -> date:
    """The study date on which the card falls due."""
    return study_date(due_moment(record, tz), rollover_hour)


def retrievability(sched: Scheduler, record: CardRecord, now: datetime) -> float:
    """The chance, as FSRS models it, that the learner still recalls the card at `now` (0 for
    a card never reviewed)."""
    return float(sched.get_card_retrievability(_card(record), to_utc(now)))


def fuzz_range(interval_days: int, maximum: int = 36500) -> tuple[int, int]:
    """The interval range (in days) fsrs's fuzz may pick from for an `interval_days` one."""
    from fsrs.scheduler import FUZZ_RANGES

    if interval_days < 2.5:
        return interval_days, interval_days
    delta = 1.0
    for step in FUZZ_RANGES:
        delta += step["factor"] * max(min(float(interval_days), step["end"]) - step["start"], 0.0)
    low, high = max(2, round(interval_days - delta)), min(round(interval_days + delta), maximum)
    return min(low, high), high


def off_rest_days(
    record: CardRecord,
    rest: frozenset[int],
    tz: tzinfo | None,
    rollover_hour: int,
    fuzzed: bool,
) -> CardRecord:
    """The card with its due date moved off a rest weekday (easy days): with fuzz, to the
    nearest study day inside the fuzz range of its interval (the later one on a tie), else,
    or when the range holds none, to the next study day. A function of the card alone, so a
    replay on any machine moves it the same way."""
    if not rest:
        return record
    due = due_moment(record, tz)
    day = study_date(due, rollover_hour)
    if not is_rest(day, rest):
        return record
    target = next_study_date(day, rest)
    if fuzzed and record.last_review is not None:
        reviewed = study_date(
            datetime.fromisoformat(record.last_review).astimezone(tz), rollover_hour
        )
        low, high = fuzz_range((day - reviewed).days)
        candidates = [
            reviewed + timedelta(days=n)
            for n in range(low, high + 1)
            if not is_rest(reviewed + timedelta(days=n), rest)
        ]
        if candidates:
            target = min(candidates, key=lambda d: (abs((d - day).days), -d.toordinal()))
    moved = due + timedelta(days=(target - day).days)
    return record.model_copy(update={"due": to_utc(moved).isoformat()})


# --- the optimiser --------------------------------------------------------------------------

#: Fewer ratings than this (of cards rated before) say too little to fit 21 weights to.
MIN_REVIEWS = 400


def fit_parameters(
    histories: list[list[tuple[int, int]]], current: list[float] | None
) -> tuple[int, float, list[float], float]:
    """Fit FSRS's weights to review histories with fsrs-rs-python (the optimiser Anki runs).
    Each history is one card's ratings in order, as (rating, days since the one before; 0 for
    the first). Returns (the reviews it learns from, the log loss of `current` (None: fsrs's
    defaults), the fitted weights, their log loss), both losses measured on the same reviews.
    Only histories with a rating after the first count; refuses nothing: see MIN_REVIEWS."""
    from fsrs.scheduler import (
        DEFAULT_PARAMETERS,
        LOWER_BOUNDS_PARAMETERS,
        UPPER_BOUNDS_PARAMETERS,
    )
    from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

    items = []
    for history in histories:
        reviews = [FSRSReview(rating, max(0, days)) for rating, days in history]
        for end in range(2, len(reviews) + 1):
            if history[end - 1][1] > 0:  # a rating on a later day: something to predict
                items.append(FSRSItem(reviews[:end]))
    weights = list(current or DEFAULT_PARAMETERS)
    if not items:
        return 0, float("nan"), weights, float("nan")
    before = FSRS(weights).evaluate(items).log_loss
    # Within the bounds fsrs (which schedules with them) accepts.
    fitted = [
        min(max(float(w), low), high)
        for w, low, high in zip(
            FSRS(weights).compute_parameters(items),
            LOWER_BOUNDS_PARAMETERS,
            UPPER_BOUNDS_PARAMETERS,
            strict=True,
        )
    ]
    after = FSRS(fitted).evaluate(items).log_loss
    return len(items), float(before), fitted, float(after)
