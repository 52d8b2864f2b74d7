"""The interactive review session: prompts around `reviews.rate_card`, drawn by `render`.

Each rating is saved the moment it is given, so quitting at any prompt (q, Ctrl-C, EOF) never
loses one; a follow-up note is attached to the rating already saved, and kept in a draft until
it is (a note that cannot be saved is reported and the session goes on).
"""

from __future__ import annotations

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
    cards = due_cards(ctx, state)
    ratings: Counter[int] = Counter()
    if not cards:
        held = len(due_by_date(ctx, state)) > 0
        render.no_reviews(out, upcoming_cards(ctx, state), limit_reached=held)
        return ratings
    drafts.check_writable(data_dir())  # before any rating or note is asked for
    terminal.line_editing()
    render.review_intro(out, len(cards))
    for index, card in enumerate(cards, start=1):
        material = reviews.review_material(ctx, state, card)
        render.review_front(out, index, len(cards), material)
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
