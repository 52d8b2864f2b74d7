"""The interactive review session: prompts around `reviews.rate_card`, drawn by `render`.

Each rating is saved the moment it is given, so quitting at any prompt (q, Ctrl-C, EOF) never
loses one; a follow-up note is attached to the rating already saved, and kept in a draft until
it is (a note that cannot be saved is reported and the session goes on).
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from typing import Any

from eng28 import drafts, render, terminal
from eng28.config import data_dir
from eng28.errors import Eng28Error
from eng28.review import parse_rating
from eng28.usecases import reviews
from eng28.usecases.context import Context
from eng28.usecases.schedule import due_by_date, due_cards, upcoming_cards


def run(ctx: Context, out: Any) -> Counter[int]:
    state = ctx.load_state()
    # The whole log is read (every card's earlier notes): a year's is some 100,000 objects,
    # kept to the end. Set aside from the cyclic collector, they cost no full collection at
    # the first rating (which, over them all, was the learner's longest wait between cards).
    gc.freeze()
    cards = due_cards(ctx, state)
    ratings: Counter[int] = Counter()
    if not cards:
        held = len(due_by_date(ctx, state)) > 0
        render.no_reviews(out, upcoming_cards(ctx, state), limit_reached=held)
        return ratings
    drafts.check_writable(data_dir())  # before any rating or note is asked for
    terminal.line_editing()
    render.review_intro(out, len(cards))
    follow_ups = reviews.follow_up_notes(ctx, state)
    for index, card in enumerate(cards, start=1):
        material = reviews.review_material(ctx, state, card, follow_ups)
        render.review_front(out, index, len(cards), material)
        if card.kind == "leetcode":
            result = _resolve(ctx, out, card)
            if result is None:
                break
            ratings[result.rating] += 1
            render.review_saved(out, result)
            continue
        started = time.monotonic()
        if render.ask(out, "\nRecall your answer, then press Enter to reveal (q to quit) ") is None:
            break
        render.review_back(out, material)
        grading = ctx.config.review_grading
        rating = None
        while rating is None:
            answer = render.ask(out, render.rating_question(grading))
            if answer is None:
                break
            rating = parse_rating(answer, grading)
            if rating is None:
                render.review_hint(out, grading)
        if rating is None:
            break
        duration = int((time.monotonic() - started) * 1000)
        result = reviews.rate_card(ctx, card.id, rating, duration_ms=duration, early=True)
        ratings[rating] += 1
        note = render.ask(out, "Follow-up note (Enter to skip) ")
        if note and note.strip():
            _save_note(ctx, note, result)
        render.review_saved(out, result)
        if note is None:
            break
    render.review_summary(out, dict(ratings), len(cards))
    return ratings


def _resolve(ctx: Context, out: Any, card: Any) -> reviews.RateResult | None:
    """A re-solve: the learner solves the problem again, then logs how it went, which rates
    the card (as `eng28 leetcode DAY --solved|--attempted` does). None: they quit."""
    from eng28.usecases import leetcode

    if render.ask(out, "\nRe-solve it now; press Enter when you are done (q to quit) ") is None:
        return None
    outcome = None
    while outcome is None:
        answer = render.ask(
            out, "How did it go? [1] not solved  [2] solved with a hint  [3] solved  (q quits) "
        )
        if answer is None:
            return None
        outcome = {"1": (False, False), "2": (True, True), "3": (True, False)}.get(answer.strip())
        if outcome is None:
            render.review_hint(out, "outcome")
    minutes_text = render.ask(out, "Minutes it took (Enter to skip) ")
    minutes = int(minutes_text) if minutes_text and minutes_text.strip().isdigit() else None
    solved, hint = outcome
    logged = leetcode.log_attempt(ctx, card.day, solved, minutes, hint)
    assert logged.rating is not None and logged.next_due is not None
    return reviews.RateResult(
        card.day, card.title, logged.rating, logged.next_due, "", ctx.today, card.id, card.kind
    )


def _save_note(ctx: Context, note: str, result: reviews.RateResult) -> None:
    """Attach a follow-up note to the rating already saved. The note is kept in a draft until
    it is saved; when it cannot be, the session goes on (the rating is saved)."""
    text = terminal.cleaned(note.strip())
    if not text:
        return
    draft = terminal.keep_draft(drafts.note_path(data_dir(), result.day, ctx.now), text)
    try:
        reviews.add_review_note(ctx, result.review_id, text)
    except Eng28Error as exc:
        render.note_not_saved(str(drafts.kept_in(exc, draft)))
        return
    if draft is not None:
        drafts.discard(draft)
