"""Pydantic models of the plan, the config and the learner's state. No I/O here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from eng28.cards import card_day, card_kind, fsrs_number, leetcode_card, question_card
from eng28.pace import WEEKDAYS
from eng28.values import (
    MAX_DAYS,
    MAX_TEXT_BYTES,
    YEARS,
    Amount,
    CardId,
    DayNumber,
    IsoMoment,
    Label,
    Moment,
    Note,
    Reflection,
    StoredDate,
    text_problem,
)

__all__ = ["card_day", "card_kind", "fsrs_number", "leetcode_card", "question_card"]
__all__ += ["MAX_TEXT_BYTES", "YEARS", "text_problem"]  # the values' rules, said in values

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, pattern=r"^https?://[^\s/\x00-\x1f\x7f]+[^\s\x00-\x1f\x7f]*$"
    ),
]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class _Strict(BaseModel):
    # defer_build: a model's validator is built the first time it validates, not at import, so
    # a command pays only for the models it validates.
    model_config = ConfigDict(extra="forbid", defer_build=True)
    # Empty defaults are written `= []` and `= {}` (pydantic copies them for each instance),
    # not `default_factory=list`: for a builtin factory pydantic asks `inspect.signature`,
    # which compiles tokenize's regular expressions, some 4 ms of every start.


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


class _Outline(BaseModel):
    # What tables and counts read of a plan (see PlanOutline): the plan's models extend the
    # outline's with the rest of each day, and forbid what they do not know.
    model_config = ConfigDict(extra="ignore", defer_build=True)


class Timed(_Outline):
    """What an outline keeps of a video or an exercise."""

    minutes: Annotated[int, Field(gt=0)]


class ReadingKind(_Outline):
    """What an outline keeps of a reading."""

    kind: Literal["paper", "docs", "blog", "book", "course"]


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


#: An answer is a short recall key: about 120 words is the aim, more than this is refused.
MAX_ANSWER_WORDS = 150


_WORD = re.compile(r"\S*\w\S*")


def word_count(text: str) -> int:
    """Words as a reader counts them: a Markdown bullet or a lone symbol is not a word."""
    return len(_WORD.findall(text))


#: The validation context of a plan's JSON copy (see `plan._plan_data`), which is written only
#: once the plan file it copies passed every check: the length of its answers, an authoring
#: rule, is not counted again on each command (a tenth of loading a year's plan). Everything
#: else in a copy is validated as in the file.
FROM_COPY = {"plan copy": True}


def _short_answer(text: str, info: ValidationInfo) -> str:
    if info.context is FROM_COPY:
        return text
    # Every word lies inside one whitespace-separated token (`\s` and str.split agree on what
    # whitespace is), so an answer of few tokens has few words: counting those costs a regex
    # scan of each character, 40 ms for a 364-day plan's 1,800 answers; splitting costs 2.
    if len(text.split()) <= MAX_ANSWER_WORDS:
        return text
    words = word_count(text)
    if words > MAX_ANSWER_WORDS:
        raise PydanticCustomError(
            "answer_length",
            "{words} words; an answer holds at most {limit} (aim for about 120)",
            {"words": words, "limit": MAX_ANSWER_WORDS},
        )
    return text


Answer = Annotated[Text, AfterValidator(_short_answer)]


class QuestionOutline(_Outline):
    id: Slug
    prompt: Text


class Question(QuestionOutline):
    """One question of a day's "Check yourself", said as in the notes, with its answer key."""

    model_config = _Strict.model_config
    answer: Answer | None = None


#: A package a day's checks need beyond the standard library, as pip names it (e.g. "numpy").
Requirement = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


class Check(_Strict):
    """A day's checkable exercise: a folder under the plan holding `starter/` (what the
    learner edits), `checks/` (pytest files) and `solution/` (the reference)."""

    folder: Text
    requires: list[Requirement] = []


class DayOutline(_Outline):
    """What tables and counts read of a day: the rest of it is content (see Day)."""

    # In the order of the plan's days (a subclass keeps its base's order): pydantic reports a
    # day's problems in it, and --json prints it.
    number: Annotated[int, Field(ge=1)]
    slug: Slug
    title: Text
    track: str
    summary: Text | None = None
    video: Timed | None = None
    readings: Annotated[list[ReadingKind], Field(min_length=3, max_length=3)] | None = None
    exercise: Timed | None = None
    check: Check | None = None
    leetcode: LeetCode | None = None
    reflection_prompt: Text | None = None
    notes: Text | None = None
    questions: list[QuestionOutline] = []


class Day(DayOutline):
    model_config = _Strict.model_config
    video: Video | None = None  # type: ignore[assignment]  # the whole of what Timed keeps
    readings: Annotated[list[Reading], Field(min_length=3, max_length=3)] | None = None  # type: ignore[assignment]
    exercise: Exercise | None = None  # type: ignore[assignment]
    questions: list[Question] = []  # type: ignore[assignment]

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
        missing = [name for name in self.CONTENT_FIELDS if getattr(self, name) is None]
        unanswered = sum(1 for q in self.questions if q.answer is None)
        if unanswered:
            s = "s" * (unanswered > 1)
            missing.append(f"answer{s} for {unanswered} question{s}")
        return missing

    @property
    def complete(self) -> bool:
        return not self.missing_fields()


def slugify(text: str) -> str:
    """A plan id made from a title: lower-case words joined by hyphens ("plan" if none)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60].strip("-") or "plan"


#: The most a plan's title may hold: the state keeps it (as a Label) beside the progress.
MAX_TITLE_BYTES = 4096


def title_problem(title: str) -> str | None:
    """Why the state could not keep `title` as a plan's (see MAX_TITLE_BYTES), or None."""
    if "\n" in title or "\r" in title:
        return "a plan's title is one line"
    size = len(title.encode("utf-8", errors="surrogatepass"))
    if size > MAX_TITLE_BYTES:
        return f"{size} bytes; a plan's title holds at most {MAX_TITLE_BYTES}"
    return None


def _one_line(title: str) -> str:
    problem = title_problem(title)
    if problem is not None:
        raise PydanticCustomError("title", problem)
    return title


class PlanOutline(_Outline):
    """A plan as its tables and counts read it: each day's outline, none of its content. A
    command that shows no content reads this from the plan's JSON copy (see plan.load_outline)
    in half the time the whole plan takes."""

    #: The plan's identity: progress is filed under it. Missing: derived from the title.
    id: Slug | None = None
    title: Annotated[Text, AfterValidator(_one_line)]
    description: str = ""
    tracks: Annotated[list[Track], Field(min_length=1)]
    days: Annotated[list[DayOutline], Field(min_length=1)]

    def track(self, track_id: str) -> Track:
        return next(t for t in self.tracks if t.id == track_id)

    def day(self, number: int) -> DayOutline:
        return self.days[number - 1]

    @property
    def total(self) -> int:
        return len(self.days)

    @property
    def key(self) -> str:
        """The id progress is filed under: `id`, else one derived from the title."""
        return self.id or slugify(self.title)


class Plan(PlanOutline):
    model_config = _Strict.model_config
    days: Annotated[list[Day], Field(min_length=1)]  # type: ignore[assignment]

    def day(self, number: int) -> Day:
        return self.days[number - 1]


# --- the config -------------------------------------------------------------------------


class Config(_Strict):
    start: StoredDate | None = None
    plan: str | None = None
    pace: Literal["calendar", "self"] = "calendar"
    rest_days: list[Weekday] = []
    rollover_hour: Annotated[int, Field(ge=0, le=23)] = 4
    timezone: str | None = None
    desired_retention: Annotated[float, Field(ge=0.7, le=0.99)] = 0.9
    review_fuzzing: bool | None = None  # None: on, except when ENG28_NOW fixes the clock
    review_grading: Literal["four", "pass-fail"] = "four"  # pass-fail: forgot/recalled
    review_daily_limit: Annotated[int, Field(ge=1, le=1000)] = 30  # ratings a study day
    #: FSRS's 21 weights, fitted to the learner's log by `eng28 review optimize` (None: fsrs's).
    fsrs_parameters: list[Annotated[float, Field(allow_inf_nan=False)]] | None = None
    prompt_format: str | None = None  # fields: see views.FIELDS
    grace_days: Annotated[int, Field(ge=0, le=7)] = 1  # late by this many study days still counts
    pager: bool = True  # a screen taller than the terminal goes through the pager
    workspace: str | None = None  # where `eng28 exercise` lays exercises out (a folder)
    python: str | None = None  # the Python that runs `eng28 check` (default: eng28's own)
    check_timeout: Annotated[int, Field(ge=1, le=3600)] = 60  # seconds a check run may take

    @field_validator("prompt_format")
    @classmethod
    def _usable_format(cls, value: str | None) -> str | None:
        if value is not None:
            from eng28.views import render_format

            sample = {"day": 1, "total": 28, "track": "AI", "title": "T", "due": 0}
            render_format(value, {**sample, "status": "todo"})
        return value

    @field_validator("fsrs_parameters")
    @classmethod
    def _all_weights(cls, value: list[float] | None) -> list[float] | None:
        if value is not None and len(value) != 21:
            raise ValueError(f"FSRS takes 21 parameters, got {len(value)}")
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
# Validated whatever the source (the state file, an import, a sync remote): a reader never
# meets a value the learner could not have typed or eng28 could not have written.


class EarlierReflection(_Strict):
    """A reflection that was replaced (by --amend, by a new one after undo, or by a newer one
    from another machine in `eng28 sync`), with the time it was written."""

    text: Reflection
    written_at: Moment | None = None


#: The parts of a day a learner ticks (the reflection is ticked by `done`).
PARTS = ("video", "r1", "r2", "r3", "exercise", "leetcode")
Part = Literal["video", "r1", "r2", "r3", "exercise", "leetcode"]


class PartMark(_Strict):
    """A part of a day ticked (or unticked) at a moment: the later mark wins a sync."""

    ticked: bool
    at: Moment


class DayProgress(_Strict):
    """What the learner did with one day. A reflection is never dropped: undo keeps it and an
    amended or replaced one moves to `earlier`."""

    done: bool = False
    skipped: bool = False  # set aside on purpose: not done, no review card, not missed
    done_at: Moment | None = None
    done_on: StoredDate | None = None  # the study date it was done on
    reflection: Reflection = ""
    reflection_at: Moment | None = None  # when the current reflection was written
    earlier: Annotated[list[EarlierReflection], Field(max_length=MAX_DAYS)] = []
    parts: dict[Part, PartMark] = {}
    changed_at: Moment

    def ticked(self, part: str) -> bool:
        mark = self.parts.get(part)  # type: ignore[call-overload]
        return mark is not None and mark.ticked


class CardRecord(_Strict):
    """A review card in fsrs's own serialised form (`fsrs.Card.to_dict()`)."""

    card_id: Annotated[int, Field(ge=0)]
    state: Annotated[int, Field(ge=1, le=3)]
    step: Annotated[int, Field(ge=0)] | None = None
    stability: Amount | None = None
    difficulty: Amount | None = None
    due: IsoMoment
    last_review: IsoMoment | None = None


class ReviewEntry(_Strict):
    """One review in the append-only log: fsrs's `ReviewLog.to_dict()` plus the learner's note
    and a stable id (the day and the moment), so logs from two machines can be merged."""

    id: Annotated[str, StringConstraints(pattern=r"^[^\s\x00-\x1f\x7f]{1,100}$")]
    card_id: Annotated[int, Field(ge=0)]  # fsrs's number (see fsrs_number)
    #: The card's id (see CardId); absent in entries of reflections from before schema 4.
    card: CardId | None = None
    rating: Annotated[int, Field(ge=1, le=4)]
    review_datetime: IsoMoment
    review_duration: Annotated[int, Field(ge=0)] | None = None
    note: Note = ""
    #: The card as it was before this rating, so that `eng28 review DAY --undo` restores its
    #: schedule exactly (fuzz included). Absent in entries written before undo existed.
    card_before: CardRecord | None = None
    #: When the rating was undone: a tombstone, kept so that a sync never brings it back (the
    #: merge keeps it if either side has it); an undone entry counts for nothing.
    undone_at: Moment | None = None

    #: The fields that are fsrs's `ReviewLog`; the others are eng28's own.
    OWN_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"id", "card", "note", "card_before", "undone_at"}
    )

    @property
    def key(self) -> str:
        """The id of the card this review rated."""
        return self.card or str(self.card_id)


#: 2: earlier reflections carry the time they were written; 3: progress is filed per plan;
#: 4: cards have kinds and string ids; 5: the ratings live in a log of their own (see
#: reviewlog), not in the state file (store.MIGRATIONS upgrades older files).
SCHEMA_VERSION = 5


class Pause(_Strict):
    """Calendar pace stands still from `start` until `end` (exclusive); `end` None: paused."""

    start: StoredDate
    end: StoredDate | None = None


ConfigKey = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
PlanId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]


class Share(_Strict):
    """Whether a day's own text (reflection, review notes) goes on the published site, and
    when the learner last decided (`eng28 share` / `unshare`): a sync lets the later decision
    win, so an unshare is never undone by an older share from another machine."""

    shared: bool
    at: Moment


class Attempt(_Strict):
    """One LeetCode attempt the learner logged."""

    at: Moment
    solved: bool
    minutes: Annotated[int, Field(ge=0, le=24 * 60)] | None = None
    hint: bool = False
    pattern: Note = ""
    note: Note = ""


class PlanState(_Strict):
    """Everything the learner did in one plan: its start, pauses, days, cards and reviews."""

    title: Label = ""  # the plan's title and file when last used, for `eng28 plans`
    path: Label = ""
    start: StoredDate | None = None
    start_at: Moment | None = None  # when the start was last set here (the later set wins a sync)
    days: Annotated[dict[DayNumber, DayProgress], Field(max_length=MAX_DAYS)] = {}
    pauses: Annotated[list[Pause], Field(max_length=MAX_DAYS)] = []
    #: Every card by its id (see CardId): a reflection's while its day is done, questions'
    #: and re-solves' for good (a question the plan no longer has, or of a day undone, is
    #: kept but not shown).
    cards: Annotated[dict[CardId, CardRecord], Field(max_length=20 * MAX_DAYS)] = {}
    reviews: Annotated[list[ReviewEntry], Field(max_length=100 * MAX_DAYS)] = []
    leetcode: Annotated[dict[DayNumber, list[Attempt]], Field(max_length=MAX_DAYS)] = {}
    #: When each day's checkable exercise first passed `eng28 check` (see usecases.exercises).
    checks_passed: Annotated[dict[DayNumber, Moment], Field(max_length=MAX_DAYS)] = {}
    #: The days whose own text `eng28 publish` includes (see `shared_days`); written to the
    #: file only once a day has been shared or unshared.
    shared: Annotated[dict[DayNumber, Share], Field(max_length=MAX_DAYS)] = {}

    def stamps(self) -> Iterator[tuple[str, datetime | date]]:
        """Every moment and date recorded as past (not the cards' due dates, which lie ahead
        by design), with its key: what a reader with a clock checks against now."""
        if self.start_at is not None:
            yield "start_at", self.start_at
        for n, p in self.days.items():
            for name in ("done_at", "done_on", "reflection_at", "changed_at"):
                if getattr(p, name) is not None:
                    yield f"days.{n}.{name}", getattr(p, name)
            for i, e in enumerate(p.earlier):
                if e.written_at is not None:
                    yield f"days.{n}.earlier.{i}.written_at", e.written_at
            for part, mark in p.parts.items():
                yield f"days.{n}.parts.{part}.at", mark.at
        for i, pause in enumerate(self.pauses):
            yield f"pauses.{i}.start", pause.start
            if pause.end is not None:
                yield f"pauses.{i}.end", pause.end
        for n, card in self.cards.items():
            if card.last_review is not None:
                yield f"cards.{n}.last_review", datetime.fromisoformat(card.last_review)
        for i, entry in enumerate(self.reviews):
            yield f"reviews.{i}.review_datetime", datetime.fromisoformat(entry.review_datetime)
            if entry.undone_at is not None:
                yield f"reviews.{i}.undone_at", entry.undone_at
        for n, attempts in self.leetcode.items():
            for i, attempt in enumerate(attempts):
                yield f"leetcode.{n}.{i}.at", attempt.at
        for n, when in self.checks_passed.items():
            yield f"checks_passed.{n}", when
        for n, share in self.shared.items():
            yield f"shared.{n}.at", share.at

    @property
    def anything(self) -> bool:
        """Whether the learner did anything in this plan (a fresh plan has nothing)."""
        return bool(self.start or self.days or self.reviews or self.pauses or self.leetcode)

    def kept_reviews(self) -> list[ReviewEntry]:
        """The review log without the ratings that were undone."""
        return [e for e in self.reviews if e.undone_at is None]

    def done_days(self) -> set[int]:
        return {n for n, p in self.days.items() if p.done}

    def shared_days(self) -> set[int]:
        return {n for n, share in self.shared.items() if share.shared}

    def skipped_days(self) -> set[int]:
        return {n for n, p in self.days.items() if p.skipped and not p.done}

    def pause_ranges(self) -> list[tuple[date, date | None]]:
        return [(p.start, p.end) for p in self.pauses]

    @property
    def paused_since(self) -> date | None:
        return next((p.start for p in self.pauses if p.end is None), None)


class State(_Strict):
    """The state file: each plan's progress under the plan's id, and when config keys changed."""

    schema_version: int = SCHEMA_VERSION
    plans: Annotated[dict[PlanId, PlanState], Field(max_length=100)] = {}
    #: When each config key was last changed here, so that `eng28 sync` can let the side that
    #: changed a key later win.
    config_times: Annotated[dict[ConfigKey, Moment], Field(max_length=100)] = {}
    #: How much of the review log (bytes) the cards above already follow: a rating saved
    #: alone adds a line with its card to the log and leaves this file as it is, and a reader
    #: brings the cards up to date from the lines after it (see reviewlog, store.rating).
    log_folded: Annotated[int, Field(ge=0)] = 0

    #: What the review log held when this state was read from it (reviewlog.Mark), so that a
    #: save can append to the log instead of rewriting it; None: rewrite.
    _log: object = PrivateAttr(default=None)

    def plan(self, plan_id: str) -> PlanState:
        """The progress of one plan (a fresh one, not yet filed, when it has none)."""
        return self.plans.get(plan_id) or PlanState()

    def stamps(self) -> Iterator[tuple[str, datetime | date]]:
        for plan_id, plan in self.plans.items():
            for key, when in plan.stamps():
                yield f"plans.{plan_id}.{key}", when
        for key, when in self.config_times.items():
            yield f"config_times.{key}", when
