"""Merging two learners' states (two machines) without losing anything. Pure functions.

The rules, each symmetric so that merge(a, b) == merge(b, a), merge(a, a) == a, and merging
three machines in any grouping gives the same result:

- days: the side that changed a day later decides whether it is done or skipped;
- reflections: the newer one wins; the other is kept as an earlier version;
- review logs: the union, by each review's stable id; a review's note is never replaced by an
  empty or a different one: differing notes are joined (`merge_notes`); a review undone on
  either side stays undone (the earlier `undone_at` is kept), so a sync never brings back an
  undone rating; every card is recomputed by replaying its merged log, without the undone
  reviews, through fsrs (without fuzz), so both machines agree on every due date; the cards
  are a day's reflection while it is done, every question card either side has (or has a
  review of) once its day was begun, and a LeetCode re-solve once its problem was solved
  (`card_start`); a due date on a rest day moves off it by the same rule everywhere (`settle`);
- pauses: the union, a pause ended on one side is ended;
- each plan is merged on its own (progress is filed per plan id); a plan's start: the side that
  set (or reset) it later wins, a start set on purpose beats one taken on first use;
- parts of a day: per part, the later tick or untick wins;
- LeetCode attempts: the union;
- checks passed: the union, each day keeping the earliest time its check first passed;
- shared days: per day, the later share or unshare wins (on a tie in time, unshared);
- config: a set value always beats an unset one, whatever the times (a fresh machine's unset
  `start` never erases a plan's start); between set values, the side that changed a key later
  wins (times in `State.config_times`).
Ties in time are broken by the content itself, never by which side is "ours".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from eng28.models import (
    Attempt,
    CardRecord,
    DayProgress,
    EarlierReflection,
    PartMark,
    Pause,
    PlanState,
    ReviewEntry,
    Share,
    State,
    card_day,
    card_kind,
)

OLDEST = datetime.min.replace(tzinfo=UTC)


def _key(value: Any) -> str:
    """A total order on model values, for tie-breaks that do not depend on the side."""
    return repr(value.model_dump() if hasattr(value, "model_dump") else value)


def _reflection_time(p: DayProgress) -> datetime:
    return p.reflection_at or p.changed_at


def _text_rank(p: DayProgress) -> tuple[bool, datetime, str, bool]:
    """Which reflection wins: a written one over an empty one, then the newer, then by text,
    then the one that knows when it was written."""
    return (bool(p.reflection.strip()), _reflection_time(p), p.reflection, bool(p.reflection_at))


def merge_day(a: DayProgress, b: DayProgress) -> DayProgress:
    if a == b:
        return a
    status = max(a, b, key=lambda p: (p.changed_at, _key(p)))
    newer, older = sorted((a, b), key=_text_rank, reverse=True)
    earlier = {(e.text, e.written_at): e for e in [*a.earlier, *b.earlier]}
    loser = (older.reflection, _reflection_time(older))
    if older.reflection.strip() and loser != (newer.reflection, _reflection_time(newer)):
        # Kept with the time it was written, not the time it lost: the same whichever machine's
        # version won first, so merging three machines in any order keeps the same versions.
        earlier[loser] = EarlierReflection(text=loser[0], written_at=loser[1])
    parts: dict[str, PartMark] = {}
    for part in sorted(set(a.parts) | set(b.parts)):
        marks = [m for m in (a.parts.get(part), b.parts.get(part)) if m is not None]  # type: ignore[call-overload]
        parts[part] = max(marks, key=lambda m: (m.at, m.ticked))
    return DayProgress(
        done=status.done,
        skipped=status.skipped,
        done_at=status.done_at,
        done_on=status.done_on,
        reflection=newer.reflection,
        reflection_at=_reflection_time(newer),
        earlier=sorted(earlier.values(), key=lambda e: (e.written_at or OLDEST, e.text)),
        parts=parts,  # type: ignore[arg-type]
        changed_at=max(a.changed_at, b.changed_at),
    )


#: Between two versions of one review's note that a merge keeps (neither contains the other).
NOTE_SEPARATOR = "\n\n--- (eng28 sync: this review's note differed on another machine) ---\n\n"


def merge_notes(a: str, b: str) -> str:
    """One review's note from two machines, losing nothing: a blank note gives way to a
    written one, a note contained in the other gives way to it, and two that differ are both
    kept, in a fixed order, between NOTE_SEPARATORs. A set of versions, each kept once: the
    same result in any order and any grouping."""
    if a == b:
        return a
    versions = {v for v in [*a.split(NOTE_SEPARATOR), *b.split(NOTE_SEPARATOR)] if v.strip()}
    if not versions:
        return max(a, b, key=lambda n: (len(n), n))
    kept = [v for v in versions if not any(v != w and v in w for w in versions)]
    return NOTE_SEPARATOR.join(sorted(kept))


def _merge_entry(a: ReviewEntry, b: ReviewEntry) -> ReviewEntry:
    if a == b:
        return a
    # The same review seen by both machines; one or both added a follow-up note afterwards, or
    # undid it (a tombstone: undone on either side is undone).
    base = max(a, b, key=lambda e: _key(e.model_copy(update={"note": "", "undone_at": None})))
    undone = [t for t in (a.undone_at, b.undone_at) if t is not None]
    return base.model_copy(
        update={"note": merge_notes(a.note, b.note), "undone_at": min(undone, default=None)}
    )


def _merge_pause(a: Pause, b: Pause) -> Pause:
    if a.end is None or b.end is None:
        return Pause(start=a.start, end=a.end or b.end)  # ended on one side: ended
    return Pause(start=a.start, end=max(a.end, b.end))


def _next_day(done_at: datetime) -> datetime:
    return done_at + timedelta(days=1)


def _as_is(record: CardRecord) -> CardRecord:
    return record


def card_start(
    card_id: str,
    plan: PlanState,
    first_due: Callable[[datetime], datetime] = _next_day,
) -> datetime | None:
    """When a card is first due, or None when the plan's progress has no such card: a
    reflection once its day is done, a question once its day was begun, a LeetCode re-solve
    at its problem's first solved attempt (whose outcome is the card's first rating)."""
    day, kind = card_day(card_id), card_kind(card_id)
    if kind == "leetcode":
        solved = [a.at for a in plan.leetcode.get(day, []) if a.solved]
        return min(solved) if solved else None
    progress = plan.days.get(day)
    if progress is None or (kind == "reflection" and not progress.done):
        return None
    return first_due(progress.done_at or progress.changed_at)


def merge_states(
    a: State,
    b: State,
    desired_retention: float = 0.9,
    first_due: Callable[[datetime], datetime] = _next_day,
    settle: Callable[[CardRecord], CardRecord] = _as_is,
    parameters: list[float] | None = None,
    keep_agreed: bool = False,
) -> State:
    """Merge two machines' states, plan by plan. Cards are replayed with `desired_retention`,
    first due at `first_due(done_at)` and moved off rest days by `settle`: all come from the
    merged config, the same on every machine. `keep_agreed`: a card both sides hold alike
    keeps its record (see _agreed_cards); only for two states whose cards were replayed under
    these same rules."""
    plans = {}
    for plan_id in sorted(set(a.plans) | set(b.plans)):
        left, right = a.plans.get(plan_id), b.plans.get(plan_id)
        one = left or right
        assert one is not None
        both = keep_agreed and left is not None and right is not None
        plans[plan_id] = merge_plans(
            left or one, right or one, desired_retention, first_due, settle, parameters, both
        )
    config_times = {
        key: max(t for t in (a.config_times.get(key), b.config_times.get(key)) if t is not None)
        for key in set(a.config_times) | set(b.config_times)
    }
    return State(plans=plans, config_times=dict(sorted(config_times.items())))


def _start_rank(p: PlanState) -> tuple[datetime, bool, str]:
    return (p.start_at or OLDEST, p.start is not None, str(p.start))


def merge_plans(
    a: PlanState,
    b: PlanState,
    desired_retention: float = 0.9,
    first_due: Callable[[datetime], datetime] = _next_day,
    settle: Callable[[CardRecord], CardRecord] = _as_is,
    parameters: list[float] | None = None,
    keep_agreed: bool = False,
) -> PlanState:
    """Merge one plan's progress from two machines (see the module's rules; `keep_agreed`:
    see merge_states)."""
    days: dict[int, DayProgress] = {}
    for number in sorted(set(a.days) | set(b.days)):
        left, right = a.days.get(number), b.days.get(number)
        days[number] = merge_day(left, right) if left and right else (left or right)  # type: ignore[assignment]

    by_id: dict[str, ReviewEntry] = {}
    for entry in [*a.reviews, *b.reviews]:
        by_id[entry.id] = _merge_entry(by_id[entry.id], entry) if entry.id in by_id else entry
    reviews = sorted(by_id.values(), key=lambda e: (e.review_datetime, e.id))

    starts: dict[Any, Pause] = {}
    for pause in [*a.pauses, *b.pauses]:
        starts[pause.start] = (
            _merge_pause(starts[pause.start], pause) if pause.start in starts else pause
        )
    # Pauses that overlap (one started on each machine) stay as they are: pace.py counts the
    # union of the paused dates, so they move the calendar once.
    pauses = [starts[s] for s in sorted(starts)]

    passed = {
        n: min(t for t in (a.checks_passed.get(n), b.checks_passed.get(n)) if t is not None)
        for n in sorted(set(a.checks_passed) | set(b.checks_passed))
    }
    shared = {
        n: max(
            (s for s in (a.shared.get(n), b.shared.get(n)) if s is not None),
            key=_share_rank,
        )
        for n in sorted(set(a.shared) | set(b.shared))
    }
    attempts: dict[int, list[Attempt]] = {}
    for number in sorted(set(a.leetcode) | set(b.leetcode)):
        seen = {_key(t): t for t in [*a.leetcode.get(number, []), *b.leetcode.get(number, [])]}
        attempts[number] = sorted(seen.values(), key=lambda t: (t.at, _key(t)))
    started = max(a, b, key=_start_rank)
    named = max(a, b, key=lambda p: (bool(p.path), p.path, p.title))
    merged = PlanState(
        title=named.title,
        path=named.path,
        start=started.start,
        start_at=started.start_at,
        days=days,
        reviews=reviews,
        pauses=pauses,
        leetcode=attempts,
        checks_passed=passed,
        shared=shared,
    )
    agreed = _agreed_cards(merged, a, b, first_due) if keep_agreed else {}
    merged.cards = _merge_cards(
        merged, {*a.cards, *b.cards}, desired_retention, first_due, settle, parameters, agreed
    )
    return merged


def _share_rank(share: Share) -> tuple[datetime, bool]:
    """The later decision wins; at the same moment, keeping the text private does."""
    return share.at, not share.shared


def canonical(state: State, **how: Any) -> State:
    """The same content in the order a merge writes it (days, cards and reviews sorted)."""
    return merge_states(state, State(), **how)


def _merge_cards(
    plan: PlanState,
    known: set[str],
    desired_retention: float,
    first_due: Callable[[datetime], datetime],
    settle: Callable[[CardRecord], CardRecord],
    parameters: list[float] | None = None,
    agreed: dict[str, CardRecord] | None = None,
) -> dict[str, CardRecord]:
    """The cards of the merged progress, each replayed from the merged log through fsrs
    without fuzz: a function of the merged content only, so every machine computes the same
    due dates. A card in `agreed` keeps that record instead (see _agreed_cards)."""
    from eng28 import review

    logs: dict[str, list[ReviewEntry]] = {}
    for entry in plan.reviews:
        if entry.undone_at is None:
            logs.setdefault(entry.key, []).append(entry)
    candidates = {e.key for e in plan.reviews} | {str(n) for n, p in plan.days.items() if p.done}
    candidates |= {f"lc:{n}" for n in plan.leetcode}
    # A reflection or a re-solve card is fully told by the progress; a question card is known
    # from either side's cards or its log (the plan, which holds the questions, is not here).
    candidates |= {k for k in known if card_kind(k) == "question"}
    sched = review.scheduler(desired_retention, False, parameters)
    cards = {}
    for card_id in sorted(candidates, key=lambda k: (card_day(k), card_kind(k), k)):
        start = card_start(card_id, plan, first_due)
        if start is None:
            continue
        kept = agreed.get(card_id) if agreed else None
        if kept is None:
            kept = settle(review.replay(sched, card_id, logs.get(card_id, []), start))
        cards[card_id] = kept
    return cards


def _logs(plan: PlanState) -> dict[str, list[ReviewEntry]]:
    """Each card's reviews, undone ones too, in the order of the plan's log."""
    logs: dict[str, list[ReviewEntry]] = {}
    for entry in plan.reviews:
        logs.setdefault(entry.key, []).append(entry)
    return logs


def _replay_rows(entries: list[ReviewEntry]) -> list[tuple[Any, ...]]:
    """What a replay reads of a card's log: the moment, rating and duration of each review
    not undone, in the order replay takes them (by moment; the merged log breaks ties by id)."""
    rows = [
        (e.review_datetime, e.id, e.rating, e.review_duration)
        for e in entries
        if e.undone_at is None
    ]
    return sorted(rows, key=lambda row: (row[0], row[1]))


def _agreed_cards(
    merged: PlanState, a: PlanState, b: PlanState, first_due: Callable[[datetime], datetime]
) -> dict[str, CardRecord]:
    """The cards that need no replay: both sides hold the same record, the same reviews not
    undone (so the merged log holds exactly those too: an id both hold is undone in the merge
    only if one side undid it) and the same first due moment as the merged progress, so the
    replay would give what each side computed when it last merged under the same rules. Only
    a record this machine holds already is ever kept: a remote cannot bring one of its own."""
    if not (a.cards and b.cards):
        return {}
    logs_a, logs_b = _logs(a), _logs(b)
    agreed = {}
    for card_id, record in a.cards.items():
        if b.cards.get(card_id) != record:
            continue
        mine, theirs = logs_a.get(card_id, []), logs_b.get(card_id, [])
        # The same entries (often the same objects: see reviewlog.reuse_lines) in the same
        # order agree at once; else what replay reads of them must.
        if mine != theirs and _replay_rows(mine) != _replay_rows(theirs):
            continue
        start = card_start(card_id, merged, first_due)
        if start is None or start != card_start(card_id, a, first_due):
            continue
        if start == card_start(card_id, b, first_due):
            agreed[card_id] = record
    return agreed


def _config_winners(
    a: dict[str, Any],
    a_times: dict[str, datetime],
    b: dict[str, Any],
    b_times: dict[str, datetime],
) -> dict[str, tuple[Any, datetime | None]]:
    """Per key, the winning (value, change time): the largest of (is set, time, value)."""
    winners = {}
    for key in sorted(set(a) | set(b)):
        candidates = []
        for values, times in ((a, a_times), (b, b_times)):
            if key in values:
                value, when = values[key], times.get(key)
                candidates.append(((value is not None, when or OLDEST, _key(value)), value, when))
        _, value, when = max(candidates, key=lambda c: c[0])
        winners[key] = (value, when)
    return winners


def merge_config(
    a: dict[str, Any],
    a_times: dict[str, datetime],
    b: dict[str, Any],
    b_times: dict[str, datetime],
) -> dict[str, Any]:
    """Per key: a set value beats an unset one (None), whatever the times; between set values,
    the side that changed it later wins (a key never changed counts as oldest; ties go to the
    larger value, so the result does not depend on the order)."""
    return {k: value for k, (value, _) in _config_winners(a, a_times, b, b_times).items()}


def merge_config_times(
    a: dict[str, Any],
    a_times: dict[str, datetime],
    b: dict[str, Any],
    b_times: dict[str, datetime],
) -> dict[str, datetime]:
    """The change time of each key's winning value. Not the later of the two times: a set
    value that beat a later unset keeps its own time, or a third machine's merge would depend
    on the order of the syncs."""
    winners = _config_winners(a, a_times, b, b_times)
    return {k: when for k, (_, when) in winners.items() if when is not None}
