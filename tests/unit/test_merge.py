"""The merge of two machines' states, as properties (hypothesis) and as examples."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from eng28.merge import (
    NOTE_SEPARATOR,
    canonical,
    merge_config,
    merge_config_times,
    merge_day,
    merge_notes,
    merge_plans,
    merge_states,
)
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
    fsrs_number,
)

CASES = 200
T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
moments = st.integers(0, 12).map(lambda h: T0 + timedelta(hours=6 * h))
texts = st.sampled_from(["", "queues bound memory", "b", 'tricky """ quotes', "naïve ✓", "b"])
# Notes of one review as two machines may hold them: none, blank, one extending another, two
# unrelated ones.
notes = st.sampled_from(["", "", "  ", "follow-up", "follow-up, and more later", "other ✓"])


@st.composite
def days(draw) -> DayProgress:
    changed = draw(moments)
    done = draw(st.booleans())
    return DayProgress(
        done=done,
        skipped=not done and draw(st.booleans()),
        done_at=changed if done else draw(st.none() | moments),
        done_on=changed.date() if done else None,
        reflection=draw(texts),
        reflection_at=draw(st.none() | st.just(changed)),
        earlier=[
            EarlierReflection(text=t, written_at=draw(st.none() | moments))
            for t in draw(st.lists(texts.filter(bool), max_size=2, unique=True))
        ],
        changed_at=changed,
    )


def before_card(number: int, when: datetime) -> CardRecord:
    return CardRecord(card_id=number, state=2, stability=2.3, difficulty=5.0, due=when.isoformat())


@st.composite
def reviews(draw, card: int | str) -> list[ReviewEntry]:
    """Reviews of a card: a day's reflection (an int, as entries from before schema 4 name
    it), a question ("2:why") or a LeetCode re-solve ("lc:2")."""
    entries = []
    number = fsrs_number(card)
    for when in sorted(draw(st.sets(moments, max_size=3))):
        entries.append(
            ReviewEntry(
                id=f"{card}@{when.isoformat()}",
                card_id=number,
                card=None if isinstance(card, int) else card,
                rating=draw(st.integers(1, 4)),
                review_datetime=when.isoformat(),
                review_duration=draw(st.none() | st.just(900)),
                note=draw(notes),
                card_before=draw(st.none() | st.just(before_card(number, when))),
                undone_at=draw(st.none() | moments),
            )
        )
    return entries


@st.composite
def plans(draw) -> PlanState:
    numbers = draw(st.sets(st.integers(1, 5), max_size=4))
    state_days = {n: draw(days()) for n in numbers}
    log, cards = [], {}
    for n, p in state_days.items():
        own = draw(reviews(n))
        log += own
        # Question cards: created when the day was done, kept when it is undone.
        for question in draw(st.sets(st.sampled_from(["why", "how-much"]), max_size=2)):
            card_id = f"{n}:{question}"
            log += draw(reviews(card_id))
            if draw(st.booleans()):
                cards[card_id] = CardRecord(
                    card_id=fsrs_number(card_id), state=1, due=draw(moments).isoformat()
                )
        if p.done and p.done_at:
            due = (p.done_at + timedelta(days=draw(st.integers(1, 30)))).isoformat()
            cards[n] = CardRecord(
                card_id=n,
                state=2,
                step=None,
                stability=2.3,
                difficulty=5.0,
                due=due,
                last_review=p.done_at.isoformat(),
            )
    pauses = [
        Pause(start=date(2026, 12, d), end=draw(st.none() | st.just(date(2026, 12, d + 2))))
        for d in draw(st.sets(st.sampled_from([3, 10]), max_size=2))
    ]
    for n in draw(st.sets(st.sampled_from(sorted(numbers)), max_size=2)) if numbers else []:
        state_days[n].parts = {
            part: PartMark(ticked=draw(st.booleans()), at=draw(moments))
            for part in draw(st.sets(st.sampled_from(["video", "r1", "exercise"]), max_size=2))
        }
    leetcode = {
        n: [
            Attempt(at=draw(moments), solved=draw(st.booleans()), note=draw(notes))
            for _ in range(draw(st.integers(1, 2)))
        ]
        for n in draw(st.sets(st.integers(1, 3), max_size=2))
    }
    for n, attempts in leetcode.items():
        if any(a.solved for a in attempts):
            log += draw(reviews(f"lc:{n}"))
    shared = {
        n: Share(shared=draw(st.booleans()), at=draw(moments))
        for n in sorted(draw(st.sets(st.integers(1, 5), max_size=3)))
    }
    return PlanState(
        title=draw(st.sampled_from(["", "Mini Plan"])),
        path=draw(st.sampled_from(["", "/a/plan.toml", "/b/plan.toml"])),
        start=draw(st.none() | st.sampled_from([date(2026, 11, 30), date(2026, 12, 1)])),
        start_at=draw(st.none() | moments),
        days=state_days,
        cards=cards,
        reviews=sorted(log, key=lambda e: e.id),
        pauses=sorted(pauses, key=lambda p: p.start),
        leetcode=leetcode,
        shared=shared,
    )


@st.composite
def states(draw) -> State:
    """A state file: the progress of up to two plans, and config change times."""
    times = {
        k: draw(moments) for k in draw(st.sets(st.sampled_from(["pace", "grace_days"]), max_size=2))
    }
    ids = draw(st.sets(st.sampled_from(["eng28", "other"]), max_size=2))
    return State(plans={plan_id: draw(plans()) for plan_id in sorted(ids)}, config_times=times)


def texts_of(state: PlanState, number: int) -> set[str]:
    p = state.days.get(number)
    if p is None:
        return set()
    return {t for t in [p.reflection, *(e.text for e in p.earlier)] if t.strip()}


@settings(max_examples=CASES, deadline=None)
@given(a=states(), b=states())
def test_merge_is_commutative(a, b):
    assert merge_states(a, b) == merge_states(b, a)


@settings(max_examples=CASES, deadline=None)
@given(a=states())
def test_merge_is_idempotent(a):
    assert merge_states(a, a) == canonical(a)


@settings(max_examples=CASES, deadline=None)
@given(a=states(), b=states(), c=states())
def test_merge_is_associative(a, b, c):
    assert merge_states(merge_states(a, b), c) == merge_states(a, merge_states(b, c))


@settings(max_examples=CASES, deadline=None)
@given(a=plans(), b=plans())
def test_merge_loses_nothing(a, b):
    merged = merge_plans(a, b)
    for number in set(a.leetcode) | set(b.leetcode):
        attempts = [*a.leetcode.get(number, []), *b.leetcode.get(number, [])]
        assert all(t in merged.leetcode[number] for t in attempts)
    ids = {e.id for e in merged.reviews}
    assert {e.id for e in a.reviews} | {e.id for e in b.reviews} <= ids
    for side, other in ((a, b), (b, a)):
        for number, progress in side.days.items():
            assert texts_of(side, number) <= texts_of(merged, number)
            theirs = other.days.get(number)
            undone_later = (
                theirs is not None
                and not theirs.done
                and (theirs.changed_at >= progress.changed_at)
            )
            if progress.done and not undone_later:
                assert merged.days[number].done
    for number, progress in merged.days.items():
        if progress.done and progress.done_at:
            assert str(number) in merged.cards  # every done day has its review card
    for side in (a, b):  # no question card is lost, whether its day is done or not
        for card_id in side.cards:
            if ":" in card_id and int(card_id.split(":")[0]) in merged.days:
                assert card_id in merged.cards


def test_both_sides_wrote_a_reflection_the_newer_wins_the_other_is_kept():
    a = DayProgress(done=True, done_at=T0, reflection="laptop", reflection_at=T0, changed_at=T0)
    later = T0 + timedelta(hours=3)
    b = DayProgress(
        done=True, done_at=later, reflection="work machine", reflection_at=later, changed_at=later
    )
    merged = merge_day(a, b)
    assert merged.reflection == "work machine"
    assert [(e.text, e.written_at) for e in merged.earlier] == [("laptop", T0)]


def test_undone_on_one_side_follows_the_side_that_changed_it():
    done = DayProgress(done=True, done_at=T0, reflection="x", changed_at=T0)
    undone = done.model_copy(update={"done": False, "changed_at": T0 + timedelta(hours=1)})
    assert merge_day(done, undone).done is False
    assert merge_day(undone, done).reflection == "x"


def test_cards_are_replayed_from_the_merged_log():
    done = DayProgress(done=True, done_at=T0, reflection="x", changed_at=T0)
    first = ReviewEntry(
        id=f"1@{(T0 + timedelta(days=1)).isoformat()}",
        card_id=1,
        rating=3,
        review_datetime=(T0 + timedelta(days=1)).isoformat(),
    )
    second = ReviewEntry(
        id=f"1@{(T0 + timedelta(days=3)).isoformat()}",
        card_id=1,
        rating=3,
        review_datetime=(T0 + timedelta(days=3)).isoformat(),
    )
    card = CardRecord(card_id=1, state=2, due=(T0 + timedelta(days=3)).isoformat())
    a = PlanState(days={1: done}, cards={1: card}, reviews=[first])
    b = PlanState(
        days={1: done},
        cards={1: card.model_copy(update={"stability": 9.0})},
        reviews=[first, second],
    )
    merged = merge_plans(a, b)
    assert [e.id for e in merged.reviews] == [first.id, second.id]
    # Good at day 1 (2 days), Good again at day 3: about 11 days later.
    due = datetime.fromisoformat(merged.cards["1"].due)
    assert (due - (T0 + timedelta(days=3))).days == 11


def test_config_the_side_changed_later_wins_per_key():
    a = {"pace": "self", "rest_days": ["sun"], "grace_days": 2}
    b = {"pace": "calendar", "rest_days": ["sat", "sun"]}
    merged = merge_config(
        a, {"pace": T0, "grace_days": T0}, b, {"pace": T0 + timedelta(hours=1), "rest_days": T0}
    )
    assert merged == {"pace": "calendar", "rest_days": ["sat", "sun"], "grace_days": 2}


@settings(max_examples=CASES, deadline=None)
@given(a=plans(), b=plans(), c=plans())
def test_merge_keeps_every_version_of_every_note(a, b, c):
    merged = merge_plans(merge_plans(a, b), c)
    by_id = {e.id: e.note for e in merged.reviews}
    for side in (a, b, c):
        for entry in side.reviews:
            for version in entry.note.split(NOTE_SEPARATOR):
                assert version.strip() == "" or version in by_id[entry.id]


def test_a_note_is_never_replaced_by_an_empty_or_a_different_one():
    assert merge_notes("", "recalled it") == merge_notes("recalled it", "") == "recalled it"
    assert merge_notes("   ", "recalled it") == "recalled it"
    longer = "recalled it, then wrote it down"
    assert merge_notes("recalled it", longer) == merge_notes(longer, "recalled it") == longer
    both = merge_notes("on the laptop", "at work")
    assert both == merge_notes("at work", "on the laptop")
    assert both == f"at work{NOTE_SEPARATOR}on the laptop"
    # A third machine, in any order and grouping: each version once.
    three = {
        merge_notes(merge_notes("on the laptop", "at work"), "on the train"),
        merge_notes("on the train", merge_notes("at work", "on the laptop")),
        merge_notes(merge_notes("on the train", "on the laptop"), both),
    }
    assert three == {NOTE_SEPARATOR.join(["at work", "on the laptop", "on the train"])}


def test_the_same_review_with_different_notes_keeps_both():
    when = T0.isoformat()
    entry = ReviewEntry(id=f"1@{when}", card_id=1, rating=3, review_datetime=when)
    a = PlanState(reviews=[entry.model_copy(update={"note": "laptop note"})])
    b = PlanState(reviews=[entry.model_copy(update={"note": "work note"})])
    (merged,) = merge_plans(a, b).reviews
    assert "laptop note" in merged.note and "work note" in merged.note
    assert merge_plans(b, a).reviews == [merged]


config_values = st.sampled_from([None, "self", "calendar"])
config_times = st.none() | moments


@st.composite
def configs(draw):
    keys = draw(st.sets(st.sampled_from(["pace", "start", "timezone"]), max_size=3))
    values = {k: draw(config_values) for k in keys}
    times = {k: t for k in keys if (t := draw(config_times)) is not None}
    return values, times


def both(x, y):
    """Two machines' config merged, with the latest change time of each key (as a sync keeps
    them in `State.config_times`)."""
    return merge_config(*x, *y), merge_config_times(*x, *y)


@settings(max_examples=CASES, deadline=None)
@given(a=configs(), b=configs(), c=configs())
def test_merge_config_is_symmetric_and_a_set_value_beats_an_unset_one(a, b, c):
    assert both(a, b) == both(b, a)
    assert both(a, a)[0] == a[0]
    assert both(both(a, b), c) == both(a, both(b, c))
    for key, value in both(a, b)[0].items():
        if value is None:
            assert a[0].get(key) is None and b[0].get(key) is None


def test_an_unset_value_never_beats_a_set_one_whatever_the_times():
    later = T0 + timedelta(days=30)
    # A fresh machine (start unset, even "changed" later) meets an auto-started plan (start
    # set with no change time): the start stays.
    fresh = ({"start": None, "pace": "calendar"}, {"start": later})
    started = ({"start": "2026-12-01", "pace": "calendar"}, {})
    assert merge_config(*fresh, *started)["start"] == "2026-12-01"
    assert merge_config(*started, *fresh)["start"] == "2026-12-01"
    # Between set values, the later change still wins.
    changed = ({"start": "2026-12-07"}, {"start": T0})
    assert merge_config(*started, *changed)["start"] == "2026-12-07"


def undone_ids(state: PlanState) -> set[str]:
    return {e.id for e in state.reviews if e.undone_at is not None}


@settings(max_examples=CASES, deadline=None)
@given(a=plans(), b=plans(), c=plans())
def test_a_review_undone_on_any_machine_stays_undone_and_counts_for_nothing(a, b, c):
    merged = merge_plans(merge_plans(a, b), c)
    assert undone_ids(a) | undone_ids(b) | undone_ids(c) == undone_ids(merged)
    # The cards are those of the log without the undone reviews.
    kept = PlanState(
        days=merged.days,
        reviews=merged.kept_reviews(),
        pauses=merged.pauses,
        cards=merged.cards,
        leetcode=merged.leetcode,
    )
    assert merge_plans(kept, PlanState()).cards == merged.cards


def test_an_undone_review_is_not_brought_back_by_the_copy_that_was_not_undone():
    done = DayProgress(done=True, done_at=T0, reflection="x", changed_at=T0)
    when = (T0 + timedelta(days=1)).isoformat()
    rating = ReviewEntry(id=f"1@{when}", card_id=1, rating=4, review_datetime=when, note="n")
    undone = rating.model_copy(update={"undone_at": T0 + timedelta(days=1, hours=1)})
    here, there = (
        PlanState(days={1: done}, reviews=[undone]),
        PlanState(days={1: done}, reviews=[rating]),
    )
    merged = merge_plans(here, there)
    assert merge_plans(there, here) == merged
    (entry,) = merged.reviews
    assert entry.undone_at == undone.undone_at and entry.note == "n"
    # The card is as if the day had never been reviewed: first due the day after it was done.
    assert merged.cards["1"] == merge_plans(PlanState(days={1: done}), PlanState()).cards["1"]
    assert datetime.fromisoformat(merged.cards["1"].due) == T0 + timedelta(days=1)
    # Undone at different times on two machines: the earlier time, whichever side holds it.
    later = rating.model_copy(update={"undone_at": T0 + timedelta(days=2)})
    (both_undone,) = merge_plans(PlanState(reviews=[later]), PlanState(reviews=[undone])).reviews
    assert both_undone.undone_at == undone.undone_at


@settings(max_examples=CASES, deadline=None)
@given(a=states(), b=states())
def test_no_plan_is_lost_and_plans_never_mix(a, b):
    merged = merge_states(a, b)
    assert set(merged.plans) == set(a.plans) | set(b.plans)
    for plan_id, plan in merged.plans.items():
        sides = [s.plans[plan_id] for s in (a, b) if plan_id in s.plans]
        assert {e.id for side in sides for e in side.reviews} <= {e.id for e in plan.reviews}
        assert set(plan.days) == {n for side in sides for n in side.days}


def test_the_later_tick_and_the_later_start_win():
    early, late = T0, T0 + timedelta(hours=2)
    day = DayProgress(changed_at=T0)
    ticked = day.model_copy(update={"parts": {"video": PartMark(ticked=True, at=early)}})
    unticked = day.model_copy(update={"parts": {"video": PartMark(ticked=False, at=late)}})
    assert merge_day(ticked, unticked).ticked("video") is False
    assert merge_day(unticked, ticked).ticked("video") is False
    first = PlanState(start=date(2026, 12, 1))  # taken on first use: no time
    moved = PlanState(start=date(2026, 11, 20), start_at=late)
    reset = PlanState(start=None, start_at=late + timedelta(hours=1))
    assert merge_plans(first, moved).start == date(2026, 11, 20)
    assert merge_plans(moved, reset).start is None and merge_plans(reset, moved).start is None
