"""The LeetCode log: each attempt at a day's problem (solved or not, minutes, hint, the pattern
and a note), and the list of every problem of the plan with what the learner did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from eng28.errors import Eng28Error, UsageError
from eng28.models import Attempt, DayProgress, PartMark
from eng28.usecases.context import Context
from eng28.usecases.progress import check_text, target_day


@dataclass
class Logged:
    number: int
    problem: str  # "1. Two Sum"
    attempt: Attempt
    attempts: int  # attempts logged for this problem, this one included
    first_solved: bool  # this attempt is the first that solved it
    rating: int | None = None  # what the attempt gave the re-solve card (None: no card yet)
    next_due: date | None = None  # when the re-solve card is due next
    card_id: str = ""


def outcome_rating(attempt: Attempt, first_minutes: int | None) -> int:
    """The re-solve card's rating from an attempt: not solved is Again; solved with a hint,
    or in over twice the minutes of the first solve, is Hard; else Good."""
    if not attempt.solved:
        return 1
    slow = first_minutes is not None and attempt.minutes is not None
    if attempt.hint or (slow and attempt.minutes > 2 * first_minutes):  # type: ignore[operator]
        return 2
    return 3


def log_attempt(
    ctx: Context,
    day: int | None,
    solved: bool,
    minutes: int | None = None,
    hint: bool = False,
    pattern: str = "",
    note: str = "",
    rating: int | None = None,
) -> Logged:
    """Record one attempt at a day's problem; a solved one ticks the day's LeetCode part. The
    first solve creates the problem's re-solve card (`lc:DAY`), rated from its outcome, and
    every later attempt rates it (`rating` overrides the outcome's)."""
    from eng28 import review
    from eng28.cards import leetcode_card
    from eng28.usecases.reviews import record_rating

    if minutes is not None and not 0 <= minutes <= 24 * 60:
        raise UsageError(f"--minutes must be between 0 and {24 * 60}, got {minutes}")
    check_text(pattern, "pattern")
    check_text(note, "note")
    number = target_day(ctx, day)
    problem = ctx.plan.day(number).leetcode
    if problem is None:
        raise Eng28Error(f"day {number} has no LeetCode problem in this plan")
    attempt = Attempt(
        at=ctx.now, solved=solved, minutes=minutes, hint=hint, pattern=pattern, note=note
    )
    with ctx.transaction(history=False) as state:
        log = state.leetcode.setdefault(number, [])
        first_solved = solved and not any(a.solved for a in log)
        earlier = sorted((a for a in log if a.solved), key=lambda a: a.at)
        log.append(attempt)
        card_id, given = leetcode_card(number), None
        if first_solved and card_id not in state.cards:
            state.cards[card_id] = review.new_card(card_id, ctx.now)
        moment = f"{card_id}@{review.to_utc(ctx.now).isoformat()}"
        rated_now = any(e.id == moment for e in state.kept_reviews())
        if card_id in state.cards and not rated_now:  # one rating a moment
            first_minutes = earlier[0].minutes if earlier else None
            given = rating or outcome_rating(attempt, None if first_solved else first_minutes)
            record_rating(ctx, state, card_id, given)
        next_due = ctx.due_date(state.cards[card_id]) if card_id in state.cards else None
        if solved:
            progress = state.days.get(number)
            if progress is None:
                progress = state.days[number] = DayProgress(changed_at=ctx.now)
            if not progress.ticked("leetcode"):
                progress.parts["leetcode"] = PartMark(ticked=True, at=ctx.now)
        count = len(log)
    name = f"{problem.number}. {problem.title}"
    return Logged(number, name, attempt, count, first_solved, given, next_due, card_id)


@dataclass
class ProblemRow:
    day: int
    number: int
    title: str
    url: str
    difficulty: str
    attempts: list[Attempt]

    @property
    def solved(self) -> bool:
        return any(a.solved for a in self.attempts)

    @property
    def best_minutes(self) -> int | None:
        times = [a.minutes for a in self.attempts if a.solved and a.minutes is not None]
        return min(times) if times else None

    @property
    def patterns(self) -> list[str]:
        return list(dict.fromkeys(a.pattern for a in self.attempts if a.pattern.strip()))

    @property
    def notes(self) -> list[str]:
        return [a.note for a in self.attempts if a.note.strip()]

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "number": self.number,
            "title": self.title,
            "url": self.url,
            "difficulty": self.difficulty,
            "solved": self.solved,
            "attempts": [
                {
                    "at": a.at.isoformat(),
                    "solved": a.solved,
                    "minutes": a.minutes,
                    "hint": a.hint,
                    "pattern": a.pattern,
                    "note": a.note,
                }
                for a in self.attempts
            ],
            "best_minutes": self.best_minutes,
            "patterns": self.patterns,
        }


def problems(ctx: Context) -> list[ProblemRow]:
    """Every problem of the plan, in day order, with the attempts logged at it."""
    state = ctx.load_state()
    rows = []
    for day in ctx.plan.days:
        lc = day.leetcode
        if lc is None:
            continue
        attempts = sorted(state.leetcode.get(day.number, []), key=lambda a: a.at)
        rows.append(ProblemRow(day.number, lc.number, lc.title, lc.url, lc.difficulty, attempts))
    return rows
