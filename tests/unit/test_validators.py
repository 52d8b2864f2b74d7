"""The state's per-item validators take short cuts for values already in form (a year of
reviews holds some 118,000 moments and 40,000 card ids): each must give what the full rules
give, value or error, for every input. The full rules are written out here as they were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from eng28 import models, values


def moment_as_before(value: str) -> str:
    """`values._iso_moment` before its short cut."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "iso_moment", "not an ISO date and time (e.g. 2026-12-01T10:00:00+00:00)"
        ) from None
    if moment.tzinfo is None:
        raise PydanticCustomError("iso_moment", "a date and time without a UTC offset")
    values._in_years(moment)
    return moment.astimezone(UTC).isoformat()


def outcome(check: Any, value: Any) -> tuple[Any, ...]:
    try:
        return ("ok", check(value))
    except PydanticCustomError as exc:
        return ("error", exc.type, exc.message(), exc.context)
    except ValidationError as exc:
        return ("invalid", exc.errors())


def same_moment(value: str) -> None:
    got, expected = outcome(values._iso_moment, value), outcome(moment_as_before, value)
    assert got == expected, value
    if got[0] == "ok":
        assert type(got[1]) is str


offsets = st.one_of(
    st.just(UTC),
    st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23))
    .map(lambda d: timedelta(minutes=d // timedelta(minutes=1)))
    .map(timezone),
)
moments = st.builds(
    lambda when, zone: when.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    offsets,
)
spellings = st.sampled_from(["auto", "seconds", "milliseconds", "microseconds", "minutes"])


@given(moments, spellings, st.sampled_from(["T", " "]))
@settings(max_examples=500)
def test_a_moment_is_read_as_before_however_it_is_written(moment, timespec, sep):
    same_moment(moment.isoformat(sep=sep, timespec=timespec))
    same_moment(moment.astimezone(UTC).isoformat(sep=sep, timespec=timespec))
    same_moment(moment.replace(tzinfo=None).isoformat(sep=sep, timespec=timespec))


#: Strings shaped like the canonical form whatever their digits: months, days and hours out of
#: range, a 24th hour, leap seconds, zero microseconds, other offsets.
canonical_shapes = st.from_regex(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6}|\.0{6}|\.[0-9]{3})?"
    r"(\+00:00|-00:00|Z|\+01:00|\+00:00:00|)\Z"
)


@given(canonical_shapes)
@settings(max_examples=1000)
def test_a_moment_of_the_canonical_shape_is_read_as_before(value):
    same_moment(value)


@given(st.text(max_size=40))
def test_any_text_is_read_as_a_moment_as_before(value):
    same_moment(value)


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-01T10:00:00+00:00",
        "2026-12-01T10:00:00.000001+00:00",
        "2026-12-01T10:00:00.000000+00:00",  # isoformat leaves zero microseconds out
        "2026-12-01T10:00:00.500+00:00",
        "2026-12-01 10:00:00+00:00",
        "2026-12-01T10:00:00Z",
        "2026-12-01T10:00:00-00:00",
        "2026-12-01T11:00:00+01:00",
        "2026-02-29T10:00:00+00:00",  # not a leap year
        "2024-02-29T10:00:00+00:00",
        "2026-12-01T24:00:00+00:00",
        "2026-12-01T23:59:60+00:00",
        "1970-12-31T23:00:00+00:00",  # before the years eng28 keeps
        "1971-01-01T00:30:00+01:00",  # in them here, not in UTC
        "9000-12-31T23:59:59.999999+00:00",
        "9001-01-01T00:00:00+00:00",
        "0000-01-01T00:00:00+00:00",
        "٢٠٢٦-12-01T10:00:00+00:00",  # digits, but not ASCII ones
        "2026-12-01T10:00:00+00:00\n",
        "2026-12-01",
        "",
    ],
)
def test_moments_at_the_edges_are_read_as_before(value):
    same_moment(value)


def test_the_canonical_form_is_what_the_full_path_writes():
    assert values._iso_moment("2026-12-01T10:00:00+00:00") == "2026-12-01T10:00:00+00:00"
    assert values._iso_moment("2026-12-01T11:00:00+01:00") == "2026-12-01T10:00:00+00:00"
    assert values._iso_moment("2026-12-01T10:00:00.000000+00:00") == "2026-12-01T10:00:00+00:00"


# --- card ids -------------------------------------------------------------------------------

card_ids = st.one_of(
    st.from_regex(r"\A([1-9][0-9]{0,3}(:[a-z0-9]+(-[a-z0-9]+)*)?|lc:[1-9][0-9]{0,3})\Z"),
    st.from_regex(r"\A[1-9]:[a-z]{95,100}\Z"),  # in form, but longer than 100 characters
    st.text(max_size=12),
    st.integers(min_value=-5, max_value=20_000),
    st.just(10**100),
    st.booleans(),
    st.floats(allow_nan=False),
    st.none(),
    st.binary(max_size=6),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["3\n", " 3", "03", "lc:0", "3:a--b", "3:A", "0", "10000", "3:", "lc3"]),
)


def card_id_errors(adapter: TypeAdapter[Any], value: Any) -> Any:
    try:
        return ("ok", adapter.validate_python(value))
    except ValidationError as exc:
        return ("invalid", exc.errors())


@given(card_ids)
@settings(max_examples=600)
def test_a_card_id_is_checked_as_before(value):
    rules, now = TypeAdapter(values._CARD_ID_RULES), TypeAdapter(values.CardId)
    assert card_id_errors(now, value) == card_id_errors(rules, value)


class EntryAsBefore(models.ReviewEntry):
    card: values._CARD_ID_RULES | None = None  # type: ignore[valid-type]


def validated(adapter: TypeAdapter[Any], value: Any) -> Any:
    got = card_id_errors(adapter, value)
    return ("ok", got[1].model_dump()) if got[0] == "ok" and hasattr(got[1], "model_dump") else got


@given(card_ids)
def test_a_card_id_in_a_state_is_checked_as_before(value):
    """As a review's `card` and as a key of the cards (where pydantic's error names '[key]')."""
    moment = "2026-12-01T10:00:00+00:00"
    entry = {"id": "x", "card_id": 1, "rating": 3, "review_datetime": moment, "card": value}
    assert validated(TypeAdapter(models.ReviewEntry), entry) == validated(
        TypeAdapter(EntryAsBefore), entry
    )
    if isinstance(value, str | int):
        cards = {value: {"card_id": 1, "state": 1, "due": moment}}
        now = TypeAdapter(dict[values.CardId, models.CardRecord])
        before = TypeAdapter(dict[values._CARD_ID_RULES, models.CardRecord])
        assert card_id_errors(now, cards) == card_id_errors(before, cards)


# --- texts ----------------------------------------------------------------------------------


def text_as_before(limit: int) -> Any:
    def check(text: str) -> str:
        text = text.replace("\r\n", "\n")
        problem = values.text_problem(text, limit)
        if problem:
            raise PydanticCustomError("text", "the text {problem}", {"problem": problem})
        return text

    return check


@given(st.one_of(st.just(""), st.text(max_size=30), st.sampled_from(["\r\n", "\x00", "\ud800"])))
def test_a_note_or_reflection_is_checked_as_before(text):
    for kind, limit in [(values.Note, values.MAX_NOTE_BYTES), (values.Reflection, 10**6)]:
        adapter = TypeAdapter(kind)
        now = outcome(adapter.validate_python, text)
        old = outcome(text_as_before(limit), text)
        if old[0] == "ok":
            assert now == old
        else:
            (error,) = now[1]
            assert (error["type"], error["msg"]) == (old[1], old[2])
