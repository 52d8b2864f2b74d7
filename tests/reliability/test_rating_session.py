"""A run of ratings in one command (the review session) keeps the state its last rating left
while the state file and the review log stay as that rating saved them: each rating then
gives exactly what reading the files afresh would, and a change made in between by another
eng28, or by hand, is seen."""

import random
import shutil

import pytest

from eng28 import store
from eng28.errors import Eng28Error
from eng28.usecases import reviews
from eng28.usecases.context import open_context
from tests.conftest import setup

NOW = "2026-12-03T10:00"


def studied(run, days=("1", "2")):
    setup(run, "start", "2026-12-01")
    for day in days:
        setup(run, "done", day, "-m", f"what day {day} taught", now=f"2026-12-0{day}T09:00")


def files_of(home):
    return (home / "state.toml").read_bytes(), (home / "reviews.jsonl").read_bytes()


def fresh_reading(ctx):
    """What a command reading the files now gets for the rating path (its recent part)."""
    state, _ = store.read_state(ctx.state_path, ctx.plan_id, copy=False, since=ctx.recent)
    return state.model_dump(mode="json")


def kept_for(ctx):
    """The state the next rating of `ctx` would take, the files being as they are."""
    path = ctx.state_path
    key = store._files_key(path, path.with_name("reviews.jsonl"), ctx.plan_id, ctx.recent)
    return ctx._rated._state if key == ctx._rated._key else None


def steps(seed, cards):
    """A varied run: ratings of every grade (early or not), notes, undos, a card rated again
    in the second of its undone rating, and steps that fail (a card not due, an undo of a card
    never rated, a note on a rating that is not there)."""
    rng = random.Random(seed)
    out = []
    for _ in range(14):
        card = rng.choice(cards)
        kind = rng.choice(["rate", "rate", "rate", "early", "note", "undo", "bad-note"])
        out.append((kind, card, rng.randint(1, 4), rng.choice(["", "mixed up ü", "  x  "])))
    return out


def play(ctx, step, given):
    """One step through the use cases, as the review session and the commands call them;
    what the learner would see (the result, or the error's message)."""
    kind, card, grade, text = step
    try:
        if kind in ("rate", "early"):
            result = reviews.rate_card(ctx, card, grade, text, early=kind == "early")
            given.append(result.review_id)
            return ("rated", result)
        if kind == "note":
            if not given:
                return ("nothing to note",)
            reviews.add_review_note(ctx, given[-1], text or "later thought")
            return ("noted", given[-1])
        if kind == "undo":
            return ("undone", reviews.undo_rating(ctx, card))
        reviews.add_review_note(ctx, "1@2020-01-01T00:00:00+00:00", "lost")
        return ("noted?",)
    except Eng28Error as exc:
        return ("error", str(exc))


@pytest.mark.parametrize("seed", range(6))
def test_a_run_of_ratings_gives_what_reading_afresh_at_each_one_gives(
    run, home, use_mini, tmp_path, monkeypatch, seed
):
    studied(run)
    monkeypatch.setenv("ENG28_NOW", NOW)
    other = tmp_path / "other"
    shutil.copytree(home, other)
    session = open_context()
    cards = sorted(session.load_state().cards)
    plan = steps(seed, [*cards, "3"])
    kept_run, given = [], []
    for step in plan:
        kept_run.append(play(session, step, given))
        kept = kept_for(session)
        if kept is not None:  # the state kept for the next rating is what a reader gets
            assert kept.model_dump(mode="json") == fresh_reading(session)
    kept_files = files_of(home)

    monkeypatch.setenv("ENG28_HOME", str(other))  # the same steps, each command on its own
    fresh_run, given = [], []
    for step in plan:
        fresh_run.append(play(open_context(), step, given))
    assert kept_run == fresh_run
    assert kept_files == files_of(other)
    assert any(outcome[0] == "rated" for outcome in kept_run)


def test_a_rating_by_another_eng28_between_two_of_the_session_is_seen(
    run, home, use_mini, monkeypatch
):
    studied(run)
    monkeypatch.setenv("ENG28_NOW", NOW)
    session = open_context()
    reviews.rate_card(session, "1", 3, early=True)
    assert kept_for(session) is not None
    # Another eng28 rates day 2's card, then undoes the session's rating of day 1.
    setup(run, "review", "2", "--rating", "again", "--early", now="2026-12-03T10:01")
    setup(run, "review", "1", "--undo", now="2026-12-03T10:02")
    after_other = session.load_state().cards["2"]
    before_undo = open_context().load_state().cards["1"]

    second = reviews.rate_card(session, "2", 4, early=True)
    mine = open_context().load_state()
    assert mine.cards["2"].last_review.startswith("2026-12-03T10:00")
    assert mine.cards["2"].due != after_other.due  # rated on top of the other's rating
    assert [e.rating for e in mine.reviews if e.key == "2"] == [1, 4]
    assert second.review_id != ""
    # The undo is seen: the session's next rating of day 1 starts from the card as it was.
    reviews.rate_card(session, "1", 2, early=True)
    kept = kept_for(session).plans[session.plan_id]
    again = [e for e in kept.reviews if e.key == "1"]
    assert again[-1].card_before == before_undo
    assert again[0].undone_at is not None
    assert kept_for(session).model_dump(mode="json") == fresh_reading(session)


def test_a_day_done_by_another_eng28_is_seen_by_the_sessions_next_rating(
    run, home, use_mini, monkeypatch
):
    studied(run, days=("1",))
    monkeypatch.setenv("ENG28_NOW", NOW)
    session = open_context()
    reviews.rate_card(session, "1", 3, early=True)
    setup(run, "done", "2", "-m", "done elsewhere", now="2026-12-03T10:01")  # a whole save
    result = reviews.rate_card(session, "2", 3, early=True)  # day 2's card exists now
    assert result.id == "2"
    assert [e.key for e in open_context().load_state().reviews] == ["1", "2"]


def test_the_log_damaged_between_two_ratings_is_named_as_ever(run, home, use_mini, monkeypatch):
    studied(run)
    monkeypatch.setenv("ENG28_NOW", NOW)
    session = open_context()
    reviews.rate_card(session, "1", 3, early=True)
    with (home / "reviews.jsonl").open("ab") as log:
        log.write(b"{not json\n")
    with pytest.raises(Eng28Error, match=r"reviews\.jsonl: line 2: not a JSON object"):
        reviews.rate_card(session, "2", 3, early=True)


def test_a_change_that_fails_half_way_leaves_nothing_kept(tmp_path):
    """A change that raises after changing the state it was given: nothing is saved, and the
    next rating reads the files afresh instead of taking the half-changed state."""
    from datetime import date

    from eng28.models import CardRecord, PlanState, State

    path = tmp_path / "state.toml"
    card = CardRecord(card_id=1, state=2, due="2026-12-03T10:00:00+00:00")
    store.save_state(path, State(plans={"p": PlanState(title="t", cards={"1": card})}))
    (tmp_path / "reviews.jsonl").write_bytes(b"")
    kept = store.Kept()
    since, today = "2026-11-30T00:00:00+00:00", date(2026, 12, 3)
    store.rating(path, today, "p", since, lambda state: None, kept)
    assert kept._state is not None

    def half(state):
        state.plans["p"].cards["1"] = card.model_copy(update={"due": "2027-01-01T00:00:00+00:00"})
        raise Eng28Error("stopped half-way")

    with pytest.raises(Eng28Error, match="half-way"):
        store.rating(path, today, "p", since, half, kept)
    seen = store.rating(path, today, "p", since, lambda state: state.plans["p"].cards["1"], kept)
    assert seen == card


def test_a_hand_edit_of_the_same_size_with_its_time_set_back_is_seen(
    run, home, use_mini, monkeypatch
):
    """The same inode, size and modification time: only the change time, which no program
    can set back, tells that the file is not what the session's last rating left."""
    import os

    studied(run)
    monkeypatch.setenv("ENG28_NOW", NOW)
    session = open_context()
    reviews.rate_card(session, "1", 3, early=True)
    path = home / "state.toml"
    before = os.stat(path)
    text = path.read_bytes()
    assert b"what day 1 taught" in text
    with path.open("r+b") as f:  # in place: the same inode, the same size
        f.write(text.replace(b"what day 1 taught", b"WHAT day 1 taught"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino, before.st_size, before.st_mtime_ns
    )  # fmt: skip
    reviews.rate_card(session, "2", 3, early=True)
    kept = kept_for(session).plans[session.plan_id]
    assert kept.days[1].reflection.startswith("WHAT day 1 taught")
