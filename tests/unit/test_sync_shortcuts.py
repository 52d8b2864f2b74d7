"""The short cuts of `eng28 sync` give what the slow path gives: the review log written from
each entry's own JSON, a line read twice validated once, the comparison of two logs without
writing them, and the cards both sides hold alike kept without a replay."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eng28 import merge, reviewlog
from eng28.errors import StateError
from eng28.merge import canonical, merge_states
from eng28.models import DayProgress, PlanState, ReviewEntry, State
from eng28.reviewlog import LogLine
from eng28.usecases.sync import _same_ratings
from tests.unit.test_merge import T0, states

CASES = 150


def slow_dump(state: State) -> bytes:
    """The review log as it was written before the short cut: a LogLine per rating."""
    lines = [
        LogLine(plan=plan_id, entry=entry)
        for plan_id, plan in state.plans.items()
        for entry in plan.reviews
    ]
    lines.sort(key=lambda line: (line.entry.review_datetime, line.entry.id, line.plan))
    return b"".join(
        line.model_dump_json(exclude_none=True, exclude_defaults=False).encode() + b"\n"
        for line in lines
    )


@settings(max_examples=CASES, deadline=None)
@given(a=states())
def test_the_log_is_written_as_a_log_line_per_rating_would_be(a):
    assert reviewlog.dump(a) == slow_dump(a)


def test_the_log_is_written_as_a_log_line_would_be_whatever_the_note():
    when = datetime(2026, 12, 2, 9, tzinfo=UTC)
    notes = ['"quoted" \\ back', "naïve ✓ 🙂", "tab\there\nnew line", "\u2028 \u2029", ""]
    state = State()
    plan = state.plan("eng28")
    for n, note in enumerate(notes, start=1):
        moment = (when + timedelta(minutes=n)).isoformat()
        entry = ReviewEntry(id=f"{n}@{moment}", card_id=n, rating=3, review_datetime=moment)
        plan.reviews.append(entry.model_copy(update={"note": note}))
    assert reviewlog.dump(state) == slow_dump(state)


def _line(n: int, note: str = "", **extra: object) -> bytes:
    moment = datetime(2026, 12, 2, 9, n, tzinfo=UTC).isoformat()
    entry = ReviewEntry(id=f"{n}@{moment}", card_id=n, rating=3, review_datetime=moment, note=note)
    return LogLine(plan="eng28", entry=entry, **extra).model_dump_json(exclude_none=True).encode()


def _amend(n: int, note: str) -> bytes:
    moment = datetime(2026, 12, 2, 9, n, tzinfo=UTC).isoformat()
    return LogLine(plan="eng28", amend=f"{n}@{moment}", note=note).model_dump_json().encode()


LINES = [
    _line(1),
    _line(2, "queues"),
    _line(3),
    _amend(1, "added later"),
    _amend(2, "changed"),
    b'{"plan": "eng28", "entry": {"id": "x"}}',  # not a rating
    b"not json",
    _amend(9, "of nothing"),
]


def _parse(raw: bytes) -> object:
    """What reading `raw` gives: each plan's ratings and the cards, or the error."""
    try:
        plans, cards = reviewlog.parse(raw, "log")
    except StateError as exc:
        return str(exc)
    return {p: [e.model_dump() for e in entries] for p, entries in plans.items()}, cards


@settings(max_examples=CASES, deadline=None)
@given(st.lists(st.lists(st.sampled_from(range(len(LINES))), max_size=6), min_size=1, max_size=4))
def test_a_line_read_twice_reads_as_it_does_alone(picks):
    """Logs that share lines (ratings, amendments of them, bad lines, a rating there twice)
    read alike one by one and under reuse_lines, errors word for word; and no log's entries
    are changed by an amendment in a log read after it."""
    logs = [b"".join(LINES[i] + b"\n" for i in pick) for pick in picks]
    alone = [_parse(raw) for raw in logs]
    with reviewlog.reuse_lines():
        read = [_parse(raw) for raw in logs]
    assert read == alone


def test_an_amendment_in_the_second_log_leaves_the_first_logs_rating_alone():
    first = _line(1) + b"\n"
    second = first + _amend(1, "a note from the remote") + b"\n"
    with reviewlog.reuse_lines():
        (mine,) = reviewlog.parse(first, "log")[0]["eng28"]
        (theirs,) = reviewlog.parse(second, "remote")[0]["eng28"]
    assert mine.note == "" and theirs.note == "a note from the remote"


@settings(max_examples=CASES, deadline=None)
@given(a=states(), b=states(), seed=st.integers(0, 3))
def test_two_logs_compare_as_their_files_do(a, b, seed):
    shuffled = a.model_copy(deep=True)
    for plan in shuffled.plans.values():
        random.Random(seed).shuffle(plan.reviews)
    empty_plan = a.model_copy(deep=True)
    empty_plan.plan("never-rated")
    for left, right in ((a, b), (a, shuffled), (a, empty_plan), (b, canonical(b))):
        same_files = reviewlog.dump(left) == reviewlog.dump(right)
        assert _same_ratings(left, right) == same_files


# --- the cards both sides hold alike ---------------------------------------------------------


def _full(a: State, b: State) -> State:
    return merge_states(a, b)


@settings(max_examples=CASES, deadline=None)
@given(x=states(), y=states(), z=states())
def test_cards_both_sides_agree_on_are_kept_as_a_replay_would_make_them(x, y, z):
    """Each side as a sync leaves it (every card replayed from its own log): the merge that
    keeps the cards both hold alike equals the one that replays every card. The sides share
    history (x), and each has its own on top (y on one, z on the other), so some cards are
    held alike and some are not."""
    one, other = canonical(merge_states(x, y)), canonical(merge_states(x, z))
    for a, b in ((one, other), (canonical(x), one), (one, one)):
        assert merge_states(a, b, keep_agreed=True) == _full(a, b)


def _rated(state: State, card: str, when: datetime, rating: int, note: str = "") -> State:
    """`state` with card `card` rated once more, the card as a live rating leaves it."""
    changed = state.model_copy(deep=True)
    plan = changed.plans["eng28"]
    moment = when.isoformat()
    number = int(card.split(":")[0])
    entry = ReviewEntry(
        id=f"{card}@{moment}",
        card_id=number,
        card=card,
        rating=rating,
        review_datetime=moment,
        note=note,
    )
    plan.reviews.append(entry)
    plan.cards[card] = plan.cards[card].model_copy(update={"due": moment})  # not a replay
    return changed


def _done(*numbers: int) -> State:
    """A state with days `numbers` done, its cards as a sync leaves them."""
    days = {}
    for n in numbers:
        done = T0 - timedelta(days=5 - n)
        days[n] = DayProgress(done=True, done_at=done, done_on=done.date(), changed_at=done)
    return canonical(State(plans={"eng28": PlanState(days=days)}))


def test_both_sides_rating_the_same_card_undoing_and_noting_replay_what_changed():
    base = _done(1, 2, 3)
    for n in (1, 2, 3):
        base = canonical(_rated(base, str(n), T0 + timedelta(hours=n), 3))
    laptop = _rated(base, "1", T0 + timedelta(days=1), 1, "forgot it")
    work = _rated(base, "1", T0 + timedelta(days=1, hours=2), 4)
    work = _rated(work, "2", T0 + timedelta(days=1, hours=3), 2)
    noted = base.model_copy(deep=True)
    noted.plans["eng28"].reviews[-1] = (
        noted.plans["eng28"].reviews[-1].model_copy(update={"note": "a note added later"})
    )
    undone = base.model_copy(deep=True)
    last = undone.plans["eng28"].reviews[-1]
    undone.plans["eng28"].reviews[-1] = last.model_copy(
        update={"undone_at": T0 + timedelta(days=2)}
    )
    pairs = [(laptop, work), (base, laptop), (base, noted), (base, undone), (undone, work)]
    for a, b in pairs:
        fast = merge_states(a, b, keep_agreed=True)
        assert fast == _full(a, b)
    # Card 3, rated on neither side since, is kept; card 1, rated on both, is replayed.
    agreed = merge._agreed_cards(
        _full(laptop, work).plans["eng28"],
        laptop.plans["eng28"],
        work.plans["eng28"],
        merge._next_day,
    )
    assert "3" in agreed and "1" not in agreed and "2" not in agreed


def test_a_record_only_one_side_holds_is_never_kept_without_a_replay():
    live = _rated(_done(1), "1", T0, 3)
    # The same reviews on both sides, but the records differ (one is a live rating's): replayed.
    other = live.model_copy(deep=True)
    other.plans["eng28"].cards["1"] = canonical(live).plans["eng28"].cards["1"]
    assert merge_states(live, other, keep_agreed=True) == _full(live, other)
    assert merge_states(live, other, keep_agreed=True) != live
    # A plan on one side only has no other side to agree with: replayed.
    assert merge_states(live, State(), keep_agreed=True) == _full(live, State())


@pytest.mark.parametrize("keep", [True, False])
def test_merging_a_state_with_itself_keeps_it_as_a_sync_left_it(keep):
    synced = canonical(_rated(_done(1), "1", T0, 3))
    assert merge_states(synced, synced, keep_agreed=keep) == synced


@settings(max_examples=CASES, deadline=None)
@given(a=states())
def test_heads_lines_are_found_by_card_as_a_read_of_each_line_finds_them(a):
    import json

    from eng28.usecases.synclog import Declined, Rated

    log = reviewlog.dump(a)
    want: dict[tuple[str, str | None], list[int]] = {}
    at = 0
    for line in log.splitlines(keepends=True):
        found = json.loads(line)
        want.setdefault((found["plan"], found["entry"].get("card")), []).append(at)
        at += len(line)
    if any(card is None for _, card in want):  # a rating from before cards had ids
        with pytest.raises(Declined):
            Rated.of(log, len(log))
        return
    rated = Rated.of(log, len(log))
    assert rated.pairs() == set(want)
    assert sum(rated.lines_per_plan().values()) == log.count(b"\n")
    assert rated.where(set(want)) == want
    assert rated.where({("no-plan", "1")}) == {("no-plan", "1"): []}


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_heads_line_not_as_dump_writes_it_declines_the_merge_by_lines(where):
    from eng28.usecases.synclog import Declined, Rated

    plan = PlanState(
        reviews=[
            ReviewEntry(
                id=f"r{n}",
                card_id=1,
                card="1",
                rating=3,
                review_datetime=f"2026-12-0{n}T09:00:00+00:00",
            )
            for n in range(1, 4)
        ]
    )
    lines = reviewlog.dump(State(plans={"p": plan})).splitlines(keepends=True)
    assert len(Rated.of(b"".join(lines), len(b"".join(lines))).pairs()) == 1
    index = {"first": 0, "middle": 1, "last": 2}[where]
    lines[index] = lines[index].replace(b'{"plan":', b'{ "plan":')
    log = b"".join(lines)
    with pytest.raises(Declined):
        Rated.of(log, len(log))


def test_pieces_and_files_that_differ_in_one_byte_compare_unequal(tmp_path):
    from eng28 import files

    data = bytes(range(256)) * 10_000  # more than one block of the comparison
    view = memoryview(data)
    pieces = [view[: 1 << 20], view[1 << 20 :]]
    assert files.same_pieces(data, pieces)
    changed = bytearray(data)
    changed[-1] ^= 1
    assert not files.same_pieces(bytes(changed), pieces)
    assert not files.same_pieces(data, pieces[:1])
    path = tmp_path / "log"
    path.write_bytes(data)
    assert files.holds(path, data, "log", StateError)
    assert not files.holds(path, bytes(changed), "log", StateError)
