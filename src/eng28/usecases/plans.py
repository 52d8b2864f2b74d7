"""Plan files as the learner makes them: a starter plan, and a check of a whole file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eng28.errors import Eng28Error
from eng28.plan import check_plan, incomplete_days, write_starter

if TYPE_CHECKING:
    from eng28.usecases.context import Context


@dataclass
class NewPlan:
    path: Path
    notes: int  # notes files written
    check: Path | None = None  # day 1's checkable exercise, with --with-checks


def new_plan(path: Path, days: int, title: str, with_checks: bool = False) -> NewPlan:
    write_starter(path, days, title, with_checks)
    check = path.parent / "exercises" / "01-day-1" if with_checks else None
    return NewPlan(path, days, check)


@dataclass
class Validation:
    path: Path
    problems: list[str]
    incomplete: list[tuple[int, str, list[str]]] = field(default_factory=list)  # number, slug
    total: int = 0
    complete: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.incomplete


def validate(path: Path, complete: bool) -> Validation:
    plan, problems = check_plan(path)
    if plan is None or problems:
        return Validation(path, problems)
    missing = incomplete_days(plan, path)
    warnings = []
    if plan.id is None:
        warnings.append(
            f"{path}: no `id`: progress is filed under {plan.key!r}, derived from the title; "
            f'add `id = "{plan.key}"` at the top so that a new title keeps it'
        )
    return Validation(
        path,
        [],
        [(day.number, day.slug, fields) for day, fields in missing] if complete else [],
        plan.total,
        plan.total - len(missing),
        warnings,
    )


# --- every plan with progress -------------------------------------------------------------


@dataclass
class PlanRow:
    """One plan the learner has used (or the one in use): what `eng28 plans` lists."""

    id: str
    title: str
    path: str
    start: date | None
    day: int | None  # today's study day, None when there is none (or the file is gone)
    total: int | None  # None: the plan's file cannot be read any more
    done: int
    in_use: bool = False
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "path": self.path,
            "start": self.start.isoformat() if self.start else None,
            "day": self.day,
            "total": self.total,
            "done": self.done,
        }


def list_plans(ctx: Context) -> list[PlanRow]:
    """Every plan with progress in the state, and the plan in use, in id order."""
    from eng28.usecases.context import Context as Ctx
    from eng28.usecases.schedule import today

    state = ctx.load_file()
    ids = sorted(set(state.plans) | {ctx.plan_id})
    rows = []
    for plan_id in ids:
        progress = state.plan(plan_id)
        in_use = plan_id == ctx.plan_id
        path = str(ctx.plan_path) if in_use else progress.path
        row = PlanRow(plan_id, progress.title, path, progress.start, None, None, 0, in_use)
        try:
            other = ctx if in_use else Ctx(ctx.config, Path(path), ctx.now)
            if not in_use and other.plan_id != plan_id:
                raise Eng28Error(f"{path} is now the plan {other.plan_id!r}")
            found = today(other, progress)
        except Eng28Error as exc:
            row.problem = str(exc)
            row.done = len(progress.done_days())
        else:
            row.title, row.total, row.done = other.plan.title, found.total, found.done_count
            row.day = found.day.day.number if found.day else None
        rows.append(row)
    return rows
