"""The Context every use case takes: the config, the plan in use and the moment, resolved once
per command. The clock is read here, once, and passed down as a value."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from eng28 import clock, pace, reviewlog, store
from eng28 import config as cfg
from eng28.models import SCHEMA_VERSION, CardRecord, Config, Plan, PlanOutline, PlanState, State
from eng28.plan import load_outline, load_plan, resolve_plan_path

T = TypeVar("T")


@dataclass
class Context:
    config: Config
    plan_path: Path
    now: datetime
    #: The state as last read, whole (True) or with the log's recent part (False): the files'
    #: identity, and what they held (see `load_file`).
    _read: dict[bool, tuple[Any, State]] = field(default_factory=dict, repr=False, compare=False)
    #: The schema the state file was written in, as last read (see `ratings_in_log`).
    _schema: int | None = field(default=None, repr=False, compare=False)
    #: The state as the last rating of this command left it (see store.Kept).
    _rated: store.Kept = field(default_factory=store.Kept, repr=False, compare=False)

    #: Whether this command shows none of the days' content (see `outline`).
    light: bool = False

    @cached_property
    def plan(self) -> Plan:
        return load_plan(self.plan_path)

    @cached_property
    def outline(self) -> PlanOutline:
        """What tables and counts read of the plan in use: the plan itself once it is read,
        else (for a `light` command) its outline, which costs half as much to read."""
        if self.light and "plan" not in self.__dict__:
            found = load_outline(self.plan_path)
            if isinstance(found, Plan):  # no copy to read: the plan was read whole
                self.__dict__["plan"] = found
            return found
        return self.plan

    @property
    def today(self) -> date:
        return pace.study_date(self.now, self.config.rollover_hour)

    @property
    def rest(self) -> frozenset[int]:
        return pace.rest_weekdays(self.config.rest_days)

    @property
    def state_path(self) -> Path:
        return cfg.state_path()

    @property
    def zone(self) -> tzinfo | None:
        return cfg.zone(self.config)

    def due_date(self, record: CardRecord) -> date:
        from eng28 import review

        return review.due_date(record, self.zone, self.config.rollover_hour)

    def scheduler(self) -> Any:
        from eng28 import review

        c = self.config
        return review.scheduler(c.desired_retention, cfg.fuzzing(c), c.fsrs_parameters)

    def exact_scheduler(self) -> Any:
        """The scheduler without fuzz (what a replay and a sync merge use)."""
        from eng28 import review

        c = self.config
        return review.scheduler(c.desired_retention, False, c.fsrs_parameters)

    def settle(self, record: CardRecord, fuzzed: bool | None = None) -> CardRecord:
        """The card with its due date off the rest days (see review.off_rest_days)."""
        return settle_card(
            self.config, record, cfg.fuzzing(self.config) if fuzzed is None else fuzzed
        )

    @property
    def plan_id(self) -> str:
        """The id the plan in use files its progress under."""
        return self.outline.key

    @property
    def recent(self) -> str:
        """Where the recent part of the review log begins for this command: three days back,
        which holds every rating of today's study date (and a day's margin for clocks)."""
        return (self.now - timedelta(days=3)).astimezone(UTC).isoformat()

    def load_file(self, history: bool = True) -> State:
        """The whole state file: every plan's progress (an older file's under this plan), with
        every rating of the review log, or (`history` False) only its recent part: enough for
        today's card, the due cards and their daily limit, and the prompt. Read once while the
        files stay the same (their inode, size and mtime: every save makes a new inode), as
        most commands look twice (`ensure_started`, then the command); a reader never changes
        what it gets, a transaction reads the files afresh."""
        path = self.state_path
        key: Any = None
        with contextlib.suppress(OSError):
            log = reviewlog.identity(reviewlog.log_path(path))
            info = os.stat(path)
            key = (info.st_ino, info.st_size, info.st_mtime_ns, log)
        for whole in (True, history):  # a whole reading serves one of the recent part too
            kept = self._read.get(whole)
            if key is not None and kept is not None and kept[0] == key:
                return kept[1]
        since = None if history else self.recent
        state, self._schema = store.read_state(path, lambda: self.plan_id, since=since)
        if key is not None:
            self._read[history] = (key, state)
        return state

    def ratings_in_log(self) -> bool:
        """Whether the state read keeps its ratings in the review log (schema 5 on), not in
        its own table (an older file, until it is saved anew)."""
        if self._schema is None:
            self.load_file(history=False)
        return (self._schema or SCHEMA_VERSION) >= 5

    def load_state(self, history: bool = True) -> PlanState:
        """The progress of the plan in use (`history` False: see `load_file`)."""
        return self._with_legacy_start(self.load_file(history).plan(self.plan_id))

    def _with_legacy_start(self, mine: PlanState) -> PlanState:
        # Before schema 3 the start lived in config.toml: until `ensure_started` moves it into
        # the state, it is the start of the plan in use (a start set or reset since wins).
        if mine.start is None and mine.start_at is None and self.config.start is not None:
            mine.start = self.config.start
        return mine

    @contextlib.contextmanager
    def file_transaction(self, history: bool = True) -> Iterator[State]:
        """Change the whole state file in one transaction (see store.transaction); `history`
        False: with the log's recent part only, to add ratings and amend recent ones."""
        since = None if history else self.recent
        with store.transaction(self.state_path, self.today, self.plan_id, since) as state:
            yield state

    @contextlib.contextmanager
    def transaction(self, history: bool = True) -> Iterator[PlanState]:
        """Change the progress of the plan in use in one transaction, filing it under the
        plan's id with the plan's title and file as they are now (`history`: as in
        `file_transaction`)."""
        with self.file_transaction(history) as state:
            mine = self._with_legacy_start(state.plans.setdefault(self.plan_id, PlanState()))
            mine.title, mine.path = self.plan.title, str(self.plan_path)
            yield mine

    def rating(self, change: Callable[[PlanState], T]) -> T:
        """Apply `change` to the progress of the plan in use and save it as a rating alone
        (see store.rating): it may rate cards and amend recent ratings, nothing else, or it is
        saved by a whole transaction instead. The next rating of this context starts from the
        state this one left while the files stay as it saved them (see store.Kept)."""

        def apply(state: State) -> T:
            # A plan's first progress, a new title or file, a start still in the config: all
            # make this more than a rating, saved by a whole transaction (once).
            mine = self._with_legacy_start(state.plans.setdefault(self.plan_id, PlanState()))
            mine.title, mine.path = self.plan.title, str(self.plan_path)
            return change(mine)

        path, today, recent = self.state_path, self.today, self.recent
        return store.rating(path, today, self.plan_id, recent, apply, self._rated)

    def reload_config(self) -> None:
        """Read the config afresh (before changing it)."""
        self.config = cfg.load_config()


def open_context(plan_option: str | None = None) -> Context:
    """The context of one command. `plan_option` is --plan; ENG28_PLAN means the same, and
    either wins over the config key `plan`."""
    config = cfg.load_config()
    return Context(
        config=config,
        plan_path=resolve_plan_path(plan_option, config.plan),
        now=clock.now(cfg.zone(config)),
    )


def at(ctx: Context, moment: datetime) -> Context:
    """The same context at another moment (the prompt cache looks at the days ahead)."""
    moved = Context(config=ctx.config, plan_path=ctx.plan_path, now=moment)
    for known in ("plan", "outline"):
        if known in ctx.__dict__:
            moved.__dict__[known] = ctx.__dict__[known]
    moved.light = ctx.light
    return moved


def settle_card(config: Config, record: CardRecord, fuzzed: bool = False) -> CardRecord:
    """`record` with its due date moved off the rest days of `config` (easy days)."""
    from eng28 import review

    rest = pace.rest_weekdays(config.rest_days)
    return review.off_rest_days(record, rest, cfg.zone(config), config.rollover_hour, fuzzed)
