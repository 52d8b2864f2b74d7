"""The Context every use case takes: the config, the plan in use and the moment, resolved once
per command. The clock is read here, once, and passed down as a value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

from eng28 import clock, pace, store
from eng28 import config as cfg
from eng28.models import CardRecord, Config, Plan, State
from eng28.plan import load_plan, resolve_plan_path


@dataclass
class Context:
    config: Config
    plan_path: Path
    now: datetime

    @cached_property
    def plan(self) -> Plan:
        return load_plan(self.plan_path)

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

        return review.scheduler(self.config.desired_retention, cfg.fuzzing(self.config))

    def load_state(self) -> State:
        return store.load_state(self.state_path)

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
    if "plan" in ctx.__dict__:
        moved.__dict__["plan"] = ctx.plan
    return moved
