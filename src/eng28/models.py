"""Pydantic models of the plan, the config and the learner's state. No I/O here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from eng28.pace import WEEKDAYS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s/]+\S*$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class _Strict(BaseModel):
    # defer_build: a model's validator is built the first time it validates, not at import, so
    # a command pays only for the models it validates.
    model_config = ConfigDict(extra="forbid", defer_build=True)


# --- the plan ---------------------------------------------------------------------------


class Track(_Strict):
    id: Slug
    name: Text
    colour: str = "white"
    short: str | None = None

    @property
    def label(self) -> str:
        """The short name shown in tables and the prompt, e.g. "OOP"."""
        return self.short or self.id.upper()


class Video(_Strict):
    title: Text
    url: Url
    by: Text
    minutes: Annotated[int, Field(gt=0)]


class Reading(_Strict):
    title: Text
    url: Url
    by: Text
    kind: Literal["paper", "docs", "blog", "book", "course"]


class Exercise(_Strict):
    title: Text
    steps: Annotated[list[Text], Field(min_length=1)]
    deliverable: Text
    minutes: Annotated[int, Field(gt=0)]
    stretch: Text | None = None


class LeetCode(_Strict):
    number: Annotated[int, Field(gt=0)]
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https://leetcode\.com/problems/[a-z0-9-]+/$")]
    difficulty: Literal["Easy", "Medium", "Hard"]
    why: Text | None = None


class Day(_Strict):
    number: Annotated[int, Field(ge=1)]
    slug: Slug
    title: Text
    track: str
    summary: Text | None = None
    video: Video | None = None
    readings: Annotated[list[Reading], Field(min_length=3, max_length=3)] | None = None
    exercise: Exercise | None = None
    leetcode: LeetCode | None = None
    reflection_prompt: Text | None = None
    notes: Text | None = None

    #: The fields a day needs before it counts as complete content.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "summary",
        "video",
        "readings",
        "exercise",
        "leetcode",
        "reflection_prompt",
        "notes",
    )

    def missing_fields(self) -> list[str]:
        return [name for name in self.CONTENT_FIELDS if getattr(self, name) is None]

    @property
    def complete(self) -> bool:
        return not self.missing_fields()


class Plan(_Strict):
    title: Text
    description: str = ""
    tracks: Annotated[list[Track], Field(min_length=1)]
    days: Annotated[list[Day], Field(min_length=1)]

    def track(self, track_id: str) -> Track:
        return next(t for t in self.tracks if t.id == track_id)

    def day(self, number: int) -> Day:
        return self.days[number - 1]

    @property
    def total(self) -> int:
        return len(self.days)


# --- the config -------------------------------------------------------------------------


class Config(_Strict):
    start: date | None = None
    plan: str | None = None
    pace: Literal["calendar", "self"] = "calendar"
    rest_days: list[Weekday] = Field(default_factory=list)
    rollover_hour: Annotated[int, Field(ge=0, le=23)] = 4
    timezone: str | None = None
    desired_retention: Annotated[float, Field(ge=0.7, le=0.99)] = 0.9
    review_fuzzing: bool | None = None  # None: on, except when ENG28_NOW fixes the clock
    prompt_format: str | None = None  # fields: see views.FIELDS
    grace_days: Annotated[int, Field(ge=0, le=7)] = 1  # late by this many study days still counts
    pager: bool = True  # a screen taller than the terminal goes through the pager

    @field_validator("prompt_format")
    @classmethod
    def _usable_format(cls, value: str | None) -> str | None:
        if value is not None:
            from eng28.views import render_format

            sample = {"day": 1, "total": 28, "track": "AI", "title": "T", "due": 0}
            render_format(value, {**sample, "status": "todo"})
        return value

    @field_validator("rest_days")
    @classmethod
    def _some_study_days(cls, value: list[str]) -> list[str]:
        if len(set(value)) >= 7:
            raise ValueError("at least one weekday must be a study day")
        return sorted(set(value), key=WEEKDAYS.index)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. 'Europe/London')") from None
        return value


# --- the learner's state ----------------------------------------------------------------


def _unix_newlines(text: str) -> str:
    """Line endings are stored as \\n: TOML multi-line strings would turn \\r\\n into \\n
    anyway, and a reflection must read back exactly as it was saved."""
    return text.replace("\r\n", "\n")


class EarlierReflection(_Strict):
    """A reflection that was replaced (by --amend, by a new one after undo, or by a newer one
    from another machine in `eng28 sync`), with the time it was written."""

    text: str
    written_at: datetime | None = None

    _newlines = field_validator("text")(_unix_newlines)


class DayProgress(_Strict):
    """What the learner did with one day. A reflection is never dropped: undo keeps it and an
    amended or replaced one moves to `earlier`."""

    done: bool = False
    skipped: bool = False  # set aside on purpose: not done, no review card, not missed
    done_at: datetime | None = None
    done_on: date | None = None  # the study date it was done on
    reflection: str = ""
    reflection_at: datetime | None = None  # when the current reflection was written
    earlier: list[EarlierReflection] = Field(default_factory=list)
    changed_at: datetime

    _newlines = field_validator("reflection")(_unix_newlines)


class CardRecord(_Strict):
    """A review card in fsrs's own serialised form (`fsrs.Card.to_dict()`)."""

    card_id: int
    state: Annotated[int, Field(ge=1, le=3)]
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: str
    last_review: str | None = None


class ReviewEntry(_Strict):
    """One review in the append-only log: fsrs's `ReviewLog.to_dict()` plus the learner's note
    and a stable id (the day and the moment), so logs from two machines can be merged."""

    id: str
    card_id: int
    rating: Annotated[int, Field(ge=1, le=4)]
    review_datetime: str
    review_duration: int | None = None
    note: str = ""

    _newlines = field_validator("note")(_unix_newlines)


#: 2: earlier reflections carry the time they were written (store.MIGRATIONS upgrades 1).
SCHEMA_VERSION = 2


class Pause(_Strict):
    """Calendar pace stands still from `start` until `end` (exclusive); `end` None: paused."""

    start: date
    end: date | None = None


class State(_Strict):
    schema_version: int = SCHEMA_VERSION
    days: dict[int, DayProgress] = Field(default_factory=dict)
    pauses: list[Pause] = Field(default_factory=list)
    #: When each config key was last changed here, so that `eng28 sync` can let the side that
    #: changed a key later win.
    config_times: dict[str, datetime] = Field(default_factory=dict)
    cards: dict[int, CardRecord] = Field(default_factory=dict)
    reviews: list[ReviewEntry] = Field(default_factory=list)

    def done_days(self) -> set[int]:
        return {n for n, p in self.days.items() if p.done}

    def skipped_days(self) -> set[int]:
        return {n for n, p in self.days.items() if p.skipped and not p.done}

    def pause_ranges(self) -> list[tuple[date, date | None]]:
        return [(p.start, p.end) for p in self.pauses]

    @property
    def paused_since(self) -> date | None:
        return next((p.start for p in self.pauses if p.end is None), None)
