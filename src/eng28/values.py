"""The kinds of value the learner's state holds (texts, moments, dates, day numbers, card ids),
as pydantic types with their checks, for the models to share. No I/O here.

Every value read from a file (the state file, an import, a sync remote) passes these: a reader
never meets a value the learner could not have typed or eng28 could not have written. A year
of progress holds some 118,000 moments and 40,000 card ids, so the checks that run per value
take a short cut for a value already in the form they return, and give the same result as the
full rules for every value (tests/unit/test_validators.py holds them to it).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

#: The most a reflection or a note may hold (what the learner can type, too).
MAX_TEXT_BYTES = 1_000_000
#: A note merged by a sync can hold several machines' versions of it (see merge.merge_notes).
MAX_NOTE_BYTES = 4 * MAX_TEXT_BYTES
#: Far more days than any plan has (the longest bundled one has 364).
MAX_DAYS = 1000
#: Stored moments and dates lie in these years (as `clock.YEARS`, which ENG28_NOW must): outside
#: them the calendar maths and fsrs overflow.
YEARS = (1971, 9000)

#: Hex digits of a rating id's digest, in both summaries of the review log (see reviewscan).
ID_WIDTH = 16


def id_digests(ids: object) -> bool:
    """Whether `ids` are ID_WIDTH lower-case hex digits each (told from the bytes the digits
    leave: str.strip took 3.4 ms over a year's 620,000 characters, this 0.2)."""
    if not isinstance(ids, str) or len(ids) % ID_WIDTH or not ids.isascii():
        return False
    return not ids.encode().translate(None, b"0123456789abcdef")


_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def text_problem(text: str, limit: int = MAX_TEXT_BYTES) -> str | None:
    """Why `text` cannot be kept as a reflection or a note, or None: too large, a control
    character (tab and newline are fine), or not Unicode."""
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > limit:
        return f"is {size / 1e6:.1f} MB; eng28 keeps up to {limit / 1e6:g} MB"
    found = _UNPRINTABLE.search(text)
    if found is None:
        return None
    if 0xD800 <= ord(found.group()) <= 0xDFFF:
        return "is not valid Unicode text"
    return f"contains a control character ({found.group()!r}) at position {found.start()}"


_CR_LF = re.compile(r"\r+\n")


def _learner_text(limit: int) -> AfterValidator:
    def check(text: str) -> str:
        if not text:
            return text  # most review notes: nothing to check
        # Line endings are stored as \n: TOML multi-line strings would turn \r\n into \n
        # anyway, and a text must read back exactly as it was saved, so every run of \r
        # before a \n goes at once (replacing \r\n once left "\r\r\n" as "\r\n").
        if "\r" in text:
            text = _CR_LF.sub("\n", text)
        problem = text_problem(text, limit)
        if problem:
            raise PydanticCustomError("text", "the text {problem}", {"problem": problem})
        return text

    return AfterValidator(check)


def _in_years(value: date) -> date:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise PydanticCustomError(
            "year", "outside the years {low} to {high}", {"low": YEARS[0], "high": YEARS[1]}
        )
    return value


#: A moment as `_iso_moment` writes it (`isoformat` of a UTC time): microseconds only when
#: there are some, and no hour, minute or second that `fromisoformat` could read otherwise.
_CANONICAL_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.(?!000000)[0-9]{6})?\+00:00"
)


def _iso_moment(value: str) -> str:
    """An ISO date and time with an offset, as fsrs writes it, normalised to UTC (so that
    moments sort as text)."""
    # Nearly every moment read was written here, so it is already what this returns: then
    # parsing it proves the date real, and writing it out again (isoformat, most of the cost
    # of 118,000 moments in a year of reviews) would only give back the same text.
    if _CANONICAL_MOMENT.fullmatch(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass  # a day the month lacks: the full path says so
        else:
            if YEARS[0] <= moment.year <= YEARS[1]:
                return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "iso_moment", "not an ISO date and time (e.g. 2026-12-01T10:00:00+00:00)"
        ) from None
    if moment.tzinfo is None:
        raise PydanticCustomError("iso_moment", "a date and time without a UTC offset")
    _in_years(moment)
    return moment.astimezone(UTC).isoformat()


Reflection = Annotated[str, _learner_text(MAX_TEXT_BYTES)]
#: A plan's title or path as the state remembers it: one line of printable text.
Label = Annotated[str, _learner_text(4096), StringConstraints(pattern=r"^[^\n]*$")]
Note = Annotated[str, _learner_text(MAX_NOTE_BYTES)]
Moment = Annotated[AwareDatetime, AfterValidator(_in_years)]
StoredDate = Annotated[date, AfterValidator(_in_years)]
IsoMoment = Annotated[str, AfterValidator(_iso_moment)]
DayNumber = Annotated[int, Field(ge=1, le=MAX_DAYS)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]


#: A card's id says its kind: "3" is day 3's reflection, "3:attention-scaling" a question of
#: day 3's "Check yourself", "lc:3" the re-solve of day 3's LeetCode problem.
_CARD_ID_RULES = Annotated[
    str,
    # A day number alone is its reflection's id (as cards were keyed before schema 4).
    BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
    StringConstraints(
        pattern=r"^([1-9][0-9]{0,3}(:[a-z0-9]+(-[a-z0-9]+)*)?|lc:[1-9][0-9]{0,3})$", max_length=100
    ),
]
_CARD_ID = re.compile(r"[1-9][0-9]{0,3}(?::[a-z0-9]+(?:-[a-z0-9]+)*)?|lc:[1-9][0-9]{0,3}")


@cache
def _card_id_rules() -> TypeAdapter[str]:
    return TypeAdapter(_CARD_ID_RULES)


def _card_id(value: Any, handler: ValidatorFunctionWrapHandler) -> str:
    # pydantic applies _CARD_ID_RULES in three Python calls a value (the int, the length, the
    # pattern after a function): 40,000 card ids in a year of reviews. An id already in form
    # takes one; any other value meets the rules themselves, with their result and errors.
    if type(value) is str and len(value) <= 100 and _CARD_ID.fullmatch(value):
        return value
    return _card_id_rules().validate_python(value)


CardId = Annotated[str, WrapValidator(_card_id)]
